// The compute worker: loads its own WebAssembly instance and runs named jobs
// from ./jobs/index.js. Messages in: {id, job, args}. Messages out:
// {id, type: 'progress', done, total} | {id, type: 'result', result} |
// {id, type: 'error', message}. After a Rust panic the worker closes itself;
// the client starts a fresh one.
import init, * as wasm from '../pkg/rnnscope.js';
import { jobs } from './jobs/index.js';

const ready = init({ module_or_path: new URL('../pkg/rnnscope_bg.wasm', import.meta.url) });

self.onmessage = async (ev) => {
  const { id, job, args } = ev.data;
  try {
    await ready;
    const run = jobs[job];
    if (!run) throw new Error(`unknown job "${job}"`);
    const progress = (done, total) => self.postMessage({ id, type: 'progress', done, total });
    const { result, transfer = [] } = await run(wasm, args, progress);
    self.postMessage({ id, type: 'result', result }, transfer);
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    const message = trapped ? (globalThis.__rnnscopePanic || `WebAssembly trapped: ${e.message}`) : (e && e.message) || String(e);
    self.postMessage({ id, type: 'error', message });
    if (trapped) self.close();
  }
};
