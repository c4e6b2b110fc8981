// @ts-check
// HebbFF panel — continual familiarity detection (Tyulmankov, Yang & Abbott
// 2022) and the learning-dynamics study of its hidden modules. The toolbar,
// the task preview and the exports live here; the single-run view
// (hebbff-run.js) and the study view (hebbff-study.js) each show their cards
// only once they have something to draw.
import { plotCard, el, download } from '../ui.js';
import { call } from '../wasm.js';
import { chance, runParams, snapshotsCsv } from './hebbff-common.js';
import { createRunView } from './hebbff-run.js';
import { createStudyView } from './hebbff-study.js';

export default {
  id: 'hebbff',
  title: 'HebbFF',
  params: [
    { key: 'n', label: 'N (input size)', type: 'int', default: 100, min: 2, max: 2000, help: 'x(t) ∈ {−1, 1}^N; a(t) = (W₁ + A(t)) x(t) + b₁.' },
    { key: 'm', label: 'M (hidden units)', type: 'int', default: 120, min: 2, max: 1000, help: 'h(t) = σ(a(t)) ∈ ℝ^M; the network analysis reads a(t) on the held-out stream (T × M).' },
    { key: 'r', label: 'R (repeat interval)', type: 'int', default: 5, min: 1, max: 100, help: 'With probability P, x(t) = x(t − R) unless x(t − R) was itself a repeat; label y(t) = 1 for a repeat.' },
    { key: 'rmax', label: 'R max (0 = fixed R)', type: 'int', default: 0, min: 0, max: 100, help: 'If > R: each item’s interval is drawn uniformly from [R, R max] (a curriculum range).' },
    { key: 'p', label: 'P (repeat probability)', type: 'float', default: 0.5, min: 0.01, max: 0.99, step: 0.05, help: 'Repeats are a fraction f = P/(1+P) of items. Accuracy is the authors’ (1−f)·TPR + f·(1−FPR), so always answering “new” scores f = 1/3 at P = ½.' },
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
    { key: 'null', label: 'null model per snapshot', type: 'select', default: 'none', help: 'Compare each snapshot’s Q with K null networks (Bassett et al. 2011; the CLI’s --null): connectional = rewired FC weights, nodal = permuted identity links, temporal = permuted windows. Costs K × the runs per snapshot.', options: [
      { value: 'none', label: 'none' }, { value: 'connectional', label: 'connectional' }, { value: 'nodal', label: 'nodal' }, { value: 'temporal', label: 'temporal' }] },
    { key: 'nullSamples', label: 'null samples K', type: 'int', default: 19, min: 2, max: 200, help: 'Null networks per snapshot; with K < 19 p = (1 + #null ≥ Q)/(1 + K) cannot go below 0.05.' },
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
    jsonBtn.title = 'Download the parameters, every snapshot’s metrics and (for a study) the analyses as JSON — the keys of the CLI’s JSON.';
    csvBtn.title = 'Download the per-snapshot table (one row per instance and snapshot) as CSV — the columns of the CLI’s curves.csv.';
    const prog = el('progress', { id: 'hebb-progress', max: '1', value: '0', style: 'width: 12em; vertical-align: middle' });
    const status = el('span', { id: 'hebb-status', class: 'readout', style: 'margin-left: .5em' }, 'Press “Train one instance” or “Run study”: the plots appear as results arrive.');
    const row1 = el('div', { class: 'tools', style: 'justify-content: flex-start; flex-wrap: wrap; align-items: center' });
    row1.append(trainBtn, studyBtn, cancelBtn, prog, jsonBtn, csvBtn);
    bar.append(row1, status);
    root.append(bar);

    const preview = plotCard(root, { id: 'hebb-stream', title: 'Task: the input stream',
      note: 'The first 60 items of a held-out-like stream: each column is x(t) ∈ {−1, 1}^N (first 40 input units shown), the strip on top marks repeats (y = 1), i.e. items equal to the one R steps earlier. The network must answer “seen before?” for every item; answering “new” always is right 1/(1+P) of the time (chance, 2/3 at P = ½).' });
    const runView = createRunView(root, ctx);
    const studyView = createStudyView(root, ctx);
    row1.append(...studyView.openControls((st) => {
      doneStudy = st; latest = 'study';
      status.dataset.state = 'study-opened';
      status.textContent = `Study results opened: ${st.instances.length} instances.`;
      jsonBtn.disabled = false; csvBtn.disabled = false;
    }));

    const drawPreview = () => preview.draw((m, c) => {
      const f = m.drawHebbStream(c, runParams(cfg, cfg.seed), 60, `N = ${cfg.n}, R = ${cfg.rmax > cfg.r ? `${cfg.r}–${cfg.rmax}` : cfg.r}, P = ${cfg.p}`);
      preview.readout.textContent = `repeats in these 60 items: ${(100 * f).toFixed(0)}% (expected P/(1+P) = ${(100 * cfg.p / (1 + cfg.p)).toFixed(0)}%) · chance accuracy ${chance(cfg.p).toFixed(3)}`;
    });

    // ---- running state ----
    const setRunning = (on) => {
      trainBtn.disabled = on;
      studyBtn.disabled = on;
      cancelBtn.disabled = !on;
      status.dataset.state = on ? 'running' : status.dataset.state;
      if (on) { jsonBtn.disabled = true; csvBtn.disabled = true; } else { jsonBtn.disabled = !latest; csvBtn.disabled = !latest; }
    };
    // The core's RunParams::check (the one place the rules live, e.g. at
    // least 2 windows of the held-out stream), before any worker starts.
    const checkCfg = (v) => call((m) => m.checkHebbffParams(runParams(v, v.seed)), 'models');
    const ui = { status, prog, setPool: (p) => { pool = p; }, alive: () => bar.isConnected };
    const fail = (e, what) => {
      if (e.name === 'AbortError') { status.dataset.state = 'cancelled'; status.textContent = what; } else { status.dataset.state = 'error'; status.textContent = e.message; ctx.showError(e); }
    };

    const trainOne = async () => {
      const v = { ...cfg };
      await checkCfg(v);
      setRunning(true);
      try {
        doneSingle = await runView.train(v, ui);
        latest = 'single';
        status.dataset.state = 'done';
      } catch (e) {
        fail(e, `Cancelled at epoch ${status.dataset.epoch ?? 0}.`);
      } finally {
        pool = null;
        setRunning(false);
      }
    };

    const runStudy = async () => {
      const v = { ...cfg };
      await checkCfg(v);
      setRunning(true);
      try {
        doneStudy = await studyView.run(v, ui);
        latest = 'study';
        status.dataset.state = 'study-done';
      } catch (e) {
        if (e.study) { latest = 'study'; doneStudy = e.study; }
        fail(e, `Study cancelled: ${e.finished ?? 0}/${v.instances} instances finished; the plots show those.`);
      } finally {
        pool = null;
        setRunning(false);
      }
    };

    // ---- buttons ----
    const go = (f) => () => f().catch((e) => { setRunning(false); status.dataset.state = 'error'; status.textContent = e.message; ctx.showError(e); });
    cancelBtn.onclick = () => { pool?.cancel(); runView.stopPlay(); };
    const params = (v) => ({ n: v.n, m: v.m, r: v.r, rmax: v.rmax, p: v.p, data: v.data, seqlen: v.seqlen, epochs: v.epochs, every: v.every, lr: v.lr, testlen: v.testlen, window: v.window, runs: v.runs, seed: v.seed });
    jsonBtn.onclick = () => {
      const out = latest === 'study' ? studyView.exportJson(doneStudy, params(doneStudy.cfg)) : runView.exportJson(doneSingle, params(doneSingle.cfg));
      download(new Blob([JSON.stringify(out, null, 1)], { type: 'application/json' }), `rnnscope-hebbff-${latest === 'study' ? 'study' : 'run'}.json`);
    };
    csvBtn.onclick = () => {
      const list = latest === 'study'
        ? doneStudy.instances.filter(Boolean).map((x) => ({ seed: x.seed, snapshots: x.instance.snapshots }))
        : [{ seed: doneSingle.seed, snapshots: doneSingle.instance.snapshots }];
      download(new Blob([snapshotsCsv(list)], { type: 'text/csv' }), 'rnnscope-hebbff-snapshots.csv');
    };
    trainBtn.onclick = go(trainOne);
    studyBtn.onclick = go(runStudy);

    return {
      async update(values) {
        cfg = values;
        studyBtn.textContent = `Run study (${cfg.instances} instances)`;
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
