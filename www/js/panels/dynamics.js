// @ts-check
// Dynamics panel — a network W (drawn from a chosen ensemble, imported from
// a file, or the current RNN W of another panel), its spectrum with the
// fixed points' Jacobian eigenvalues, a live simulation (traces, PCA
// trajectory, participation ratio) and a dimension sweep in the worker.
import { setCurrentW, currentW } from '../store.js';
import { plotCard, busy, el } from '../ui.js';
import { call } from '../wasm.js';
import { prepareImport } from '../import.js';
import { liveSim, LIVE_PARAMS } from './dynamics-live.js';
import { sweepCard } from './dynamics-sweep.js';
import { lyapunovCard, LYAP_AUTO_N } from './dynamics-lyapunov.js';

const NET_KEYS = ['source', 'kind', 'n', 'g', 'a', 'b', 'seed', 'tau', 'phi'];

export default {
  id: 'dynamics',
  title: 'Dynamics',
  params: [
    { key: 'source', label: 'network W', type: 'select', default: 'ensemble', help: 'A random W from the ensemble below, the W file imported here (drop or open a CSV/NPY/NPZ/safetensors/MAT file), or the current RNN W (the last one imported in any panel or trained in Training).', options: [
      { value: 'ensemble', label: 'random ensemble' }, { value: 'file', label: 'imported file' }, { value: 'rnn', label: 'current RNN W (any panel)' }] },
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
    /** The imported W in the RNN convention (W[i][j] = j → i): {n, data, name}. */
    let fileW = null;
    const file = el('input', { type: 'file', id: 'dyn-file', accept: '.csv,.npy,.npz,.safetensors,.mat,.txt' });
    const fileWrap = el('div', { class: 'ctl' });
    fileWrap.append(el('label', { for: 'dyn-file' }, 'W file (N × N)'), file);
    ctx.controls.append(fileWrap);
    const setSource = (v) => {
      const sel = /** @type {HTMLSelectElement} */ (document.getElementById('ctl-source'));
      sel.value = v;
      sel.dispatchEvent(new Event('change'));
    };
    /** Take a square matrix; `opts.rnn === false`: networkx/BCT orientation (A[i][j] = i → j), transposed to W. */
    async function takeFile(name, bytes, opts = {}) {
      const w = await call((m) => {
        const x = m.Matrix.fromBytes(bytes);
        try {
          if (x.rows !== x.cols) throw new Error(`a connectivity matrix must be square (N × N); this one is ${x.rows} × ${x.cols}`);
          const rnn = opts.rnn !== false;
          const t = rnn ? x : x.transpose();
          try { return { n: t.rows, data: new Float64Array(t.data()), npy: t.toNpy(), rnn }; } finally { if (t !== x) t.free(); }
        } finally { x.free(); }
      });
      fileW = { ...w, name, version: (fileW?.version ?? 0) + 1 };
      setCurrentW(w.n, w.data, `${name} (imported${w.rnn ? '' : ', transposed from i → j'})`);
      last = null; // rebuild even when the source was already the file
      setSource('file');
    }
    file.addEventListener('change', async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        const p = await prepareImport(f.name, new Uint8Array(await f.arrayBuffer()), 'Dynamics');
        if (p) await takeFile(p.label, p.bytes, p.opts);
      } catch (e) { ctx.showError(new Error(`${f.name}: ${e instanceof Error ? e.message : String(e)}`)); }
      file.value = '';
    });

    const live = liveSim(root, ctx.showError);
    const heat = plotCard(root, {
      id: 'w', title: 'Connectivity W', matrix: true,
      note: 'Entry W[i][j] is the weight from unit j to unit i. Red is excitatory, blue inhibitory, white zero.',
    });
    const spec = plotCard(root, {
      id: 'spectrum', title: 'Eigenvalues of W and at the fixed points', json: true,
      note: 'Blue: eigenvalues of W; red circle: radius g (circular law; for an imported W, the radius √(Σ W_ij²/N) a random matrix with the same entry variance would fill). Orange: eigenvalues of W·diag(φ′(h*)) at one fixed point h* found by Newton (the first away from the origin) (J = −I/τ + W·diag(φ′(h*)) shifted by 1/τ); h* is stable when they all lie left of the red line Re λ = 1/τ.',
    });
    const lyap = lyapunovCard(root, live);
    const sweep = sweepCard(root, () => ctx.getState().values);
    let last = null;
    /** The W to analyse: {w (row-major or undefined for the ensemble), n, what}. */
    function network(values) {
      if (values.source === 'ensemble') {
        const { kind, n, g, seed } = values;
        return { w: undefined, n, what: `${kind}, N = ${n}, g = ${g}, seed ${seed}` };
      }
      const cur = values.source === 'file' ? fileW : currentW();
      if (!cur) {
        throw new Error(values.source === 'file'
          ? 'No W file yet: drop or open an N × N matrix (CSV, NPY, NPZ, safetensors, MAT), or choose another network.'
          : 'No current RNN W yet: import a W in any panel or train one in the Training panel.');
      }
      return { w: cur.data, n: cur.n, what: `${cur.name ?? cur.source}, N = ${cur.n}` };
    }
    return {
      /** The imported W (NPY, RNN convention) for "Save state with data" while the source is the file. */
      exportData() {
        return fileW && ctx.getState().values.source === 'file' ? { name: fileW.name, bytes: fileW.npy } : null;
      },
      /** A W file from the shell (drop / Open file… / a saved state); `opts.rnn` as the import dialog answered (default RNN). */
      async importFile(name, bytes, opts = {}) { await takeFile(name, bytes, opts); },
      async update(values) {
        live.syncSliders(values);
        const changed = !last || NET_KEYS.some((k) => last[k] !== values[k]);
        last = values;
        if (!changed) { await live.tweak(values); return; }
        const net = network(values);
        const { kind, g, a, b, seed, tau, phi, input } = values;
        const n = net.n;
        const job = { w: net.w, kind, n, g, a, b, seed, tau, phi, input };
        const r0 = await busy('Building network', 'dynNetwork', job);
        if (values.source === 'ensemble') setCurrentW(r0.n, r0.data, `Dynamics: ${net.what}`);
        // Circle: g for an ensemble; for a given W the circular-law radius of its entry variance.
        // (scaled by the largest |entry| so entries near 1e308 do not overflow the sum of squares)
        const big = net.w ? r0.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0) : 0;
        const radius = net.w ? (big > 0 ? big * Math.sqrt(r0.data.reduce((s, x) => s + (x / big) ** 2, 0) / n) : 0) : g;
        // The live simulation and W first (O(N²)); the spectrum (O(N³),
        // seconds at N = 1000) follows in the worker while the network runs.
        await live.restart(r0.data, n, values, net.what);
        await heat.draw((m, canvas) => {
          const w = new m.Matrix(r0.n, r0.n, r0.data);
          try { m.drawHeatmap(canvas, w, `W (${net.what})`); } finally { w.free(); }
        });
        // The readout's effective rank (NaN until the spectrum job has it, so
        // the previous network's never shows beside this W).
        const showRank = (/** @type {number} */ effRank) => {
          heat.readout.textContent = `${n}×${n} entries` + (Number.isFinite(effRank) ? ` · effective rank ${effRank.toFixed(1)}` : '');
          heat.readout.dataset.effRank = String(effRank);
        };
        showRank(NaN);
        heat.setMatrix(r0.n, r0.n, r0.data);
        spec.readout.textContent = `N = ${n}: computing the spectrum…`;
        const r = { ...r0, ...await busy('Computing the spectrum', 'dynSpectrum', job) };
        showRank(r.effRank);
        // W and its spectrum first; the fixed points (the slow part) are added when found.
        const opts = { tau, n, radius, given: !!net.w };
        await drawSpectrum(spec, r, [], { ...opts, searching: n <= 150 });
        const fixed = n <= 150 ? await busy('Finding fixed points', 'dynFixed', job) : [];
        await drawSpectrum(spec, r, fixed, opts);
        const lv = { ...values, n, w: net.w, what: net.what };
        if (n <= LYAP_AUTO_N) await lyap.run(lv); else lyap.idle(lv, n);
        if (values.autoSweep && !net.w) await sweep.start();
      },
    };
  },
};

/** Draw the spectrum with one fixed point's Jacobian eigenvalues (see wasm `fixedPoints`). */
async function drawSpectrum(spec, r, fps, { tau, n, radius, given, searching = false }) {
  const g = radius;
  const count = r.eigs.length / 2;
  const hl = [];
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
    const fpText = searching ? 'fixed points: searching…' : n > 150 ? 'fixed points: N > 150, not searched'
      : `${fps.length} fixed point${fps.length === 1 ? '' : 's'} (${stable} stable; max ‖F‖ ${Math.max(0, ...fps.map((f) => f.residual)).toExponential(1)})` + (fps.length ? `; orange: ‖h*‖ = ${fps[shown].norm.toFixed(2)}, ${fps[shown].stable ? 'stable' : 'unstable'}` : '');
    const circle = given ? `circle √(ΣW²/N) = ${g.toFixed(4)}` : `g = ${g}`;
    spec.readout.textContent = `spectral radius ${rho.toFixed(4)} (${circle}); ${count} eigenvalues · ${fpText}`;
    spec.readout.dataset.count = String(count);
    spec.readout.dataset.radius = String(rho);
    if (searching) {
      delete spec.readout.dataset.fixed;
      delete spec.readout.dataset.maxResidual;
    } else {
      spec.readout.dataset.fixed = String(fps.length);
      spec.readout.dataset.maxResidual = String(Math.max(0, ...fps.map((f) => f.residual)));
    }
    spec.setJson({
      n, g: given ? null : g, circle_radius: g, tau, spectral_radius: rho,
      eigenvalues: Array.from({ length: count }, (_, i) => [r.eigs[2 * i], r.eigs[2 * i + 1]]),
      fixed_points: fps.map((f) => ({ stable: f.stable, max_real: f.max_real, residual: f.residual, norm: f.norm })),
    });
  });
}
