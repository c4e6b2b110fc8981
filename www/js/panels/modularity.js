// @ts-check
// Modularity panel — functional connectivity in windows → multilayer
// communities (Mucha et al. 2010), allegiance, flexibility, activation stats.
import { plotCard, busy, el } from '../ui.js';
import { listActivities, onActivity } from '../store.js';

let uploaded = null; // { name, bytes } of a user's activity file
let taken = null; // { label, t, n, data } taken from a running model (store.js)

export default {
  id: 'modularity',
  title: 'Modularity',
  params: [
    { key: 'window', label: 'window Z', type: 'int', default: 50, min: 2, max: 5000, help: 'Samples per window; each window gives one FC layer (HebbFF study: 50).' },
    { key: 'step', label: 'step (0 = disjoint)', type: 'int', default: 0, min: 0, max: 5000, help: 'Start of each window after the previous; 0 = disjoint windows.' },
    { key: 'omega', label: 'coupling ω', type: 'float', default: 1, min: 0, max: 10, step: 0.05, help: 'Ordinal coupling between a node and itself in neighbouring windows.' },
    { key: 'gamma', label: 'γ⁺', type: 'float', default: 1.02, min: 0.1, max: 5, step: 0.01, help: 'Resolution of the positive correlations (HebbFF study: 1.02).' },
    { key: 'gammaNeg', label: 'γ⁻', type: 'float', default: 1, min: 0, max: 5, step: 0.01, help: 'Resolution of the negative correlations.' },
    { key: 'runs', label: 'runs', type: 'int', default: 5, min: 1, max: 100, help: 'Independent Louvain runs; best Q shown, allegiance pools all runs.' },
    { key: 'seed', label: 'seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Seed of the demo activity, of the node orders and of the null model.' },
    { key: 'null', label: 'null model', type: 'select', default: 'none', help: 'Compare Q with K null networks (Bassett et al. 2011): connectional = each window’s signed weights rewired (signs kept), nodal = inter-layer identity links permuted, temporal = window order permuted. Each null is optimised like the data (costs K × the runs).', options: [
      { value: 'none', label: 'none' }, { value: 'connectional', label: 'connectional (rewire weights)' },
      { value: 'nodal', label: 'nodal (permute identity links)' }, { value: 'temporal', label: 'temporal (permute windows)' }] },
    { key: 'nullSamples', label: 'null samples K', type: 'int', default: 19, min: 2, max: 200, help: 'Null networks; with K < 19 the empirical p = (1 + #null ≥ Q)/(1 + K) cannot go below 0.05.' },
  ],

  mount(root) {
    const src = el('div', { class: 'plot', id: 'modularity-source' });
    src.append(el('h2', {}, 'Activity'));
    const file = el('input', { type: 'file', id: 'modularity-file', accept: '.csv,.npy,.txt', 'aria-label': 'Activity file (T rows × M units, CSV or NPY)' });
    const info = el('p', { class: 'note', id: 'modularity-source-info' },
      'Demo: 60 units in 4 planted modules, 20 windows; 2 units change module at each window. Upload T rows × M units (CSV or NPY) to analyse your own activity.');
    const demo = el('button', { type: 'button', id: 'modularity-demo' }, 'Use demo activity');
    // Activity from a running model: any panel publishes T × N matrices to the store.
    const modelRow = el('div', { style: 'display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-top:.4rem' });
    const pick = el('select', { id: 'modularity-model', 'aria-label': 'Activity published by a model panel', style: 'flex:1 1 220px;min-width:0;max-width:100%' });
    const take = el('button', { type: 'button', id: 'modularity-take' }, 'Take activity from a running model');
    take.title = 'Analyse the states recorded by a model panel (e.g. the Dynamics panel’s live simulation): T samples × N units.';
    modelRow.append(take, pick);
    const refreshModels = () => {
      const list = listActivities();
      pick.replaceChildren(...(list.length ? list.map((a, i) => new Option(`${a.label}: ${a.t} × ${a.n}`, String(i)))
        : [new Option('no model activity yet — run Dynamics (or HebbFF) first', '')]));
      take.disabled = pick.disabled = !list.length;
    };
    refreshModels();
    const unsubscribe = onActivity(() => { if (!src.isConnected) { unsubscribe(); return; } const k = pick.value; refreshModels(); if (k) pick.value = '0'; });
    src.append(file, demo, modelRow, info);
    root.append(src);
    const fc = plotCard(root, { id: 'mod-fc', title: 'Functional connectivity (mean over windows)', matrix: true, note: 'Pearson correlation of units, averaged over windows, rows and columns ordered by the consensus communities (black borders).' });
    const alg = plotCard(root, { id: 'mod-allegiance', title: 'Module allegiance', matrix: true, note: 'Fraction of windows and runs in which two units share a community (Bassett et al.), same order.' });
    const ras = plotCard(root, { id: 'mod-raster', title: 'Communities per window', json: true, note: 'Each row is a window (layer), each column a unit; colour = multilayer community. Colour changes down a column are what flexibility counts.' });
    const flex = plotCard(root, { id: 'mod-flex', title: 'Node flexibility', note: 'Fraction of consecutive windows in which a unit changes community (Bassett et al. 2011), mean over runs.' });
    const hist = plotCard(root, { id: 'mod-hist', title: 'Activation histogram', note: 'All activations pooled; the readout gives moments, mean pairwise correlation and the entropy ½ log det(2πeΣ) of a fitted Gaussian.' });
    // A visible notice on the community cards when the result has no
    // structure beyond the inter-layer coupling (so allegiance and
    // flexibility are not read as modules).
    const notices = [alg, ras, flex].map((c) => {
      const n = el('p', { class: 'warning', role: 'status', style: 'margin:.25rem 0;padding:.3rem .5rem;border-left:4px solid #b35c00;background:#fff3e0;color:#5a2e00;font-size:13px' });
      n.hidden = true;
      c.card.querySelector('h2')?.after(n);
      return n;
    });
    const showNotices = (ws) => {
      const text = ws.length ? `⚠ ${ws.join(' · ')} — allegiance and flexibility here need not reflect modules.` : '';
      for (const n of notices) { n.textContent = text; n.hidden = !text; }
    };
    let last = null;
    const run = async (values) => {
      last = values;
      // The core's ActivityParams and PlantedParams (src/modularity), as the wasm takes them.
      const params = { window: values.window, step: values.step > 0 ? values.step : null,
        multilayer: { omega: values.omega, gamma_pos: [values.gamma], gamma_neg: [values.gammaNeg], runs: values.runs, seed: values.seed } };
      const planted = { units: 60, modules: 4, windows: 20, window: values.window, drift: 2, noise: 1.0, seed: values.seed };
      const args = { params, planted, seed: values.seed, null: values.null === 'none' ? '' : values.null, nullSamples: values.nullSamples };
      if (taken && taken.t < Math.max(2, values.window)) {
        // Say what to do, not only that the core's window check failed.
        throw new Error(`${taken.label} has ${taken.t} samples so far, fewer than one window Z = ${values.window}: let the model run longer and take its activity again, or lower window Z.`);
      }
      if (taken) args.activity = { t: taken.t, n: taken.n, data: taken.data.slice() };
      else if (uploaded) args.bytes = uploaded.bytes.slice(0);
      const r = await busy('Multilayer communities', 'multilayer', args);
      const from = taken ? `${taken.label}: ` : uploaded ? `File ${uploaded.name}: ` : 'Demo activity: ';
      info.textContent = from + `${r.t} samples × ${r.m} units → ${r.layers} windows.` + (r.warnings ? ` ⚠ ${r.warnings}` : '');
      info.dataset.source = taken ? 'model' : uploaded ? 'file' : 'demo';
      fc.setMatrix(r.nodes, r.nodes, r.fc);
      alg.setMatrix(r.nodes, r.nodes, r.allegiance);
      const L = r.layers; const N = r.nodes;
      ras.setJson({
        source: from.replace(/: $/, ''), samples: r.t, units: r.m, window: values.window, step: values.step, omega: values.omega,
        gamma_pos: values.gamma, gamma_neg: values.gammaNeg, runs: values.runs, seed: values.seed,
        q: r.q, q_intra: r.qIntra, q_inter: r.qInter, floor: r.floor, q_singletons: r.qSingletons, q_one_community: r.qOneCommunity,
        n_communities: r.nCommunities, system_flexibility: r.systemFlexibility, warnings: r.mlWarnings, null: r.null ?? null,
        labels: Array.from({ length: L }, (_, l) => Array.from(r.labels.subarray(l * N, (l + 1) * N))),
        communities_per_layer: Array.from(r.perLayer), flexibility: Array.from(r.flexibility),
        allegiance: Array.from({ length: N }, (_, i) => Array.from(r.allegiance.subarray(i * N, (i + 1) * N))),
      });
      const order = r.order;
      await fc.draw((m, c) => m.drawCommunityHeatmap(c, r.nodes, r.fc, order, r.borders, `FC, ${r.nodes} units`));
      await alg.draw((m, c) => m.drawCommunityHeatmap(c, r.nodes, r.allegiance, order, r.borders, 'allegiance'));
      await ras.draw((m, c) => m.drawRaster(c, r.layers, r.labels, order, `${r.layers} windows × ${r.nodes} units`));
      const fo = Float64Array.from(order, i => r.flexibility[i]);
      await flex.draw((m, c) => m.drawBars(c, fo, 0, 1, `system flexibility ${r.systemFlexibility.toFixed(3)}`, 'unit (community order)', 'flexibility'));
      const w = r.actEdges[1] - r.actEdges[0];
      await hist.draw((m, c) => m.drawBars(c, r.actCounts, r.actEdges[0], w, 'activations', 'activation', 'count'));
      const pl = Array.from(r.perLayer);
      const floorText = r.floor === 'louvain' ? 'Louvain (beat both trivial partitions)' : r.floor === 'singletons' ? 'unit-constant singletons (beat every Louvain run)' : 'one community (beat every Louvain run)';
      const nl = r.null;
      const nullText = nl ? ` · ${nl.kind} null (K = ${nl.samples}): Q_null ${nl.q_mean.toFixed(4)} ± ${nl.q_sd.toFixed(4)}, z = ${nl.z == null ? '—' : nl.z.toFixed(2)}, p = ${nl.p.toFixed(3)}` : '';
      ras.readout.textContent = `Q = ${r.q.toFixed(4)} = q_intra ${r.qIntra.toFixed(4)} (within windows) + q_inter ${r.qInter.toFixed(4)} (inter-layer coupling) · ${r.nCommunities} communities · per window ${Math.min(...pl)}–${Math.max(...pl)} · floor: ${floorText}; Q of singletons ${r.qSingletons.toFixed(4)}, one community ${r.qOneCommunity.toFixed(4)}` + nullText;
      Object.assign(ras.readout.dataset, { qIntra: String(r.qIntra), qInter: String(r.qInter), floor: r.floor });
      if (nl) Object.assign(ras.readout.dataset, { nullKind: nl.kind, nullZ: String(nl.z), nullP: String(nl.p) });
      else { delete ras.readout.dataset.nullKind; delete ras.readout.dataset.nullZ; delete ras.readout.dataset.nullP; }
      ras.readout.dataset.warning = String(r.mlWarnings.some((w) => w.startsWith('no community structure')));
      showNotices(r.mlWarnings);
      ras.readout.dataset.q = String(r.q);
      ras.readout.dataset.communities = String(r.nCommunities);
      flex.readout.textContent = `system flexibility ${r.systemFlexibility.toFixed(4)}`;
      const s = r.stats; // the core's ActivityStats (the CLI's `stats` keys)
      hist.readout.textContent = `mean ${s.mean.toFixed(3)}, sd ${s.std.toFixed(3)}, skewness ${s.skewness.toFixed(3)}, excess kurtosis ${s.excess_kurtosis.toFixed(3)}, mean corr ${s.mean_correlation.toFixed(3)}, Gaussian entropy ${s.gaussian_entropy.toFixed(2)} nats` + (s.entropy_ridge > 0 ? ` (ridge ${s.entropy_ridge.toExponential(1)})` : '');
    };
    file.onchange = async () => {
      const f = file.files[0];
      if (!f) return;
      uploaded = { name: f.name, bytes: await f.arrayBuffer() };
      taken = null;
      if (last) await run(last);
    };
    demo.onclick = async () => { uploaded = null; taken = null; file.value = ''; if (last) await run(last); };
    take.onclick = async () => {
      const a = listActivities()[Number(pick.value) || 0];
      if (!a) return;
      taken = a; uploaded = null; file.value = '';
      if (last) await run(last);
    };
    return {
      update: run,
      /** The uploaded activity file ("Save state with data"), or null when the demo or a model's activity is shown. */
      exportData() { return uploaded && !taken ? { name: uploaded.name, bytes: new Uint8Array(uploaded.bytes) } : null; },
      /** A file from the shell (drop or Open file…): T × M activity, CSV or NPY. */
      async importFile(name, bytes) {
        uploaded = { name, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
        taken = null;
        if (last) await run(last);
      },
    };
  },
};
