// Every worker job, by name. Each panel's jobs live in their own file.
import * as connectivity from './connectivity.js';
import * as dynamics from './dynamics.js';

export const jobs = { ...connectivity.jobs, ...dynamics.jobs };
