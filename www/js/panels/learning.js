// @ts-check
// Learning panel — two learning regimes of small networks:
// (a) curl descent (Ninou, Kadmon & Cayco-Gajic 2025): a student–teacher
//     network where some neurons' plasticity is sign-flipped, against GD;
// (b) rich vs lazy learning (Liu et al., ICLR 2024): how much weights,
//     representations and the tangent kernel change as a function of the
//     initial recurrent weights' effective rank.
// Each section has its own Run button; the cards stay hidden until drawn.
import { plotCard, busy, el } from '../ui.js';

const MEASURES = [
  ['weight_change_rel', '‖ΔW‖/‖W₀‖'],
  ['rep_alignment', 'representation alignment'],
  ['kernel_alignment', 'tangent-kernel alignment'],
  ['sign_similarity', 'sign similarity'],
];

/** The core's curl keys from the panel's values (the CLI's flag names). */
export function curlArgs(v) {
  return {
    input_dim: v.d, teacher: v.m, student: v.k, flipped_l1: v.fl1, flipped_l2: v.fl2, side: v.side,
    init_scale: v.scale, lr: v.lr, epochs: v.epochs, seed: v.seed, scan_points: 0,
  };
}

/** Ranks requested by the `ranks` choice (`N` = full rank; 0 = task-aligned). */
export function rankList(v) {
  const r = v.ranks.split(',').map((s) => (s === 'N' ? v.n : Number(s))).filter((x) => x >= 1 && x <= v.n);
  return [...new Set(r)].concat(v.aligned ? [0] : []);
}

const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const fmt = (x, d = 3) => (x == null || !Number.isFinite(x) ? '—' : Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(d));

export default {
  id: 'learning',
  title: 'Learning',
  params: [
    { key: 'd', label: 'curl: input dim d', type: 'int', default: 10, min: 1, max: 200, help: 'Inputs x ~ N(0, I_d) of the student and the teacher.' },
    { key: 'm', label: 'curl: teacher width M', type: 'int', default: 20, min: 1, max: 200, help: 'Teacher hidden units (tanh). The Jacobian at the teacher solution needs K ≥ M.' },
    { key: 'k', label: 'curl: student width K', type: 'int', default: 20, min: 1, max: 200, help: 'Student hidden units; K > d is “expanding”, K < d “contracting” (paper).' },
    { key: 'fl1', label: 'curl: flipped in layer 1', type: 'int', default: 0, min: 0, max: 200, help: 'Neurons with sign-flipped plasticity in layer 1: inputs (col side) or hidden units (row side). The first ones are flipped.' },
    { key: 'fl2', label: 'curl: flipped in layer 2', type: 'int', default: 0, min: 0, max: 200, help: 'Layer 2: hidden units (col side) or the output (row side, at most 1).' },
    { key: 'side', label: 'curl: flip side', type: 'select', default: 'col', options: [
      { value: 'col', label: 'col (presynaptic)' }, { value: 'row', label: 'row (postsynaptic)' }],
    help: 'Which index of a weight carries the flipped neuron’s sign: its input (col) or its output (row).' },
    { key: 'scale', label: 'curl: init scale s', type: 'float', default: 1, min: 0.001, max: 10, step: 0.1, help: 'Student init W₁ ~ U(±s/√d), w₂ ~ U(±s/√K); the layer norms are kept fixed during learning (authors’ code).' },
    { key: 'lr', label: 'curl: learning rate η', type: 'float', default: 0.1, min: 0.0001, max: 10, step: 0.01, help: 'Full-batch step per epoch (one Euler step of the flow −D∇L of size η).' },
    { key: 'epochs', label: 'curl: epochs', type: 'int', default: 1000, min: 10, max: 20000, help: 'Training epochs (250 training samples, 100 test samples).' },
    { key: 'seed', label: 'curl: seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Teacher, student, data. Same seed → same numbers as `rnnscope curl --seed`.' },
    { key: 'task', label: 'rich/lazy: task', type: 'select', default: 'decision', options: [
      { value: 'decision', label: 'perceptual decision' }, { value: 'dms', label: 'delayed match-to-sample' }, { value: 'context', label: 'context-dependent decision' }],
    help: 'neurogym-style tasks defined natively (docs/methods/rich-lazy.md).' },
    { key: 'n', label: 'rich/lazy: units N', type: 'int', default: 32, min: 4, max: 128, help: 'Recurrent units (authors: 300).' },
    { key: 'ranks', label: 'rich/lazy: initial ranks', type: 'select', default: '1,4,16,N', options: [
      { value: '1,4,16,N', label: '1, 4, 16, N' }, { value: '1,2,4,8,16,N', label: '1, 2, 4, 8, 16, N' }, { value: '1,N', label: '1, N' }],
    help: 'W₀ = a Gaussian W (g = 1.25) truncated by SVD to rank r, rescaled to ‖W‖_F. N = full rank.' },
    { key: 'aligned', label: 'rich/lazy: add task-aligned W₀', type: 'bool', default: false, help: 'Also train the low-rank W₀ whose modes span the input/readout directions (the paper’s exception).' },
    { key: 'iters', label: 'rich/lazy: iterations', type: 'int', default: 300, min: 10, max: 5000, help: 'SGD (momentum 0.9) steps of 32 trials (authors: 10,000).' },
    { key: 'rlr', label: 'rich/lazy: learning rate', type: 'float', default: 0.03, min: 0.0001, max: 1, step: 0.01, help: 'SGD step size (decision: 0.03; dms/context: 0.1 in our results).' },
    { key: 'rseeds', label: 'rich/lazy: seeds per rank', type: 'int', default: 2, min: 1, max: 10, help: 'Runs per rank (seed, seed+1, …); points are means over seeds.' },
    { key: 'autorun', label: 'start on load', type: 'select', default: 'none', options: [
      { value: 'none', label: 'nothing' }, { value: 'curl', label: 'curl descent' }, { value: 'richlazy', label: 'rich vs lazy' }, { value: 'both', label: 'both' }],
    help: 'Presets use this to start the computation as soon as the page opens.' },
  ],

  mount(root, ctx) {
    let cfg = null;
    let autoDone = false;
    const section = (id, title, text, label) => {
      const box = el('div', { class: 'plot', id, style: 'grid-column: 1 / -1' });
      const btn = el('button', { type: 'button', id: `${id}-run` }, label);
      const status = el('span', { class: 'readout', id: `${id}-status`, style: 'margin-left: .5em' }, 'Not run yet.');
      box.append(el('h2', {}, title), el('p', { class: 'note' }, text), btn, status);
      root.append(box);
      return { btn, status };
    };
    const hide = (...cards) => { for (const c of cards) c.card.hidden = true; };

    // ---- (a) curl descent ----
    const ca = section('learn-curl', 'Curl descent: sign-flipped plasticity vs gradient descent',
      'A two-layer tanh student learns a teacher of the same form. Flipped neurons update with the opposite sign (Δθ = −η D ∇L, D = diag(±1)), which adds a non-gradient “curl” to the learning flow. The paper (Ninou, Kadmon & Cayco-Gajic 2025) finds small curl harmless, strong curl destabilising the solution manifold — chaotic learning in contracting networks (K < d), or faster escape from saddles in others. Our results (docs/results/curl-descent.md, n = 3–4 seeds per cell, d + K ≤ 50): stability lost and convergence falling as flips grow, chaos and lost performance in the contracting case — reproduced; the speed-up over GD was NOT reproduced at our scale.',
      'Run curl descent');
    const loss = plotCard(root, { id: 'learn-loss', title: 'Student–teacher loss: GD vs the flipped rule', json: true,
      note: 'Train and test ½·MSE (log scale) against epochs, for the flipped rule and for plain GD from the same student, data and batches. With no flipped neurons the two are the same run. The readout gives the time to 1 % of the initial loss for both.' });
    const spec = plotCard(root, { id: 'learn-jac', title: 'Learning-dynamics Jacobian at the teacher solution',
      note: 'Eigenvalues of the flow’s Jacobian −D H at the teacher (embedded in the student). Grey: all P; highlighted: the normal modes (the rest are zero modes along the solution manifold). Anything right of the line Re λ = 0 is an unstable direction: the solution manifold is no longer attracting.' });
    hide(loss, spec);
    const runCurl = async () => {
      const v = { ...cfg };
      const args = curlArgs(v);
      ca.btn.disabled = true;
      ca.status.dataset.state = 'running';
      ca.status.textContent = 'Training the student (flipped rule, GD baseline, Lyapunov shadow) and analysing the Jacobian…';
      try {
        const r = await busy('Curl descent', 'curl', args);
        loss.card.hidden = spec.card.hidden = false;
        const xs = Float64Array.from(r.epochs, (e) => Math.max(e, 1));
        const lg = (a) => Array.from(a, (x) => Math.log10(Math.max(x, 1e-300)));
        const series = [lg(r.train_loss), lg(r.test_loss)];
        const names = [`${r.rule} train`, `${r.rule} test`];
        if (r.gd) { series.push(lg(r.gd.train_loss), lg(r.gd.test_loss)); names.push('GD train', 'GD test'); }
        const ys = Float64Array.from(series.flat());
        await loss.draw((m, c) => m.drawLines(c, `K = ${v.k}, d = ${v.d}, flips ${v.fl1}/${v.fl2} (${v.side})`, 'epoch', 'log10 ½·MSE', xs, ys, names.join('\n'), new Uint32Array(0)));
        const gdT = r.gd ? r.gd.time_to_threshold : r.time_to_threshold;
        loss.readout.textContent = `final train ½·MSE ${fmt(r.final_train_loss, 6)} (GD ${fmt(r.gd ? r.gd.final_train_loss : r.final_train_loss, 6)}) · converged: ${r.converged ? 'yes' : 'no'}${r.diverged ? ' (diverged)' : ''} · time to threshold ${r.time_to_threshold ?? 'not reached'} vs GD ${gdT ?? 'not reached'}${r.speedup != null ? ` (speed-up ${fmt(r.speedup, 2)})` : ''}`;
        Object.assign(loss.readout.dataset, { finalTrain: String(r.final_train_loss), gdFinalTrain: String(r.gd ? r.gd.final_train_loss : r.final_train_loss), converged: String(r.converged) });
        loss.setJson({ ...r, eig: undefined });
        const j = r.jacobian;
        if (j) {
          const full = r.eig;
          const hi = Float64Array.from(j.normal_eigenvalues.flat());
          await spec.draw((m, c) => m.drawSpectrumWith(c, full.length ? full : hi, hi, NaN, 0, `P = ${j.n_params}: ${j.normal_dim} normal, ${j.zero_modes} zero modes`));
        } else {
          spec.card.hidden = true;
        }
        const ly = r.lyapunov;
        spec.readout.textContent = (j ? `max Re (normal modes) ${fmt(j.max_re_normal, 5)} · ${j.stable ? 'stable' : 'unstable'} at the teacher` : (r.notes[0] ?? '')) +
          ` · λ_max (Lyapunov) ${ly ? `${fmt(ly.per_unit_time, 5)} per unit time` : '—'}`;
        Object.assign(spec.readout.dataset, { maxRe: String(j?.max_re_normal ?? NaN), lyapunov: String(ly?.per_unit_time ?? NaN) });
        ca.status.dataset.state = 'done';
        ca.status.textContent = `${r.rule}: P = ${r.n_params} parameters, ${v.epochs} epochs.` + (r.notes.length ? ` Note: ${r.notes.join('; ')}` : '');
      } catch (e) {
        ca.status.dataset.state = e.name === 'AbortError' ? 'cancelled' : 'error';
        ca.status.textContent = e.message;
        if (e.name !== 'AbortError') ctx.showError(e);
      } finally {
        ca.btn.disabled = false;
      }
    };

    // ---- (b) rich vs lazy ----
    const rl = section('learn-rl', 'Rich vs lazy learning by the initial rank',
      'A rate RNN starts from W₀ = a Gaussian W truncated to rank r (rescaled to the same ‖W‖_F) and trains on the task. Lazy learning changes little — weights, hidden representations (alignment of the activity Gram matrices before/after), the tangent kernel (its alignment before/after) and activity signs stay close to the start; rich learning changes them. The paper (Liu et al., ICLR 2024) finds high-rank W₀ lazy and low-rank W₀ rich, except task-aligned low-rank W₀ (lazy). Our results (docs/results/rich-lazy.md, N = 64, 4 seeds, 1500 iterations): kernel and representation alignment rise with rank in most tasks (reproduced); weight change falls with rank only weakly (decision, p = 0.05); our task-aligned W₀ changed MORE, not less — the exception did NOT reproduce. This page runs a smaller, faster version.',
      'Run rich vs lazy');
    const meas = plotCard(root, { id: 'learn-rl', title: 'Change during learning vs effective rank of W₀', json: true,
      note: 'Each line: a measure (mean over seeds) against the realised effective rank (Σs²)²/Σs⁴ of W₀. Alignments and sign similarity near 1 = lazy; low = rich. The readout gives Spearman’s ρ (p) of each measure against the initial rank over all runs (as `rnnscope richlazy`); the table below lists each W₀, the task-aligned one included if run.' });
    const table = el('table', { id: 'learn-rl-table', class: 'readout' });
    meas.card.insertBefore(table, meas.tools);
    hide(meas);
    const runRl = async () => {
      const v = { ...cfg };
      const ranks = rankList(v);
      const args = {
        params: { task: v.task, n: v.n, iters: v.iters, lr: v.rlr, probe: 64, ntk_trials: 8 },
        ranks, seeds: v.rseeds, seed: v.seed,
      };
      rl.btn.disabled = true;
      rl.status.dataset.state = 'running';
      rl.status.textContent = `Training ${ranks.length * v.rseeds} networks…`;
      try {
        const r = await busy('Rich vs lazy', 'richLazy', args, {
          onProgress: (done, total) => { rl.status.textContent = `Trained ${done}/${total} networks…`; },
        });
        meas.card.hidden = false;
        const rows = ranks.map((rank) => {
          const runs = r.runs.filter((x) => x.rank === rank);
          const row = { rank, effective_rank: mean(runs.map((x) => x.effective_rank)), runs: runs.length };
          for (const k of ['weight_change', 'weight_change_rel', 'rep_alignment', 'kernel_alignment', 'sign_similarity', 'accuracy']) row[k] = mean(runs.map((x) => x[k]));
          return row;
        });
        const ranked = rows.filter((x) => x.rank > 0).sort((a, b) => a.effective_rank - b.effective_rank);
        const xs = Float64Array.from(ranked, (x) => x.effective_rank);
        const ys = Float64Array.from(MEASURES.flatMap(([k]) => ranked.map((x) => x[k])));
        await meas.draw((m, c) => m.drawLines(c, `${v.task}, N = ${v.n}, ${v.iters} iterations`, 'effective rank of W₀', 'measure', xs, ys, MEASURES.map((x) => x[1]).join('\n'), new Uint32Array(0)));
        const head = el('tr');
        for (const h of ['W₀', 'eff. rank', '‖ΔW‖_F', '‖ΔW‖/‖W₀‖', 'rep. align', 'kernel align', 'sign sim', 'accuracy']) head.append(el('th', {}, h));
        table.replaceChildren(head, ...rows.map((x) => {
          const tr = el('tr', { 'data-rank': String(x.rank), 'data-kernel-alignment': String(x.kernel_alignment) });
          for (const c of [x.rank ? `rank ${x.rank}` : 'task-aligned', fmt(x.effective_rank, 2), fmt(x.weight_change), fmt(x.weight_change_rel), fmt(x.rep_alignment), fmt(x.kernel_alignment), fmt(x.sign_similarity), fmt(x.accuracy, 2)]) tr.append(el('td', {}, c));
          return tr;
        }));
        const t = r.trends;
        meas.readout.textContent = t.weight_change
          ? 'Spearman vs initial rank: ' + [['weight_change', '‖ΔW‖'], ...MEASURES.slice(1)].map(([k, l]) => `${l} ρ = ${fmt(t[k].rho, 2)} (p = ${fmt(t[k].p, 3)})`).join(' · ') + ` · n = ${t.weight_change.n}`
          : 'Spearman trend needs at least 3 runs over 2 or more ranks.';
        if (t.kernel_alignment) meas.readout.dataset.rhoKernel = String(t.kernel_alignment.rho);
        meas.setJson({ params: args, runs: r.runs, per_rank: rows, trends: t });
        rl.status.dataset.state = 'done';
        rl.status.textContent = `${r.runs.length} networks trained.`;
      } catch (e) {
        rl.status.dataset.state = e.name === 'AbortError' ? 'cancelled' : 'error';
        rl.status.textContent = e.message;
        if (e.name !== 'AbortError') ctx.showError(e);
      } finally {
        rl.btn.disabled = false;
      }
    };
    ca.btn.onclick = () => { runCurl(); };
    rl.btn.onclick = () => { runRl(); };
    return {
      /** Parameters changed: remember them; a preset's autorun starts once. */
      async update(values) {
        cfg = values;
        if (!autoDone) {
          autoDone = true;
          const a = values.autorun;
          // Not awaited: the shell's update queue must not wait for a long job.
          (async () => {
            if (a === 'curl' || a === 'both') await runCurl();
            if (a === 'richlazy' || a === 'both') await runRl();
          })();
        }
      },
    };
  },
};
