// @ts-check
// The participation-ratio sweep card: PR of simulated activity against g,
// or against the random-mode spectrum exponent α or the left–right overlap ρ,
// run in the worker with progress (Cancel in the header stops it).
import { plotCard, busy, el } from '../ui.js';

const GRIDS = {
  g: { values: [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3], label: 'gain g' },
  alpha: { values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2], label: 'power-law exponent α of s_k ∝ k^(−α)' },
  overlap: { values: [-0.9, -0.6, -0.3, 0, 0.3, 0.6, 0.9], label: 'left–right overlap ρ = u_kᵀv_k' },
};

export function sweepCard(root, getValues) {
  const card = plotCard(root, { id: 'sweep', title: 'Dimension sweep',
    note: 'Each point: a fresh W (same seed), 1,000 burn-in steps, then 400 states every 4 steps (dt = 0.05); PR of their covariance. Noise σ is the panel’s, or 0.1 when that is 0 (without noise a stable network comes to rest and PR is undefined). Orange: effective rank of W, (Σs²)²/Σs⁴. Clark et al. predict that the dimension of activity depends on the couplings only through g and the effective rank. For α and ρ the ensemble is the random-mode model with the panel\'s g and the other parameter from b (ρ) or a (α).' });
  const run = el('button', { type: 'button', id: 'sweep-run' }, 'Run sweep');
  card.tools.prepend(run);
  run.onclick = async () => {
    const v = getValues();
    const grid = GRIDS[v.sweep];
    const args = {
      mode: v.sweep, values: grid.values, kind: v.kind, n: Math.min(v.n, 300), g: v.g, a: v.a, b: v.b, seed: v.seed,
      tau: v.tau, dt: Math.min(0.05, v.tau / 10), sigma: v.sigma > 0 ? v.sigma : 0.1, phi: v.phi, burn: 1000, samples: 400, every: 4,
    };
    if (v.sweep === 'alpha' && !(Math.abs(args.b) <= 1)) args.b = 0;
    if (v.sweep === 'overlap' && !(args.a >= 0 && args.a <= 10)) args.a = 1;
    run.disabled = true;
    try {
      const r = await busy(`PR sweep over ${v.sweep}`, 'prSweep', args);
      card.canvas.hidden = false;
      await card.draw((m, c) => m.drawLines(c, `N = ${args.n}, σ = ${args.sigma}, φ = ${args.phi}`, grid.label, 'dimension',
        r.xs, Float64Array.from([...r.pr, ...r.er]), 'PR of activity\neffective rank of W', new Uint32Array(0)));
      card.readout.textContent = Array.from(r.xs, (x, i) => `${x}: ${r.pr[i].toFixed(2)}`).join(' · ');
      card.readout.dataset.points = String(r.xs.length);
      card.readout.dataset.pr = JSON.stringify(Array.from(r.pr));
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    } finally {
      run.disabled = false;
    }
  };
  card.readout.textContent = 'Press “Run sweep” (N is capped at 300 for the sweep).';
  card.canvas.hidden = true; // no empty box before the first run
  /** Run the sweep now (the `autoSweep` setting, used by presets). */
  card.start = () => run.onclick(new PointerEvent('click'));
  return card;
}
