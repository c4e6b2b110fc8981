// @ts-check
// Training panel, reinforcement learning: one policy network trained on the
// two-armed bandit with reversals (the core's RlRun, `rnnscope rl`) in the
// worker, in chunks of updates (progress between them; Cancel stops asking).
// Same seed and settings → the same numbers as `rnnscope rl` with the flags
// of rlParams.
import { plotCard, el } from '../ui.js';
import { runJob } from '../worker-client.js';

const KEY = 'rl';
const CHUNK = 10;

/**
 * The page's settings as the core's RlParams (the keys of `rnnscope rl`'s
 * flags; the other keys take the CLI's defaults).
 * @param {Record<string, any>} cfg
 */
export function rlParams(cfg) {
  const motif = cfg.motifreg === 'none' ? '' : cfg.motifreg;
  return {
    n: cfg.n, iters: cfg.rliters, batch: cfg.rlbatch, lr: cfg.rllr, seed: cfg.seed,
    motif_reg: motif, lambda: motif ? cfg.l2 : 0,
  };
}

/** The CLI flags equivalent to rlParams(cfg) (shown on the page, used by the e2e test). */
export function rlFlags(cfg) {
  const p = rlParams(cfg);
  const f = [`--n ${p.n}`, `--iters ${p.iters}`, `--batch ${p.batch}`, `--lr ${p.lr}`, `--seed ${p.seed}`];
  if (p.motif_reg) f.push(`--motif-reg ${p.motif_reg}`, `--lambda ${p.lambda}`);
  return f.join(' ');
}

/** Running mean over the last `w` values (NaN until w values exist). */
function running(xs, w) {
  const out = new Float64Array(xs.length).fill(NaN);
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    if (i >= w) s -= xs[i - w];
    if (i >= w - 1) out[i] = s / w;
  }
  return out;
}

export function mountRl(root, ctx, getCfg) {
  const bar = el('div', { class: 'tools', id: 'rl-controls', style: 'grid-column: 1 / -1; align-items: center; flex-wrap: wrap; gap: .5em' });
  const head = el('strong', {}, 'Reinforcement learning — two-armed bandit with reversals');
  const start = el('button', { type: 'button', id: 'rl-start' }, 'Train policy');
  const cancel = el('button', { type: 'button', id: 'rl-cancel', disabled: '' }, 'Cancel');
  const prog = el('progress', { id: 'rl-progress', max: '1', value: '0', 'aria-label': 'RL training progress' });
  const status = el('span', { id: 'rl-status', class: 'readout', role: 'status' }, 'Press Train policy to train the RNN as a policy (settings “N”, “seed”, “motif regularisation”, “λ” and the “rl:” controls).');
  bar.append(head, start, cancel, prog, status);
  root.append(bar);
  const card = plotCard(root, { id: 'rl-reward', title: 'Reward per trial during training', json: true,
    note: 'What am I looking at: the RNN (one Euler step per trial, α = 0.5) sees its previous action and reward and outputs two action logits and a value; it is trained by advantage actor-critic (REINFORCE with a learned baseline, Monte-Carlo returns γ = 0.5, entropy bonus 0.05) through BPTT, 16 episodes of 50 trials per update. The good arm pays 1 with probability 0.8, the other 0.2; they swap with probability 0.05 after each trial (Wang et al. 2018). Thin line: mean reward of each update’s episodes; thick: running mean over 20 updates; episodes to criterion = when that running mean first reaches 0.65. Chance is 0.5; an observer that knows the good arm gets 0.8. Same seed → the same numbers as `rnnscope rl` (JSON: its output, without seconds).' });

  let state = 'idle';
  const setState = (s, text) => {
    state = s;
    status.dataset.state = s;
    if (text) status.textContent = text;
    start.disabled = s === 'running';
    cancel.disabled = s !== 'running';
  };

  const draw = (reward) => {
    const xs = new Float64Array(reward.length).map((_, i) => i + 1);
    const ys = new Float64Array([...reward, ...running(reward, 20), ...new Float64Array(reward.length).fill(0.5)]);
    return card.draw((m, c) => m.drawLines(c, 'mean reward per trial', 'update', 'reward', xs, ys,
      'each update\nrunning mean (20 updates)\nchance', new Uint32Array([9, 0, 7])));
  };

  start.onclick = async () => {
    const cfg = getCfg();
    const t0 = performance.now();
    setState('running', 'Starting…');
    prog.value = 0;
    delete status.dataset.done;
    try {
      const { total } = await runJob('rlStart', { key: KEY, params: rlParams(cfg) });
      let done = 0;
      let last = null;
      while (done < total) {
        if (state !== 'running') return;
        last = await runJob('rlChunk', { key: KEY, k: CHUNK });
        // A chunk already running when Cancel was pressed still returns: drop it.
        if (state !== 'running') return;
        done = last.done;
        prog.value = done / total;
        const secs = (performance.now() - t0) / 1000;
        const tc = Number.isNaN(last.toCriterion) ? 'criterion not reached yet' : `criterion after ${last.toCriterion} episodes`;
        status.textContent = `update ${done}/${total} · reward ${last.reward[done - 1].toFixed(3)} · ${tc} · ${secs.toFixed(1)} s`;
        await draw(last.reward);
      }
      if (state !== 'running') return;
      const rep = JSON.parse((await runJob('rlReport', { key: KEY })).json);
      card.setJson(rep);
      const etc = rep.episodes_to_criterion;
      card.readout.textContent = `episodes to criterion (running mean ≥ ${rep.criterion} over ${rep.window} updates): ${etc ?? 'not reached'} · held-out reward ${rep.test_reward.toFixed(4)} (good arm chosen ${(100 * rep.test_good_choice).toFixed(1)}% of ${rep.test_episodes} episodes) · CLI: rnnscope rl ${rlFlags(cfg)}`;
      card.readout.dataset.episodesToCriterion = String(etc ?? '');
      status.dataset.done = '1';
      setState('done', `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${rep.iters} updates of ${rep.config.batch} episodes, N = ${rep.config.n}, seed ${rep.config.seed}.`);
    } catch (e) {
      if (state === 'cancelled') return;
      setState('error', e.message);
      ctx.showError(e);
    }
  };
  cancel.onclick = async () => {
    setState('cancelled', 'Cancelled.');
    try { await runJob('rlFree', { key: KEY }); } catch { /* worker already gone */ }
  };

  return {
    frame: () => card.draw((m, c) => m.drawLines(c, 'reward — press Train policy', 'update', 'reward',
      new Float64Array([0, 1]), new Float64Array([NaN, NaN]), '', new Uint32Array(0))),
    update() {
      if (state === 'running') {
        setState('cancelled', 'Settings changed — press Train policy to start again.');
        runJob('rlFree', { key: KEY }).catch(() => {});
      }
    },
  };
}
