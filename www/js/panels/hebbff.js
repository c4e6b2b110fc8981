// HebbFF panel — continual familiarity detection (Tyulmankov, Yang & Abbott
// 2022) and the learning-dynamics study of its hidden modules
// (shared/sources/hebbff-modularity.txt). One instance trains in a worker with
// live curves and the allegiance animation (the paper's Fig. 2C); a study
// trains many seeded instances on a pool of workers and shows the bands, the
// Simpson's paradox (Fig. 4), the learning modes and the mediation analysis.
import { plotCard, el, download } from '../ui.js';
import { call } from '../wasm.js';
import { Pool, poolSize } from '../pool.js';
import { setActivity } from '../store.js';

const COLS = ['epoch', 'accuracy', 'loss', 'lambda', 'eta', 'Q', 'n_communities', 'flexibility',
  'mean_activation', 'skewness', 'excess_kurtosis', 'mean_correlation', 'entropy'];
const W = COLS.length; // values per snapshot row (HEBB_SNAPSHOT_LEN)
const C = Object.fromEntries(COLS.map((c, i) => [c, i]));
// Metric indices of HebbffStudy (Metric::ALL in src/hebbff/study.rs).
const MET = { accuracy: 0, q: 1, communities: 2, flexibility: 3, entropy: 4 };
const MAX_POOL = 8;

/** Chance accuracy: repeats are a fraction q = P(1 − q) → q = P/(1+P) of items; answering "new" always scores 1/(1+P). */
const chance = (p) => 1 / (1 + p);

/** Column `k` of row-major snapshot rows. */
const col = (rows, k) => Float64Array.from({ length: rows.length / W }, (_, i) => rows[i * W + k]);

function csv(instances) {
  const head = ['seed', ...COLS].join(',');
  const lines = [head];
  for (const { seed, rows } of instances) {
    for (let i = 0; i < rows.length; i += W) lines.push([seed, ...Array.from(rows.subarray(i, i + W), (v) => (Number.isFinite(v) ? v : ''))].join(','));
  }
  return lines.join('\n') + '\n';
}

const asObjects = (rows) => Array.from({ length: rows.length / W }, (_, i) =>
  Object.fromEntries(COLS.map((c, k) => [c, Number.isFinite(rows[i * W + k]) ? rows[i * W + k] : null])));

/** Let the browser paint between two plots: the next animation frame (or 50 ms when frames are paused). */
const yieldFrame = () => new Promise((r) => { const t = setTimeout(r, 50); requestAnimationFrame(() => { clearTimeout(t); setTimeout(r, 0); }); });

/**
 * Wrap an async redraw so calls made while it runs collapse into one rerun
 * after it: live results can arrive faster than the plots redraw.
 */
function coalesce(f) {
  let running = null;
  let again = false;
  const go = async () => {
    do { again = false; await yieldFrame(); await f(); } while (again);
  };
  return () => {
    if (running) { again = true; return running; }
    running = go().finally(() => { running = null; });
    return running;
  };
}

// Viridis control points (as src/plot/colormap.rs), for the fast heatmap below.
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
function viridis(v) {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

/**
 * The allegiance matrix drawn as one ImageData (a few ms), for the frames of
 * the animation and of live training: the plotters chart (drawCommunityHeatmap)
 * paints one rectangle per cell on the main thread, 150–300 ms for M = 120,
 * which would stall the page at every frame. Same layout idea: rows/columns in
 * `order`, black community borders, viridis on [0, 1] with a colour bar.
 */
function fastAllegiance(canvas, m, data, order, borders, title) {
  const r = canvas.getBoundingClientRect();
  canvas.width = Math.max(50, Math.round(r.width));
  canvas.height = Math.max(50, Math.round(r.height));
  const ctx = canvas.getContext('2d');
  const [w, h] = [canvas.width, canvas.height];
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const side = Math.max(10, Math.min(w - 130, h - 80));
  const x0 = 60;
  const y0 = 40;
  const img = new ImageData(m, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const [cr, cg, cb] = viridis(data[order[i] * m + order[j]]);
      const k = 4 * (i * m + j);
      img.data[k] = cr; img.data[k + 1] = cg; img.data[k + 2] = cb; img.data[k + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(m, m);
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x0, y0, side, side);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const b of borders) {
    const t = Math.round(x0 + (b / m) * side) + 0.5;
    const u = Math.round(y0 + (b / m) * side) + 0.5;
    ctx.moveTo(t, y0); ctx.lineTo(t, y0 + side);
    ctx.moveTo(x0, u); ctx.lineTo(x0 + side, u);
  }
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, side, side);
  ctx.stroke();
  const bx = x0 + side + 24;
  for (let y = 0; y < side; y++) {
    const [cr, cg, cb] = viridis(1 - y / side);
    ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
    ctx.fillRect(bx, y0 + y, 16, 1);
  }
  ctx.fillStyle = '#000';
  ctx.font = '16px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(title, w / 2, 24);
  ctx.font = '12px sans-serif';
  ctx.fillText('node (by community)', x0 + side / 2, y0 + side + 30);
  ctx.textAlign = 'left';
  ctx.fillText('1', bx + 20, y0 + 8);
  ctx.fillText('0.5', bx + 20, y0 + side / 2 + 4);
  ctx.fillText('0', bx + 20, y0 + side);
}

const fmtS = (s) => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);

export default {
  id: 'hebbff',
  title: 'HebbFF',
  params: [
    { key: 'n', label: 'N (input size)', type: 'int', default: 100, min: 2, max: 2000, help: 'x(t) ∈ {−1, 1}^N; a(t) = (W₁ + A(t)) x(t) + b₁.' },
    { key: 'm', label: 'M (hidden units)', type: 'int', default: 120, min: 2, max: 1000, help: 'h(t) = σ(a(t)) ∈ ℝ^M; the network analysis reads a(t) on the held-out stream (T × M).' },
    { key: 'r', label: 'R (repeat interval)', type: 'int', default: 5, min: 1, max: 100, help: 'With probability P, x(t) = x(t − R) unless x(t − R) was itself a repeat; label y(t) = 1 for a repeat.' },
    { key: 'rmax', label: 'R max (0 = fixed R)', type: 'int', default: 0, min: 0, max: 100, help: 'If > R: each item’s interval is drawn uniformly from [R, R max] (a curriculum range).' },
    { key: 'p', label: 'P (repeat probability)', type: 'float', default: 0.5, min: 0.01, max: 0.99, step: 0.05, help: 'Repeats are a fraction P/(1+P) of items; chance accuracy (always “new”) is 1/(1+P) = 2/3 at P = ½.' },
    { key: 'data', label: 'training data', type: 'select', default: 'fresh', options: [
      { value: 'fresh', label: 'fresh streams (original HebbFF)' }, { value: 'fixed', label: 'fixed training set (the study)' }],
      help: 'Fresh: a new stream each epoch (one Adam step on it). Fixed: the same stream every epoch (the study: 2,500 items).' },
    { key: 'seqlen', label: 'items per epoch (0 = default)', type: 'int', default: 0, min: 0, max: 20000, help: '0: fresh 100, fixed 2,500. One Adam step (lr, clip 10) per sequence, BPTT through A(t).' },
    { key: 'epochs', label: 'epochs (0 = default)', type: 'int', default: 0, min: 0, max: 100000, help: '0: fresh 1,500, fixed 1,000.' },
    { key: 'every', label: 'snapshot every (0 = default)', type: 'int', default: 0, min: 0, max: 10000, help: 'Epochs between held-out evaluations + network analysis. 0: fresh 50, fixed 10.' },
    { key: 'lr', label: 'learning rate', type: 'float', default: 0.001, min: 0.00001, max: 0.1, step: 0.0005, help: 'Adam step size; λ and η are learned too (A ← λA + η h xᵀ, λ ∈ [0, 1]).' },
    { key: 'testlen', label: 'held-out items T', type: 'int', default: 2500, min: 20, max: 20000, help: 'Length of the held-out stream: the accuracy and the hidden activity a(t) (T × M) of each snapshot come from it.' },
    { key: 'window', label: 'window Z', type: 'int', default: 50, min: 5, max: 5000, help: 'Items per FC window: T/Z layers of Pearson FC → multilayer modularity (γ⁺ = 1.02, γ⁻ = 1, ω = 1).' },
    { key: 'runs', label: 'Louvain runs', type: 'int', default: 3, min: 1, max: 20, help: 'Multilayer Louvain runs per snapshot; Q is the best, allegiance pools all runs.' },
    { key: 'seed', label: 'seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Instance k of a study uses seed + k. Same seed → same run as `rnnscope hebbff train --seed`.' },
    { key: 'instances', label: 'study instances', type: 'int', default: 8, min: 3, max: 120, help: 'Instances trained by “Run study” on a pool of workers (one per core, at most 8).' },
    { key: 'corrwin', label: 'correlation window (snapshots)', type: 'int', default: 10, min: 3, max: 1000, help: 'Within-instance correlations use consecutive windows of this many snapshots (paper: 10 = 100 epochs).' },
    { key: 'autorun', label: 'start on load', type: 'select', default: 'none', options: [
      { value: 'none', label: 'nothing' }, { value: 'train', label: 'train one instance' }, { value: 'study', label: 'run the study' }],
      help: 'Presets use this to start the computation as soon as the page opens.' },
  ],

  mount(root, ctx) {
    let cfg = null;
    let pool = null;
    let single = null; // { seed, rows, trainSum, frames: [{epoch, allegiance}], order, ... }
    let study = null; // { instances: [{seed, rows}], cfg, analyses }
    let autoDone = false;
    let latest = null; // which finished result the exports save: 'single' | 'study'
    let doneSingle = null; // the last finished single run / study (a cancelled run does not replace them)
    let doneStudy = null;

    // ---- toolbar ----
    const bar = el('div', { class: 'plot', id: 'hebb-controls', style: 'grid-column: 1 / -1' });
    const trainBtn = el('button', { type: 'button', id: 'hebb-train' }, 'Train one instance');
    const studyBtn = el('button', { type: 'button', id: 'hebb-study' }, 'Run study');
    const cancelBtn = el('button', { type: 'button', id: 'hebb-cancel', disabled: '' }, 'Cancel');
    const jsonBtn = el('button', { type: 'button', id: 'hebb-json', disabled: '' }, 'Results JSON');
    const csvBtn = el('button', { type: 'button', id: 'hebb-csv', disabled: '' }, 'Snapshots CSV');
    jsonBtn.title = 'Download the parameters, every snapshot’s metrics and (for a study) the analyses as JSON.';
    csvBtn.title = 'Download the per-snapshot table (one row per instance and snapshot) as CSV.';
    const prog = el('progress', { id: 'hebb-progress', max: '1', value: '0', style: 'width: 12em; vertical-align: middle' });
    const status = el('span', { id: 'hebb-status', class: 'readout', style: 'margin-left: .5em' }, 'Press “Train one instance” or “Run study”.');
    const row1 = el('div', { class: 'tools', style: 'justify-content: flex-start; flex-wrap: wrap; align-items: center' });
    row1.append(trainBtn, studyBtn, cancelBtn, prog, jsonBtn, csvBtn);
    bar.append(row1, status);
    root.append(bar);

    // ---- single instance ----
    const preview = plotCard(root, { id: 'hebb-stream', title: 'Task: the input stream',
      note: 'The first 60 items of a held-out-like stream: each column is x(t) ∈ {−1, 1}^N (first 40 input units shown), the strip on top marks repeats (y = 1), i.e. items equal to the one R steps earlier. The network must answer “seen before?” for every item; answering “new” always is right 1/(1+P) of the time (chance, 2/3 at P = ½).' });
    const curve = plotCard(root, { id: 'hebb-curve', title: 'Training curve',
      note: 'Held-out accuracy at each snapshot (T fresh items never trained on) and training accuracy (mean over the epochs since the previous snapshot); the grey line is chance 1/(1+P). Defaults (fresh streams, 1,500 epochs) reach ≥ 0.97.' });
    const alleg = plotCard(root, { id: 'hebb-allegiance', title: 'Module allegiance over training',
      note: 'Allegiance P_ij = fraction of windows (and Louvain runs) in which hidden units i and j share a community, from the held-out a(t) at the chosen snapshot. Every frame uses the node order of the final snapshot’s consensus communities (black borders), so the animation is stable: watch the blocks form as the network learns (paper Fig. 2C).' });
    const slider = el('input', { type: 'range', id: 'hebb-frame', min: '0', max: '0', value: '0', step: '1', 'aria-label': 'Snapshot shown' });
    slider.style.flex = '1';
    const play = el('button', { type: 'button', id: 'hebb-play', disabled: '' }, '▶ Play');
    play.title = 'Animate the allegiance matrix over the snapshots';
    alleg.tools.prepend(slider, play);
    const metricCards = [
      ['q', 'Modularity Q', 'Q', C.Q, 'Multilayer modularity Q = (1/2μ) Σ_ijsr [(A_ijs − γ k_is k_js/2m_s) δ_sr + δ_ij C_jsr] δ(g_is, g_jr) of the windowed FC of a(t) (Mucha et al. 2010; signed, γ⁺ = 1.02, γ⁻ = 1, ω = 1). The paper: Q rises during training.'],
      ['communities', 'Number of communities', '#communities', C.n_communities, 'Distinct multilayer communities of the best Louvain run. The paper: the number falls as modules merge during training.'],
      ['flexibility', 'Flexibility', 'flexibility', C.flexibility, 'System flexibility: mean over units of the fraction of consecutive windows in which a unit changes community (Bassett et al. 2011).'],
      ['entropy', 'Activation entropy', 'entropy (nats)', C.entropy, 'Entropy of a Gaussian fitted to a(t): ½ log det(2πe Σ) over the M units (nats).'],
    ].map(([id, title, yl, k, note]) => ({ id, title, yl, k, card: plotCard(root, { id: `hebb-${id}`, title, note }) }));
    for (const mc of metricCards) mc.card.canvas.style.height = '260px';

    // ---- study ----
    const instCard = el('div', { class: 'plot', id: 'hebb-instances', style: 'grid-column: 1 / -1' });
    instCard.append(el('h2', {}, 'Study instances'));
    const instInfo = el('p', { class: 'note', id: 'hebb-instances-info' }, `“Run study” trains the instances seed, seed+1, … on a pool of up to ${poolSize(MAX_POOL)} workers (one per core of this machine), each with its own progress bar; Cancel stops them all.`);
    const instList = el('div', { id: 'hebb-instance-bars', style: 'display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: .25rem .75rem' });
    instCard.append(instInfo, instList);
    root.append(instCard);
    const bandCards = [
      ['accuracy', 'Study: accuracy', 'held-out accuracy', MET.accuracy],
      ['q', 'Study: modularity Q', 'Q', MET.q],
      ['communities', 'Study: #communities', '#communities', MET.communities],
      ['flexibility', 'Study: flexibility', 'flexibility', MET.flexibility],
      ['entropy', 'Study: entropy', 'entropy (nats)', MET.entropy],
    ].map(([id, title, yl, k]) => ({ id, title, yl, k, card: plotCard(root, { id: `hebb-band-${id}`, title,
      note: 'Mean across instances (line) ± one standard deviation (band) at each snapshot epoch (paper Fig. 3).' }) }));
    for (const b of bandCards) b.card.canvas.style.height = '260px';
    const paradox = ['q', 'communities'].map((id) => ({ id, k: MET[id], card: plotCard(root, { id: `hebb-paradox-${id}`,
      title: `The paradox: ${id === 'q' ? 'Q' : '#communities'} vs accuracy`,
      note: `Blue: correlation of ${id === 'q' ? 'Q' : '#communities'} with held-out accuracy WITHIN each instance over consecutive windows of snapshots (mean ± sd over instances, plotted at each window's first epoch). Orange: the correlation ACROSS instances at each fixed epoch. The paper (Fig. 4) finds them of opposite sign for Q — a Simpson's paradox: within a run modularity grows with accuracy, yet more modular runs are not the more accurate ones.` }) }));
    const modes = plotCard(root, { id: 'hebb-modes', title: 'Learning modes',
      note: 'Held-out accuracy of every instance, grouped by 2-means on the curves into mode I (red: a warm-up plateau near chance before learning) and mode II (blue: accuracy rises at once). Readout: members and mean plateau (epochs within 0.02 of chance).' });
    const medCard = el('div', { class: 'plot', id: 'hebb-mediation' });
    medCard.append(el('h2', {}, 'Mediation: connection strength → Q → accuracy'));
    const medTable = el('table', { id: 'hebb-mediation-table', style: 'border-collapse: collapse; font-variant-numeric: tabular-nums; width: 100%' });
    medCard.append(medTable, el('p', { class: 'note' }, 'X = mean pairwise correlation of a(t) (connection strength), M = Q, Y = held-out accuracy, over the snapshots of every instance. Mixed model Y_ij = μ + U_i + V_i X_ij + β X_ij + ε_ij with random intercept and slope per instance, fitted by the two-stage summary-statistics method: β = mean of the per-instance OLS slopes, t = β/(sd/√I), F = t² on (1, I−1) df. a: M~X, b: Y~M, c: Y~X (total), c′ and b|x: Y~X+M; indirect = a·b|x.'));
    root.append(medCard);

    for (const c of [curve, alleg, ...metricCards.map((x) => x.card)]) c.readout.textContent = 'Press “Train one instance” to fill this plot.';
    for (const c of [...bandCards.map((x) => x.card), ...paradox.map((x) => x.card), modes]) c.readout.textContent = 'Press “Run study” to fill this plot.';

    // ---- drawing ----
    const drawPreview = () => preview.draw((m, c) => {
      const f = m.drawHebbStream(c, cfg.n, cfg.r, Math.max(cfg.r, cfg.rmax), cfg.p, 60, BigInt(cfg.seed), `N = ${cfg.n}, R = ${cfg.rmax > cfg.r ? `${cfg.r}–${cfg.rmax}` : cfg.r}, P = ${cfg.p}`);
      preview.readout.textContent = `repeats in these 60 items: ${(100 * f).toFixed(0)}% (expected P/(1+P) = ${(100 * cfg.p / (1 + cfg.p)).toFixed(0)}%) · chance accuracy ${chance(cfg.p).toFixed(3)}`;
    });

    const drawCurve = async () => {
      const s = single;
      const xs = col(s.rows, C.epoch);
      if (xs.length < 2) return;
      const held = col(s.rows, C.accuracy);
      const tr = xs.map((e, i) => (i === 0 ? NaN : s.trainAcc[i]));
      const ch = xs.map(() => chance(s.cfg.p));
      const ys = Float64Array.from([...held, ...tr, ...ch]);
      await curve.draw((m, c) => m.drawLines(c, `seed ${s.seed}: held-out vs training accuracy`, 'epoch', 'accuracy',
        xs, ys,
        'held out\ntraining\nchance', new Uint32Array([0, 1, 7])));
      curve.readout.textContent = `epoch ${xs[xs.length - 1]}: held-out accuracy ${held[held.length - 1].toFixed(4)}` + (s.t95 !== null ? ` · 0.95 first at epoch ${s.t95epoch}` : '');
    };

    /** Draw snapshot k; `fast` (live training, playback) uses the ImageData renderer. */
    const drawFrame = async (k, fast = false) => {
      const s = single;
      if (!s || !s.frames.length) return;
      const f = s.frames[Math.min(k, s.frames.length - 1)];
      const ord = s.finalOrder ?? s.order;
      if (!f.allegiance.length || !ord) return;
      const m = s.m;
      const order = ord.subarray(0, m);
      const borders = ord.subarray(m);
      const title = `epoch ${f.epoch}: allegiance of ${m} hidden units`;
      if (fast) fastAllegiance(alleg.canvas, m, f.allegiance, order, borders, title);
      else await alleg.draw((mod, c) => mod.drawCommunityHeatmap(c, m, f.allegiance, order, borders, title));
      alleg.readout.textContent = `snapshot ${k + 1}/${s.frames.length} · epoch ${f.epoch} · accuracy ${f.acc.toFixed(3)} · Q ${f.q.toFixed(3)} · ${f.nc} communities${s.finalOrder ? ' · order of the final snapshot' : ' · order of the latest snapshot (final order when training ends)'}`;
      alleg.readout.dataset.frame = String(k);
      alleg.readout.dataset.epoch = String(f.epoch);
    };

    const drawMetrics = async () => {
      // Snapshot the rows: new ones can arrive while we yield between cards.
      const rows = single.rows.slice();
      const xs = col(rows, C.epoch);
      if (xs.length < 2) return;
      for (const mc of metricCards) {
        await yieldFrame();
        const ys = col(rows, mc.k);
        await mc.card.draw((m, c) => m.drawLines(c, mc.title, 'epoch', mc.yl, xs, ys, mc.title, new Uint32Array([0])));
        const fin = ys.filter(Number.isFinite);
        mc.card.readout.textContent = fin.length ? `first ${fin[0].toFixed(3)} → last ${fin[fin.length - 1].toFixed(3)}` : '';
      }
    };

    // ---- running state ----
    const setRunning = (on) => {
      trainBtn.disabled = on;
      studyBtn.disabled = on;
      cancelBtn.disabled = !on;
      status.dataset.state = on ? 'running' : status.dataset.state;
    };
    const jobArgs = (v, seed, extra) => ({
      n: v.n, m: v.m, rMin: v.r, rMax: Math.max(v.r, v.rmax), p: v.p, data: v.data, seqLen: v.seqlen, epochs: v.epochs,
      lr: v.lr, evalEvery: v.every, testLen: v.testlen, window: v.window, runs: v.runs, seed, ...extra,
    });
    const checkCfg = (v) => {
      if (v.window > v.testlen) throw new Error(`window Z (${v.window}) is longer than the held-out stream T (${v.testlen})`);
      if (Math.floor(v.testlen / v.window) < 2) throw new Error(`T / Z = ${v.testlen}/${v.window} gives fewer than 2 windows — the multilayer analysis needs at least 2`);
    };

    const trainOne = async () => {
      const v = { ...cfg };
      checkCfg(v);
      stopPlay();
      single = { seed: v.seed, cfg: v, rows: [], trainAcc: [], trainBuf: [], frames: [], order: null, finalOrder: null, m: v.m, t95: null };
      slider.max = '0';
      slider.value = '0';
      play.disabled = true;
      jsonBtn.disabled = true;
      csvBtn.disabled = true;
      setRunning(true);
      status.textContent = 'Starting the worker…';
      delete status.dataset.t95;
      const t0 = performance.now();
      pool = new Pool(1);
      let drawing = Promise.resolve();
      try {
        const [res] = await pool.run([{ job: 'hebbffInstance', args: jobArgs(v, v.seed, { frames: true, curve: true, activity: true }) }], {
          onProgress(i, done, total, partial) {
            if (!bar.isConnected) { pool?.cancel(); return; } // the panel was switched away
            const secs = (performance.now() - t0) / 1000;
            prog.value = total ? done / total : 0;
            const eta = done > 0 ? secs * (total - done) / done : NaN;
            status.dataset.epoch = String(done);
            status.dataset.seconds = secs.toFixed(2);
            if (partial?.train) for (let j = 0; j < partial.train.length; j += 3) single.trainBuf.push(partial.train[j + 2]);
            if (partial?.snap) {
              const r = partial.snap;
              single.rows.push(...r);
              const buf = single.trainBuf;
              single.trainAcc.push(buf.length ? buf.reduce((a, b) => a + b, 0) / buf.length : NaN);
              single.trainBuf = [];
              if (single.t95 === null && r[C.accuracy] >= 0.95) { single.t95 = secs; single.t95epoch = r[C.epoch]; status.dataset.t95 = secs.toFixed(2); status.dataset.t95epoch = String(r[C.epoch]); }
              status.dataset.acc = String(r[C.accuracy]);
              status.dataset.snapshots = String(single.rows.length / W);
              if (partial.allegiance?.length) {
                single.frames.push({ epoch: r[C.epoch], acc: r[C.accuracy], q: r[C.Q], nc: r[C.n_communities], allegiance: partial.allegiance });
                single.order = partial.order;
                const follow = Number(slider.value) >= Number(slider.max) - 0;
                slider.max = String(single.frames.length - 1);
                if (follow) slider.value = slider.max;
              }
              drawing = redrawSingle().catch(ctx.showError);
            }
            const acc = status.dataset.acc ? ` · held-out accuracy ${Number(status.dataset.acc).toFixed(3)}` : '';
            status.textContent = `seed ${v.seed}: epoch ${done}/${total}${acc} · ${fmtS(secs)}` + (Number.isFinite(eta) ? ` · ${fmtS(eta)} left` : '') +
              (single.t95 !== null ? ` · 0.95 reached after ${fmtS(single.t95)} (epoch ${status.dataset.t95epoch})` : '');
          },
        });
        await drawing;
        single.finalOrder = res.order;
        single.ms = res.ms;
        single.snapMs = res.snapMs;
        single.train = res.train;
        const last = single.rows.slice(-W);
        if (res.activity) {
          setActivity({ label: `HebbFF a(t), seed ${v.seed}, epoch ${last[C.epoch]}`, t: res.t, n: res.m, data: res.activity });
        }
        await drawFrame(Number(slider.value));
        play.disabled = single.frames.length < 2;
        jsonBtn.disabled = false;
        csvBtn.disabled = false;
        const secs = (performance.now() - t0) / 1000;
        status.dataset.state = 'done';
        latest = 'single';
        doneSingle = single;
        status.dataset.final = String(last[C.accuracy]);
        status.dataset.seconds = secs.toFixed(2);
        status.textContent = `seed ${v.seed} done: ${last[C.epoch]} epochs in ${fmtS(secs)} · final held-out accuracy ${last[C.accuracy].toFixed(4)} · λ = ${last[C.lambda].toFixed(3)}, η = ${last[C.eta].toFixed(3)}` +
          (single.t95 !== null ? ` · 0.95 after ${fmtS(single.t95)} (epoch ${status.dataset.t95epoch})` : ' · never reached 0.95') +
          ` · its held-out a(t) (${res.t} × ${res.m}) is available to the Modularity panel.`;
      } catch (e) {
        csvBtn.disabled = !latest;
        jsonBtn.disabled = !latest;
        if (e.name === 'AbortError') { status.dataset.state = 'cancelled'; status.textContent = `Cancelled at epoch ${status.dataset.epoch ?? 0}.`; } else { status.dataset.state = 'error'; status.textContent = e.message; ctx.showError(e); }
      } finally {
        pool = null;
        setRunning(false);
      }
    };

    // ---- study ----
    const runStudy = async () => {
      const v = { ...cfg };
      checkCfg(v);
      const I = v.instances;
      const size = Math.min(poolSize(MAX_POOL), I);
      study = { cfg: v, instances: new Array(I).fill(null), analyses: null };
      const bars = [];
      instList.replaceChildren();
      for (let i = 0; i < I; i++) {
        const p = el('progress', { max: '1', value: '0', style: 'width: 100%', id: `hebb-inst-${i}` });
        const lab = el('div', { class: 'readout', style: 'font-size: 12px' }, `seed ${v.seed + i}: queued`);
        const box = el('div');
        box.append(lab, p);
        instList.append(box);
        bars.push({ p, lab, done: 0, total: 1 });
      }
      instCard.dataset.pool = String(size);
      instCard.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
      instInfo.textContent = `${I} instances on a pool of ${size} worker${size > 1 ? 's' : ''} (navigator.hardwareConcurrency = ${navigator.hardwareConcurrency ?? '?'}; one core left for the page from 4 cores up, at most ${MAX_POOL}).`;
      jsonBtn.disabled = true;
      csvBtn.disabled = true;
      setRunning(true);
      status.dataset.studyDone = '0';
      const t0 = performance.now();
      pool = new Pool(size);
      const tasks = Array.from({ length: I }, (_, i) => ({ job: 'hebbffInstance', args: jobArgs(v, v.seed + i, { frames: false, curve: false, activity: false }) }));
      let finished = 0;
      let drawing = Promise.resolve();
      let E = 0; // epochs per instance, known from the first progress message
      const overall = () => {
        const done = bars.reduce((a, b) => a + b.done, 0);
        const secs = (performance.now() - t0) / 1000;
        const frac = E ? Math.min(1, done / (I * E)) : 0;
        prog.value = frac;
        const eta = frac > 0 ? secs * (1 - frac) / frac : NaN;
        status.textContent = `study: ${finished}/${I} instances finished · ${fmtS(secs)}` + (Number.isFinite(eta) && frac < 1 ? ` · about ${fmtS(eta)} left` : '');
      };
      try {
        await pool.run(tasks, {
          onStart(i) { bars[i].lab.textContent = `seed ${v.seed + i}: starting`; },
          onProgress(i, done, total, partial) {
            if (!bar.isConnected) { pool?.cancel(); return; } // the panel was switched away
            const b = bars[i];
            b.done = done; b.total = total; E = total;
            b.p.value = total ? done / total : 0;
            if (partial?.snap) b.acc = partial.snap[C.accuracy];
            b.lab.textContent = `seed ${v.seed + i}: epoch ${done}/${total}` + (b.acc !== undefined ? ` · acc ${b.acc.toFixed(3)}` : '');
            overall();
          },
          onResult(i, r) {
            finished += 1;
            study.instances[i] = { seed: v.seed + i, rows: r.rows, ms: r.ms };
            const last = r.rows.subarray(r.rows.length - W);
            bars[i].p.value = 1;
            bars[i].done = bars[i].total;
            bars[i].lab.textContent = `seed ${v.seed + i}: done · acc ${last[C.accuracy].toFixed(3)} · ${fmtS(r.ms / 1000)}`;
            status.dataset.studyDone = String(finished);
            overall();
            drawing = redrawStudy().catch(ctx.showError);
          },
        });
        await drawing;
        const secs = (performance.now() - t0) / 1000;
        status.dataset.state = 'study-done';
        latest = 'study';
        doneStudy = study;
        status.dataset.seconds = secs.toFixed(2);
        status.textContent = `study done: ${I} instances in ${fmtS(secs)} on ${size} worker${size > 1 ? 's' : ''}.`;
        jsonBtn.disabled = false;
        csvBtn.disabled = false;
      } catch (e) {
        for (const b of bars) if (b.p.value < 1) b.lab.textContent += ' · stopped';
        if (e.name === 'AbortError') { status.dataset.state = 'cancelled'; status.textContent = `Study cancelled: ${finished}/${I} instances finished; the plots show those.`; } else { status.dataset.state = 'error'; status.textContent = e.message; ctx.showError(e); }
        if (finished) { latest = 'study'; doneStudy = study; }
        csvBtn.disabled = !latest;
        jsonBtn.disabled = !latest;
      } finally {
        pool = null;
        setRunning(false);
      }
    };

    /** Run the study analyses on the finished instances and draw them. */
    const drawStudy = async () => {
      const inst = study.instances.filter(Boolean);
      if (!inst.length) return;
      const v = study.cfg;
      const a = await call((m) => {
        const s = new m.HebbffStudy();
        const tryf = (f) => { try { return f(); } catch (e) { return { error: e.message }; } };
        try {
          for (const x of inst) s.add(BigInt(x.seed), x.rows);
          const out = { bands: {}, within: {}, across: {} };
          for (const b of bandCards) out.bands[b.id] = tryf(() => new Float64Array(s.band(b.k)));
          for (const p of paradox) {
            out.within[p.id] = tryf(() => new Float64Array(s.withinCorrelation(p.k, v.corrwin)));
            out.across[p.id] = tryf(() => new Float64Array(s.acrossCorrelation(p.k)));
          }
          out.modes = tryf(() => new Float64Array(s.modes(chance(v.p))));
          out.mediation = tryf(() => new Float64Array(s.mediation()));
          return out;
        } finally { s.free(); }
      });
      study.analyses = a;
      const third = (arr) => { const n = arr.length / 3; return [arr.subarray(0, n), arr.subarray(n, 2 * n), arr.subarray(2 * n)]; };
      for (const b of bandCards) {
        await yieldFrame();
        const r = a.bands[b.id];
        if (r.error) { b.card.readout.textContent = r.error; continue; }
        const [xs, mean, sd] = third(r);
        await b.card.draw((m, c) => m.drawLinesBands(c, `${b.title.replace('Study: ', '')} (${inst.length} instance${inst.length > 1 ? 's' : ''})`, 'epoch', b.yl, xs, mean, sd.map((x) => (Number.isFinite(x) ? x : 0)), 'mean ± sd', new Uint32Array([0])));
        b.card.readout.textContent = `mean at first snapshot ${mean[0].toFixed(3)} → last ${mean[mean.length - 1].toFixed(3)} (sd ${sd[sd.length - 1].toFixed(3)})`;
        b.card.readout.dataset.first = String(mean[0]);
        b.card.readout.dataset.last = String(mean[mean.length - 1]);
      }
      for (const p of paradox) {
        await yieldFrame();
        const w = a.within[p.id];
        const x = a.across[p.id];
        if (x.error || w.error) { p.card.readout.textContent = `needs more data: ${x.error ?? w.error}`; continue; }
        const [xs, r] = third(x);
        const [wx, wm, wsd] = third(w);
        // Within-instance values sit at their windows' first epochs on the snapshot grid (NaN elsewhere).
        const wy = new Float64Array(xs.length).fill(NaN);
        const wb = new Float64Array(xs.length).fill(NaN);
        wx.forEach((e, j) => { const i = xs.indexOf(e); if (i >= 0) { wy[i] = wm[j]; wb[i] = Number.isFinite(wsd[j]) ? wsd[j] : 0; } });
        const zeros = new Float64Array(xs.length);
        await p.card.draw((m, c) => m.drawLinesBands(c, `correlation with accuracy (${inst.length} instances)`, 'epoch', 'Pearson r',
          xs, Float64Array.from([...wy, ...r]), Float64Array.from([...wb, ...zeros]), `within instances (windows of ${v.corrwin} snapshots)\nacross instances (fixed epoch)`, new Uint32Array([0, 1])));
        const mean = (arr) => { const f = Array.from(arr).filter(Number.isFinite); return f.length ? f.reduce((s, y) => s + y, 0) / f.length : NaN; };
        const mw = mean(wm);
        const ma = mean(r);
        p.card.readout.textContent = `mean within-instance r ${mw.toFixed(3)} · mean across-instance r ${ma.toFixed(3)}` + (Number.isFinite(mw) && Number.isFinite(ma) && Math.sign(mw) !== Math.sign(ma) ? ' — opposite signs: the paradox' : '');
        p.card.readout.dataset.within = String(mw);
        p.card.readout.dataset.across = String(ma);
      }
      await yieldFrame();
      if (!a.modes.error) {
        const n = inst.length;
        const mode = a.modes.subarray(0, n);
        const plateau = a.modes.subarray(n);
        const xs = col(inst[0].rows, C.epoch);
        const ys = Float64Array.from(inst.flatMap((x) => Array.from(col(x.rows, C.accuracy))));
        const names = inst.map((x, i) => `seed ${x.seed} (mode ${mode[i] === 1 ? 'I' : 'II'})`).join('\n');
        await modes.draw((m, c) => m.drawLines(c, 'held-out accuracy by learning mode', 'epoch', 'accuracy', xs, ys, names, Uint32Array.from(mode, (k) => (k === 1 ? 3 : 0))));
        const grp = (k) => { const idx = [...mode.keys()].filter((i) => mode[i] === k); return { n: idx.length, plateau: idx.length ? idx.reduce((s, i) => s + plateau[i], 0) / idx.length : NaN }; };
        const [g1, g2] = [grp(1), grp(2)];
        modes.readout.textContent = `mode I: ${g1.n} instance${g1.n === 1 ? '' : 's'} (mean plateau ${Number.isFinite(g1.plateau) ? g1.plateau.toFixed(0) : '–'} epochs) · mode II: ${g2.n} (mean plateau ${Number.isFinite(g2.plateau) ? g2.plateau.toFixed(0) : '–'} epochs)`;
        modes.readout.dataset.modes = JSON.stringify(Array.from(mode));
      } else modes.readout.textContent = a.modes.error;
      medTable.replaceChildren();
      if (a.mediation.error) {
        medTable.append(el('caption', { style: 'text-align: left' }, `Needs ≥ 3 instances with varying values: ${a.mediation.error}`));
      } else {
        const names = ['a (Q ~ X)', 'b (accuracy ~ Q)', 'c (accuracy ~ X, total)', 'c′ (accuracy ~ X | Q)', 'b|x (accuracy ~ Q | X)', 'indirect a·b|x'];
        const head = el('tr');
        for (const h of ['effect', 'β (fixed)', 'p']) head.append(el('th', { style: 'text-align: left; border-bottom: 1px solid #ccc' }, h));
        medTable.append(head);
        names.forEach((nm, i) => {
          const tr = el('tr');
          const beta = a.mediation[i];
          const pv = a.mediation[6 + i];
          tr.append(el('td', {}, nm), el('td', {}, Number.isFinite(beta) ? beta.toPrecision(4) : '–'), el('td', {}, Number.isFinite(pv) ? (pv < 1e-4 ? pv.toExponential(1) : pv.toFixed(4)) : '–'));
          medTable.append(tr);
        });
        medTable.dataset.values = JSON.stringify(Array.from(a.mediation, (x) => (Number.isFinite(x) ? x : null)));
      }
    };

    // Live frames of the allegiance use the fast renderer, at most every 0.5 s.
    let lastHeat = -Infinity;
    const redrawSingle = coalesce(async () => {
      await drawCurve();
      if (performance.now() - lastHeat > 500) { await yieldFrame(); await drawFrame(Number(slider.value), true); lastHeat = performance.now(); }
      await drawMetrics();
    });
    const redrawStudy = coalesce(drawStudy);

    // ---- animation ----
    let playing = 0;
    // On stop, the shown frame is redrawn as the full chart (axes, colour bar; what PNG saves).
    const stopPlay = () => {
      if (!playing) return;
      clearInterval(playing); playing = 0; play.textContent = '▶ Play';
      drawFrame(Number(slider.value)).catch(ctx.showError);
    };
    play.onclick = () => {
      if (playing) { stopPlay(); return; }
      if (Number(slider.value) >= Number(slider.max)) slider.value = '0';
      play.textContent = '❚❚ Pause';
      playing = setInterval(() => {
        const k = Number(slider.value);
        if (k >= Number(slider.max)) { stopPlay(); return; }
        slider.value = String(k + 1);
        drawFrame(k + 1, true).catch(ctx.showError);
      }, 350);
    };
    slider.oninput = () => drawFrame(Number(slider.value), true).catch(ctx.showError);
    slider.onchange = () => drawFrame(Number(slider.value)).catch(ctx.showError);

    // ---- buttons ----
    const go = (f) => () => f().catch((e) => { setRunning(false); status.dataset.state = 'error'; status.textContent = e.message; ctx.showError(e); });
    cancelBtn.onclick = () => { pool?.cancel(); stopPlay(); };
    const params = (v) => ({ n: v.n, m: v.m, r: v.r, rmax: v.rmax, p: v.p, data: v.data, seqlen: v.seqlen, epochs: v.epochs, every: v.every, lr: v.lr, testlen: v.testlen, window: v.window, runs: v.runs, seed: v.seed });
    const lastResults = () => latest;
    jsonBtn.onclick = () => {
      let out;
      if (lastResults() === 'study') {
        const inst = doneStudy.instances.filter(Boolean);
        const a = doneStudy.analyses ?? {};
        const plain = (x) => (x instanceof Float64Array ? Array.from(x, (y) => (Number.isFinite(y) ? y : null)) : x);
        const obj = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, x]) => [k, plain(x)]));
        out = { rnnscope: 'hebbff-study', params: params(doneStudy.cfg), correlationWindow: doneStudy.cfg.corrwin,
          instances: inst.map((x) => ({ seed: x.seed, seconds: x.ms / 1000, snapshots: asObjects(x.rows) })),
          analyses: { bands: obj(a.bands), within: obj(a.within), across: obj(a.across), modes: plain(a.modes), mediation: plain(a.mediation),
            layout: 'bands/within/across: [x…, mean…, sd…]; modes: [mode per instance…, plateau epochs…]; mediation: [a, b, c, c′, b|x, indirect, p-values ×6]' } };
      } else {
        out = { rnnscope: 'hebbff-run', params: params(doneSingle.cfg), seed: doneSingle.seed, seconds: doneSingle.ms / 1000,
          secondsTo95: doneSingle.t95, snapshots: asObjects(Float64Array.from(doneSingle.rows)),
          train: Array.from({ length: doneSingle.train.length / 3 }, (_, i) => ({ epoch: doneSingle.train[3 * i], loss: doneSingle.train[3 * i + 1], accuracy: doneSingle.train[3 * i + 2] })) };
      }
      download(new Blob([JSON.stringify(out, null, 1)], { type: 'application/json' }), `rnnscope-hebbff-${out.rnnscope === 'hebbff-study' ? 'study' : 'run'}.json`);
    };
    csvBtn.onclick = () => {
      const list = lastResults() === 'study' ? doneStudy.instances.filter(Boolean) : [{ seed: doneSingle.seed, rows: Float64Array.from(doneSingle.rows) }];
      download(new Blob([csv(list)], { type: 'text/csv' }), `rnnscope-hebbff-snapshots.csv`);
    };
    trainBtn.onclick = go(trainOne);
    studyBtn.onclick = go(runStudy);

    const setStudyLabel = () => { studyBtn.textContent = `Run study (${cfg.instances} instances)`; };

    return {
      async update(values) {
        cfg = values;
        setStudyLabel();
        await drawPreview();
        if (!autoDone) {
          autoDone = true;
          if (values.autorun === 'train') trainBtn.click();
          else if (values.autorun === 'study') studyBtn.click();
        }
      },
    };
  },
};
