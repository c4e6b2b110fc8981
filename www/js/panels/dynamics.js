// Dynamics panel — random connectivity W and its spectrum (the circular law).
import { plotCard, busy } from '../ui.js';

export default {
  id: 'dynamics',
  title: 'Dynamics',
  params: [
    { key: 'n', label: 'N (units)', type: 'int', default: 100, min: 2, max: 500, help: 'Number of units; W is N×N.' },
    { key: 'g', label: 'gain g', type: 'float', default: 1.5, min: 0, max: 5, step: 0.05, help: 'W_ij ~ N(0, g²/N): eigenvalues fill the disc |λ| ≤ g (circular law).' },
    { key: 'seed', label: 'seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Same seed → same W here and in the CLI (rnnscope random --seed).' },
  ],

  mount(root) {
    const heat = plotCard(root, {
      id: 'w', title: 'Connectivity W',
      note: 'Entry W[i][j] is the weight from unit j to unit i. Red is excitatory, blue inhibitory, white zero.',
    });
    const spec = plotCard(root, {
      id: 'spectrum', title: 'Eigenvalues of W',
      note: 'Circular law: for large N the eigenvalues of a Gaussian W spread uniformly over the disc of radius g (red). With g > 1 some leave the unit disc and the rate network dh/dt = −h + W tanh(h) becomes chaotic.',
    });
    return {
      async update({ n, g, seed }) {
        const r = await busy('Generating W', 'randomW', { n, g, seed });
        await heat.draw((m, canvas) => {
          const w = new m.Matrix(r.n, r.n, r.data);
          try { m.drawHeatmap(canvas, w, `W (N = ${n}, g = ${g}, seed ${seed})`); } finally { w.free(); }
        });
        heat.readout.textContent = `${n}×${n} entries`;
        await spec.draw((m, canvas) => {
          m.drawSpectrum(canvas, r.eigs, g, `${r.eigs.length / 2} eigenvalues`);
          const rho = m.spectralRadius(r.eigs);
          spec.readout.textContent = `spectral radius ${rho.toFixed(4)} (g = ${g}); ${r.eigs.length / 2} eigenvalues`;
          spec.readout.dataset.count = String(r.eigs.length / 2);
          spec.readout.dataset.radius = String(rho);
        });
      },
    };
  },
};
