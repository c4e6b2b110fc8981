// Worker job for the HebbFF panel: train one instance to the end, analysing
// the held-out hidden activity at every snapshot. The whole run is one job so
// it fits a pool worker as well as the shared one; progress messages carry the
// live results (training accuracy every chunk, each snapshot as it is taken),
// and cancelling terminates the worker.

const CHUNK = 10; // epochs between progress messages

export const jobs = {
  /**
   * args: {n, m, rMin, rMax, p, data, seqLen, epochs, lr, evalEvery, testLen,
   * window, runs, seed, frames (send each snapshot's allegiance + order),
   * curve (send training accuracy), activity (return the last a(t))}.
   * Progress partials: {train: [epoch, loss, acc]*} and {snap: row(13), ms,
   * allegiance?, order?}. Result: {rows (13 per snapshot), train, ms, m,
   * order, allegiance, hist, activity?, t?}.
   */
  hebbffInstance(wasm, a, progress) {
    const run = new wasm.HebbffRun(a.n, a.m, a.rMin, a.rMax, a.p, a.data, a.seqLen, a.epochs, a.lr,
      a.evalEvery, a.testLen, a.window, a.runs, BigInt(a.seed), true);
    const t0 = performance.now();
    const rows = [];
    const train = [];
    const snapMs = [];
    let last = -1;
    try {
      const E = run.epochs;
      for (;;) {
        if (run.snapshotDue && run.epoch !== last) {
          const row = new Float64Array(run.snapshot());
          last = run.epoch;
          const ms = performance.now() - t0;
          rows.push(...row);
          snapMs.push(ms);
          const partial = { snap: row, ms };
          if (a.frames) {
            partial.allegiance = new Float64Array(run.lastAllegiance());
            partial.order = new Float64Array(run.lastOrder());
          }
          progress(run.epoch, E, partial);
        }
        if (run.finished) break;
        const st = new Float64Array(run.step(CHUNK));
        for (const v of st) train.push(v);
        progress(run.epoch, E, a.curve ? { train: st } : undefined);
      }
      const out = {
        rows: Float64Array.from(rows), train: Float64Array.from(train), snapMs: Float64Array.from(snapMs),
        ms: performance.now() - t0, m: run.hidden, order: new Float64Array(run.lastOrder()),
        allegiance: new Float64Array(run.lastAllegiance()), hist: new Float64Array(run.lastHistogram()),
      };
      if (a.activity) {
        const x = run.lastActivity();
        try { out.activity = new Float64Array(x.data()); out.t = x.rows; } finally { x.free(); }
      }
      const transfer = ['rows', 'train', 'snapMs', 'order', 'allegiance', 'hist', 'activity'].filter((k) => out[k]).map((k) => out[k].buffer);
      return { result: out, transfer };
    } finally {
      run.free();
    }
  },
};
