// @ts-check
// Dynamics panel — a random network W from a chosen ensemble, its spectrum
// with the fixed points' Jacobian eigenvalues, a live simulation (traces,
// PCA trajectory, participation ratio) and a dimension sweep in the worker.
import { setCurrentW } from '../store.js';
import { plotCard, busy } from '../ui.js';
import { liveSim, LIVE_PARAMS } from './dynamics-live.js';
import { sweepCard } from './dynamics-sweep.js';
import { lyapunovCard, LYAP_AUTO_N } from './dynamics-lyapunov.js';

const NET_KEYS = ['kind', 'n', 'g', 'a', 'b', 'seed', 'tau', 'phi'];

export default {
  id: 'dynamics',
  title: 'Dynamics',
  params: [
    { key: 'kind', label: 'ensemble', type: 'select', default: 'gaussian', help: 'How W is drawn; a and b are its parameters.', options: [
      { value: 'gaussian', label: 'Gaussian N(0, g²/N)' }, { value: 'sparse', label: 'sparse Erdős–Rényi (a = p)' },
      { value: 'dale', label: "Dale's law E/I (a = E fraction, b≠0 balanced)" }, { value: 'lowrank', label: 'low rank + random (a = rank, b = strength)' },
      { value: 'powerlaw', label: 'random modes, s_k ∝ k^−α (a = α, b = overlap ρ)' }, { value: 'exponential', label: 'random modes, s_k ∝ e^−k/κ (a = κ, b = ρ)' },
      { value: 'flat', label: 'random modes, flat spectrum (b = ρ)' }] },
    { key: 'n', label: 'N (units)', type: 'int', default: 100, min: 2, max: 2000, help: 'Number of units; W is N×N. Spectrum up to N = 1000, fixed points up to N = 150.' },
    { key: 'g', label: 'gain g', type: 'float', default: 1.5, min: 0, max: 5, step: 0.05, help: 'Row variance of W is g²: Gaussian eigenvalues fill the disc |λ| ≤ g (circular law).' },
    { key: 'a', label: 'ensemble parameter a', type: 'float', default: 0.8, min: -100, max: 2000, step: 0.05, help: 'p, E fraction, rank, α or κ (see ensemble).' },
    { key: 'b', label: 'ensemble parameter b', type: 'float', default: 1, min: -100, max: 100, step: 0.05, help: 'balance flag, low-rank strength or overlap ρ ∈ [−1, 1].' },
    { key: 'tau', label: 'time constant τ', type: 'float', default: 1, min: 0.1, max: 10, step: 0.1, help: 'dh/dt = −h/τ + …' },
    { key: 'sigma', label: 'noise σ', type: 'float', default: 0, min: 0, max: 2, step: 0.01, help: 'White noise η with ⟨ηη⟩ = σ²δ(t−s); changes apply live.' },
    { key: 'input', label: 'input I', type: 'float', default: 0, min: -2, max: 2, step: 0.05, help: 'Constant input to every unit; changes apply live.' },
    { key: 'phi', label: 'nonlinearity φ', type: 'select', default: 'tanh', help: 'φ in W φ(h).', options: [
      { value: 'tanh' }, { value: 'relu' }, { value: 'sigmoid' }, { value: 'linear' }] },
    { key: 'seed', label: 'seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Same seed → same W here and in the CLI (rnnscope ensemble --seed).' },
    { key: 'sweep', label: 'sweep PR and λ1 against', type: 'select', default: 'g', help: 'What the dimension/chaos sweep varies.', options: [
      { value: 'g', label: 'gain g' }, { value: 'alpha', label: 'random-mode exponent α (power law)' },
      { value: 'kappa', label: 'random-mode decay κ (exponential)' }, { value: 'overlap', label: 'random-mode overlap ρ' }] },
    { key: 'autoSweep', label: 'run the sweep on load', type: 'bool', default: false, help: 'Start the dimension sweep as soon as the network is built (presets use this).' },
    { key: 'pca', label: 'PCA trajectory', type: 'select', default: '2d', help: 'Project the live activity on 2 or 3 principal components.', options: [
      { value: '2d', label: '2-D (PC1, PC2)' }, { value: '3d', label: '3-D (PC1, PC2, PC3)' }] },
    { key: 'yaw', label: '3-D view angle (yaw, °)', type: 'int', default: 35, min: 0, max: 360, help: 'Rotation of the 3-D trajectory about its vertical axis (PC3); drag the plot to rotate.' },
    ...LIVE_PARAMS,
  ],

  mount(root, ctx) {
    const live = liveSim(root, ctx.showError);
    const heat = plotCard(root, {
      id: 'w', title: 'Connectivity W', matrix: true,
      note: 'Entry W[i][j] is the weight from unit j to unit i. Red is excitatory, blue inhibitory, white zero.',
    });
    const spec = plotCard(root, {
      id: 'spectrum', title: 'Eigenvalues of W and at the fixed points', json: true,
      note: 'Blue: eigenvalues of W; red circle: radius g (circular law). Orange: eigenvalues of W·diag(φ′(h*)) at one fixed point h* found by Newton (the first away from the origin) (J = −I/τ + W·diag(φ′(h*)) shifted by 1/τ); h* is stable when they all lie left of the red line Re λ = 1/τ.',
    });
    const lyap = lyapunovCard(root, live);
    const sweep = sweepCard(root, () => ctx.getState().values);
    let last = null;
    return {
      async update(values) {
        live.syncSliders(values);
        const changed = !last || NET_KEYS.some((k) => last[k] !== values[k]);
        last = values;
        if (!changed) { await live.tweak(values); return; }
        const { kind, n, g, a, b, seed, tau, phi, input } = values;
        const r = await busy('Building network', 'dynNetwork', { kind, n, g, a, b, seed, tau, phi, input });
        setCurrentW(r.n, r.data, `Dynamics: ${kind}, N = ${n}, g = ${g}, seed ${seed}`);
        await live.restart(r.data, n, values);
        await heat.draw((m, canvas) => {
          const w = new m.Matrix(r.n, r.n, r.data);
          try { m.drawHeatmap(canvas, w, `W (${kind}, N = ${n}, g = ${g}, seed ${seed})`); } finally { w.free(); }
        });
        heat.readout.textContent = `${n}×${n} entries` + (Number.isFinite(r.effRank) ? ` · effective rank ${r.effRank.toFixed(1)}` : '');
        heat.readout.dataset.effRank = String(r.effRank);
        heat.setMatrix(r.n, r.n, r.data);
        await drawSpectrum(spec, r, values);
        if (n <= LYAP_AUTO_N) await lyap.run(values); else lyap.idle(values, n);
        if (values.autoSweep) await sweep.start();
      },
    };
  },
};

/** Draw the spectrum with one fixed point's Jacobian eigenvalues (see wasm `fixedPoints`). */
async function drawSpectrum(spec, r, { g, tau, n }) {
  const count = r.eigs.length / 2;
  const hl = [];
  const fps = r.fixed;
  // Highlight one point: the first away from the origin (at the origin
  // W·diag φ′ is just W for tanh), else the origin.
  let shown = fps.findIndex((f) => f.norm > 1e-9);
  if (shown < 0) shown = 0;
  if (fps.length) {
    const e = fps[shown].eigenvalues;
    // Shift J's eigenvalues by +1/τ so they share W's axes: eig(W·diag φ′).
    for (let i = 0; i < e.length; i += 2) hl.push(e[i] + 1 / tau, e[i + 1]);
  }
  if (!count) {
    spec.readout.textContent = `N = ${n}: spectrum not computed above N = 1000 (O(N³)).`;
    spec.readout.dataset.count = '0';
    return;
  }
  await spec.draw((m, canvas) => {
    m.drawSpectrumWith(canvas, r.eigs, Float64Array.from(hl), g, 1 / tau, `${count} eigenvalues`);
    const rho = m.spectralRadius(r.eigs);
    const stable = fps.filter((f) => f.stable).length;
    const fpText = n > 150 ? 'fixed points: N > 150, not searched'
      : `${fps.length} fixed point${fps.length === 1 ? '' : 's'} (${stable} stable; max ‖F‖ ${Math.max(0, ...fps.map((f) => f.residual)).toExponential(1)})` + (fps.length ? `; orange: ‖h*‖ = ${fps[shown].norm.toFixed(2)}, ${fps[shown].stable ? 'stable' : 'unstable'}` : '');
    spec.readout.textContent = `spectral radius ${rho.toFixed(4)} (g = ${g}); ${count} eigenvalues · ${fpText}`;
    spec.readout.dataset.count = String(count);
    spec.readout.dataset.radius = String(rho);
    spec.readout.dataset.fixed = String(fps.length);
    spec.readout.dataset.maxResidual = String(Math.max(0, ...fps.map((f) => f.residual)));
    spec.setJson({
      n, g, tau, spectral_radius: rho,
      eigenvalues: Array.from({ length: count }, (_, i) => [r.eigs[2 * i], r.eigs[2 * i + 1]]),
      fixed_points: fps.map((f) => ({ stable: f.stable, max_real: f.max_real, residual: f.residual, norm: f.norm })),
    });
  });
}
