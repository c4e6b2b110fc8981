// @ts-check
// Motifs panel — the 13 directed three-node motifs: counts coloured by
// stability level, z-scores against a null model, per-node participation,
// and instances highlighted in a small network drawing.
import { currentW, setCurrentW } from '../store.js';
import { plotCard, busy, el } from '../ui.js';
import { call } from '../wasm.js';
import { prepareImport } from '../import.js';

/** " (top 10% |w|, cut 0.412)" for a thresholded matrix, else "". */
function thresholdText(t) {
  if (!t || !t.applied) return '';
  const rule = t.rule.mode === 'abs' ? `|w| ≥ ${t.cut}` : `strongest ${+(100 * t.rule.keep).toPrecision(3)}% of |w|, cut ${t.cut.toPrecision(3)}`;
  return ` (${rule}: ${t.kept} of ${t.nonzero_before} weights kept)`;
}

const NAMES = ['021U', '021C', '021D', '111D', '030T', '111U', '030C', '120D', '201', '120C', '120U', '210', '300'];

export default {
  id: 'motifs',
  title: 'Motifs',
  params: [
    { key: 'source', label: 'network', type: 'select', default: 'random', options: [{ value: 'random', label: 'random G(N, p)' }, { value: 'file', label: 'uploaded file' }, { value: 'rnn', label: 'current RNN W (Dynamics / Training)' }], help: 'A random directed graph, the file chosen below (matrix CSV/NPY or edge list with header source,target[,weight]), or the W last built in the Dynamics panel or trained in the Training panel.' },
    { key: 'threshold', label: 'weights → edges', type: 'select', default: 'auto', options: [
      { value: 'auto', label: 'strongest fraction if dense' }, { value: 'keep', label: 'strongest fraction' },
      { value: 'abs', label: '|w| ≥ t' }, { value: 'none', label: 'every non-zero entry' }],
    help: 'How a weight matrix (file or RNN W) becomes a graph. A dense W is a complete graph: every triad is motif 13. "Strongest fraction if dense" keeps the largest |w| when more than half the off-diagonal entries are non-zero, else every non-zero entry (BCT threshold_proportional / threshold_absolute; edge lists keep every listed edge).' },
    { key: 'keep', label: 'strongest fraction kept', type: 'float', default: 0.1, min: 0.001, max: 1, step: 0.01, help: 'Fraction of the N(N − 1) off-diagonal entries kept, largest |w| first (ties at the cut are kept).' },
    { key: 'minAbs', label: 'weight threshold t', type: 'float', default: 0.1, min: 0, max: 1e6, step: 0.01, help: 'With "|w| ≥ t": keep the entries with |w| ≥ t.' },
    { key: 'n', label: 'N (random)', type: 'int', default: 30, min: 3, max: 5000, help: 'Nodes of the random graph.' },
    { key: 'density', label: 'density p (random)', type: 'float', default: 0.1, min: 0, max: 1, step: 0.01, help: 'Each ordered pair i ≠ j is an edge with probability p.' },
    { key: 'seed', label: 'seed (random)', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Same seed → same random graph.' },
    { key: 'rnn', label: 'RNN orientation', type: 'bool', default: false, help: 'Off: A[i][j] ≠ 0 is the edge i → j (networkx/BCT). On: W[i][j] is the weight from j to i (dh_i/dt = Σ_j W_ij φ(h_j)), so the edge is j → i.' },
    { key: 'null', label: 'null model', type: 'select', default: 'swap', options: [{ value: 'none', label: 'none' }, { value: 'swap', label: 'degree-preserving swaps' }, { value: 'er', label: 'Erdős–Rényi (same density)' }], help: 'z-scores compare the counts with random graphs from this model.' },
    { key: 'samples', label: 'null samples', type: 'int', default: 40, min: 2, max: 1000, help: 'More samples: steadier z-scores, longer wait (runs in the worker).' },
    { key: 'nullSeed', label: 'null seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Seed of the null samples (same as rnnscope motifs --seed).' },
  ],

  mount(root, ctx) {
    let bytes = null;
    let fileName = '';
    let last = null;
    let selected = -1;
    let xrange = [0, 1];

    const file = el('input', { type: 'file', id: 'motif-file', accept: '.csv,.npy,.npz,.safetensors,.mat,.txt' });
    const fileWrap = el('div', { class: 'ctl' });
    fileWrap.append(el('label', { for: 'motif-file' }, 'matrix / edge-list file'), file);
    ctx.controls.append(fileWrap);
    const useFile = (name, data) => {
      bytes = data;
      fileName = name;
      const sel = /** @type {HTMLSelectElement} */ (document.getElementById('ctl-source'));
      sel.value = 'file';
      sel.dispatchEvent(new Event('change'));
    };
    /**
     * A file with the import dialog's answers: `opts.rnn` sets the orientation.
     * A square matrix also becomes the current RNN W (RNN convention) for the other panels.
     */
    const takeFile = async (name, data, opts = {}) => {
      const cb = /** @type {HTMLInputElement} */ (document.getElementById('ctl-rnn'));
      if (typeof opts.rnn === 'boolean' && cb.checked !== opts.rnn) { cb.checked = opts.rnn; cb.dispatchEvent(new Event('change')); }
      const rnn = cb.checked;
      await call((m) => {
        let x;
        try { x = m.Matrix.fromBytes(data); } catch { return; } // an edge list: not a W
        try {
          if (x.rows !== x.cols) return;
          const t = rnn ? x : x.transpose();
          try { setCurrentW(t.rows, t.data(), `${name} (imported in Motifs)`); } finally { if (t !== x) t.free(); }
        } finally { x.free(); }
      });
      useFile(name, data);
    };
    file.addEventListener('change', async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        const p = await prepareImport(f.name, new Uint8Array(await f.arrayBuffer()), 'Motifs');
        if (p) await takeFile(p.label, p.bytes, p.opts);
      } catch (e) { ctx.showError(new Error(`${f.name}: ${e instanceof Error ? e.message : String(e)}`)); }
      file.value = '';
    });

    const bars = plotCard(root, {
      id: 'motif-counts', title: 'Motif counts by stability level',
      note: 'Instances of each connected three-node motif (induced subgraphs; ids as in the Brain Connectivity Toolbox). Colour = stability level of the motif as a linear system with negative self-terms: level 1 (blue) is stable whenever W11, W22, W33 < 0; level 2 (orange) also needs the 2×2 condition W11·W22 − W12·W21 > 0 of its mutual pair; level 3 (dark wine) needs the full Routh–Hurwitz conditions. The digit inside each glyph is its level. Click a bar, or focus the chart and use the arrow keys and Enter, to highlight its instances below.',
    });
    const zs = plotCard(root, {
      id: 'motif-z', title: 'z-scores against the null model',
      note: 'z = (count − null mean) / null std. Positive: the motif is over-represented compared with random graphs of the chosen kind. n/a: the null never varies for that motif.',
    });
    const heat = plotCard(root, {
      id: 'motif-nodes', title: 'Per-node participation', matrix: true,
      note: 'Row m, column u: how many instances of motif m contain node u (BCT\'s F matrix).',
    });
    const net = plotCard(root, {
      id: 'motif-net', title: 'Network',
      note: 'Nodes on a circle (N ≤ 300 and at most 5,000 edges). The instances of the selected motif are drawn in its level\'s colour.',
    });

    async function drawNet() {
      if (!last) return;
      if (!last.edges) {
        net.readout.textContent = `N = ${last.n}, ${last.m} edges: too large to draw (limits 300 nodes, 5,000 edges)`;
        return;
      }
      await net.draw((m, canvas) => {
        let triples = new Uint32Array(0);
        if (selected >= 0) {
          const g = m.MotifGraph.fromEdges(last.n, last.edges);
          try { triples = new Uint32Array(g.instances(selected, 200)); } finally { g.free(); }
        }
        const level = selected >= 0 ? last.table[selected].level : 1;
        const title = selected >= 0 ? `motif ${selected + 1} (${NAMES[selected]}): ${last.counts[selected]} instances` : `N = ${last.n}, ${last.m} edges — click a motif bar`;
        m.drawMotifNetwork(canvas, last.n, last.edges, triples, level, title);
        net.readout.textContent = selected >= 0 ? `${triples.length / 3} instance(s) highlighted${triples.length / 3 < last.counts[selected] ? ' (first 200)' : ''}` : '';
        net.readout.dataset.highlighted = String(triples.length / 3);
      });
    }

    async function drawBars() {
      await bars.draw((m, canvas) => {
        const log = Math.max(...last.counts) > 200;
        xrange = m.drawMotifBars(canvas, last.counts, `${last.label}: N = ${last.n}, ${last.m} edges`, log ? 'instances (log)' : 'instances', log, selected);
      });
    }

    const select = async (k) => {
      selected = k;
      try { await drawBars(); await drawNet(); } catch (e) { ctx.showError(e); }
      const t = last?.table;
      bars.canvas.setAttribute('aria-label', k >= 0 && t
        ? `Motif counts by stability level; selected motif ${k + 1} (${NAMES[k]}), level ${t[k].level}, ${last.counts[k]} instances`
        : 'Motif counts by stability level; use the arrow keys to select a motif');
    };
    bars.canvas.addEventListener('click', async (ev) => {
      if (!last) return;
      const r = bars.canvas.getBoundingClientRect();
      const x = (ev.clientX - r.left) * (bars.canvas.width / r.width);
      const k = Math.floor(13 * (x - xrange[0]) / (xrange[1] - xrange[0]));
      if (k < 0 || k > 12) return;
      await select(selected === k ? -1 : k);
    });
    // Keyboard: the bar chart is one focus stop; arrows move the selection,
    // Home/End jump, Enter/Space toggle it, Escape clears it.
    bars.canvas.tabIndex = 0;
    bars.canvas.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight Home End Enter Escape');
    let cursor = 0;
    bars.canvas.addEventListener('keydown', async (ev) => {
      if (!last) return;
      let k = null;
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') k = selected < 0 ? cursor : Math.min(12, selected + 1);
      else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') k = selected < 0 ? cursor : Math.max(0, selected - 1);
      else if (ev.key === 'Home') k = 0;
      else if (ev.key === 'End') k = 12;
      else if (ev.key === 'Enter' || ev.key === ' ') k = selected >= 0 ? -1 : cursor;
      else if (ev.key === 'Escape') k = -1;
      if (k === null) return;
      ev.preventDefault();
      if (k >= 0) cursor = k;
      await select(k);
    });

    /** The shared RNN W as NPY bytes, read in RNN orientation (thresholded in the worker like a file). */
    async function rnnSource() {
      const cur = currentW();
      if (!cur) throw new Error('No RNN yet: build one in the Dynamics panel, train one in the Training panel or import a W, then come back.');
      const npy = await call((m) => { const w = new m.Matrix(cur.n, cur.n, cur.data); try { return w.toNpy(); } finally { w.free(); } });
      return { source: 'file', bytes: npy, rnn: true, label: cur.source };
    }

    const warn = el('p', { id: 'motif-warning', class: 'warning', role: 'status', hidden: '' });
    bars.readout.before(warn);
    /** Clear the previous network's plots while new work runs. */
    function clearPlots(text) {
      for (const c of [bars, zs, heat, net]) {
        const g2 = c.canvas.getContext('2d');
        if (g2) { g2.fillStyle = '#fff'; g2.fillRect(0, 0, c.canvas.width, c.canvas.height); }
        c.readout.textContent = '';
        for (const k of Object.keys(c.readout.dataset)) delete c.readout.dataset[k];
      }
      bars.readout.textContent = text;
      warn.hidden = true;
      last = null;
    }
    let confirmed = null; // the args a user agreed to run despite the estimate
    const sameArgs = (a, b) => !!a && !!b && Object.keys(a).every((k) => a[k] === b[k]);

    return {
      /** The uploaded matrix/edge list ("Save state with data") while "network" is the file, else null. */
      exportData() {
        const src = /** @type {HTMLSelectElement | null} */ (document.getElementById('ctl-source'));
        return bytes && src?.value === 'file' ? { name: fileName, bytes } : null;
      },
      /**
       * A file from the shell (drop or Open file…): a matrix (NPY bytes of the
       * chosen array, or CSV) or an edge list. `opts.rnn`: the orientation
       * answered in the import dialog (true = W[i][j] is j → i).
       */
      async importFile(name, data, opts = {}) { await takeFile(name, data, opts); },
      async update(v) {
        let src = { source: v.source, bytes, rnn: v.rnn, label: v.source === 'file' ? fileName : 'random G(N, p)' };
        if (v.source === 'rnn') src = await rnnSource();
        const threshold = v.threshold === 'keep' || v.threshold === 'auto' ? { mode: v.threshold, keep: v.keep }
          : v.threshold === 'abs' ? { mode: 'abs', min_abs: v.minAbs } : { mode: 'none' };
        const args = {
          source: src.source, bytes: src.bytes, rnn: src.rnn, n: v.n, density: v.density, seed: v.seed,
          nullModel: v.null, samples: v.samples, nullSeed: v.nullSeed, threshold,
        };
        // What the user agreed to run: the same settings and the same matrix (file bytes or shared W).
        const key = { ...args, bytes: v.source === 'rnn' ? currentW() : args.bytes, threshold: JSON.stringify(threshold) };
        clearPlots('Counting motifs…');
        const r = await busy(v.null === 'none' ? 'Counting motifs' : 'Motifs + null samples', 'motifAnalyse', { ...args, confirmed: sameArgs(confirmed, key) });
        const what = thresholdText(r.threshold);
        if (r.density.warning) { warn.textContent = `Warning: ${r.density.warning}`; warn.hidden = false; }
        warn.dataset.density = String(r.density.density);
        warn.dataset.complete = String(r.density.complete);
        if (r.needsConfirm) {
          bars.readout.textContent = `${src.label}${what}: N = ${r.n}, ${r.m} edges. Estimated ${Math.round(r.estimate.total_seconds)} s (census ${r.estimate.census_seconds.toFixed(1)} s + ${r.estimate.null_samples} null samples). `;
          bars.readout.dataset.estimate = String(r.estimate.total_seconds);
          const go = el('button', { type: 'button', id: 'motif-run-anyway' }, `Run anyway (≈ ${Math.round(r.estimate.total_seconds)} s)`);
          go.onclick = () => { confirmed = key; ctx.rerun(); };
          bars.readout.append(go, ' or threshold the weights, or use fewer null samples.');
          return;
        }
        const table = await call((m) => JSON.parse(m.motifTable()));
        last = { ...r, table, label: src.label };
        if (selected >= 0 && !(last.counts[selected] > 0)) selected = -1;
        await drawBars();
        const byLevel = [0, 0, 0];
        table.forEach((t, i) => { byLevel[t.level - 1] += last.counts[i]; });
        bars.readout.textContent = `${src.label}${what} · by level: 1 → ${byLevel[0]}, 2 → ${byLevel[1]}, 3 → ${byLevel[2]}`;
        bars.readout.dataset.levels = byLevel.join(',');
        bars.readout.dataset.edges = String(r.m);
        bars.readout.dataset.counts = Array.from(last.counts).join(',');
        const z = r.stats ? Array.from(r.stats.z) : null;
        bars.setTable('Motif counts', ['motif', 'name', 'level', 'instances', ...(z ? ['z'] : [])],
          table.map((t, i) => [i + 1, NAMES[i], t.level, last.counts[i], ...(z ? [Number.isFinite(z[i]) ? z[i].toFixed(2) : 'n/a'] : [])]));
        if (r.stats) {
          const { z } = r.stats;
          await zs.draw((m, canvas) => m.drawMotifBars(canvas, z, `z vs ${v.null === 'swap' ? 'degree-preserving swaps' : 'Erdős–Rényi'}, ${v.samples} samples`, 'z', false, selected));
          zs.readout.textContent = Array.from(z).map((x, i) => `${NAMES[i]} ${Number.isFinite(x) ? x.toFixed(2) : 'n/a'}`).join(' · ');
          zs.readout.dataset.z = Array.from(z).join(',');
          zs.card.hidden = false;
        } else {
          zs.card.hidden = true;
        }
        await heat.draw((m, canvas) => {
          m.drawMotifParticipation(canvas, r.n, r.participation, 'instances containing node u');
        });
        heat.readout.textContent = `13 motifs × ${r.n} nodes (row m = motif id m + 1)`;
        heat.setMatrix(13, r.n, r.participation);
        await drawNet();
      },
    };
  },
};
