// @ts-check
// The panels, in the order of the header's switcher.
import dynamics from './dynamics.js';
import hebbff from './hebbff.js';
import learning from './learning.js';
import modularity from './modularity.js';
import motifs from './motifs.js';
import training from './training.js';

export const panels = [motifs, dynamics, training, modularity, hebbff, learning];
