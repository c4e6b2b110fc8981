// The compute worker: its own WebAssembly instance runs named jobs from
// ./jobs/index.js. The first message is {type: 'init', module} — the page's
// compiled WebAssembly.Module (without one, it fetches the .wasm next to this
// file). Then messages in: {id, job, args}; out:
// {id, type: 'progress', done, total, partial?} | {id, type: 'result', result}
// | {id, type: 'error', message, trapped}. After a Rust panic (trapped: true)
// the worker closes itself; the client starts a fresh one.
import init, * as wasm from '../pkg/rnnscope.js';
import { jobs } from './jobs/index.js';

let ready = null;

self.onmessage = async (ev) => {
  if (ev.data.type === 'init') {
    ready = init({ module_or_path: ev.data.module ?? new URL('../pkg/rnnscope_bg.wasm', import.meta.url) });
    return;
  }
  const { id, job, args } = ev.data;
  try {
    await ready;
    const run = jobs[job];
    if (!run) throw new Error(`unknown job "${job}"`);
    const progress = (done, total, partial) => self.postMessage({ id, type: 'progress', done, total, partial });
    const { result, transfer = [] } = await run(wasm, args, progress);
    self.postMessage({ id, type: 'result', result }, transfer);
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    const message = trapped ? (globalThis.__rnnscopePanic || `WebAssembly trapped: ${e.message}`) : (e && e.message) || String(e);
    self.postMessage({ id, type: 'error', message, trapped });
    if (trapped) self.close();
  }
};
