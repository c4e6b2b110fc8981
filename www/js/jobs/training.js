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

// ---- training experiments (poster) ----
// The poster's experiments as a handle kept by key: the page trains it in
// chunks (progress between them; cancel = stop asking and free), then asks
// for the JSON report.

const experiments = new Map();

function getExp(key) {
  const e = experiments.get(key);
  if (!e) throw new Error('the experiment is gone (the worker was restarted or it was cancelled); press Run experiments again');
  return e;
}

Object.assign(jobs, {
  /** cfg: {task, n, seeds, iters, batch, lr, lambda, seed, groups ('\n'-separated), noiseLevels, testTrials, kick} */
  expStart(wasm, { key, cfg }) {
    experiments.get(key)?.free();
    experiments.delete(key);
    const e = new wasm.TrainExperiment(cfg.task, cfg.n, cfg.seeds, cfg.iters, cfg.batch, cfg.lr, cfg.lambda,
      BigInt(cfg.seed), cfg.groups, new Float64Array(cfg.noiseLevels), cfg.testTrials, cfg.kick);
    experiments.set(key, e);
    return { result: { total: e.total } };
  },

  /** k more Adam steps. */
  expChunk(wasm, { key, k }, progress) {
    const e = getExp(key);
    const done = e.advance(k);
    progress(done, e.total);
    return { result: { done, total: e.total } };
  },

  /** Both experiments on the trained networks, as JSON text. */
  expReport(wasm, { key }) {
    return { result: { json: getExp(key).report() } };
  },

  expFree(wasm, { key }) {
    experiments.get(key)?.free();
    experiments.delete(key);
    return { result: { ok: true } };
  },
});
