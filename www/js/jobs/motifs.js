// @ts-check
// Worker jobs for motif analysis. The graph is built in the worker's own
// WASM instance; null samples run in chunks with progress between them.

const MAX_DRAW_N = 300;
const MAX_DRAW_EDGES = 5000;

/** Work above this many estimated seconds waits for the user's "Run anyway". */
const CONFIRM_SECONDS = 3;

function buildGraph(wasm, { source, bytes, rnn, n, density, seed, threshold }) {
  if (source === 'file') {
    if (!bytes) throw new Error('choose a matrix or edge-list file first (or set "network" to random)');
    return wasm.MotifGraph.load(bytes, { rnn, threshold: threshold ?? { mode: 'none' } });
  }
  return wasm.MotifGraph.random(n, density, BigInt(seed));
}

export const jobs = {
  /**
   * Census, weighted census, optional null-model z-scores, edges for small N.
   * A matrix is thresholded first (args.threshold: the core's Threshold).
   * Result: {n, m, counts, participation, weighted: {intensity, coherence},
   * stats: {mean, std, z, profile} | null, edges, density (the core's
   * DensityReport), estimate (CostEstimate), threshold (ThresholdReport |
   * null)}; or, when the estimate is over CONFIRM_SECONDS and
   * !args.confirmed, {needsConfirm: true, n, m, density, estimate, threshold}
   * without running.
   */
  motifAnalyse(wasm, args, progress) {
    const g = buildGraph(wasm, args);
    try {
      const n = g.n, m = g.m;
      const samples = args.nullModel === 'none' ? 0 : args.samples;
      const density = g.density();
      const estimate = g.estimate(samples);
      const threshold = g.thresholdReport();
      if (!args.confirmed && estimate.total_seconds > CONFIRM_SECONDS) {
        return { result: { needsConfirm: true, n, m, density, estimate, threshold } };
      }
      const total = 1 + samples;
      progress(0, total);
      const { counts, participation } = g.census();
      const weighted = g.weighted();
      progress(1, total);
      let stats = null;
      if (samples > 0) {
        const all = new Float64Array(13 * samples);
        const chunk = Math.max(1, Math.ceil(samples / 25));
        for (let k = 0; k < samples; k += chunk) {
          const c = Math.min(chunk, samples - k);
          all.set(g.nullSamples(args.nullModel, BigInt(args.nullSeed), k, c), 13 * k);
          progress(1 + k + c, total);
        }
        stats = wasm.motifNullStats(counts, all);
      }
      // The network drawing: small graphs only (each edge is a stroked line).
      const edges = n <= MAX_DRAW_N && m <= MAX_DRAW_EDGES ? new Uint32Array(g.edges()) : null;
      const result = { n, m, counts, participation, weighted, stats, edges, density, estimate, threshold };
      const transfer = [counts.buffer, participation.buffer, weighted.intensity.buffer, weighted.coherence.buffer];
      if (stats) transfer.push(stats.mean.buffer, stats.std.buffer, stats.z.buffer, stats.profile.buffer);
      if (edges) transfer.push(edges.buffer);
      return { result, transfer };
    } finally {
      g.free();
    }
  },
};
