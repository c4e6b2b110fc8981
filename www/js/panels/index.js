// The panels, in the order of the header's switcher.
import dynamics from './dynamics.js';
import motifs from './motifs.js';
import training from './training.js';

export const panels = [dynamics, motifs, training];
