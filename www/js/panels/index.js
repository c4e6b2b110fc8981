// The panels, in the order of the header's switcher.
import dynamics from './dynamics.js';
import modularity from './modularity.js';

export const panels = [dynamics, modularity];
