// Small DOM helpers shared by panels: plot cards, readouts, busy jobs.
import { call } from './wasm.js';
import { runJob, cancelAll } from './worker-client.js';

/** Create an element with attributes and text (text only: never HTML). */
export function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A plot card: title, canvas, optional readout, a "what am I looking at"
 * note and a PNG export button. Returns { card, canvas, readout, draw }.
 * `draw(fn)` sizes the canvas to its box and runs fn(wasmModule, canvas).
 */
export function plotCard(parent, { id, title, note }) {
  const card = el('div', { class: 'plot', id: `plot-${id}` });
  card.append(el('h2', {}, title));
  const canvas = el('canvas', { id: `canvas-${id}`, role: 'img', 'aria-label': title });
  const readout = el('div', { class: 'readout', id: `readout-${id}` });
  const tools = el('div', { class: 'tools' });
  const png = el('button', { type: 'button' }, 'PNG');
  png.title = 'Download this plot as PNG';
  png.onclick = () => canvas.toBlob(b => download(b, `rnnscope-${id}.png`));
  tools.append(png);
  card.append(canvas, readout, el('p', { class: 'note' }, note), tools);
  parent.append(card);
  const draw = (fn) => call((mod) => {
    const r = canvas.getBoundingClientRect();
    canvas.width = Math.max(50, Math.round(r.width));
    canvas.height = Math.max(50, Math.round(r.height));
    fn(mod, canvas);
  });
  return { card, canvas, readout, tools, draw };
}

/** Save a Blob under a file name. */
export function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Run a worker job, showing progress, ETA and a Cancel button in the header. */
export async function busy(label, job, args, opts = {}) {
  const box = document.getElementById('job');
  const bar = document.getElementById('job-progress');
  const text = document.getElementById('job-text');
  const start = performance.now();
  box.hidden = false;
  bar.value = 0;
  text.textContent = label;
  document.getElementById('job-cancel').onclick = cancelAll;
  try {
    return await runJob(job, args, {
      ...opts,
      onProgress(done, total, partial) {
        bar.value = total ? done / total : 0;
        const el = (performance.now() - start) / 1000;
        const eta = done > 0 && total ? el * (total - done) / done : NaN;
        text.textContent = `${label} ${done}/${total}` + (Number.isFinite(eta) ? ` · ${eta.toFixed(1)} s left` : '');
        opts.onProgress?.(done, total, partial);
      },
    });
  } finally {
    box.hidden = true;
  }
}
