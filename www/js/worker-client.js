// Runs jobs in the compute worker with progress, ETA and cancel. Cancelling
// terminates the worker (the only way to stop WebAssembly mid-loop) and a
// fresh one is started for the next job.

let worker = null;
let nextId = 1;
const pending = new Map();

function spawn() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (ev) => {
    const { id, type } = ev.data;
    const p = pending.get(id);
    if (!p) return;
    if (type === 'progress') { p.onProgress?.(ev.data.done, ev.data.total); return; }
    pending.delete(id);
    if (type === 'result') p.resolve(ev.data.result);
    else {
      p.reject(new Error(ev.data.message));
      if (/internal error|trapped/.test(ev.data.message)) restart();
    }
  };
  w.onerror = (ev) => {
    ev.preventDefault();
    const msg = ev.message || 'the compute worker failed to start';
    for (const p of pending.values()) p.reject(new Error(msg));
    pending.clear();
    restart();
  };
  return w;
}

function restart() {
  worker?.terminate();
  worker = null;
}

/** Run `job` with `args`; `onProgress(done, total)`; reject with AbortError on cancel. */
export function runJob(job, args, { onProgress, transfer = [] } = {}) {
  if (!worker) worker = spawn();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, job, args }, transfer);
  });
}

/** Stop everything running now. */
export function cancelAll() {
  const err = new DOMException('cancelled', 'AbortError');
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  restart();
}
