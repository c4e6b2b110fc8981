// @ts-check
// Training panel — train a rate RNN by BPTT + Adam in the worker, with live
// loss/accuracy curves, pause/resume and cancel, then an example trial.
import { setCurrentW } from '../store.js';
import { plotCard, el } from '../ui.js';
import { runJob } from '../worker-client.js';
import { mountRl } from './training-rl.js';
import { mountGroups } from './training-groups.js';

const KEY = 'panel';
const EVAL_SEED = 424242; // TrainParams::default().eval_seed (the example trial uses EVAL_SEED + 7)

/**
 * The page's settings as the core's TrainParams (one object, the keys of
 * `rnnscope train`'s flags): same seed and settings → same run as the CLI.
 * @param {Record<string, any>} cfg
 */
export function trainParams(cfg) {
  return {
    task: cfg.task, n: cfg.n, batch: cfg.batch, lr: cfg.lr, iters: cfg.iters,
    stop_at_accuracy: cfg.target, input_noise: cfg.noise < 0 ? undefined : cfg.noise,
    truncate: cfg.truncate, seed: cfg.seed, lambda: cfg.l2,
    motif_reg: cfg.motifreg === 'none' ? '' : cfg.motifreg,
    eval_every: 10, eval_trials: 128, eval_seed: EVAL_SEED,
  };
}

export default {
  id: 'training',
  title: 'Training',
  params: [
    { key: 'task', label: 'task', type: 'select', default: 'flipflop', options: [
      { value: 'flipflop', label: '3-bit flip-flop' }, { value: 'sine', label: 'sine generation' }, { value: 'decision', label: 'two-choice decision' }],
      help: 'Flip-flop: hold the sign of the last ±1 pulse on each of 3 channels. Sine: a static cue sets the period. Decision: report the sign of noisy evidence.' },
    { key: 'n', label: 'N (units)', type: 'int', default: 32, min: 2, max: 256, help: 'Hidden units of h ← h + α(−h + W tanh h + W_in x + b) + noise, α = 0.2.' },
    { key: 'batch', label: 'batch', type: 'int', default: 16, min: 1, max: 256, help: 'Trials per Adam step (fresh seeded trials every step).' },
    { key: 'lr', label: 'learning rate', type: 'float', default: 0.02, min: 0.0001, max: 1, step: 0.001, help: 'Adam step size; gradients clipped to global norm 1.' },
    { key: 'iters', label: 'max iterations', type: 'int', default: 3000, min: 10, max: 100000, help: 'Training stops here at the latest.' },
    { key: 'target', label: 'stop at accuracy', type: 'float', default: 0.95, min: 0, max: 1, step: 0.01, help: 'Stop when held-out accuracy (128 trials) reaches this (0: never).' },
    { key: 'noise', label: 'input noise σ', type: 'float', default: -1, min: -1, max: 5, step: 0.05, help: '−1: task default (flip-flop 0.1, sine 0, decision 1.0).' },
    { key: 'truncate', label: 'BPTT window', type: 'int', default: 0, min: 0, max: 2500, help: '0: full BPTT; k: gradients flow back at most k steps.' },
    { key: 'motifreg', label: 'motif regularisation', type: 'select', default: 'none', help: 'Poster: loss = task − λ Σ_m sign_m c_m(W) with differentiable motif counts c_m; “enrich” raises a stability level’s motifs, “suppress” lowers them. “none” with λ > 0 uses λ·½‖W‖².', options: [
      { value: 'none', label: 'none (λ: L2 on W)' }, { value: 'level1:+1', label: 'enrich level 1' }, { value: 'level3:+1', label: 'enrich level 3' },
      { value: 'level1:-1', label: 'suppress level 1' }, { value: 'level3:-1', label: 'suppress level 3' }] },
    { key: 'l2', label: 'λ (penalty weight)', type: 'float', default: 0, min: 0, max: 10, step: 0.0001, help: 'Weight of the penalty chosen above (motif regulariser, or ½‖W‖² when none); 1e-3 moves motif counts strongly.' },
    { key: 'seed', label: 'seed', type: 'int', default: 1, min: 0, max: 4294967295, help: 'Same seed and settings → same run as `rnnscope train` with the same flags (e.g. --seed, --lambda, --motif-reg).' },
    // ---- reinforcement learning ----
    { key: 'rliters', label: 'rl: updates', type: 'int', default: 200, min: 1, max: 100000, help: 'Reinforcement learning (one policy and the RL group experiment): Adam updates per network, each on a fresh seeded batch of bandit episodes. Uses N, seed, motif regularisation and λ above (one policy); the group experiment uses the experiment: settings.' },
    { key: 'rlbatch', label: 'rl: episodes per update', type: 'int', default: 16, min: 1, max: 1024, help: 'Episodes of 50 trials per update.' },
    { key: 'rllr', label: 'rl: learning rate', type: 'float', default: 0.01, min: 0.0001, max: 1, step: 0.001, help: 'Adam step size for the policy; gradients clipped to global norm 1.' },
    // ---- group experiments (poster) ----
    { key: 'xkind', label: 'experiment', type: 'select', default: 'both', options: [
      { value: 'both', label: 'noise sweep + perturbation' }, { value: 'noise', label: 'noise sweep' }, { value: 'perturb', label: 'perturbation (kick)' }, { value: 'rl', label: 'reinforcement learning' }],
      help: 'Which poster experiment the group comparison runs (as `rnnscope train-experiment both|noise|perturb|rl`).' },
    { key: 'xgroups', label: 'experiment: groups', type: 'select', default: 'level1:+1,level3:+1', options: [
      { value: 'level1:+1,level3:+1', label: 'Level-1 vs Level-3 enriched' }, { value: 'level1:+1,level3:+1,matched', label: 'Level-1, Level-3, norm-matched' },
      { value: 'none,level3:+1', label: 'unregularised vs Level-3' }, { value: 'none,level3:+1,matched', label: 'unregularised, Level-3, norm-matched' }],
      help: 'Groups compared. Norm-matched: no motif preference, ‖W‖_F held (by rescaling after every step) to the Level-3 group’s mean, so a difference is not just weight scale.' },
    { key: 'xn', label: 'experiment: N', type: 'int', default: 16, min: 3, max: 256, help: 'Hidden units of every network in the group experiment (at least 3: the perturbation experiment projects on 3 PCs).' },
    { key: 'xseeds', label: 'experiment: seeds per group', type: 'int', default: 4, min: 2, max: 20, help: 'Networks per group; network k of every group starts from seed + k (same initial W and batches). At least 2 for the tests.' },
    { key: 'xiters', label: 'experiment: steps per network', type: 'int', default: 300, min: 1, max: 100000, help: 'Adam steps per network for the supervised experiments (no early stop, so every network gets the same training). RL uses “rl: updates”.' },
    { key: 'xlambda', label: 'experiment: motif λ', type: 'float', default: 0.001, min: 0, max: 10, step: 0.0001, help: 'Weight of the motif regulariser: loss = task − λ Σ_{m in level} c_m(W).' },
    { key: 'xnoisekind', label: 'experiment: noise kind', type: 'select', default: 'input', options: [
      { value: 'input', label: 'input noise' }, { value: 'recurrent', label: 'recurrent η_i(t)' }],
      help: 'What the noise sweep varies: noise on the task input, or the poster’s η_i(t) in the hidden state (σ√α per Euler step).' },
    { key: 'xkick', label: 'experiment: kick size', type: 'float', default: 0.5, min: 0, max: 20, step: 0.05, help: 'Perturbation ‖δh‖ = kick·√N added to the hidden state at step 50 (RMS kick per unit).' },
  ],

  mount(root, ctx) {
    const bar = el('div', { class: 'tools', id: 'training-controls', style: 'grid-column: 1 / -1' });
    const start = el('button', { type: 'button', id: 'train-start' }, 'Start');
    const pause = el('button', { type: 'button', id: 'train-pause', disabled: '' }, 'Pause');
    const cancel = el('button', { type: 'button', id: 'train-cancel', disabled: '' }, 'Cancel');
    const status = el('span', { id: 'train-status', class: 'readout', style: 'margin-left: 0.75em' }, 'Press Start to train.');
    bar.append(start, pause, cancel, status);
    root.append(bar);
    const curves = plotCard(root, { id: 'train-loss', title: 'Loss', note: 'Masked mean squared error per Adam step averaged over each chunk of 10 steps on the training batches (indigo), and on 128 fixed held-out trials (light cyan).' });
    const accCard = plotCard(root, { id: 'train-acc', title: 'Accuracy', note: 'Flip-flop: fraction of (step, channel) with the right sign from 3 steps after a pulse. Sine: fraction within 0.25 of the target. Decision: fraction of trials with the right sign in the response period.' });
    const exIn = plotCard(root, { id: 'train-inputs', title: 'Example trial: inputs', note: 'A held-out trial (noisy inputs).' });
    const exOut = plotCard(root, { id: 'train-outputs', title: 'Example trial: outputs and targets', note: 'Each channel has one colour: the flat steps are the target, the wiggly line the network output. Masked steps (before the first pulse) are not drawn.' });

    let cfg = null;
    let hist = null;
    let state = 'idle';
    let t0 = 0;
    let computeMs = 0;

    const setState = (s, text) => {
      state = s;
      status.dataset.state = s;
      if (text) status.textContent = text;
      start.disabled = s === 'running';
      start.textContent = s === 'paused' ? 'Resume' : 'Start';
      pause.disabled = s !== 'running';
      cancel.disabled = !(s === 'running' || s === 'paused');
    };

    const drawCurves = async () => {
      const xs = new Float64Array(hist.evalIter);
      if (!xs.length) return;
      await curves.draw((m, c) => m.drawLines(c, 'loss', 'iteration', 'MSE', xs,
        new Float64Array([...hist.trainLoss, ...hist.evalLoss]), 'training batch\nheld out', new Uint32Array([0, 1])));
      await accCard.draw((m, c) => m.drawLines(c, 'accuracy', 'iteration', 'accuracy', xs,
        new Float64Array([...hist.trainAcc, ...hist.evalAcc]), 'training batch\nheld out', new Uint32Array([0, 1])));
    };

    const drawExample = async () => {
      const { ex, w, n } = await runJob('trainExample', { key: KEY, seed: EVAL_SEED + 7 });
      setCurrentW(n, w, `Training: ${cfg.task}, N = ${n}, seed ${cfg.seed}`);
      const { steps: T, inputs: I, outputs: O } = ex;
      const at = (arr, k, width) => Array.from({ length: T }, (_, t) => arr[t * width + k]);
      const xs = new Float64Array(Array.from({ length: T }, (_, t) => t));
      const ins = [], inNames = [];
      for (let k = 0; k < I; k++) { ins.push(...at(ex.x, k, I)); inNames.push(`input ${k + 1}`); }
      const outs = [], outNames = [];
      for (let k = 0; k < O; k++) {
        const mask = at(ex.mask, k, O);
        outs.push(...at(ex.target, k, O).map((v, t) => (mask[t] > 0 ? v : NaN)));
        outNames.push(`target ${k + 1}`);
      }
      for (let k = 0; k < O; k++) { outs.push(...at(ex.y, k, O)); outNames.push(`output ${k + 1}`); }
      await exIn.draw((m, c) => m.drawLines(c, 'inputs', 'time step', 'x', xs, new Float64Array(ins), inNames.join('\n'), new Uint32Array(0)));
      await exOut.draw((m, c) => m.drawLines(c, 'outputs vs targets', 'time step', 'y', xs, new Float64Array(outs), outNames.join('\n'), new Uint32Array([...Array(O).keys(), ...Array(O).keys()])));
      exOut.readout.textContent = `${T} steps, ${O} output${O > 1 ? 's' : ''}`;
    };

    const loop = async () => {
      setState('running', 'Training…');
      try {
        while (state === 'running') {
          // Chunks of 10 (the CLI's --eval-every), the last one cut at the limit.
          const done = hist.evalIter.length ? hist.evalIter[hist.evalIter.length - 1] : 0;
          const k = Math.max(1, Math.min(10, cfg.iters - done));
          const r = await runJob('trainChunk', { key: KEY, k });
          computeMs += r.ms;
          const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
          const iter = r.steps.iter[r.steps.iter.length - 1];
          hist.evalIter.push(iter);
          hist.trainLoss.push(mean(r.steps.loss));
          hist.trainAcc.push(mean(r.steps.accuracy));
          hist.evalLoss.push(r.evalLoss);
          hist.evalAcc.push(r.evalAcc);
          const secs = (performance.now() - t0) / 1000;
          status.dataset.iter = String(iter);
          status.dataset.acc = String(r.evalAcc);
          // Full precision (String(x) round-trips): `rnnscope train` with the
          // same settings reports the same bits (held_out, curve.loss[-1]).
          status.dataset.loss = String(r.evalLoss);
          status.dataset.trainLoss = String(r.steps.loss[r.steps.loss.length - 1]);
          status.dataset.seconds = secs.toFixed(2);
          status.textContent = `iteration ${iter} · loss ${r.evalLoss.toFixed(4)} · held-out accuracy ${(100 * r.evalAcc).toFixed(1)}% · ${secs.toFixed(1)} s (${(computeMs / iter).toFixed(1)} ms/iteration in the worker) · soft motif counts by level 1/2/3: ${r.levels.map((c) => c.toFixed(0)).join(' / ')}`;
          status.dataset.levels = JSON.stringify(r.levels);
          await drawCurves();
          const { reached } = r; // the core's stop-at-accuracy rule (TrainParams::reached)
          if (reached || iter >= cfg.iters) {
            setState('done', `${status.textContent} — ${reached ? `reached ${(100 * cfg.target).toFixed(0)}%` : 'iteration limit reached'}.`);
            await drawExample();
            status.dataset.example = '1';
          }
        }
        if (state === 'paused') await drawExample();
      } catch (e) {
        if (e.name === 'AbortError') setState('cancelled', 'Cancelled.');
        else { setState('error', e.message); ctx.showError(e); }
      }
    };

    start.onclick = async () => {
      if (state === 'paused') { t0 = performance.now() - Number(status.dataset.seconds || 0) * 1000; loop(); return; }
      hist = { evalIter: [], trainLoss: [], trainAcc: [], evalLoss: [], evalAcc: [] };
      computeMs = 0;
      delete status.dataset.example;
      try {
        await runJob('trainStart', { key: KEY, params: trainParams(cfg) });
      } catch (e) { setState('error', e.message); ctx.showError(e); return; }
      t0 = performance.now();
      loop();
    };
    pause.onclick = () => setState('paused', `${status.textContent} — paused.`);
    cancel.onclick = async () => {
      setState('cancelled', 'Cancelled.');
      try { await runJob('trainFree', { key: KEY }); } catch { /* worker already gone */ }
    };

    const rl = mountRl(root, ctx, () => cfg);
    const experiments = mountGroups(root, ctx, () => cfg);
    // Empty axes until there is something to show (a preset or link opens
    // this panel with every plot framed and labelled).
    let framed = false;
    const frame = async () => {
      framed = true;
      await empty(curves, 'loss — press Start', 'iteration', 'MSE');
      await empty(accCard, 'accuracy — press Start', 'iteration', 'accuracy');
      await empty(exIn, 'inputs (after training)', 'time step', 'x');
      await empty(exOut, 'outputs vs targets (after training)', 'time step', 'y');
      await rl.frame();
    };

    return {
      async update(values) {
        cfg = values;
        rl.update();
        if (!framed) await frame();
        await experiments.update(values);
        if (state === 'running' || state === 'paused') {
          setState('cancelled', 'Settings changed — press Start to train with them.');
          try { await runJob('trainFree', { key: KEY }); } catch { /* ignore */ }
        } else setState('idle', state === 'idle' ? 'Press Start to train.' : status.textContent);
      },
    };
  },
};

/** Draw a card's empty, labelled axes. */
function empty(card, title, xlab, ylab) {
  return card.draw((m, c) => m.drawLines(c, title, xlab, ylab, new Float64Array([0, 1]), new Float64Array([NaN, NaN]), '', new Uint32Array(0)));
}
