// @ts-check
// The HebbFF panel's study view: many seeded instances train on a pool of
// workers; the core's study summary (wasm `HebbffStudy.summary`, the CLI's
// `summary`) gives the bands, the Simpson's paradox (Fig. 4), the learning
// modes and the mediation analysis. Its cards stay hidden until a study has
// results to draw.
import { plotCard, el } from '../ui.js';
import { call } from '../wasm.js';
import { Pool, poolSize } from '../pool.js';
import { chance, coalesce, column, fmtS, runParams, show, yieldFrame } from './hebbff-common.js';

const MAX_POOL = 8;
const BANDS = [
  ['accuracy', 'Study: accuracy', 'held-out accuracy', 'accuracy'],
  ['q', 'Study: modularity Q', 'Q', 'q'],
  ['communities', 'Study: #communities', '#communities', 'n_communities'],
  ['flexibility', 'Study: flexibility', 'flexibility', 'flexibility'],
  ['entropy', 'Study: entropy', 'entropy (nats)', 'entropy'],
];
const EFFECTS = [['a', 'a (Q ~ X)'], ['b', 'b (accuracy ~ Q)'], ['c', 'c (accuracy ~ X, total)'], ['c_prime', 'c′ (accuracy ~ X | Q)'], ['b_given_x', 'b|x (accuracy ~ Q | X)']];

/** Band arrays (JSON null → NaN) as Float64Arrays. */
const f64 = (/** @type {Array<number|null>} */ a) => Float64Array.from(a, (x) => (x === null || x === undefined ? NaN : x));

/**
 * Mount the study view under `root`.
 * @param {HTMLElement} root
 * @param {{showError: (e: unknown) => void}} ctx
 */
export function createStudyView(root, ctx) {
  const instCard = el('div', { class: 'plot', id: 'hebb-instances', style: 'grid-column: 1 / -1' });
  instCard.append(el('h2', {}, 'Study instances'));
  const instInfo = el('p', { class: 'note', id: 'hebb-instances-info' }, '');
  const instList = el('div', { id: 'hebb-instance-bars', style: 'display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: .25rem .75rem' });
  // The summary's warnings (e.g. snapshots with no community structure beyond
  // the inter-layer coupling) as a visible notice, so the bands are not read as modules.
  const warn = el('p', { class: 'warning', id: 'hebb-study-warnings', role: 'status', style: 'margin:.25rem 0;padding:.3rem .5rem;border-left:4px solid #b35c00;background:#fff3e0;color:#5a2e00;font-size:13px' });
  warn.hidden = true;
  instCard.append(warn, instInfo, instList);
  root.append(instCard);
  const bandCards = BANDS.map(([id, title, yl, key]) => ({ id, title, yl, key, card: plotCard(root, { id: `hebb-band-${id}`, title,
    note: 'Mean across instances (line) ± one standard deviation (band) at each snapshot epoch (paper Fig. 3).' }) }));
  for (const b of bandCards) b.card.canvas.style.height = '260px';
  const nullCard = plotCard(root, { id: 'hebb-band-null', title: 'Study: Q against the null model',
    note: 'z of each snapshot’s Q against its null networks (Bassett et al. 2011: z = (Q − mean Q_null)/sd Q_null), mean ± sd over instances, at the snapshots where the null ran; the grey line is z = 1.96. The readout and table give the fraction of instances whose Q beat the null at p ≤ 0.05 (empirical p = (1 + #null ≥ Q)/(1 + K)).' });
  nullCard.canvas.style.height = '260px';
  const paradox = [['q', 'q'], ['communities', 'n_communities']].map(([id, key]) => ({ id, key, card: plotCard(root, { id: `hebb-paradox-${id}`,
    title: `The paradox: ${id === 'q' ? 'Q' : '#communities'} vs accuracy`,
    note: `Blue: correlation of ${id === 'q' ? 'Q' : '#communities'} with held-out accuracy WITHIN each instance over consecutive windows of snapshots (mean ± sd over instances, plotted at each window's first epoch). Orange: the correlation ACROSS instances at each fixed epoch. The paper (Fig. 4) finds them of opposite sign for Q — a Simpson's paradox: within a run modularity grows with accuracy, yet more modular runs are not the more accurate ones.` }) }));
  const modes = plotCard(root, { id: 'hebb-modes', title: 'Learning modes',
    note: 'Held-out accuracy of every instance, grouped by 2-means on the curves into mode I (red: a warm-up plateau near chance before learning) and mode II (blue: accuracy rises at once). Readout: members and mean plateau (epochs within 0.02 of chance).' });
  const medCard = el('div', { class: 'plot', id: 'hebb-mediation' });
  medCard.append(el('h2', {}, 'Mediation: connection strength → Q → accuracy'));
  const medTable = el('table', { id: 'hebb-mediation-table', style: 'border-collapse: collapse; font-variant-numeric: tabular-nums; width: 100%' });
  medCard.append(medTable, el('p', { class: 'note' }, 'X = mean pairwise correlation of a(t) (connection strength), M = Q, Y = held-out accuracy, over the snapshots of every instance. Mixed model Y_ij = μ + U_i + V_i X_ij + β X_ij + ε_ij with random intercept and slope per instance, fitted by the two-stage summary-statistics method: β = mean of the per-instance OLS slopes, t = β/(sd/√I), F = t² on (1, I−1) df. a: M~X, b: Y~M, c: Y~X (total), c′ and b|x: Y~X+M; indirect = a·b|x.'));
  root.append(medCard);
  const resultCards = [...bandCards.map((x) => x.card), nullCard, ...paradox.map((x) => x.card), modes];
  instCard.hidden = true;
  medCard.hidden = true;
  for (const c of resultCards) c.card.hidden = true;

  /** The study being shown: {cfg, instances: [{seed, instance, ms}], summary}. */
  let study = null;

  const drawBands = async (s, n) => {
    const curves = Object.fromEntries(s.curves);
    for (const b of bandCards) {
      const band = curves[b.key];
      if (!band || !band.mean.some((x) => x !== null && Number.isFinite(x))) continue;
      await yieldFrame();
      show(b.card);
      const [xs, mean, sd] = [f64(band.x), f64(band.mean), f64(band.sd)];
      await b.card.draw((m, c) => m.drawLinesBands(c, `${b.title.replace('Study: ', '')} (${n} instance${n > 1 ? 's' : ''})`, 'epoch', b.yl, xs, mean, sd.map((x) => (Number.isFinite(x) ? x : 0)), 'mean ± sd', new Uint32Array([0])));
      b.card.readout.textContent = `mean at first snapshot ${mean[0].toFixed(3)} → last ${mean[mean.length - 1].toFixed(3)} (sd ${sd[sd.length - 1].toFixed(3)})`;
      b.card.readout.dataset.first = String(mean[0]);
      b.card.readout.dataset.last = String(mean[mean.length - 1]);
    }
  };

  /** Warnings notice and the null-z band (StudySummary.warnings, .null_z, .null_significant). */
  const drawNull = async (s, n) => {
    const ws = Array.isArray(s.warnings) ? s.warnings.filter((w) => typeof w === 'string' && w) : [];
    warn.textContent = ws.length ? `⚠ ${ws.join(' · ')}` : '';
    warn.hidden = !ws.length;
    warn.dataset.count = String(ws.length);
    const b = s.null_z;
    if (!b || !Array.isArray(b.x) || !b.x.length) { nullCard.card.hidden = true; delete nullCard.readout.dataset.points; return; }
    await yieldFrame();
    show(nullCard);
    const [xs, mean, sd] = [f64(b.x), f64(b.mean), f64(b.sd)];
    const sig = Array.isArray(s.null_significant) ? f64(s.null_significant) : new Float64Array(xs.length).fill(NaN);
    const line = new Float64Array(xs.length).fill(1.96);
    await nullCard.draw((m, c) => m.drawLinesBands(c, `z of Q vs the null (${n} instance${n > 1 ? 's' : ''})`, 'epoch', 'z',
      xs, Float64Array.from([...mean, ...line]), Float64Array.from([...sd.map((x) => (Number.isFinite(x) ? x : 0)), ...new Float64Array(xs.length)]),
      'mean z ± sd\nz = 1.96', new Uint32Array([0, 9])));
    const l = xs.length - 1;
    const pct = (x) => (Number.isFinite(x) ? `${Math.round(100 * x)}%` : '—');
    nullCard.readout.textContent = `${xs.length} snapshot${xs.length > 1 ? 's' : ''} with a null · last (epoch ${xs[l]}): z = ${Number.isFinite(mean[l]) ? mean[l].toFixed(2) : '—'} ± ${Number.isFinite(sd[l]) ? sd[l].toFixed(2) : '—'}, ${pct(sig[l])} of instances p ≤ 0.05`;
    nullCard.readout.dataset.points = String(xs.length);
    nullCard.readout.dataset.lastZ = String(mean[l]);
    nullCard.setTable('Null z of Q per snapshot', ['epoch', 'mean z', 'sd', 'instances', 'p ≤ 0.05'],
      Array.from(xs, (x, i) => [x, Number.isFinite(mean[i]) ? mean[i].toFixed(3) : '—', Number.isFinite(sd[i]) ? sd[i].toFixed(3) : '—', b.n?.[i] ?? '', pct(sig[i])]));
  };

  const drawParadox = async (s, n, corrwin) => {
    const within = Object.fromEntries(s.within_instance_correlation);
    const across = Object.fromEntries(s.across_instance_correlation);
    for (const p of paradox) {
      const w = within[p.key];
      const x = across[p.key];
      if (!w || !x) continue;
      await yieldFrame();
      show(p.card);
      const [xs, r] = [f64(x.x), f64(x.mean)];
      // Within-instance values sit at their windows' first epochs on the snapshot grid (NaN elsewhere).
      const wy = new Float64Array(xs.length).fill(NaN);
      const wb = new Float64Array(xs.length).fill(NaN);
      w.x.forEach((e, j) => { const i = xs.indexOf(e); if (i >= 0) { wy[i] = w.mean[j] ?? NaN; wb[i] = Number.isFinite(w.sd[j]) ? w.sd[j] : 0; } });
      const zeros = new Float64Array(xs.length);
      await p.card.draw((m, c) => m.drawLinesBands(c, `correlation with accuracy (${n} instances)`, 'epoch', 'Pearson r',
        xs, Float64Array.from([...wy, ...r]), Float64Array.from([...wb, ...zeros]), `within instances (windows of ${corrwin} snapshots)\nacross instances (fixed epoch)`, new Uint32Array([0, 1])));
      const mean = (arr) => { const f = Array.from(arr).filter(Number.isFinite); return f.length ? f.reduce((a, y) => a + y, 0) / f.length : NaN; };
      const mw = mean(f64(w.mean));
      const ma = mean(r);
      p.card.readout.textContent = `mean within-instance r ${mw.toFixed(3)} · mean across-instance r ${ma.toFixed(3)}` + (Number.isFinite(mw) && Number.isFinite(ma) && Math.sign(mw) !== Math.sign(ma) ? ' — opposite signs: the paradox' : '');
      p.card.readout.dataset.within = String(mw);
      p.card.readout.dataset.across = String(ma);
    }
  };

  const drawModes = async (s, inst) => {
    const lm = s.learning_modes;
    const mode = lm.mode;
    await yieldFrame();
    show(modes);
    const xs = column(inst[0].instance.snapshots, 'epoch');
    const ys = Float64Array.from(inst.flatMap((x) => Array.from(column(x.instance.snapshots, 'accuracy'))));
    const names = inst.map((x, i) => `seed ${x.seed} (mode ${mode[i] === 1 ? 'I' : 'II'})`).join('\n');
    await modes.draw((m, c) => m.drawLines(c, 'held-out accuracy by learning mode', 'epoch', 'accuracy', xs, ys, names, Uint32Array.from(mode, (k) => (k === 1 ? 3 : 0))));
    const plateau = (k) => (lm.size[k] ? `${Number(lm.mean_plateau[k]).toFixed(0)} epochs` : '–');
    modes.readout.textContent = `mode I: ${lm.size[0]} instance${lm.size[0] === 1 ? '' : 's'} (mean plateau ${plateau(0)}) · mode II: ${lm.size[1]} (mean plateau ${plateau(1)})`;
    modes.readout.dataset.modes = JSON.stringify(mode);
  };

  const drawMediation = (s) => {
    medCard.hidden = false;
    medTable.replaceChildren();
    if (!s.mediation) {
      medTable.append(el('caption', { style: 'text-align: left' }, `Needs ≥ 3 instances with varying values: ${s.mediation_error ?? 'not computed'}`));
      delete medTable.dataset.values;
      return;
    }
    const head = el('tr');
    for (const h of ['effect', 'β (fixed)', 'p']) head.append(el('th', { style: 'text-align: left; border-bottom: 1px solid #ccc' }, h));
    medTable.append(head);
    const fmt = (x, f) => (x === null || !Number.isFinite(x) ? '–' : f(x));
    const rows = [...EFFECTS.map(([k, name]) => [name, s.mediation[k].beta, s.mediation[k].p]), ['indirect a·b|x', s.mediation.indirect, null]];
    for (const [name, beta, pv] of rows) {
      const tr = el('tr');
      tr.append(el('td', {}, name), el('td', {}, fmt(beta, (x) => x.toPrecision(4))), el('td', {}, fmt(pv, (x) => (x < 1e-4 ? x.toExponential(1) : x.toFixed(4)))));
      medTable.append(tr);
    }
    medTable.dataset.values = JSON.stringify(s.mediation);
  };

  /** Run the core's study summary on the finished instances and draw it. */
  const drawStudy = async () => {
    const inst = study.instances.filter(Boolean);
    if (!inst.length) return;
    const v = study.cfg;
    let s;
    try {
      s = await call((m) => {
        const h = new m.HebbffStudy();
        try {
          for (const x of inst) h.add(BigInt(x.seed), x.instance.snapshots);
          return h.summary(v.corrwin, chance(v.p));
        } finally { h.free(); }
      }, 'models');
    } catch (e) {
      instInfo.textContent = `${inst.length} instance${inst.length > 1 ? 's' : ''} finished; the analyses need more: ${e.message}`;
      return;
    }
    study.summary = s;
    await drawBands(s, inst.length);
    await drawNull(s, inst.length);
    await drawParadox(s, inst.length, v.corrwin);
    await drawModes(s, inst);
    drawMediation(s);
  };
  const redraw = coalesce(drawStudy);

  /**
   * Run the study with settings `v` on a pool of workers, reporting to the
   * panel's `status` and `prog`; `setPool(pool)` lets the panel cancel it.
   * Resolves with the study (the object `exportJson` saves); on cancel the
   * rejection carries the partial study as `e.study`.
   */
  async function run(v, { status, prog, setPool, alive }) {
    const I = v.instances;
    const size = Math.min(poolSize(MAX_POOL), I);
    study = { cfg: v, instances: new Array(I).fill(null), summary: null };
    const bars = [];
    instList.replaceChildren();
    for (let i = 0; i < I; i++) {
      const p = el('progress', { max: '1', value: '0', style: 'width: 100%', id: `hebb-inst-${i}` });
      const lab = el('div', { class: 'readout', style: 'font-size: 12px' }, `seed ${v.seed + i}: queued`);
      const box = el('div');
      box.append(lab, p);
      instList.append(box);
      bars.push({ p, lab, done: 0, total: 1, acc: undefined });
    }
    instCard.hidden = false;
    instCard.dataset.pool = String(size);
    instCard.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    instInfo.textContent = `${I} instances (seed, seed+1, …) on a pool of ${size} worker${size > 1 ? 's' : ''} (navigator.hardwareConcurrency = ${navigator.hardwareConcurrency ?? '?'}; one core left for the page from 4 cores up, at most ${MAX_POOL}); Cancel stops them all.`;
    status.dataset.studyDone = '0';
    const t0 = performance.now();
    const pool = new Pool(size);
    setPool(pool);
    const tasks = Array.from({ length: I }, (_, i) => ({ job: 'hebbffInstance', args: { params: runParams(v, v.seed + i), frames: false, activity: false } }));
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
          if (!alive()) { pool.cancel(); return; } // the panel was switched away
          const b = bars[i];
          b.done = done; b.total = total; E = total;
          b.p.value = total ? done / total : 0;
          if (partial?.snapshot) b.acc = partial.snapshot.accuracy;
          b.lab.textContent = `seed ${v.seed + i}: epoch ${done}/${total}` + (b.acc !== undefined ? ` · acc ${b.acc.toFixed(3)}` : '');
          overall();
        },
        onResult(i, r) {
          finished += 1;
          study.instances[i] = { seed: v.seed + i, instance: r.instance, ms: r.ms };
          bars[i].p.value = 1;
          bars[i].done = bars[i].total;
          bars[i].lab.textContent = `seed ${v.seed + i}: done · acc ${r.instance.test_accuracy.toFixed(3)} · ${fmtS(r.ms / 1000)}`;
          status.dataset.studyDone = String(finished);
          overall();
          drawing = redraw().catch(ctx.showError);
        },
      });
      await drawing;
    } catch (e) {
      for (const b of bars) if (b.p.value < 1) b.lab.textContent += ' · stopped';
      e.study = finished ? study : null;
      e.finished = finished;
      throw e;
    }
    const secs = (performance.now() - t0) / 1000;
    status.dataset.seconds = secs.toFixed(2);
    status.textContent = `study done: ${I} instances in ${fmtS(secs)} on ${size} worker${size > 1 ? 's' : ''}.`;
    return study;
  }

  /**
   * The study as JSON: `instances` with the CLI's instances.json keys and
   * `summary` with the CLI's summary keys (the core's StudySummary).
   */
  const exportJson = (st, params) => ({
    rnnscope: 'hebbff-study', params, correlation_window: typeof st.cfg.corrwin === 'number' ? st.cfg.corrwin : null,
    instances: st.instances.filter(Boolean).map((x) => ({ ...x.instance, seconds: x.ms / 1000 })),
    summary: st.summary,
  });

  /**
   * Show a study computed elsewhere: `summary.json` + `instances.json` of
   * `rnnscope hebbff study --out DIR` / `hebbff merge` (docs/methods/cluster.md),
   * or this page's own study export (one JSON with both). The summary's
   * `summary` is the core's StudySummary, drawn as is (not recomputed).
   * Resolves with the study object the exports save.
   * @param {Array<{name: string, text: string}>} files
   */
  async function openResults(files) {
    let summaryFile = null;
    let instances = null;
    for (const f of files) {
      let j;
      try { j = JSON.parse(f.text); } catch (e) { throw new Error(`${f.name}: not valid JSON (${e.message})`); }
      if (Array.isArray(j)) instances = j;
      else if (j && j.rnnscope === 'hebbff-study' && Array.isArray(j.instances)) { instances = j.instances; summaryFile = { ...j, settings: j.params }; }
      else if (j && typeof j === 'object' && j.summary && Array.isArray(j.summary.curves)) summaryFile = j;
      else throw new Error(`${f.name}: neither a study summary.json (an object with "summary") nor an instances.json (an array of instances)`);
    }
    if (!summaryFile || !instances) throw new Error(`Choose both summary.json and instances.json of one study run (got ${files.map((f) => f.name).join(', ')})`);
    if (!instances.length || !instances.every((x) => x && Array.isArray(x.snapshots) && x.snapshots.length && Number.isFinite(x.seed))) {
      throw new Error('instances.json: every instance needs a seed and a non-empty snapshots list');
    }
    const nSum = Number(summaryFile.summary.instances ?? summaryFile.instances ?? instances.length);
    if (nSum !== instances.length) throw new Error(`summary.json describes ${nSum} instances but instances.json holds ${instances.length}: files of different runs?`);
    const set = summaryFile.settings ?? summaryFile.params?.settings ?? {};
    // Older summaries lack params.corr_window: say so rather than guess.
    const cw = summaryFile.params?.corr_window ?? summaryFile.correlation_window;
    const corrwin = Number.isFinite(Number(cw)) && cw !== null ? Number(cw) : '?';
    const cfg = { corrwin, p: Number(set.p ?? 0.5), instances: instances.length, seed: instances[0].seed, source: 'file' };
    const inst = instances.map((x) => ({ seed: x.seed, instance: x, ms: 1000 * (Number(x.seconds) || 0) }));
    study = { cfg, instances: inst, summary: summaryFile.summary };
    instList.replaceChildren();
    for (const x of inst) {
      instList.append(el('div', { class: 'readout', style: 'font-size: 12px' }, `seed ${x.seed}: acc ${Number(x.instance.test_accuracy).toFixed(3)} · ${x.instance.snapshots.length} snapshots`));
    }
    instCard.hidden = false;
    const desc = ['n', 'm', 'p', 'data', 'epochs', 'snapshot_every'].filter((k) => set[k] !== undefined).map((k) => `${k} = ${set[k]}`).join(', ');
    instInfo.textContent = `Opened from files (${files.map((f) => f.name).join(' + ')}): ${inst.length} instances, seeds ${inst[0].seed}–${inst[inst.length - 1].seed}${desc ? `; ${desc}` : ''}; within-instance windows of ${corrwin} snapshots. The figures draw the file's own summary.`;
    instCard.dataset.source = 'file';
    const s = study.summary;
    await drawBands(s, inst.length);
    await drawNull(s, inst.length);
    await drawParadox(s, inst.length, corrwin);
    await drawModes(s, inst);
    drawMediation(s);
    return study;
  }

  /**
   * The "Open study results…" button (and its hidden file input) for the
   * panel's toolbar; `onOpened(study)` runs after the figures are drawn.
   * @param {(study: any) => void} onOpened
   */
  function openControls(onOpened) {
    const input = /** @type {HTMLInputElement} */ (el('input', { type: 'file', id: 'hebb-open-input', accept: '.json,application/json', multiple: '', hidden: '' }));
    const btn = el('button', { type: 'button', id: 'hebb-open' }, 'Open study results…');
    btn.title = 'Draw a study run elsewhere (rnnscope hebbff study --out DIR, or a Slurm merge): choose its summary.json and instances.json together. Files stay in this browser.';
    btn.onclick = () => input.click();
    input.onchange = async () => {
      const list = Array.from(input.files ?? []);
      input.value = '';
      if (!list.length) return;
      try {
        const files = await Promise.all(list.map(async (f) => ({ name: f.name, text: await f.text() })));
        onOpened(await openResults(files));
      } catch (e) { ctx.showError(e); }
    };
    return [btn, input];
  }

  return { run, exportJson, openResults, openControls };
}
