// @ts-check
// The live simulation of the dynamics panel: a Simulation handle in the
// main thread's WebAssembly, stepped in chunks per animation frame (the
// chunk adapts so compute stays ≈ 8 ms a frame and the page never freezes),
// unit traces, a 2-D or 3-D PCA trajectory (rotate by the yaw slider or by
// dragging) and the participation ratio readout. At every PCA refit the
// recorded states are published to the store as activity (T × N) for the
// Modularity panel.
import { plotCard, el } from '../ui.js';
import { call } from '../wasm.js';
import { setActivity } from '../store.js';

const TRACES = 5; // units shown
const WINDOW = 400; // samples kept for the traces
const MIN_REST_SAMPLES = 50; // recorded states before a refit may call the activity at rest
const EVERY = 4; // Euler steps per recorded sample
const REFIT = 45; // frames between PCA refits
/** The live simulation's own parameters (spread into the Dynamics panel's table). */
export const LIVE_PARAMS = [
  { key: 'yrange', label: 'trace y-axis', type: 'select', default: 'auto', help: 'Fit the traces’ y-axis to the data, or fix it (values beyond are drawn at the edge) so decay and chaos are compared on one scale. The lesson view fixes it at ±max(1, largest |h|) when this is “fit”.', options: [
    { value: 'auto', label: 'fit to the data' }, { value: '1', label: 'fixed ±1' }, { value: '2', label: 'fixed ±2' }, { value: '5', label: 'fixed ±5' }] },
];
const SLIDERS = [
  ['g', 'g', 0, 5, 0.05], ['tau', 'τ', 0.1, 10, 0.1], ['sigma', 'noise σ', 0, 2, 0.01],
  ['input', 'input', -2, 2, 0.05], ['n', 'N', 2, 2000, 1],
];

export function liveSim(root, showError) {
  const bar = el('div', { class: 'plot', id: 'live-controls' });
  bar.append(el('h2', {}, 'Live simulation'));
  const buttons = el('div', { class: 'tools', style: 'justify-content:flex-start' });
  const play = el('button', { type: 'button', id: 'sim-play' }, 'Pause');
  const step = el('button', { type: 'button', id: 'sim-step' }, 'Step');
  const reset = el('button', { type: 'button', id: 'sim-reset' }, 'Reset');
  const status = el('span', { id: 'sim-status', class: 'readout' });
  const yWrap = el('label', { for: 'sim-yrange', style: 'font-size:12px;display:flex;align-items:center;gap:.3rem' }, 'y-axis');
  const ySel = el('select', { id: 'sim-yrange' });
  for (const o of LIVE_PARAMS[0].options) ySel.append(el('option', { value: o.value }, o.label));
  ySel.title = LIVE_PARAMS[0].help;
  // Drives the panel's own control, so the choice is in the link.
  ySel.onchange = () => {
    const ctl = /** @type {HTMLSelectElement | null} */ (document.getElementById('ctl-yrange'));
    if (ctl) { ctl.value = ySel.value; ctl.dispatchEvent(new Event('change')); }
  };
  yWrap.append(ySel);
  buttons.append(play, step, reset, yWrap, status);
  const sliders = el('div', { style: 'display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.25rem .75rem;margin-top:.4rem' });
  const sliderEls = {};
  for (const [key, label, min, max, stepv] of SLIDERS) {
    const id = `slider-${key}`;
    const wrap = el('label', { for: id, style: 'font-size:12px' }, label + ' ');
    const s = el('input', { id, type: 'range', min, max, step: stepv, style: 'width:100%' });
    const out = el('output', { for: id });
    // A slider drives the panel's own control, so the URL hash stays the one state.
    s.oninput = () => { out.textContent = s.value; };
    s.onchange = () => {
      const ctl = /** @type {HTMLInputElement | null} */ (document.getElementById(`ctl-${key}`));
      if (!ctl) return;
      ctl.value = s.value;
      ctl.dispatchEvent(new Event('change'));
    };
    wrap.append(out, s);
    sliders.append(wrap);
    sliderEls[key] = { s, out };
  }
  bar.append(buttons, sliders,
    el('p', { class: 'note' }, 'dh/dt = −h/τ + W φ(h) + I + η, Euler–Maruyama (noise σ√dt per step, dt = min(0.05, τ/10)). The simulation runs in WebAssembly on this page, stepped in small chunks every frame.'));
  root.append(bar);

  const traces = plotCard(root, { id: 'traces', title: 'Unit activity h_i(t)',
    note: `The first ${TRACES} units. With g > 1 and no noise the autonomous network fluctuates chaotically; with g < 1 activity decays unless driven by noise or input.` });
  const traj = plotCard(root, { id: 'pca', title: 'PCA trajectory',
    note: 'The recent activity projected on its first two (2-D) or three (3-D; light = older, red dot = now; drag or use the yaw slider to rotate) principal components, refitted every ~¾ s. PR = (Σλ)²/Σλ² of the eigenvalues of the covariance of the currents h (the variable plotted; the sweep’s PR is of the rates φ(h), as Clark et al. define it, and differs from this): how many dimensions the activity really uses. λ1 and the Kaplan–Yorke dimension beside it come from the Lyapunov card.' });
  const beside = el('div', { class: 'readout', id: 'readout-pca-lyapunov' });
  traj.readout.after(beside);
  traj.readout.dataset.record = 'currents';
  // 2-D/3-D toggle and yaw drive the panel's own controls (pca, yaw), so the view is in the link.
  const setCtl = (key, value) => {
    const ctl = /** @type {HTMLInputElement | null} */ (document.getElementById(`ctl-${key}`));
    if (!ctl) return;
    ctl.value = String(value);
    ctl.dispatchEvent(new Event('change'));
  };
  const view = el('button', { type: 'button', id: 'pca-view' }, '3-D');
  view.title = 'Switch the trajectory between 2 and 3 principal components';
  const yawWrap = el('label', { for: 'pca-yaw', style: 'font-size:12px;display:flex;align-items:center;gap:.3rem' }, 'yaw');
  const yawSlider = el('input', { id: 'pca-yaw', type: 'range', min: 0, max: 360, step: 1, style: 'width:110px' });
  yawWrap.append(yawSlider);
  traj.tools.prepend(view, yawWrap);
  let mode = '2d'; let yaw = 35; let yrange = 'auto';
  view.onclick = () => setCtl('pca', mode === '3d' ? '2d' : '3d');
  yawSlider.oninput = () => { yaw = Number(yawSlider.value); if (sim && !running) draw().catch(showError); };
  yawSlider.onchange = () => setCtl('yaw', yawSlider.value);
  let drag = null;
  traj.canvas.addEventListener('pointerdown', (ev) => {
    if (mode !== '3d') return;
    drag = { x: ev.clientX, yaw };
    traj.canvas.setPointerCapture(ev.pointerId);
  });
  traj.canvas.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    yaw = (((drag.yaw + (ev.clientX - drag.x) * 0.5) % 360) + 360) % 360;
    yawSlider.value = String(Math.round(yaw));
    if (sim && !running) draw().catch(showError);
  });
  traj.canvas.addEventListener('pointerup', () => { if (drag) { drag = null; setCtl('yaw', Math.round(yaw)); } });
  function syncView(values) {
    mode = values.pca ?? '2d';
    yaw = values.yaw ?? 35;
    view.textContent = mode === '3d' ? '2-D' : '3-D';
    view.setAttribute('aria-pressed', String(mode === '3d'));
    yawWrap.hidden = mode !== '3d';
    yawSlider.value = String(yaw);
    traj.canvas.style.cursor = mode === '3d' ? 'grab' : '';
  }

  let sim = null; let running = true; let raf = 0; let frames = 0; let perFrame = 4; let dt = 0.05;
  let make = null; // () => new Simulation
  let label = 'Dynamics: live simulation';
  let ts = []; let tr = Array.from({ length: TRACES }, () => []); let pcs = [];

  function clear() { ts = []; tr = Array.from({ length: TRACES }, () => []); pcs = []; frames = 0; }

  async function advance(samples) {
    const t0 = performance.now();
    const out = await call(() => sim.stepRecord({ samples, every: EVERY, traces: TRACES }));
    const ms = performance.now() - t0;
    // The core's RecordedChunk: t (samples), h (samples × traces), pc (samples × 2).
    const k = out.traces;
    for (let s = 0; s < out.t.length; s++) {
      ts.push(out.t[s]);
      for (let i = 0; i < k; i++) tr[i].push(out.h[s * k + i]);
      pcs.push(out.pc[2 * s], out.pc[2 * s + 1]);
    }
    if (ts.length > WINDOW) { const d = ts.length - WINDOW; ts.splice(0, d); tr.forEach((a) => a.splice(0, d)); }
    if (pcs.length > 480) pcs.splice(0, pcs.length - 480);
    return ms;
  }

  async function refit() {
    const pr = await call(() => sim.fitPca());
    const ev = await call(() => sim.explained());
    pcs = Array.from(await call(() => sim.historyProjection()));
    // Publish the recorded states (T × N) for other panels (Modularity).
    await call(() => {
      const x = sim.historyActivity();
      try { setActivity({ label, t: x.rows, n: x.cols, data: x.data() }); traj.readout.dataset.published = String(x.rows); } finally { x.free(); }
    });
    const total = sim.totalVariance;
    // "At rest" needs a history long enough to tell a fixed point from a slow start.
    const resting = Number.isFinite(pr) && total < 1e-10 * sim.n;
    if (resting && pcs.length / 2 < MIN_REST_SAMPLES) {
      traj.readout.textContent = `collecting samples for the PCA (${pcs.length / 2} so far)…`;
      delete traj.readout.dataset.pr;
    } else if (resting) {
      traj.readout.textContent = `activity is at rest (total variance ${total.toExponential(1)}): a stable fixed point — PR undefined`;
      traj.readout.dataset.pr = 'rest';
    } else if (Number.isFinite(pr)) {
      traj.readout.textContent = `PR (of currents h) = ${pr.toFixed(2)} of N = ${sim.n} · PC1 ${(100 * ev[0]).toFixed(1)}%, PC2 ${(100 * (ev[1] ?? 0)).toFixed(1)}% of variance`;
      traj.readout.dataset.pr = String(pr);
    }
  }

  async function draw() {
    const k = Math.min(TRACES, sim.n);
    if (ts.length >= 2) {
      const ys = Float64Array.from(tr.slice(0, k).flat());
      const names = Array.from({ length: k }, (_, i) => `unit ${i + 1}`).join('\n');
      let big = 0;
      for (const y of ys) if (Math.abs(y) > big) big = Math.abs(y);
      // Fixed: the chosen ±Y; in the lesson view "fit" still never zooms below ±1.
      const lesson = document.body.classList.contains('lesson');
      const fixed = yrange !== 'auto' ? Number(yrange) : lesson ? Math.max(1, Math.ceil(big)) : 0;
      await traces.draw((m, c) => (fixed
        ? m.drawLinesFixed(c, '', 't', 'h', Float64Array.from(ts), ys, names, new Uint32Array(0), -fixed, fixed)
        : m.drawLines(c, '', 't', 'h', Float64Array.from(ts), ys, names, new Uint32Array(0))));
      traces.readout.textContent = `largest |h_i| shown ${big < 1e-3 && big > 0 ? big.toExponential(1) : big.toFixed(3)} · y-axis ${fixed ? `fixed at ±${fixed}${big > fixed ? ' (values beyond drawn at the edge)' : ''}` : 'fitted to the data'}`;
      traces.readout.dataset.yrange = fixed ? String(fixed) : 'auto';
      traces.readout.dataset.maxAbs = String(big);
    }
    if (mode === '3d') {
      const xyz = await call(() => sim.historyProjection3d());
      if (xyz.length >= 6) {
        await traj.draw((m, c) => m.drawTrajectory3d(c, xyz, '', yaw, 25));
        traj.readout.dataset.view = '3d';
      }
    } else if (pcs.length >= 4) {
      await traj.draw((m, c) => m.drawTrajectory(c, Float64Array.from(pcs), '', 'PC1', 'PC2'));
      traj.readout.dataset.view = '2d';
    }
    status.textContent = `t = ${sim.time.toFixed(1)} · ${perFrame * EVERY} steps/frame`;
    status.dataset.t = String(sim.time);
    traces.readout.dataset.samples = String(ts.length);
  }

  async function frame() {
    raf = 0;
    if (!bar.isConnected) { sim?.free(); sim = null; return; } // panel was switched away
    if (!sim || !running) return;
    try {
      const ms = await advance(perFrame);
      // Keep compute near 8 ms per frame.
      perFrame = Math.max(1, Math.min(200, Math.round(perFrame * Math.min(2, 8 / Math.max(ms, 0.1)))));
      if (frames++ % REFIT === 5) await refit();
      await draw();
    } catch (e) {
      running = false; play.textContent = 'Play';
      showError(e);
      return;
    }
    if (running && !raf) raf = requestAnimationFrame(frame);
  }

  function setRunning(on) {
    running = on;
    play.textContent = on ? 'Pause' : 'Play';
    if (on && !raf) raf = requestAnimationFrame(frame);
  }
  play.onclick = () => setRunning(!running);
  step.onclick = async () => {
    setRunning(false);
    try { await advance(20); await refit(); await draw(); } catch (e) { showError(e); }
  };
  reset.onclick = async () => {
    if (!make) return;
    try { await start(make); } catch (e) { showError(e); }
  };

  async function start(factory) {
    make = factory;
    const next = await call(factory);
    sim?.free();
    sim = next;
    clear();
    traj.readout.textContent = 'PR (of currents h): collecting samples…';
    delete traj.readout.dataset.pr;
    if (running && !raf) raf = requestAnimationFrame(frame);
    else if (!running) { await advance(10); await draw(); }
  }

  return {
    /** New network: W (row-major data), parameters; restarts the simulation. */
    async restart(data, n, { tau, sigma, phi, input, seed }, what) {
      dt = Math.min(0.05, tau / 10);
      label = `Dynamics live simulation (${what})`;
      status.dataset.n = String(n);
      await start((m) => {
        const w = new m.Matrix(n, n, data);
        try { return new m.Simulation(w, { tau, dt, sigma, phi, input, seed }); } finally { w.free(); }
      });
    },
    /** Live changes that need no restart. */
    async tweak({ sigma, input }) {
      if (!sim) return;
      await call(() => { sim.setSigma(sigma); sim.setInput(input); });
      if (!running) await draw();
    },
    syncSliders(values) {
      syncView(values);
      yrange = values.yrange ?? 'auto';
      ySel.value = yrange;
      for (const [key, { s, out }] of Object.entries(sliderEls)) { s.value = values[key]; out.textContent = String(values[key]); }
    },
    /** Text shown under the PR readout (λ1 and D_KY from the Lyapunov card). */
    setBeside(text) { beside.textContent = text; },
    stop() { running = false; if (raf) cancelAnimationFrame(raf); raf = 0; },
  };
}
