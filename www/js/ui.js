// @ts-check
// Small DOM helpers shared by panels: plot cards, readouts, busy jobs.
import { call } from './wasm.js';
import { runJob, cancelAll } from './worker-client.js';

/**
 * Create an element with attributes and text (text only: never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A plot card: title, canvas, optional readout, a "what am I looking at"
 * note and export buttons: PNG (the canvas), SVG (the same chart rendered by
 * plotters' SVG backend), and with `matrix: true` CSV/NPY of the matrix set by
 * `setMatrix(rows, cols, data)` (written by the Rust writers in src/io), with
 * `json: true` the result set by `setJson(obj)`.
 * Returns { card, canvas, readout, tools, draw, setMatrix, setJson }.
 * `draw(fn)` sizes the canvas to its box and runs fn(wasmModule, canvas).
 */
export function plotCard(parent, { id, title, note, matrix = false, json = false }) {
  const card = el('div', { class: 'plot', id: `plot-${id}` });
  card.append(el('h2', {}, title));
  // The canvas is described by its readout (the numbers as text), its note and,
  // where a panel fills one with setTable, a table of the numbers behind it.
  const canvas = el('canvas', { id: `canvas-${id}`, role: 'img', 'aria-label': title, 'aria-describedby': `readout-${id} note-${id}` });
  const readout = el('div', { class: 'readout', id: `readout-${id}` });
  const tableBox = el('details', { class: 'table', id: `table-${id}`, hidden: '' });
  const tools = el('div', { class: 'tools' });
  const button = (kind, label, help) => {
    const b = el('button', { type: 'button', 'data-export': kind }, label);
    b.title = help;
    tools.append(b);
    return b;
  };
  let lastDraw = null;
  let mat = null;
  let result = null;
  // Disabled until something is drawn: no transparent PNGs of empty cards.
  const png = button('png', 'PNG', 'Download this plot as PNG');
  png.disabled = true;
  png.onclick = () => canvas.toBlob(b => download(b, `rnnscope-${id}.png`));
  const svg = button('svg', 'SVG', 'Download this plot as SVG (vector; same chart, drawn by the SVG backend)');
  svg.disabled = true;
  svg.onclick = async () => {
    const text = await call((mod) => {
      mod.beginSvg();
      try { lastDraw(mod, canvas); } catch (e) { try { mod.takeSvg(); } catch { /* nothing captured */ } throw e; }
      return mod.takeSvg();
    });
    download(new Blob([text], { type: 'image/svg+xml' }), `rnnscope-${id}.svg`);
  };
  let csv = null; let npy = null;
  if (matrix) {
    const save = async (kind) => {
      const { rows, cols, data } = mat;
      const out = await call((m) => {
        const w = new m.Matrix(rows, cols, data);
        try { return kind === 'csv' ? w.toCsv() : w.toNpy(); } finally { w.free(); }
      });
      download(new Blob([out], { type: kind === 'csv' ? 'text/csv' : 'application/octet-stream' }), `rnnscope-${id}.${kind}`);
    };
    csv = button('csv', 'CSV', 'Download the matrix as CSV (rows × columns, unit order as computed)');
    npy = button('npy', 'NPY', 'Download the matrix as NumPy .npy (float64)');
    csv.onclick = () => save('csv');
    npy.onclick = () => save('npy');
    csv.disabled = npy.disabled = true;
  }
  let js = null;
  if (json) {
    js = button('json', 'JSON', 'Download the numbers behind this plot as JSON');
    js.disabled = true;
    js.onclick = () => download(new Blob([JSON.stringify(result, null, 1)], { type: 'application/json' }), `rnnscope-${id}.json`);
  }
  card.append(canvas, readout, tableBox, el('p', { class: 'note', id: `note-${id}` }, note), tools);
  parent.append(card);
  const draw = (fn) => call((mod) => {
    const r = canvas.getBoundingClientRect();
    // The lesson view draws at 80 % and lets the browser scale up: chart text 1.25× larger.
    const k = document.body.classList.contains('lesson') ? 0.8 : 1;
    canvas.width = Math.max(50, Math.round(r.width * k));
    canvas.height = Math.max(50, Math.round(r.height * k));
    fn(mod, canvas);
    // Cold-load metric: the first chart on screen (tests/e2e/cold-load.test.mjs).
    if (!performance.getEntriesByName('rnnscope:first-chart', 'mark').length) performance.mark('rnnscope:first-chart');
    lastDraw = fn;
    svg.disabled = png.disabled = false;
  });
  const setMatrix = (rows, cols, data) => {
    mat = { rows, cols, data: Float64Array.from(data) };
    if (csv) csv.disabled = npy.disabled = false;
  };
  const setJson = (obj) => { result = obj; if (js) js.disabled = false; };
  /**
   * Show the numbers behind the chart as a table (collapsed under the readout)
   * and add it to the canvas's description.
   * @param {string} caption @param {string[]} head @param {(string | number)[][]} rows
   */
  const setTable = (caption, head, rows) => {
    const table = el('table');
    table.append(el('caption', { class: 'visually-hidden' }, caption));
    const hr = el('tr');
    for (const h of head) hr.append(el('th', { scope: 'col' }, h));
    table.append(el('thead'), el('tbody'));
    table.tHead.append(hr);
    for (const r of rows) {
      const tr = el('tr');
      r.forEach((v, i) => tr.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, String(v))));
      table.tBodies[0].append(tr);
    }
    const wrap = el('div');
    wrap.append(table);
    tableBox.replaceChildren(el('summary', {}, `${caption} (table)`), wrap);
    tableBox.hidden = false;
    canvas.setAttribute('aria-describedby', `readout-${id} table-${id} note-${id}`);
  };
  return { card, canvas, readout, tools, draw, setMatrix, setJson, setTable };
}

/** Save a Blob under a file name. */
export function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Run a worker job, showing progress, ETA and a Cancel button in the header.
 * @param {string} label
 * @param {string} job
 * @param {any} args
 * @param {{onProgress?: (done: number, total: number, partial?: any) => void, transfer?: Transferable[]}} [opts]
 */
export async function busy(label, job, args, opts = {}) {
  const box = document.getElementById('job');
  const bar = /** @type {HTMLProgressElement} */ (document.getElementById('job-progress'));
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
