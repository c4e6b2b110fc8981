// @ts-check
// Runs jobs in the compute worker with progress, ETA and cancel. Cancelling
// terminates the worker (the only way to stop WebAssembly mid-loop) and a
// fresh one is started for the next job.

import { jobMessage, spawnWorker } from './pool.js';

let worker = null;
let nextId = 1;
const pending = new Map();

async function spawn() {
  const w = await spawnWorker();
  w.onmessage = (ev) => {
    const { id, type } = ev.data;
    const p = pending.get(id);
    if (!p) return;
    if (type === 'progress') { p.onProgress?.(ev.data.done, ev.data.total, ev.data.partial); return; }
    pending.delete(id);
    if (type === 'result') p.resolve(ev.data.result);
    else {
      p.reject(new Error(ev.data.message));
      if (ev.data.trapped === true) restart(); // the worker closed itself after a panic
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
  const old = worker;
  worker = null;
  old?.then((w) => w.terminate());
}

/**
 * Run `job` with `args` in the worker. `onProgress(done, total, partial)` gets
 * the job's progress reports (partial: optional live results). Rejects with an
 * AbortError on cancel.
 * @param {string} job
 * @param {any} args
 * @param {{onProgress?: (done: number, total: number, partial?: any) => void, transfer?: Transferable[]}} [opts]
 */
export async function runJob(job, args, { onProgress, transfer = [] } = {}) {
  if (!worker) worker = spawn();
  const id = nextId++;
  const msg = await jobMessage(id, job, args); // compiles the job's module on first use
  if (!worker) worker = spawn(); // cancelled meanwhile
  const w = await worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    w.postMessage(msg, transfer);
  });
}

/** Start the worker early so its start-up overlaps the page's own. */
export function prewarm() {
  if (!worker) worker = spawn();
}

/** Stop everything running now. */
export function cancelAll() {
  const err = new DOMException('cancelled', 'AbortError');
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  restart();
}
