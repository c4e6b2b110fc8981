// @ts-check
// Worker job for the HebbFF panel: train one instance to the end with the
// core's run_instance (wasm `runHebbffInstance`), analysing the held-out
// hidden activity at every snapshot. The whole run is one job so it fits a
// pool worker as well as the shared one; each snapshot is a progress message
// carrying the live results, and cancelling terminates the worker.

/** These jobs run on the on-demand 'models' WebAssembly module (../wasm.js). */
export const wasmModule = 'models';

export const jobs = {
  /**
   * args: {params: {n, m, r_min, r_max, p, data, seq_len, epochs, lr,
   * eval_every, test_len, window, runs, seed} (the core's keys), frames (send
   * each snapshot's allegiance + order), activity (return the last a(t))}.
   * Progress partials: {snapshot (the core's SnapshotMetrics keys), trainMean
   * (mean training accuracy since the previous snapshot), ms, allegiance?,
   * order?, borders?}. Result: {instance (the core's InstanceResult: seed,
   * test_accuracy, lambda, eta, epochs_to_95, snapshots), train_loss,
   * train_accuracy, last ({allegiance, order, borders, hist_edges,
   * hist_counts} of the final snapshot), ms, snapMs, m, activity?, t?}.
   */
  hebbffInstance(wasm, a, progress) {
    const t0 = performance.now();
    const snapMs = [];
    let seen = 0;
    const res = wasm.runHebbffInstance(a.params, (s, trainAcc, epochs) => {
      const ms = performance.now() - t0;
      snapMs.push(ms);
      const fresh = trainAcc.subarray(seen);
      seen = trainAcc.length;
      const trainMean = fresh.length ? fresh.reduce((x, y) => x + y, 0) / fresh.length : NaN;
      const partial = { snapshot: s.snapshot, trainMean, ms };
      if (a.frames && s.allegiance) Object.assign(partial, { allegiance: s.allegiance, order: s.order, borders: s.borders });
      progress(s.snapshot.epoch, epochs, partial);
      return true;
    });
    const out = {
      instance: res.instance, train_loss: res.train_loss, train_accuracy: res.train_accuracy, last: res.last,
      ms: performance.now() - t0, snapMs: Float64Array.from(snapMs), m: res.m,
    };
    if (a.activity) { out.activity = res.activity; out.t = res.t; }
    const transfer = [out.train_loss, out.train_accuracy, out.snapMs, out.activity].filter(Boolean).map((x) => x.buffer);
    return { result: out, transfer };
  },
};
