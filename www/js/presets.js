// Presets: one click each, every one reproducing a figure or claim from the
// sources, with a caption saying what to look for. A preset is just a link
// state (panel + values); values a panel does not know fall back to defaults.

export const presets = [
  {
    id: 'circular-law',
    title: 'Circular law (Dynamics)',
    panel: 'dynamics',
    values: { n: 400, g: 1.5, seed: 1 },
    caption: 'N = 400, g = 1.5: the eigenvalues of W fill the disc of radius g almost uniformly; the spectral radius readout is within a few percent of g.',
  },
  {
    id: 'edge-of-chaos',
    title: 'Edge of chaos, g = 1 (Dynamics)',
    panel: 'dynamics',
    values: { n: 300, g: 1.0, seed: 2 },
    caption: 'At g = 1 the disc of eigenvalues touches Re λ = 1: for the rate network dh/dt = −h + W tanh(h) this is where the quiet state loses stability and chaos begins (Sompolinsky et al. 1988). Raise g above 1 to cross over.',
  },
];

/** Build the header's preset picker; `apply(preset)` switches state. */
export function presetPicker(panels, apply) {
  const known = new Set(panels.map((p) => p.id));
  const select = document.createElement('select');
  select.id = 'presets';
  select.setAttribute('aria-label', 'Presets that reproduce figures from the papers');
  select.append(new Option('Presets…', ''));
  for (const p of presets.filter((q) => known.has(q.panel))) select.append(new Option(p.title, p.id));
  select.onchange = () => {
    const p = presets.find((q) => q.id === select.value);
    select.value = '';
    if (p) apply(p);
  };
  return select;
}
