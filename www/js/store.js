// @ts-check
// What panels share within one page session, in memory only (nothing is
// saved or sent):
// - the latest recurrent weight matrix W (RNN convention, W[i][j] = weight
//   from j to i) built by the Dynamics panel or trained by the Training
//   panel, so the Motifs panel can analyse "the current RNN";
// - activity matrices (T samples × N units) published by any panel that runs
//   a model (Dynamics' live simulation, HebbFF's hidden units, …), so the
//   Modularity panel can analyse them. One entry per label, newest first.

let current = null;

/** Remember W (row-major Float64Array, n × n) and where it came from. */
export function setCurrentW(n, data, source) {
  current = { n, data: Float64Array.from(data), source };
}

/** The latest W, or null. */
export function currentW() {
  return current;
}

const MAX_ACTIVITIES = 8;
let activities = [];
const listeners = new Set();

/**
 * Publish an activity matrix: `label` names its source (publishing the same
 * label again replaces that entry), `t` rows (samples) × `n` columns (units),
 * `data` row-major (copied). Listeners are told.
 */
export function setActivity({ label, t, n, data }) {
  if (!label || !(t >= 2) || !(n >= 1) || data.length !== t * n) {
    throw new Error(`setActivity: need a label and ${t} × ${n} = ${t * n} numbers, got ${data?.length}`);
  }
  const entry = { label, t, n, data: Float64Array.from(data), at: Date.now() };
  activities = [entry, ...activities.filter((a) => a.label !== label)].slice(0, MAX_ACTIVITIES);
  for (const f of listeners) f(entry);
}

/** All published activities, newest first. */
export function listActivities() {
  return activities.slice();
}

/** The newest activity, or null. */
export function latestActivity() {
  return activities[0] ?? null;
}

/** Call `fn(entry)` on every publish; returns an unsubscribe function. */
export function onActivity(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
