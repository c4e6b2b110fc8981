// @ts-check
// Worker jobs for training. The run lives in this worker between jobs (a
// `Training` handle kept by key), so the page advances it in short chunks:
// each chunk is a progress message with the latest loss/accuracy, pausing is
// simply not asking for the next chunk, and the page never blocks.

const runs = new Map();

function get(key) {
  const r = runs.get(key);
  if (!r) throw new Error('the training run is gone (the worker was restarted or the run cancelled); press Start again');
  return r;
}

/** These jobs run on the on-demand 'models' WebAssembly module (../wasm.js). */
export const wasmModule = 'models';

export const jobs = {
  /**
   * Create a run from one params object with the core's `TrainParams` keys
   * (snake_case, as `rnnscope train`'s flags): {task, n, batch, lr, iters,
   * input_noise, truncate, seed, lambda, motif_reg, stop_at_accuracy,
   * eval_every, eval_trials, eval_seed}. Returns the validated params.
   */
  trainStart(wasm, { key, params }) {
    runs.get(key)?.free();
    runs.delete(key);
    const t = new wasm.Training(params);
    runs.set(key, t);
    return { result: { ok: true, params: t.params(), levels: Array.from(t.levelCounts()) } };
  },

  /**
   * k iterations, then a held-out evaluation with the run's eval_trials and
   * eval_seed. Result: {steps: {iter, loss, accuracy, penalty, grad_norm}
   * (Float64Array(k) each), ms, evalLoss, evalAcc, reached (stop rule met), levels}.
   */
  trainChunk(wasm, { key, k }, progress) {
    const t = get(key);
    const t0 = performance.now();
    const steps = t.step(k);
    const ms = performance.now() - t0;
    const p = t.params();
    const ev = t.evaluate(p.eval_trials, BigInt(p.eval_seed));
    const levels = Array.from(t.levelCounts());
    progress(1, 1);
    return { result: { steps, ms, evalLoss: ev.loss, evalAcc: ev.accuracy, reached: t.reached(ev.accuracy), levels } };
  },

  /** One held-out trial (see Training.example) and W. */
  trainExample(wasm, { key, seed }) {
    const t = get(key);
    const ex = t.example(BigInt(seed));
    const w = t.weights();
    try {
      const wdata = new Float64Array(w.data());
      return { result: { ex, w: wdata, n: w.rows }, transfer: [wdata.buffer] };
    } finally { w.free(); }
  },

  /** Drop a run. */
  trainFree(wasm, { key }) {
    runs.get(key)?.free();
    runs.delete(key);
    return { result: { ok: true } };
  },
};

// ---- group experiments (poster) ----
// The poster's group comparisons as a handle kept by key: the page trains it
// in chunks (progress between them; cancel = stop asking and free), then asks
// for the core's report (the CLI's report.json, as JSON text).

const experiments = new Map();

function getExp(key) {
  const e = experiments.get(key);
  if (!e) throw new Error('the experiment is gone (the worker was restarted or it was cancelled); press Run experiments again');
  return e;
}

function dropExp(key) {
  experiments.get(key)?.handle.free();
  experiments.delete(key);
}

Object.assign(jobs, {
  /**
   * kind: 'noise' | 'perturb' | 'both' (params: the keys of the report's
   * `params`, ExperimentParams) or 'rl' (RlExperimentParams).
   */
  expStart(wasm, { key, kind, params }) {
    dropExp(key);
    const handle = kind === 'rl' ? new wasm.RlGroupExperiment(params) : wasm.TrainExperiment.fromParams(params);
    experiments.set(key, { handle, kind });
    return { result: { total: handle.total } };
  },

  /** k more Adam steps / updates. */
  expChunk(wasm, { key, k }, progress) {
    const { handle } = getExp(key);
    const done = handle.advance(k);
    progress(done, handle.total);
    return { result: { done, total: handle.total } };
  },

  /** The core's report as JSON text (the experiments of the handle's kind). */
  expReport(wasm, { key }) {
    const { handle, kind } = getExp(key);
    const json = kind === 'rl' ? handle.report() : handle.reportOf(kind !== 'perturb', kind !== 'noise');
    return { result: { json } };
  },

  expFree(wasm, { key }) {
    dropExp(key);
    return { result: { ok: true } };
  },
});
