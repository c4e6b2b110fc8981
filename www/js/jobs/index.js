// @ts-check
// Every worker job, by name. Each panel's jobs live in their own file; a file
// that runs on the on-demand 'models' WebAssembly module says so with
// `export const wasmModule = 'models'` (../wasm.js; the rest run on 'core').
import * as connectivity from './connectivity.js';
import * as dynamics from './dynamics.js';
import * as hebbff from './hebbff.js';
import * as learning from './learning.js';
import * as modularity from './modularity.js';
import * as motifs from './motifs.js';
import * as rl from './rl.js';
import * as training from './training.js';

const files = [connectivity, dynamics, modularity, motifs, training, rl, hebbff, learning];

export const jobs = Object.assign({}, ...files.map((f) => f.jobs));

/** @typedef {import('../wasm.js').ModuleName} ModuleName */
/** @type {Record<string, ModuleName>} */
const moduleByJob = Object.fromEntries(files.flatMap((f) => Object.keys(f.jobs).map((j) => [j, 'wasmModule' in f ? f.wasmModule : 'core'])));

/**
 * The WebAssembly module job `job` runs on.
 * @param {string} job
 * @returns {ModuleName}
 */
export function moduleOf(job) {
  return moduleByJob[job] ?? 'core';
}
