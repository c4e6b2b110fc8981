// @ts-check
// Training panel, the poster's group experiments: K networks per group
// (motif-enriched, unregularised or the norm-matched control) trained in the
// worker in chunks (progress between them; Cancel stops asking), then the
// noise sweep, the perturbation experiment or the RL comparison — the core's
// report (the CLI's report.json). Significance marks and the tests table come
// from the report's `tests` (Welch, Holm across levels), never from JS.
import { plotCard, el } from '../ui.js';
import { runJob } from '../worker-client.js';

const XKEY = 'poster';
const LABELS = { 'level1:+1': 'Level-1 enriched', 'level3:+1': 'Level-3 enriched', none: 'unregularised', matched: 'norm-matched control' };
const COLORS = [0, 3, 2, 4];
const ALPHA = 0.05;
const label = (g) => LABELS[g] ?? g;

/**
 * The page's settings as the core's experiment parameters (the keys of the
 * report's `params`; every other key takes the CLI's default).
 * @param {Record<string, any>} cfg
 */
export function groupParams(cfg) {
  const groups = String(cfg.xgroups).split(',');
  if (cfg.xkind === 'rl') {
    return {
      cfg: { n: cfg.xn, batch: cfg.rlbatch, lr: cfg.rllr, lambda: cfg.xlambda, seed: cfg.seed },
      seeds: cfg.xseeds, iters: cfg.rliters, groups, test_episodes: 128, // the CLI's --test-trials default
    };
  }
  return {
    task: cfg.task, n: cfg.xn, seeds: cfg.xseeds, iters: cfg.xiters, batch: cfg.batch, lr: cfg.lr,
    lambda: cfg.xlambda, seed: cfg.seed, groups, noise_kind: cfg.xnoisekind, kick: cfg.xkick,
  };
}

/** Draw a card's empty, labelled axes. */
function empty(card, title, xlab, ylab) {
  return card.draw((m, c) => m.drawLines(c, title, xlab, ylab, new Float64Array([0, 1]), new Float64Array([NaN, NaN]), '', new Uint32Array(0)));
}

const fmtP = (p) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

export function mountGroups(root, ctx, getCfg) {
  const bar = el('div', { class: 'tools', id: 'exp-controls', style: 'grid-column: 1 / -1; align-items: center; flex-wrap: wrap; gap: .5em' });
  const head = el('strong', {}, 'Poster experiments — groups of motif-regularised networks');
  const run = el('button', { type: 'button', id: 'exp-run' }, 'Run experiments');
  const stop = el('button', { type: 'button', id: 'exp-cancel', disabled: '' }, 'Cancel');
  const prog = el('progress', { id: 'exp-progress', max: '1', value: '0', 'aria-label': 'experiment progress' });
  const pairLab = el('label', { for: 'exp-pair' }, 'marks for');
  const pair = el('select', { id: 'exp-pair', disabled: '' });
  const status = el('span', { id: 'exp-status', class: 'readout', role: 'status' }, 'Trains the networks set by the “experiment:” controls, then runs the chosen experiment.');
  bar.append(head, run, stop, prog, pairLab, pair, status);
  root.append(bar);
  const sig = '● marks the levels where Welch’s test between the chosen pair of groups (menu “marks for”) gives Holm-adjusted p < 0.05 (Holm across the levels of the pair); the table lists every test of the report (JSON: the same report as `rnnscope train-experiment`).';
  const cards = {
    noise: plotCard(root, { id: 'exp-noise', title: 'Accuracy as noise grows', json: true, note: `What am I looking at: held-out accuracy (128 trials, the same trials and noise draws for every network) against the noise σ (input noise, or the poster’s η_i(t) in the hidden state with “recurrent”), one line per group: mean over its networks, band ± 1 standard error (sd/√K). Poster claim: Level-1 networks keep their accuracy better. ${sig}` }),
    deviation: plotCard(root, { id: 'exp-deviation', title: 'Output deviation after a kick', json: true, note: `What am I looking at: a kick δ (‖δ‖ = kick·√N, seeded direction) is added to the hidden state at step 50 of a trial; the curve is ‖y_kicked − y‖ over the next 100 steps, with the same inputs and recurrent noise in both runs (4 trials × 8 kicks per network). Band: ± 1 standard error across networks. Poster claim: Level-3 networks sustain wider deviations. ${sig}` }),
    latent: plotCard(root, { id: 'exp-latent', title: 'Latent trajectory distance after a kick', json: true, note: `What am I looking at: the same kicks seen in the top 3 principal components of each network’s unperturbed rates tanh(h): distance between kicked and unkicked trajectories in PC space. Band: ± 1 standard error. Poster claim: Level-1 latent trajectories resist perturbation. ${sig}` }),
    rl: plotCard(root, { id: 'exp-rl', title: 'Reinforcement learning: reward during training', json: true, note: `What am I looking at: policy networks of each group trained on the reversal bandit (the “rl:” settings; network k of every group starts from seed + k); reward per trial averaged over blocks of 25 updates, mean ± 1 standard error across networks. Poster claim: Level-3 motifs accelerate reinforcement learning. ${sig}` }),
  };
  const KINDS = { noise: ['noise'], perturb: ['deviation', 'latent'], both: ['noise', 'deviation', 'latent'], rl: ['rl'] };
  const AXES = {
    noise: ['accuracy vs noise σ', 'noise σ', 'accuracy'],
    deviation: ['‖y_kicked − y‖', 'steps after the kick', 'output deviation'],
    latent: ['distance in PC1–3', 'steps after the kick', 'latent distance'],
    rl: ['mean reward per trial', 'updates', 'reward'],
  };

  let state = 'idle';
  let rep = null;
  let kind = 'both';
  const setState = (s, text) => {
    state = s;
    status.dataset.state = s;
    if (text) status.textContent = text;
    run.disabled = s === 'running';
    stop.disabled = s !== 'running';
  };
  const framed = new Set();
  const showCards = async (k) => {
    for (const [id, c] of Object.entries(cards)) c.card.hidden = !KINDS[k].includes(id);
    for (const id of KINDS[k]) {
      if (framed.has(id)) continue;
      framed.add(id);
      await empty(cards[id], `${AXES[id][0]} — press Run experiments`, AXES[id][1], AXES[id][2]);
    }
  };

  /** The card's curves, x values and tests in the report. */
  const parts = (id) => {
    if (id === 'noise') return { curves: rep.noise.accuracy, xs: rep.noise.noise_levels, tests: rep.noise.tests };
    if (id === 'deviation') return { curves: rep.perturbation.output_deviation, xs: rep.perturbation.steps, tests: rep.perturbation.tests };
    if (id === 'latent') return { curves: rep.perturbation.latent_distance, xs: rep.perturbation.steps, tests: rep.perturbation.latent_tests };
    return { curves: rep.reward, xs: rep.iterations, tests: rep.tests };
  };

  const drawCard = async (id) => {
    const card = cards[id];
    const { curves, xs, tests } = parts(id);
    const [a, b] = pair.value.split('\n');
    const ia = curves.findIndex((c) => c.group === a);
    const marks = new Float64Array(xs.length).fill(NaN);
    const marked = [];
    for (const t of tests) {
      if (t.a !== a || t.b !== b || !(t.p_holm < ALPHA)) continue;
      const i = xs.indexOf(t.level);
      if (i < 0) throw new Error(`test level ${t.level} is not a point of the curve`);
      marks[i] = curves[ia].mean[i];
      marked.push(t.level);
    }
    card.canvas.dataset.marks = JSON.stringify(marked);
    const ys = new Float64Array(curves.flatMap((c) => c.mean));
    const es = new Float64Array(curves.flatMap((c) => c.sem));
    const names = curves.map((c) => label(c.group)).join('\n');
    const [title, xl, yl] = AXES[id];
    await card.draw((m, c) => m.drawLinesBandsMarks(c, `${title} (mean ± sem)`, xl, yl, new Float64Array(xs), ys, es, names,
      new Uint32Array(curves.map((_, k) => COLORS[k % COLORS.length])), marks, `p_holm < 0.05, ${label(a)} vs ${label(b)}`));
    const nsig = marked.length;
    card.readout.dataset.significant = String(nsig);
    return nsig;
  };

  const readouts = () => {
    const f = (m) => `${m.mean.toFixed(3)} ± ${m.sem.toFixed(3)}`;
    const lv = (g) => g.levels_after.map((m) => m.mean.toFixed(0)).join(' / ');
    const w = (g) => `‖W‖_F ${g.frobenius.mean.toFixed(2)}, ρ(W) ${g.spectral_radius.mean.toFixed(2)}`;
    if (kind === 'rl') {
      cards.rl.readout.textContent = rep.groups.map((g) => `${label(g.group)}: episodes to criterion ${g.episodes_to_criterion.mean.toFixed(0)} ± ${g.episodes_to_criterion.sem.toFixed(0)} (${g.reached}/${g.episodes_to_criterion.count} reached), held-out reward ${f(g.test_reward)}; ${w(g)}`).join(' · ');
      return;
    }
    if (rep.noise) cards.noise.readout.textContent = rep.groups.map((g) => `${label(g.group)}: held-out accuracy ${f(g.test_accuracy)}; soft motif counts by level 1/2/3 ${lv(g)}; ${w(g)}`).join(' · ');
    const pt = rep.perturbation;
    if (pt) {
      const names = pt.output_deviation.map((c) => label(c.group));
      cards.deviation.readout.textContent = names.map((n, i) => `${n}: mean over ${pt.steps.length - 1} steps ${f(pt.mean_output_deviation[i])}`).join(' · ');
      cards.latent.readout.textContent = names.map((n, i) => `${n}: mean over ${pt.steps.length - 1} steps ${f(pt.mean_latent_distance[i])}`).join(' · ');
    }
  };

  const tables = () => {
    for (const id of KINDS[kind]) {
      const { tests } = parts(id);
      cards[id].setTable(`Welch tests between groups, Holm across levels (${AXES[id][1]})`, ['level', 'a', 'b', 'diff', 'p', 'p_holm', ''],
        tests.map((t) => [t.level, label(t.a), label(t.b), t.diff.toPrecision(4), fmtP(t.p), fmtP(t.p_holm), t.p_holm < ALPHA ? '●' : '']));
      cards[id].setJson(rep);
      const details = document.getElementById(`table-${cards[id].canvas.id.replace('canvas-', '')}`);
      details?.setAttribute('open', '');
    }
  };

  const drawAll = async () => {
    let n = 0;
    for (const id of KINDS[kind]) n += await drawCard(id);
    return n;
  };

  pair.onchange = () => { if (rep) drawAll().catch((e) => ctx.showError(e)); };

  run.onclick = async () => {
    const cfg = getCfg();
    kind = cfg.xkind;
    await showCards(kind);
    const t0 = performance.now();
    setState('running', 'Building the networks…');
    prog.value = 0;
    delete status.dataset.done;
    try {
      const params = groupParams(cfg);
      const { total } = await runJob('expStart', { key: XKEY, kind, params });
      const nets = params.groups.length * cfg.xseeds;
      let done = 0;
      while (done < total) {
        if (state !== 'running') return;
        done = (await runJob('expChunk', { key: XKEY, k: kind === 'rl' ? 10 : 20 })).done;
        prog.value = done / total;
        const secs = (performance.now() - t0) / 1000;
        const eta = secs * (total - done) / done;
        status.textContent = `training ${nets} networks: ${done}/${total} ${kind === 'rl' ? 'updates' : 'steps'} · ${secs.toFixed(0)} s, ${eta.toFixed(0)} s left`;
      }
      if (state !== 'running') return;
      status.textContent = 'Testing the networks…';
      rep = JSON.parse((await runJob('expReport', { key: XKEY })).json);
      const { tests } = parts(KINDS[kind][0]);
      const pairs = [...new Set(tests.map((t) => `${t.a}\n${t.b}`))];
      pair.replaceChildren(...pairs.map((p) => el('option', { value: p }, p.split('\n').map(label).join(' vs '))));
      pair.disabled = pairs.length < 2;
      readouts();
      tables();
      const nsig = await drawAll();
      status.dataset.done = '1';
      setState('done', `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${nets} networks (${cfg.xseeds} per group), N = ${cfg.xn}; ${nsig} significant level${nsig === 1 ? '' : 's'} (p_holm < 0.05) for the marked pair.`);
    } catch (e) {
      if (state === 'cancelled') return;
      setState('error', e.message);
      ctx.showError(e);
    }
  };
  stop.onclick = async () => {
    setState('cancelled', 'Cancelled.');
    try { await runJob('expFree', { key: XKEY }); } catch { /* worker already gone */ }
  };

  return {
    async update(cfg) {
      if (state === 'running') {
        setState('cancelled', 'Settings changed — press Run experiments to start again.');
        runJob('expFree', { key: XKEY }).catch(() => {});
      }
      if (state !== 'done') await showCards(cfg.xkind);
    },
  };
}
