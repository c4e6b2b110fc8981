// @ts-check
// The dimension / chaos sweep cards: PR of the rates φ(h) and the largest
// Lyapunov exponent λ1 against g, the random-mode exponent α or decay κ, or
// the left–right overlap ρ, with error bars (± s.e.m.) over seeds. Each point
// is the core's sweep_point (the CLI's `rnnscope sweep`), run in the worker
// with progress (Cancel in the header stops it).
import { plotCard, busy, el } from '../ui.js';

const GRIDS = {
  g: { param: 'g', values: [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3], label: 'gain g' },
  alpha: { param: 'alpha', values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2], label: 'power-law exponent α of s_a ∝ a^(−α)' },
  kappa: { param: 'kappa', values: [6, 12, 24, 48, 120], label: 'exponential decay κ of s_a ∝ e^(−a/κ)' },
  overlap: { param: 'rho', values: [-0.9, -0.6, -0.3, 0, 0.3, 0.6, 0.9], label: 'left–right overlap ρ = E[u_a·v_a]' },
};
const RANDOM_MODE = ['powerlaw', 'exponential', 'flat'];
/** Seeds per value (seeds 1…SEEDS draw W, h0 and the tangent vector). */
const SEEDS = 3;

/** The core's SweepParams keys (the CLI's `sweep` flags) for the panel's values. */
export function sweepArgs(v) {
  const grid = GRIDS[v.sweep] ?? GRIDS.g;
  const kind = v.sweep === 'alpha' ? 'powerlaw' : v.sweep === 'kappa' ? 'exponential'
    : RANDOM_MODE.includes(v.kind) ? v.kind : v.sweep === 'overlap' ? 'powerlaw' : 'gaussian';
  const args = {
    param: grid.param, values: grid.values, seeds: SEEDS, kind, n: Math.min(v.n, 200), g: v.g,
    rho: Math.abs(v.b) <= 1 ? v.b : 0, phi: v.phi, dt: 0.05, burn: 1000, samples: 400, every: 4,
    record: 'rates', max_lag: 100, lyap_steps: 2000,
  };
  if (kind === 'powerlaw') args.alpha = v.kind === 'powerlaw' && v.a >= 0 && v.a <= 10 ? v.a : 1;
  if (kind === 'exponential') args.kappa = v.kind === 'exponential' && v.a > 0 ? v.a : 20;
  return { args, grid };
}

const fmt = (s, d = 2) => (s ? `${s.mean.toFixed(d)} ± ${s.sem.toFixed(d)}` : '—');

export function sweepCard(root, getValues) {
  const card = plotCard(root, { id: 'sweep', title: 'Dimension sweep (PR of rates φ(h))', json: true,
    note: `Each point: a fresh W, h0 and tangent vector per seed (seeds 1–${SEEDS}), no noise, 1,000 burn-in steps (dt = 0.05, τ = 1), then 400 states every 4 steps; PR = (Σλ)²/Σλ² of the covariance of the rates φ(h) (as Clark et al. define the dimension). Line: mean over the seeds whose activity is not static; band: ± s.e.m. Seeds that settled on a fixed point have no PR (counted in the readout). g sweeps use the panel's ensemble if it is Gaussian or random-mode; α/κ sweeps use the random-mode model with the panel's g and ρ = b. N is capped at 200. The same sweep in the CLI: rnnscope sweep (docs/methods/random-mode.md).` });
  const lyap = plotCard(root, { id: 'sweep-lyap', title: 'Largest Lyapunov exponent λ1 in the sweep',
    note: 'λ1 by the Benettin method (one tangent vector renormalised every 10 steps, 2,000 measured steps after the same burn-in) for the same networks: λ1 > 0 is chaos, λ1 < 0 a stable fixed point or decay, λ1 ≈ 0 a limit cycle or the edge of chaos. Band: ± s.e.m. over seeds; grey line: λ1 = 0.' });
  const run = el('button', { type: 'button', id: 'sweep-run' }, 'Run sweep');
  card.tools.prepend(run);
  run.onclick = async () => {
    const v = getValues();
    const { args, grid } = sweepArgs(v);
    run.disabled = true;
    try {
      const r = await busy(`Sweep over ${grid.param}`, 'dynSweep', args);
      const xs = Float64Array.from(r.rows, (w) => w.value);
      const prM = Float64Array.from(r.rows, (w) => w.participation_ratio?.mean ?? NaN);
      const prS = Float64Array.from(r.rows, (w) => w.participation_ratio?.sem ?? 0);
      const lyM = Float64Array.from(r.rows, (w) => w.lambda1?.mean ?? NaN);
      const lyS = Float64Array.from(r.rows, (w) => w.lambda1?.sem ?? 0);
      const title = `${args.kind}, N = ${args.n}, φ = ${args.phi}, ${SEEDS} seeds`;
      card.canvas.hidden = false;
      lyap.canvas.hidden = false;
      await card.draw((m, c) => m.drawLinesBands(c, title, grid.label, 'PR of rates', xs, prM, prS,
        'PR of rates φ(h) (mean ± s.e.m.)', new Uint32Array(0)));
      await lyap.draw((m, c) => m.drawLinesBands(c, title, grid.label, 'λ1', xs,
        Float64Array.from([...lyM, ...xs.map(() => 0)]), Float64Array.from([...lyS, ...xs.map(() => 0)]),
        'λ1 (mean ± s.e.m.)\nλ1 = 0', Uint32Array.of(3, 7)));
      card.readout.textContent = r.rows.map((w) => `${w.value}: PR ${fmt(w.participation_ratio)} (eff. rank ${w.effective_rank.toFixed(1)}`
        + (w.static_seeds ? `, ${w.static_seeds}/${SEEDS} seeds static` : '') + ')').join(' · ');
      lyap.readout.textContent = r.rows.map((w) => `${w.value}: λ1 ${fmt(w.lambda1, 3)}`).join(' · ');
      card.readout.dataset.points = String(r.rows.length);
      card.readout.dataset.record = r.record;
      card.readout.dataset.pr = JSON.stringify(r.rows.map((w) => w.participation_ratio?.mean ?? null));
      card.readout.dataset.static = JSON.stringify(r.rows.map((w) => w.static_seeds));
      lyap.readout.dataset.points = String(r.rows.length);
      lyap.readout.dataset.lambda1 = JSON.stringify(r.rows.map((w) => w.lambda1?.mean ?? null));
      lyap.readout.dataset.sem = JSON.stringify(r.rows.map((w) => w.lambda1?.sem ?? null));
      card.setJson(r);
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    } finally {
      run.disabled = false;
    }
  };
  card.readout.textContent = 'Press “Run sweep” (N is capped at 200 for the sweep).';
  card.canvas.hidden = true; // no empty box before the first run
  lyap.canvas.hidden = true;
  lyap.readout.textContent = 'λ1 per value appears here after the sweep.';
  /** Run the sweep now (the `autoSweep` setting, used by presets). */
  card.start = () => run.onclick(new PointerEvent('click'));
  return card;
}
