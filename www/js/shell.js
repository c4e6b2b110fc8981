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
  save.title = 'Download the panel and every parameter as JSON; open it again to restore the same picture.';
  save.onclick = () => {
    const s = ctx.getState();
    download(new Blob([JSON.stringify({ rnnscope: 1, panel: s.panel, values: s.values }, null, 2)], { type: 'application/json' }), `rnnscope-${s.panel}-state.json`);
  };
  const link = el('button', { type: 'button', id: 'btn-link' }, 'Copy link');
  link.title = 'Copy a link that reproduces this exact picture (all parameters and the seed are in it).';
  link.onclick = async () => {
    try { await navigator.clipboard.writeText(location.href); ctx.showNotice('Link copied.'); } catch { ctx.showNotice(location.href); }
  };
  box.append(open, save, link, picker);
  return box;
}

/** Route a file to the state loader (JSON) or the active panel. */
export async function importFile(file, ctx) {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (/\.json$/i.test(file.name)) {
      let s;
      try { s = JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { throw new Error(`${file.name}: not valid JSON (${e.message})`); }
      if (s && s.rnnscope === 1 && typeof s.panel === 'string') { ctx.setState(s); return; }
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
  'Welcome to rnnscope. Each tab above is a panel: Motifs, Dynamics, Training, Modularity, HebbFF. The Presets menu reproduces figures from the papers in one click.',
  'The column on the left holds the parameters. Hover one for the formula it enters. Every change is saved in the link, so a copied link reproduces the same picture.',
  'Each plot has a note below it saying what to look for, and PNG and SVG buttons (matrices also as CSV and NPY). Long computations run in the background with a progress bar and a Cancel button.',
  'Drop a CSV or NPY file anywhere on the page to analyse your own matrix or activity. Files never leave your browser.',
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
  const done = () => { card.remove(); try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } };
  next.onclick = () => { step += 1; show(); };
  close.onclick = done;
  card.append(text, next, close);
  document.body.append(card);
  show();
}
