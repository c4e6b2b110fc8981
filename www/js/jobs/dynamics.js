// @ts-check
// Worker jobs for the dynamics panel: build a network (W, its spectrum,
// effective rank, fixed points) and sweep the participation ratio of activity.

const MAX_SPECTRUM_N = 1000; // O(N³) eigen/SVD: above this the worker would take tens of seconds
const MAX_FIXED_N = 150; // Newton with many starts: O(starts · iters · N³)

function build(wasm, { kind, n, g, a, b, seed }) {
  return wasm.makeEnsemble(kind, n, g, a, b, BigInt(seed));
}

export const jobs = {
  /** W for the chosen ensemble, its eigenvalues, effective rank and fixed points. */
  dynNetwork(wasm, args, progress) {
    const { n, tau, phi, input, seed } = args;
    const w = build(wasm, args);
    try {
      progress(1, 4);
      const data = new Float64Array(w.data());
      let eigs = new Float64Array(0);
      let effRank = NaN;
      if (n <= MAX_SPECTRUM_N) {
        eigs = new Float64Array(wasm.eigenvalues(w));
        progress(2, 4);
        effRank = wasm.effectiveRank(w);
      }
      progress(3, 4);
      // [{stable, max_real, residual, norm, eigenvalues (re/im interleaved)}]
      const fixed = n <= MAX_FIXED_N ? wasm.fixedPoints(w, tau, phi, input, 20, BigInt(seed)) : [];
      progress(4, 4);
      return { result: { n, data, eigs, effRank, fixed }, transfer: [data.buffer, eigs.buffer] };
    } finally {
      w.free();
    }
  },

  /**
   * PR of simulated activity against g, the power-law exponent α of the
   * random-mode spectrum, or the left–right overlap ρ. Each point: a new W
   * (same seed), burn-in, then `samples` states every `every` steps.
   */
  prSweep(wasm, args, progress) {
    const { mode, values, tau, dt, sigma, phi, burn, samples, every, seed } = args;
    const pr = new Float64Array(values.length);
    const er = new Float64Array(values.length);
    values.forEach((v, i) => {
      const net = mode === 'g' ? { ...args, g: v }
        : mode === 'alpha' ? { ...args, kind: 'powerlaw', a: v }
          : { ...args, kind: 'powerlaw', b: v };
      const w = build(wasm, net);
      try {
        pr[i] = wasm.activityPr(w, tau, dt, sigma, phi, burn, samples, every, BigInt(seed));
        er[i] = args.n <= MAX_SPECTRUM_N ? wasm.effectiveRank(w) : NaN;
      } finally {
        w.free();
      }
      progress(i + 1, values.length);
    });
    const xs = Float64Array.from(values);
    return { result: { mode, xs, pr, er }, transfer: [xs.buffer, pr.buffer, er.buffer] };
  },
};
