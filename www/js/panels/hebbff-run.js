// @ts-check
// The HebbFF panel's single-run view: one instance trains in a worker with
// live curves and the allegiance animation (the paper's Fig. 2C). Its cards
// stay hidden until the run has something to draw in them.
import { plotCard, el } from '../ui.js';
import { Pool } from '../pool.js';
import { setActivity } from '../store.js';
import { chance, coalesce, column, fastAllegiance, fmtS, runParams, show, yieldFrame } from './hebbff-common.js';

const METRICS = [
  ['q', 'Modularity Q', 'Q', 'q', 'Multilayer modularity Q = (1/2μ) Σ_ijsr [(A_ijs − γ k_is k_js/2m_s) δ_sr + δ_ij C_jsr] δ(g_is, g_jr) of the windowed FC of a(t) (Mucha et al. 2010; signed, γ⁺ = 1.02, γ⁻ = 1, ω = 1). The paper: Q rises during training. Q = q_intra (within windows) + q_inter (the inter-layer coupling term, which any partition that keeps units in the same community across windows collects): q_intra ≤ 0 means no community structure beyond the coupling. With a null model set, the readout gives z and p of the final Q against it.'],
  ['communities', 'Number of communities', '#communities', 'n_communities', 'Distinct multilayer communities of the best Louvain run. The paper: the number falls as modules merge during training.'],
  ['flexibility', 'Flexibility', 'flexibility', 'system_flexibility', 'System flexibility: mean over units of the fraction of consecutive windows in which a unit changes community (Bassett et al. 2011).'],
  ['entropy', 'Activation entropy', 'entropy (nats)', 'entropy', 'Entropy of a Gaussian fitted to a(t): ½ log det(2πe Σ) over the M units (nats).'],
];

/**
 * Mount the single-run view under `root`.
 * @param {HTMLElement} root
 * @param {{showError: (e: unknown) => void}} ctx
 */
export function createRunView(root, ctx) {
  const curve = plotCard(root, { id: 'hebb-curve', title: 'Training curve',
    note: 'Held-out accuracy at each snapshot (T fresh items never trained on) and training accuracy (mean over the epochs since the previous snapshot); accuracy is the authors’ (1−f)·TPR + f·(1−FPR) with f = P/(1+P) the repeat fraction; the grey line is chance f (always “new”). Defaults (fresh streams, 1,500 epochs) reach about 0.95.' });
  const alleg = plotCard(root, { id: 'hebb-allegiance', title: 'Module allegiance over training',
    note: 'Allegiance P_ij = fraction of windows (and Louvain runs) in which hidden units i and j share a community, from the held-out a(t) at the chosen snapshot. Every frame uses the node order of the final snapshot’s consensus communities (black borders), so the animation is stable: watch the blocks form as the network learns (paper Fig. 2C).' });
  const slider = el('input', { type: 'range', id: 'hebb-frame', min: '0', max: '0', value: '0', step: '1', 'aria-label': 'Snapshot shown' });
  slider.style.flex = '1';
  const play = el('button', { type: 'button', id: 'hebb-play', disabled: '' }, '▶ Play');
  play.title = 'Animate the allegiance matrix over the snapshots';
  alleg.tools.prepend(slider, play);
  const metricCards = METRICS.map(([id, title, yl, key, note]) => ({ id, title, yl, key, card: plotCard(root, { id: `hebb-${id}`, title, note }) }));
  for (const mc of metricCards) mc.card.canvas.style.height = '260px';
  const cards = [curve, alleg, ...metricCards.map((x) => x.card)];
  for (const c of cards) c.card.hidden = true;
  // The no-structure warning of the analysis as a visible notice on the
  // community cards, so allegiance and flexibility are not read as modules.
  const noticeCards = [alleg, ...metricCards.filter((x) => x.key !== 'entropy').map((x) => x.card)];
  const notices = noticeCards.map((c) => {
    const n = el('p', { class: 'warning', role: 'status', style: 'margin:.25rem 0;padding:.3rem .5rem;border-left:4px solid #b35c00;background:#fff3e0;color:#5a2e00;font-size:13px' });
    n.hidden = true;
    c.card.querySelector('h2')?.after(n);
    return n;
  });
  const showNotices = (snaps) => {
    const flagged = snaps.filter((s) => (s.warnings ?? []).some((w) => w.startsWith('no community structure')));
    const lastW = snaps.length ? (snaps[snaps.length - 1].warnings ?? []) : [];
    const latest = lastW.find((w) => w.startsWith('no community structure')) ?? (flagged.length ? flagged[flagged.length - 1].warnings[0] : '');
    const text = flagged.length
      ? `⚠ ${flagged.length} of ${snaps.length} snapshots — ${latest}${lastW.find((w) => w.startsWith('no community structure')) ? '' : ' (at an earlier snapshot)'} — allegiance, #communities and flexibility need not reflect modules.`
      : '';
    for (const n of notices) { n.textContent = text; n.hidden = !text; n.dataset.flagged = String(flagged.length); }
  };

  /** The run being shown: {seed, cfg, snapshots, trainAcc, frames, order, borders, finalOrder, m, t95, ...}. */
  let single = null;

  const drawCurve = async () => {
    const s = single;
    const xs = column(s.snapshots, 'epoch');
    if (xs.length < 2) return;
    show(curve);
    const held = column(s.snapshots, 'accuracy');
    const tr = xs.map((e, i) => (i === 0 ? NaN : s.trainAcc[i]));
    const ch = xs.map(() => chance(s.cfg.p));
    await curve.draw((m, c) => m.drawLines(c, `seed ${s.seed}: held-out vs training accuracy`, 'epoch', 'accuracy',
      xs, Float64Array.from([...held, ...tr, ...ch]), 'held out\ntraining\nchance', new Uint32Array([0, 1, 9])));
    curve.readout.textContent = `epoch ${xs[xs.length - 1]}: held-out accuracy ${held[held.length - 1].toFixed(4)}` + (s.t95 !== null ? ` · 0.95 first at epoch ${s.t95epoch}` : '');
  };

  /** Draw snapshot k; `fast` (live training, playback) uses the ImageData renderer. */
  const drawFrame = async (k, fast = false) => {
    const s = single;
    if (!s || !s.frames.length) return;
    const f = s.frames[Math.min(k, s.frames.length - 1)];
    const order = s.finalOrder ?? s.order;
    const borders = s.finalOrder ? s.finalBorders : s.borders;
    if (!f.allegiance.length || !order) return;
    show(alleg);
    const m = s.m;
    const title = `epoch ${f.epoch}: allegiance of ${m} hidden units`;
    const ordF = Float64Array.from(order);
    const borF = Float64Array.from(borders);
    if (fast) fastAllegiance(alleg.canvas, m, f.allegiance, order, borders, title);
    else await alleg.draw((mod, c) => mod.drawCommunityHeatmap(c, m, f.allegiance, ordF, borF, title));
    const fw = (f.warnings ?? []).find((w) => w.startsWith('no community structure'));
    alleg.readout.textContent = `snapshot ${k + 1}/${s.frames.length} · epoch ${f.epoch} · accuracy ${f.accuracy.toFixed(3)} · Q ${f.q.toFixed(4)} = q_intra ${f.q_intra?.toFixed(4)} + q_inter ${f.q_inter?.toFixed(4)} · ${f.n_communities} communities`
      + (f.null_p != null ? ` · null z = ${f.null_z == null ? '—' : f.null_z.toFixed(2)}, p = ${f.null_p.toFixed(3)}` : '')
      + (fw ? ` · ⚠ ${fw} at this snapshot` : '')
      + (s.finalOrder ? ' · order of the final snapshot' : ' · order of the latest snapshot (final order when training ends)');
    alleg.readout.dataset.warning = String(Boolean(fw));
    alleg.readout.dataset.frame = String(k);
    alleg.readout.dataset.epoch = String(f.epoch);
  };

  const drawMetrics = async () => {
    // Copy the list: new snapshots can arrive while we yield between cards.
    const snaps = single.snapshots.slice();
    const xs = column(snaps, 'epoch');
    if (xs.length < 2) return;
    showNotices(snaps);
    for (const mc of metricCards) {
      const ys = column(snaps, mc.key);
      const fin = ys.filter(Number.isFinite);
      if (!fin.length) continue; // nothing to draw (e.g. no network analysis)
      await yieldFrame();
      show(mc.card);
      if (mc.key === 'q') {
        // Q and its two parts (q_intra + q_inter = Q).
        const qi = column(snaps, 'q_intra');
        const qe = column(snaps, 'q_inter');
        await mc.card.draw((m, c) => m.drawLines(c, mc.title, 'epoch', mc.yl, xs, Float64Array.from([...ys, ...qi, ...qe]),
          'Q\nq_intra (within windows)\nq_inter (coupling)', new Uint32Array([0, 1, 2])));
        const l = snaps[snaps.length - 1];
        const z = snaps.filter((x) => x.null_z != null || x.null_p != null);
        mc.card.readout.textContent = `first Q ${fin[0].toFixed(4)} → last Q ${l.q.toFixed(4)} = q_intra ${l.q_intra.toFixed(4)} + q_inter ${l.q_inter.toFixed(4)}`
          + (z.length ? ` · null: z = ${l.null_z == null ? '—' : l.null_z.toFixed(2)}, p = ${l.null_p?.toFixed(3)} at the last snapshot (${z.filter((x) => x.null_p <= 0.05).length} of ${z.length} snapshots p ≤ 0.05)` : '');
        Object.assign(mc.card.readout.dataset, { q: String(l.q), qIntra: String(l.q_intra), qInter: String(l.q_inter) });
        // Every snapshot's split, null and warning as a table under the chart.
        const f4 = (x) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(4));
        mc.card.setTable('Q per snapshot', ['epoch', 'Q', 'q_intra', 'q_inter', 'null z', 'null p', 'warning'], snaps.map((x) => [x.epoch, f4(x.q), f4(x.q_intra), f4(x.q_inter),
          x.null_z == null ? '—' : x.null_z.toFixed(2), x.null_p == null ? '—' : x.null_p.toFixed(3), (x.warnings ?? []).some((w) => w.startsWith('no community structure')) ? 'no structure' : '']));
        if (z.length) Object.assign(mc.card.readout.dataset, { nullZ: String(l.null_z), nullP: String(l.null_p) });
        continue;
      }
      await mc.card.draw((m, c) => m.drawLines(c, mc.title, 'epoch', mc.yl, xs, ys, mc.title, new Uint32Array([0])));
      mc.card.readout.textContent = `first ${fin[0].toFixed(3)} → last ${fin[fin.length - 1].toFixed(3)}`;
    }
  };

  // Live frames of the allegiance use the fast renderer, at most every 0.5 s.
  let lastHeat = -Infinity;
  const redraw = coalesce(async () => {
    await drawCurve();
    if (performance.now() - lastHeat > 500) { await yieldFrame(); await drawFrame(Number(slider.value), true); lastHeat = performance.now(); }
    await drawMetrics();
  });

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

  /**
   * Train one instance with settings `v`, reporting to the panel's `status`
   * and `prog`; `ui.setPool(pool)` lets the panel cancel it. Resolves with
   * the finished run (the object `exportJson` saves).
   */
  async function train(v, { status, prog, setPool, alive }) {
    stopPlay();
    single = { seed: v.seed, cfg: v, snapshots: [], trainAcc: [], frames: [], order: null, borders: null, finalOrder: null, finalBorders: null, m: v.m, t95: null, t95epoch: null };
    slider.max = '0';
    slider.value = '0';
    play.disabled = true;
    status.textContent = 'Starting the worker…';
    delete status.dataset.t95;
    const t0 = performance.now();
    const pool = new Pool(1);
    setPool(pool);
    let drawing = Promise.resolve();
    const [res] = await pool.run([{ job: 'hebbffInstance', args: { params: runParams(v, v.seed), frames: true, activity: true } }], {
      onProgress(i, done, total, partial) {
        if (!alive()) { pool.cancel(); return; } // the panel was switched away
        const secs = (performance.now() - t0) / 1000;
        prog.value = total ? done / total : 0;
        const eta = done > 0 ? secs * (total - done) / done : NaN;
        status.dataset.epoch = String(done);
        status.dataset.seconds = secs.toFixed(2);
        const s = partial?.snapshot;
        if (s) {
          single.snapshots.push(s);
          single.trainAcc.push(partial.trainMean);
          if (single.t95 === null && s.accuracy >= 0.95) { single.t95 = secs; single.t95epoch = s.epoch; status.dataset.t95 = secs.toFixed(2); status.dataset.t95epoch = String(s.epoch); }
          status.dataset.acc = String(s.accuracy);
          status.dataset.snapshots = String(single.snapshots.length);
          if (partial.allegiance?.length) {
            single.frames.push({ ...s, allegiance: partial.allegiance });
            single.order = partial.order;
            single.borders = partial.borders;
            const follow = Number(slider.value) >= Number(slider.max);
            slider.max = String(single.frames.length - 1);
            if (follow) slider.value = slider.max;
          }
          drawing = redraw().catch(ctx.showError);
        }
        const acc = status.dataset.acc ? ` · held-out accuracy ${Number(status.dataset.acc).toFixed(3)}` : '';
        status.textContent = `seed ${v.seed}: epoch ${done}/${total}${acc} · ${fmtS(secs)}` + (Number.isFinite(eta) ? ` · ${fmtS(eta)} left` : '') +
          (single.t95 !== null ? ` · 0.95 reached after ${fmtS(single.t95)} (epoch ${status.dataset.t95epoch})` : '');
      },
    });
    await drawing;
    Object.assign(single, { instance: res.instance, ms: res.ms, trainLoss: res.train_loss, trainAccuracy: res.train_accuracy });
    single.finalOrder = res.last?.order ?? null;
    single.finalBorders = res.last?.borders ?? null;
    const last = res.instance.snapshots[res.instance.snapshots.length - 1];
    if (res.activity) setActivity({ label: `HebbFF a(t), seed ${v.seed}, epoch ${last.epoch}`, t: res.t, n: res.m, data: res.activity });
    await drawFrame(Number(slider.value));
    play.disabled = single.frames.length < 2;
    const secs = (performance.now() - t0) / 1000;
    status.dataset.final = String(last.accuracy);
    status.dataset.seconds = secs.toFixed(2);
    status.textContent = `seed ${v.seed} done: ${last.epoch} epochs in ${fmtS(secs)} · final held-out accuracy ${last.accuracy.toFixed(4)} · λ = ${last.lambda.toFixed(3)}, η = ${last.eta.toFixed(3)}` +
      (single.t95 !== null ? ` · 0.95 after ${fmtS(single.t95)} (epoch ${status.dataset.t95epoch})` : ' · never reached 0.95') +
      ` · its held-out a(t) (${res.t} × ${res.m}) is available to the Modularity panel.`;
    return single;
  }

  /**
   * The finished run as JSON: the CLI's `hebbff train` keys (seed,
   * test_accuracy, lambda, eta, epochs_to_95, snapshots) plus the page's
   * settings, timings and the per-epoch training curve.
   */
  const exportJson = (run, params) => ({
    rnnscope: 'hebbff-run', params, ...run.instance, seconds: run.ms / 1000, seconds_to_95: run.t95,
    train: { loss: Array.from(run.trainLoss), accuracy: Array.from(run.trainAccuracy) },
  });

  return { train, exportJson, stopPlay };
}
