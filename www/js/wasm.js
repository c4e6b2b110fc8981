// @ts-check
// Main-thread WebAssembly loader. A Rust panic traps (RuntimeError); the
// panic hook has left its message in globalThis.__rnnscopePanic. `call`
// turns that into an Error with the message and loads a fresh module
// instance (a new URL → a new ES module → a new instance) so the page keeps
// working. Handles created before a panic are invalid afterwards.
//
// In the single-file build (`make dist`) the page defines
// globalThis.RNNSCOPE_DIST = { glue: <JS source>, wasm: Promise<Uint8Array> }; the glue
// is then imported from a fresh Blob URL each time and the module compiled once.

let generation = 0;
let current = null;
let compiled = null;

/**
 * The compiled WebAssembly.Module, compiled once and shared with the workers
 * (a Module is structured-cloneable), so the page pays for one compile.
 */
export function wasmSource() {
  const dist = globalThis.RNNSCOPE_DIST;
  if (compiled) return compiled;
  compiled = dist
    ? Promise.resolve(dist.wasm).then((bytes) => WebAssembly.compile(bytes))
    : WebAssembly.compileStreaming(fetch(new URL('../pkg/rnnscope_bg.wasm', import.meta.url)));
  compiled.then(() => performance.mark('rnnscope:wasm-compiled'), () => {}); // cold-load breakdown
  return compiled;
}

async function instantiate() {
  generation += 1;
  const dist = globalThis.RNNSCOPE_DIST;
  const url = dist
    ? URL.createObjectURL(new Blob([dist.glue], { type: 'text/javascript' }))
    : new URL(`../pkg/rnnscope.js${generation > 1 ? `?instance=${generation}` : ''}`, import.meta.url).href;
  const mod = await import(url);
  await mod.default({ module_or_path: await wasmSource() });
  if (generation === 1) performance.mark('rnnscope:wasm-ready');
  return mod;
}

/** The module, loading it on first use. */
export function wasm() {
  if (!current) current = instantiate();
  return current;
}

/** Count of instances made so far (tests read it to see a recovery happened). */
export function instanceCount() { return generation; }

/** Run `fn(module)`; a trap becomes an Error and the module is re-instantiated. */
export async function call(fn) {
  const mod = await wasm();
  try {
    return fn(mod);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      const msg = globalThis.__rnnscopePanic || `WebAssembly trapped: ${e.message}`;
      globalThis.__rnnscopePanic = undefined;
      current = instantiate();
      await current;
      throw new Error(msg);
    }
    throw e;
  }
}
