// The panels, in the order of the header's switcher.
import dynamics from './dynamics.js';

export const panels = [dynamics];
