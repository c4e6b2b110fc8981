// @ts-check
// Worker jobs for the dynamics panel: build a network (W, its spectrum,
// effective rank, fixed points) and sweep the participation ratio of activity.

const MAX_SPECTRUM_N = 1000; // O(N³) eigen/SVD: above this the worker would take tens of seconds
const MAX_FIXED_N = 150; // Newton with many starts: O(starts · iters · N³)

/** W: the given row-major `w` (an imported or trained W, RNN convention) or the ensemble's draw. */
function build(wasm, { w, kind, n, g, a, b, seed }) {
  if (w) return new wasm.Matrix(n, n, w);
  return wasm.makeEnsemble({ kind, n, g, a, b, seed });
}

export const jobs = {
  /**
   * W (args.w: given, row-major, else drawn from the ensemble), row-major:
   * {n, data}. O(N²): the panel starts the live simulation and draws W from
   * it before the O(N³) spectrum (`dynSpectrum`).
   */
  dynNetwork(wasm, args) {
    const { n } = args;
    const w = build(wasm, args);
    try {
      const data = new Float64Array(w.data());
      return { result: { n, data }, transfer: [data.buffer] };
    } finally {
      w.free();
    }
  },

  /**
   * The same network's eigenvalues (re/im interleaved) and effective rank:
   * {eigs, effRank}; none above N = 1000 (O(N³), tens of seconds).
   */
  dynSpectrum(wasm, args, progress) {
    const { n } = args;
    if (n > MAX_SPECTRUM_N) return { result: { eigs: new Float64Array(0), effRank: NaN } };
    const w = build(wasm, args);
    try {
      progress(0, 2);
      const eigs = new Float64Array(wasm.eigenvalues(w));
      progress(1, 2);
      const effRank = wasm.effectiveRank(w);
      progress(2, 2);
      return { result: { eigs, effRank }, transfer: [eigs.buffer] };
    } finally {
      w.free();
    }
  },

  /**
   * The fixed points of the same network (the core's FixedPoint:
   * {stable, max_real, residual, hits, norm, h, eigenvalues (re/im
   * interleaved)}), Newton from 20 starts; [] above N = 150.
   */
  dynFixed(wasm, args, progress) {
    const { n, tau, phi, input, seed } = args;
    if (n > MAX_FIXED_N) return { result: [] };
    const w = build(wasm, args);
    try {
      progress(0, 1);
      const fixed = wasm.fixedPoints(w, { tau, phi, input, starts: 20, seed });
      progress(1, 1);
      return { result: fixed };
    } finally {
      w.free();
    }
  },

  /**
   * Lyapunov spectrum (Benettin/QR, the core's lyapunov_spectrum) of the
   * network just built: args {w?, kind, n, g, a, b, seed, tau, phi, k, steps,
   * burn} (w: a given row-major W, as for dynNetwork). Result: the core's LyapunovSpectrum (exponents,
   * kaplan_yorke_dimension, kaplan_yorke_lower_bound, lambda1_trace, …).
   */
  dynLyapunov(wasm, args, progress) {
    const { n, tau, phi, seed } = args;
    const k = Math.min(args.k ?? 10, n);
    const dt = Math.min(0.05, tau / 10);
    const w = build(wasm, args);
    try {
      progress(0, 1);
      const r = wasm.lyapunovSpectrum(w, { k, steps: args.steps ?? 4000, burn: args.burn ?? 1000, dt, tau, phi, seed });
      progress(1, 1);
      return { result: r };
    } finally {
      w.free();
    }
  },

  /**
   * PR, λ1 and timescales against g, α, κ or ρ with error bars over seeds:
   * the core's sweep_point per (value, seed) and summarize (wasm DynSweep),
   * as the CLI's `rnnscope sweep`. args: the core's sweep keys ({param,
   * values, seeds, kind, n, g, alpha, kappa, rho, phi, dt, burn, samples,
   * every, record, lyap_steps}). Result: the core's Sweep (rows of mean ±
   * s.e.m., samples).
   */
  dynSweep(wasm, args, progress) {
    const sw = new wasm.DynSweep(args);
    try {
      const total = sw.points;
      for (let i = 0; i < total; i++) {
        sw.point(i);
        progress(i + 1, total);
      }
      return { result: sw.summary() };
    } finally {
      sw.free();
    }
  },
};
