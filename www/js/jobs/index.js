// @ts-check
// Every worker job, by name. Each panel's jobs live in their own file.
import * as connectivity from './connectivity.js';
import * as dynamics from './dynamics.js';
import * as hebbff from './hebbff.js';
import * as learning from './learning.js';
import * as modularity from './modularity.js';
import * as motifs from './motifs.js';
import * as rl from './rl.js';
import * as training from './training.js';

export const jobs = { ...connectivity.jobs, ...dynamics.jobs, ...modularity.jobs, ...motifs.jobs, ...training.jobs, ...rl.jobs, ...hebbff.jobs, ...learning.jobs };
