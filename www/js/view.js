// @ts-check
// How a mounted panel is shown, besides the full page:
// - one figure for embedding: `#…&embed=1&plot=NAME` shows the card
//   `plot-NAME` alone, sized to the frame, with an "open in rnnscope" link;
//   `&controls=1` adds the parameters beside it (README, "Embedding").
// - the lesson view: `#…&lesson=1` shows a panel's key cards on one screen
//   with larger text and a caption that follows the parameters (LESSONS;
//   panels without a layout there only get the larger text).
import { el } from './ui.js';
import { writeHash } from './state.js';

/**
 * Lesson layouts: the card ids shown, in order (the first spans the width),
 * and a caption computed from the panel's current values.
 * @type {Record<string, {cards: string[], caption: (v: any) => string}>}
 */
export const LESSONS = {
  dynamics: { cards: ['live-controls', 'plot-spectrum', 'plot-traces'], caption: dynamicsCaption },
};

/** The plot names (`&plot=`) of the mounted panel: its cards `plot-NAME`. */
export function plotNames(root) {
  return [...root.children].filter((c) => c.id.startsWith('plot-')).map((c) => c.id.slice(5));
}

/**
 * Apply the view of `state` (embed, plot, controls, lesson) to the freshly
 * mounted panel in `root`. Returns a problem to show, or ''.
 * @param {{panel: string, values: any, embed: boolean, plot?: string, controls?: boolean, lesson?: boolean}} state
 * @param {HTMLElement} root
 */
export function applyView(state, root) {
  const body = document.body;
  const one = state.embed && state.plot ? document.getElementById(`plot-${state.plot}`) : null;
  let problem = '';
  if (state.embed && state.plot && !(one && root.contains(one))) {
    problem = `This panel has no plot “${state.plot}”; its plots are ${plotNames(root).join(', ')}. Showing them all.`;
  }
  const lesson = !state.embed && state.lesson ? LESSONS[state.panel] : undefined;
  body.classList.toggle('embed', state.embed);
  body.classList.toggle('embed-one', Boolean(one) && !problem);
  body.classList.toggle('embed-controls', Boolean(one) && !problem && Boolean(state.controls));
  body.classList.toggle('lesson', Boolean(state.lesson) && !state.embed);
  // The header (and its h1) is hidden in an embed: name the page for screen readers.
  document.getElementById('embed-h1')?.remove();
  if (state.embed) {
    const title = one && !problem ? one.querySelector('h2')?.textContent : state.panel;
    document.querySelector('main')?.prepend(el('h1', { id: 'embed-h1', class: 'visually-hidden' }, `rnnscope: ${title}`));
  }
  for (const c of root.children) { c.classList.remove('shown'); /** @type {HTMLElement} */ (c).style.order = ''; }
  if (one && !problem) {
    one.classList.add('shown');
    const full = { ...state, embed: false, plot: '', controls: false };
    const a = el('a', { id: 'embed-open', href: new URL(writeHash(full), location.href).href, target: '_blank', rel: 'noopener' }, 'open in rnnscope ↗');
    a.title = 'Open this figure with all its parameters and the other plots in a new tab';
    one.querySelector('h2')?.append(a);
  }
  if (lesson) {
    const box = el('div', { id: 'lesson-caption', class: 'shown', role: 'status' });
    box.style.order = '0';
    root.prepend(box);
    lesson.cards.forEach((id, i) => {
      const c = document.getElementById(id);
      if (c && root.contains(c)) { c.classList.add('shown'); c.style.order = String(i + 1); }
    });
    updateLesson(state);
  }
  return problem;
}

/** Refresh the lesson caption from the current values (no-op outside the lesson view). */
export function updateLesson(state) {
  const box = document.getElementById('lesson-caption');
  const lesson = LESSONS[state.panel];
  if (!box || !lesson) return;
  const leave = el('a', { id: 'lesson-leave', href: writeHash({ ...state, lesson: false }) }, 'Leave the lesson view');
  leave.title = 'Back to the full panel with every parameter and plot';
  box.replaceChildren(el('span', {}, lesson.caption(state.values) + ' '), leave);
  box.dataset.g = String(state.values.g);
}

/**
 * The edge-of-chaos caption for dh/dt = −h/τ + W φ(h) + I + η. For a
 * Gaussian W with variance g²/N the eigenvalues fill the disc |λ| ≤ g
 * (circular law) and h = 0 loses stability when the disc crosses
 * Re λ = 1/τ, i.e. at g·τ = 1 (Sompolinsky, Crisanti & Sommers 1988, with
 * time in units of τ); beyond it, with φ = tanh and no input, the network is
 * chaotic for large N.
 */
function dynamicsCaption(v) {
  const gt = v.g * v.tau;
  const fmt = (x) => String(Math.round(x * 100) / 100);
  const gtext = v.tau === 1 ? `g = ${fmt(v.g)}` : `g·τ = ${fmt(v.g)} × ${fmt(v.tau)} = ${fmt(gt)}`;
  const extra = [];
  if (v.sigma > 0) extra.push(`the noise σ = ${v.sigma} keeps the traces moving even where the quiet state is stable`);
  if (v.input !== 0) extra.push(`the input I = ${v.input} moves the fixed point away from h = 0`);
  const tail = extra.length ? ` Note: ${extra.join('; ')}.` : '';
  if (v.kind !== 'gaussian' || v.phi !== 'tanh') {
    return `${gtext}, ensemble ${v.kind}, φ = ${v.phi}: compare the blue eigenvalues with the red line Re λ = 1/τ — any to its right make h = 0 unstable. The edge-of-chaos story below is for the Gaussian ensemble with φ = tanh.${tail}`;
  }
  let body;
  if (gt < 0.95) body = `${gtext} < 1: every eigenvalue lies left of the red line Re λ = 1/τ, so the quiet state h = 0 is stable and the traces decay to zero.`;
  else if (gt <= 1.05) body = `${gtext} ≈ 1, the edge of chaos: the disc of eigenvalues touches the red line; h = 0 is only marginally stable and the traces decay very slowly.`;
  else body = `${gtext} > 1: eigenvalues cross the red line, h = 0 is unstable and the network fluctuates chaotically (for large N, φ = tanh, no input).`;
  return body + tail + ' Move the g slider to cross g·τ = 1.';
}
