// @ts-check
// Worker jobs for the Learning panel: one curl-descent run (the core's
// curl::run, with its GD baseline) and a rich/lazy sweep over initial ranks
// and seeds (one core richlazy::run per rank × seed, progress after each).
// Cancelling terminates the worker (ui.js cancelAll), as for the other jobs.

/** These jobs run on the on-demand 'models' WebAssembly module (../wasm.js). */
export const wasmModule = 'models';

export const jobs = {
  /**
   * args: the core's curl keys (input_dim, teacher, student, flipped_l1,
   * flipped_l2, side, init_scale, lr, epochs, seed, …). Result: the core's
   * CurlResult keys plus `eig` (Jacobian eigenvalues, re/im interleaved).
   */
  curl(wasm, a, progress) {
    progress(0, 1);
    const r = wasm.curlRun(a);
    progress(1, 1);
    return { result: r, transfer: [r.eig.buffer] };
  },

  /**
   * args: {params (the core's richlazy keys: task, n, iters, batch, lr, …),
   * ranks (0 = task-aligned W₀), seeds, seed}. Progress partial: the finished
   * run. Result: {runs: RunResult[] in rank-major order, each with its
   * `rank`; trends: {measure: {rho, p, n}} of each measure against the
   * requested rank over all runs but the aligned one — as `rnnscope richlazy`}.
   */
  richLazy(wasm, a, progress) {
    const total = a.ranks.length * a.seeds;
    const runs = [];
    progress(0, total);
    for (const rank of a.ranks) {
      for (let s = 0; s < a.seeds; s++) {
        const r = wasm.richLazyRun(a.params, rank, BigInt(a.seed + s));
        r.rank = rank;
        runs.push(r);
        progress(runs.length, total, r);
      }
    }
    const trends = {};
    const ranked = runs.filter((r) => r.rank > 0);
    if (ranked.length >= 3 && new Set(ranked.map((r) => r.rank)).size >= 2) {
      const x = Float64Array.from(ranked, (r) => r.rank);
      for (const k of ['weight_change', 'rep_alignment', 'kernel_alignment', 'sign_similarity']) {
        trends[k] = wasm.spearmanTrend(x, Float64Array.from(ranked, (r) => r[k]));
      }
    }
    return { result: { runs, trends } };
  },
};
