// @ts-check
// The Lyapunov card of the Dynamics panel: the K largest Lyapunov exponents
// of the current W (the core's lyapunov_spectrum, Benettin/QR, run in the
// worker), λ1 and the Kaplan–Yorke dimension, also shown beside the live PR.
import { plotCard, busy, el } from '../ui.js';

/** Above this N the spectrum is computed only on request (O(steps · N² · K)). */
export const LYAP_AUTO_N = 200;
const K = 10;
const STEPS = 4000;
const BURN = 1000;

export function lyapunovCard(root, live) {
  const card = plotCard(root, { id: 'lyapunov', title: 'Lyapunov exponents (chaos test)', json: true,
    note: `The ${K} largest Lyapunov exponents λ1 ≥ λ2 ≥ … of dh/dt = −h/τ + W φ(h) (no noise, no input: the autonomous network), by the Benettin/QR method on the Jacobian −I/τ + W·diag φ′(h(t)) (Engelken, Wolf & Abbott 2023): ${BURN} burn-in steps, then ${STEPS} steps of dt = min(0.05, τ/10), re-orthonormalised every 10 steps; the seed draws h0 and the tangent vectors. λ1 > 0: chaos (nearby trajectories separate); λ1 < 0: a stable fixed point. Kaplan–Yorke dimension D_KY = j + (λ1 + … + λj)/|λ_{j+1}| with j the largest index whose partial sum is ≥ 0 (0 when λ1 < 0; a lower bound “≥ K” when all K partial sums are positive). CLI: rnnscope lyapunov --k ${K} --steps ${STEPS} --burn ${BURN}.` });
  const run = el('button', { type: 'button', id: 'lyapunov-run' }, 'Compute');
  card.tools.prepend(run);
  card.canvas.hidden = true;
  let values = null;

  async function compute(v) {
    values = v;
    const { kind, n, g, a, b, seed, tau, phi, w, what } = v;
    live.setBeside('λ1: computing…');
    delete card.readout.dataset.lambda1;
    const r = await busy('Lyapunov exponents', 'dynLyapunov', { w, kind, n, g, a, b, seed, tau, phi, k: K, steps: STEPS, burn: BURN });
    const ex = r.exponents;
    const l1 = ex[0];
    const dky = r.kaplan_yorke_dimension;
    const dkyText = `${r.kaplan_yorke_lower_bound ? '≥ ' : ''}${dky.toFixed(2)}`;
    const verdict = l1 > 0.005 ? 'chaotic' : l1 < -0.005 ? 'not chaotic (stable)' : 'marginal (λ1 ≈ 0: limit cycle or edge of chaos)';
    card.readout.textContent = `λ1 = ${l1.toFixed(4)} (${verdict}) · Kaplan–Yorke dimension ${dkyText} · λ1…λ${ex.length}: ${Array.from(ex, (x) => x.toFixed(3)).join(', ')} · T = ${r.time.toFixed(0)} τ`;
    Object.assign(card.readout.dataset, { lambda1: String(l1), kaplanYorke: String(dky), lowerBound: String(r.kaplan_yorke_lower_bound), k: String(ex.length) });
    live.setBeside(`λ1 = ${l1.toFixed(3)} · D_KY = ${dkyText} (Lyapunov card)`);
    card.canvas.hidden = false;
    const idx = Float64Array.from(ex, (_, i) => i + 1);
    await card.draw((m, c) => m.drawLines(c, what ?? `${kind}, N = ${n}, g = ${g}, seed ${seed}`, 'index i', 'λ_i',
      idx, Float64Array.from([...ex, ...ex.map(() => 0)]), 'Lyapunov exponents λ_i\nλ = 0', Uint32Array.of(0, 7)));
    card.setJson(r);
  }

  run.onclick = async () => {
    if (!values) return;
    run.disabled = true;
    try { await compute(values); } catch (e) { if (e.name !== 'AbortError') throw e; } finally { run.disabled = false; }
  };

  return {
    /** Compute for the network just built (panel values). */
    async run(v) {
      try { await compute(v); } catch (e) { if (e.name !== 'AbortError') throw e; }
    },
    /** Large N: wait for the button. */
    idle(v, n) {
      values = v;
      card.canvas.hidden = true;
      card.readout.textContent = `N = ${n} > ${LYAP_AUTO_N}: press “Compute” (about ${Math.round((n / 100) ** 2)} s).`;
      delete card.readout.dataset.lambda1;
      live.setBeside('λ1: see the Lyapunov card');
    },
  };
}
