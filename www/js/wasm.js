// @ts-check
// Main-thread WebAssembly loader. The page has three modules built from the
// same crate (scripts/build-wasm.sh): 'core' (../pkg/rnnscope.js: motifs,
// dynamics, modularity, every chart, CSV/NPY import), loaded at start-up;
// 'models' (../pkg/rnnscope_models.js: HebbFF, training, RL, rich/lazy
// learning, curl descent) and 'import' (../pkg/rnnscope_import.js: the NPZ,
// safetensors and MAT readers of the import dialog), each fetched and
// compiled when first asked for.
//
// A Rust panic traps (RuntimeError); the panic hook has left its message in
// globalThis.__rnnscopePanic. `call` turns that into an Error with the message
// and loads a fresh instance of that module (a new URL → a new ES module → a
// new instance) so the page keeps working. Handles created before a panic are
// invalid afterwards.
//
// In the single-file build (`make dist`) the page defines
// globalThis.RNNSCOPE_DIST = { glue: {core, models, import}: <JS source>,
// wasm: (name) => Promise<Uint8Array>, workerUrl }; the glue is then imported
// from a fresh Blob URL each time and each module compiled once.

/** @typedef {'core' | 'models' | 'import'} ModuleName */

/** File stem of each module in ../pkg. */
export const MODULES = { core: 'rnnscope', models: 'rnnscope_models', import: 'rnnscope_import' };

/** @type {Map<string, number>} */
const generation = new Map();
/** @type {Map<string, Promise<any>>} */
const current = new Map();
/** @type {Map<string, Promise<WebAssembly.Module>>} */
const compiled = new Map();

/**
 * The compiled WebAssembly.Module `name`, compiled once and shared with the
 * workers (a Module is structured-cloneable), so the page pays for one compile.
 * @param {ModuleName} [name]
 */
export function wasmSource(name = 'core') {
  const have = compiled.get(name);
  if (have) return have;
  const dist = globalThis.RNNSCOPE_DIST;
  const p = dist
    ? Promise.resolve(dist.wasm(name)).then((bytes) => WebAssembly.compile(bytes))
    : WebAssembly.compileStreaming(fetch(new URL(`../pkg/${MODULES[name]}_bg.wasm`, import.meta.url)));
  if (name === 'core') p.then(() => performance.mark('rnnscope:wasm-compiled'), () => {}); // cold-load breakdown
  // A failed fetch (e.g. offline when an on-demand module is first needed) is not cached: the next call tries again.
  p.catch(() => { if (compiled.get(name) === p) compiled.delete(name); });
  compiled.set(name, p);
  return p;
}

/** @param {ModuleName} name */
async function instantiate(name) {
  const g = (generation.get(name) ?? 0) + 1;
  generation.set(name, g);
  const dist = globalThis.RNNSCOPE_DIST;
  const url = dist
    ? URL.createObjectURL(new Blob([dist.glue[name]], { type: 'text/javascript' }))
    : new URL(`../pkg/${MODULES[name]}.js${g > 1 ? `?instance=${g}` : ''}`, import.meta.url).href;
  const mod = await import(url);
  await mod.default({ module_or_path: await wasmSource(name) });
  if (g === 1 && name === 'core') performance.mark('rnnscope:wasm-ready');
  return mod;
}

/**
 * The module `name`, loading it on first use.
 * @param {ModuleName} [name]
 */
export function wasm(name = 'core') {
  let m = current.get(name);
  if (!m) {
    const p = instantiate(name);
    p.catch(() => { if (current.get(name) === p) current.delete(name); }); // retried on the next call
    current.set(name, p);
    m = p;
  }
  return m;
}

/**
 * Count of instances of module `name` made so far (tests read it to see a recovery happened).
 * @param {ModuleName} [name]
 */
export function instanceCount(name = 'core') { return generation.get(name) ?? 0; }

/**
 * Run `fn(module)` on module `name`; a trap becomes an Error and the module
 * is re-instantiated.
 * @template T
 * @param {(mod: any) => T} fn
 * @param {ModuleName} [name]
 * @returns {Promise<T>}
 */
export async function call(fn, name = 'core') {
  const mod = await wasm(name);
  try {
    return fn(mod);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      const msg = globalThis.__rnnscopePanic || `WebAssembly trapped: ${e.message}`;
      globalThis.__rnnscopePanic = undefined;
      const fresh = instantiate(name);
      current.set(name, fresh);
      await fresh;
      throw new Error(msg);
    }
    throw e;
  }
}
