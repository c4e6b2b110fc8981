// @ts-check
// A pool of compute workers for many independent jobs (e.g. the instances of
// a study): each worker is the same ./worker.js as the shared one (same
// protocol, same jobs, the page's compiled WebAssembly.Modules), so the pool
// works from the single-file build too, where workers are classic scripts
// from a Blob URL. Workers take the next queued task when they finish one;
// cancel() terminates them all (the only way to stop WebAssembly mid-loop).

import { wasmSource } from './wasm.js';
import { moduleOf } from './jobs/index.js';

/**
 * A job message for a worker: the job with the page's compiled module it
 * runs on (the worker instantiates it on its first job that needs it).
 * @param {number} id @param {string} job @param {any} args
 */
export async function jobMessage(id, job, args) {
  return { id, job, args, module: await wasmSource(moduleOf(job)) };
}

/**
 * Workers to use: one per logical core, leaving one core for the page on
 * machines with 4 or more (so it keeps drawing frames), at least 1, at most `cap`.
 */
export function poolSize(cap = 8) {
  const hc = Number(globalThis.navigator?.hardwareConcurrency) || 2;
  return Math.max(1, Math.min(cap, hc >= 4 ? hc - 1 : hc));
}

/** A compute worker (module worker from ./worker.js, or the single-file
 * build's classic Blob worker); its jobs carry their compiled module ([`jobMessage`]). */
export async function spawnWorker() {
  const dist = globalThis.RNNSCOPE_DIST;
  return dist
    ? new Worker(dist.workerUrl) // classic: see scripts/dist.mjs
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

export class Pool {
  /** `size`: the most workers running at once. */
  constructor(size = poolSize()) {
    this.size = Math.max(1, size | 0);
    this.workers = [];
    this.abort = null;
  }

  /**
   * Run `tasks` ([{job, args}]) on up to `size` workers. Callbacks:
   * `onStart(i)`, `onProgress(i, done, total, partial)`, `onResult(i, result)`.
   * Resolves to the results in task order; rejects with the first error (and
   * stops the rest) or with an AbortError on cancel(). Workers end with the run.
   * @param {Array<{job: string, args: any, transfer?: Transferable[]}>} tasks
   * @param {{onStart?: (i: number) => void, onProgress?: (i: number, done: number, total: number, partial?: any) => void, onResult?: (i: number, result: any) => void}} [callbacks]
   */
  run(tasks, { onStart, onProgress, onResult } = {}) {
    if (this.abort) return Promise.reject(new Error('this pool is already running'));
    const results = new Array(tasks.length);
    let next = 0;
    let left = tasks.length;
    return new Promise((resolve, reject) => {
      let over = false;
      const finish = (err) => {
        if (over) return;
        over = true;
        this.terminate();
        if (err) reject(err); else resolve(results);
      };
      this.abort = () => finish(new DOMException('cancelled', 'AbortError'));
      if (!left) { finish(); return; }
      const feed = (w) => {
        if (over) return;
        if (next >= tasks.length) return;
        const i = next++;
        onStart?.(i);
        w.onmessage = (ev) => {
          if (over) return;
          const d = ev.data;
          if (d.type === 'progress') { onProgress?.(i, d.done, d.total, d.partial); return; }
          if (d.type === 'error') { finish(new Error(`task ${i + 1}: ${d.message}`)); return; }
          results[i] = d.result;
          try { onResult?.(i, d.result); } catch (e) { finish(e); return; }
          left -= 1;
          if (!left) finish(); else feed(w);
        };
        jobMessage(i + 1, tasks[i].job, tasks[i].args).then((msg) => {
          if (!over) w.postMessage(msg, tasks[i].transfer ?? []);
        }, finish);
      };
      const n = Math.min(this.size, tasks.length);
      for (let k = 0; k < n; k++) {
        spawnWorker().then((w) => {
          if (over) { w.terminate(); return; }
          w.onerror = (ev) => { ev.preventDefault(); finish(new Error(ev.message || 'a pool worker failed to start')); };
          this.workers.push(w);
          feed(w);
        }, finish);
      }
    });
  }

  /** Stop everything now; the pending run rejects with an AbortError. */
  cancel() {
    this.abort?.();
  }

  terminate() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.abort = null;
  }

  /** Workers alive now (tests read it to check that cancel ends them). */
  get alive() {
    return this.workers.length;
  }
}
