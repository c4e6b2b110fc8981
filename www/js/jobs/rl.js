// @ts-check
// Worker jobs for one reinforcement-learning run (the core's RlRun behind
// `RlTraining`), kept by key between jobs so the page advances it in chunks:
// progress between chunks, cancel = stop asking and free.

const runs = new Map();

function get(key) {
  const r = runs.get(key);
  if (!r) throw new Error('the RL run is gone (the worker was restarted or the run cancelled); press Train policy again');
  return r;
}

/** These jobs run on the on-demand 'models' WebAssembly module (../wasm.js). */
export const wasmModule = 'models';

export const jobs = {
  /** A run from the keys of `rnnscope rl`'s flags (RlParams, snake_case). */
  rlStart(wasm, { key, params }) {
    runs.get(key)?.free();
    runs.delete(key);
    const r = new wasm.RlTraining(params);
    runs.set(key, r);
    return { result: { total: r.total } };
  },

  /** k more updates; the reward curve so far and episodes to criterion (NaN: not yet). */
  rlChunk(wasm, { key, k }, progress) {
    const r = get(key);
    const done = r.advance(k);
    progress(done, r.total);
    const reward = r.reward();
    return { result: { done, total: r.total, reward, toCriterion: r.episodesToCriterion() }, transfer: [reward.buffer] };
  },

  /** The core's RlRunReport as JSON text (`rnnscope rl`'s JSON without seconds). */
  rlReport(wasm, { key }) {
    return { result: { json: get(key).report() } };
  },

  rlFree(wasm, { key }) {
    runs.get(key)?.free();
    runs.delete(key);
    return { result: { ok: true } };
  },
};
