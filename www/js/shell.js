// @ts-check
// Shell extras shared by every panel: file import (drag-and-drop anywhere or
// the file picker), state export/import as JSON, copy-link, and a first-visit
// tour. Files never leave the browser: they are read with File.arrayBuffer()
// and handed to the active panel's importFile(name, bytes).
import { el, download } from './ui.js';
import { prepareImport } from './import.js';

/**
 * Wire the controls column's footer. `ctx` gives getState(), setState(state),
 * activePanel(), showError(e), showNotice(msg).
 */
export function shellControls(ctx) {
  const box = el('div', { class: 'ctl actions', id: 'shell-actions' });
  const picker = el('input', { type: 'file', id: 'file-input', accept: '.csv,.npy,.npz,.safetensors,.mat,.json,.txt', hidden: '' });
  const open = el('button', { type: 'button', id: 'btn-open' }, 'Open file…');
  open.title = 'Load a matrix or activity (CSV, NPY, NPZ, safetensors, MAT v5), or a saved state (JSON). Nothing is uploaded: files stay in this browser.';
  open.onclick = () => picker.click();
  picker.onchange = () => { if (picker.files[0]) importFile(picker.files[0], ctx); picker.value = ''; };
  const save = el('button', { type: 'button', id: 'btn-state' }, 'Save state');
  save.title = 'Download the panel and every parameter as JSON; open it again to restore the same picture. An uploaded file is not included (use “Save state with data”).';
  save.onclick = () => {
    const s = ctx.getState();
    download(new Blob([JSON.stringify({ rnnscope: 1, panel: s.panel, values: s.values }, null, 2)], { type: 'application/json' }), `rnnscope-${s.panel}-state.json`);
    const up = uploaded(ctx);
    if (up) ctx.showNotice(`Saved the parameters only: the uploaded file ${up.name} is not in it. Use “Save state with data” to include it.`);
  };
  const saveData = el('button', { type: 'button', id: 'btn-state-data' }, 'Save state with data');
  saveData.title = 'One JSON file with every parameter and the uploaded matrix or activity (gzip-compressed, base64); opening it restores both.';
  saveData.onclick = async () => {
    try {
      const s = ctx.getState();
      const up = uploaded(ctx);
      const out = { rnnscope: 1, panel: s.panel, values: s.values };
      if (up) out.data = { name: up.name, ...(await packBytes(up.bytes)) };
      download(new Blob([JSON.stringify(out)], { type: 'application/json' }), `rnnscope-${s.panel}-state${up ? '-data' : ''}.json`);
      ctx.showNotice(up ? `Saved the parameters and ${up.name}.` : 'Saved the parameters (no uploaded data in this panel).');
    } catch (e) { ctx.showError(e); }
  };
  const link = el('button', { type: 'button', id: 'btn-link' }, 'Copy link');
  link.title = 'Copy a link that reproduces this exact picture (all parameters and the seed are in it; an uploaded file is not).';
  link.onclick = async () => {
    const up = uploaded(ctx);
    const warn = up ? ` It holds the parameters only: the uploaded file ${up.name} is not in it (use “Save state with data” to share it).` : '';
    try { await navigator.clipboard.writeText(location.href); ctx.showNotice(`Link copied.${warn}`); } catch { ctx.showNotice(`${location.href}${warn}`); }
  };
  box.append(open, save, saveData, link, picker);
  return box;
}

/** Route a file to the state loader (JSON) or the active panel. */
export async function importFile(file, ctx) {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (/\.json$/i.test(file.name)) {
      let s;
      try { s = JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { throw new Error(`${file.name}: not valid JSON (${e.message})`); }
      if (s && s.rnnscope === 1 && typeof s.panel === 'string') { await restoreState(s, ctx); return; }
      const panel = ctx.activePanel();
      if (panel.importFile) { await panel.importFile(file.name, bytes); return; }
      throw new Error(`${file.name}: not an rnnscope state file`);
    }
    const panel = ctx.activePanel();
    if (!panel.importFile) throw new Error(`The ${panel.title} panel does not take files; switch to a panel that analyses matrices or activity.`);
    let prepared;
    try {
      prepared = await prepareImport(file.name, bytes, panel.title);
    } catch (e) {
      throw new Error(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!prepared) return;
    await panel.importFile(prepared.label, prepared.bytes, prepared.opts);
  } catch (e) {
    ctx.showError(e);
  }
}

/** The active panel's uploaded data `{name, bytes}`, or null. */
function uploaded(ctx) {
  try { return ctx.activePanel().exportData?.() ?? null; } catch { return null; }
}

/** Bytes → base64 (in chunks: a spread of megabytes overflows the stack). */
function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** `{encoding, bytes}`: gzip when the browser has CompressionStream and it makes the file smaller. */
async function packBytes(bytes) {
  if (typeof CompressionStream === 'function') {
    const z = await pipe(bytes, new CompressionStream('gzip'));
    if (z.length < bytes.length) return { encoding: 'gzip+base64', bytes: toBase64(z) };
  }
  return { encoding: 'base64', bytes: toBase64(bytes) };
}

async function unpackBytes(data) {
  if (!data || typeof data.bytes !== 'string' || typeof data.name !== 'string') throw new Error('the state file\'s "data" needs "name" and "bytes"');
  let raw;
  try { raw = fromBase64(data.bytes); } catch { throw new Error('the state file\'s data is not valid base64'); }
  if (data.encoding === 'gzip+base64') {
    try { return await pipe(raw, new DecompressionStream('gzip')); } catch { throw new Error('the state file\'s data is not valid gzip'); }
  }
  if (data.encoding !== 'base64') throw new Error(`the state file's data has an unknown encoding ${JSON.stringify(String(data.encoding)).slice(0, 40)}`);
  return raw;
}

/**
 * Apply a saved state; with `data`, hand the file to the (re)mounted panel
 * once the new state is in place. The saved values already hold the
 * orientation etc., so no import questions are asked.
 */
async function restoreState(s, ctx) {
  const bytes = s.data ? await unpackBytes(s.data) : null;
  const changed = new Promise((resolve) => {
    const t = setTimeout(resolve, 500);
    addEventListener('hashchange', () => { clearTimeout(t); setTimeout(resolve, 0); }, { once: true });
  });
  ctx.setState(s);
  if (!bytes) return;
  await changed;
  const panel = ctx.activePanel();
  if (!panel.importFile) throw new Error(`The ${panel.title} panel does not take the saved file ${s.data.name}.`);
  await panel.importFile(s.data.name, bytes, {});
  ctx.showNotice(`Restored the parameters and ${s.data.name}.`);
}

/** Drop a file anywhere on the page. */
export function enableDrop(ctx) {
  addEventListener('dragover', (ev) => { ev.preventDefault(); document.body.classList.add('dragging'); });
  addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  addEventListener('drop', (ev) => {
    ev.preventDefault();
    document.body.classList.remove('dragging');
    const f = ev.dataTransfer?.files?.[0];
    if (f) importFile(f, ctx);
  });
}

const TOUR = [
  'Welcome to rnnscope. Each tab above is a panel: Motifs, Dynamics, Training, Modularity, HebbFF, Learning. The Presets menu reproduces figures from the papers in one click.',
  'The column on the left holds the parameters. Hover one for the formula it enters. Every change is saved in the link, so a copied link reproduces the same picture.',
  'Each plot has a note below it saying what to look for, and PNG and SVG buttons (matrices also as CSV and NPY). Long computations run in the background with a progress bar and a Cancel button.',
  'Drop a CSV, NPY, NPZ, safetensors or MATLAB file anywhere on the page to analyse your own matrix or activity (a file with several arrays lets you pick one). Files never leave your browser.',
];

/** A dismissable, non-modal tour shown on a first visit (not in embed mode). */
export function maybeTour(embed) {
  let seen = false;
  try { seen = localStorage.getItem('rnnscope-tour') === 'done'; } catch { /* storage blocked: show it */ }
  if (seen || embed) return;
  let step = 0;
  const card = el('div', { id: 'tour', role: 'dialog', 'aria-label': 'Guided tour' });
  const text = el('p');
  const next = el('button', { type: 'button' }, 'Next');
  const close = el('button', { type: 'button', id: 'tour-close' }, 'Dismiss');
  const show = () => { text.textContent = `(${step + 1}/${TOUR.length}) ${TOUR[step]}`; next.hidden = step === TOUR.length - 1; };
  const done = () => { card.remove(); document.removeEventListener('keydown', onKey); try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } };
  const onKey = (ev) => { if (ev.key === 'Escape' && card.isConnected) done(); };
  next.onclick = () => { step += 1; show(); };
  close.onclick = done;
  card.append(text, next, close);
  // First in the document, so it is the first stop in the tab order; Escape closes it.
  document.body.prepend(card);
  document.addEventListener('keydown', onKey);
  show();
}
