// What panels share within one page session: the latest recurrent weight
// matrix W (RNN convention, W[i][j] = weight from j to i) built by the
// Dynamics panel or trained by the Training panel, so the Motifs panel can
// analyse "the current RNN". In memory only; nothing is saved or sent.

let current = null;

/** Remember W (row-major Float64Array, n × n) and where it came from. */
export function setCurrentW(n, data, source) {
  current = { n, data: Float64Array.from(data), source };
}

/** The latest W, or null. */
export function currentW() {
  return current;
}
