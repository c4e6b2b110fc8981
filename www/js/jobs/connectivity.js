// @ts-check
// Worker jobs for random connectivity. Each job: (wasm, args, progress) →
// { result, transfer } with typed arrays in result.

export const jobs = {
  /** Gaussian W and its eigenvalues. */
  randomW(wasm, { n, g, seed }, progress) {
    const w = wasm.randomGaussian(n, g, BigInt(seed));
    try {
      progress(1, 2);
      const data = new Float64Array(w.data());
      const eigs = new Float64Array(wasm.eigenvalues(w));
      progress(2, 2);
      return { result: { n, data, eigs }, transfer: [data.buffer, eigs.buffer] };
    } finally {
      w.free();
    }
  },
};
