// Main-thread WebAssembly loader. A Rust panic traps (RuntimeError); the
// panic hook has left its message in globalThis.__rnnscopePanic. `call`
// turns that into an Error with the message and loads a fresh module
// instance (a new URL → a new ES module → a new instance) so the page keeps
// working. Handles created before a panic are invalid afterwards.

let generation = 0;
let current = null;

async function instantiate() {
  generation += 1;
  const url = new URL(`../pkg/rnnscope.js${generation > 1 ? `?instance=${generation}` : ''}`, import.meta.url);
  const mod = await import(url.href);
  await mod.default({ module_or_path: new URL('../pkg/rnnscope_bg.wasm', import.meta.url) });
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
