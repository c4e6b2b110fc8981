// Every worker job, by name. Each panel's jobs live in their own file.
import * as connectivity from './connectivity.js';
import * as modularity from './modularity.js';

export const jobs = { ...connectivity.jobs, ...modularity.jobs };
