// @ts-check
// The import dialog between a dropped/opened file and the active panel:
// pick one array in a container (NPZ, safetensors, MAT v5), say which way a
// matrix points (RNN vs graph convention), skip a CSV header. The chosen
// array crosses to the panel as NPY bytes (the core's own writer), so the
// panels and worker jobs read every format through one path.
import { el } from './ui.js';
import { call } from './wasm.js';

/** Panels whose files are connectivity matrices (the orientation question applies). */
const MATRIX_PANELS = new Set(['Motifs', 'Dynamics']);
const TORCH_W = 'weight_hh_l0';

/** First line of a text file (at most 200 characters, for display). */
function firstLine(bytes) {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return head.split(/\r?\n/, 1)[0].slice(0, 200);
}

/**
 * Ask what to import. Resolves to `{ bytes, label, opts }` for the panel's
 * importFile(label, bytes, opts) (`opts.rnn`: true = W[i][j] is j → i), or
 * null when the user cancels. Errors (a corrupt container) throw.
 * @param {string} name file name
 * @param {Uint8Array} bytes file contents
 * @param {string} panelTitle the active panel's title
 */
export async function prepareImport(name, bytes, panelTitle) {
  const format = await call((m) => m.detectFormat(bytes));
  // Containers are read by the on-demand 'import' module (../wasm.js).
  const arrays = ['npz', 'safetensors', 'mat'].includes(format) ? await call((m) => m.listArrays(bytes), 'import') : null;
  if (arrays && arrays.length === 0) throw new Error(`${name}: the ${format} file holds no arrays`);
  const matrixPanel = MATRIX_PANELS.has(panelTitle);
  let edgeList = false;
  let header = '';
  if (format === 'csv') {
    const head = bytes.subarray(0, 4096);
    let text = true;
    try { new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - 4)); } catch { text = false; }
    if (!text || head.includes(0)) throw new Error('not a CSV text file, nor NPY, NPZ, safetensors or MAT (the formats rnnscope reads)');
    const first = firstLine(bytes);
    edgeList = /^\s*"?source"?\s*[,;\t]\s*"?target/i.test(first);
    // A cell that is not a number (nor NaN/Inf, refused later with their position) means a header line.
    const cell = (c) => c.trim().replace(/^"(.*)"$/, '$1').trim();
    const word = (c) => c !== '' && Number.isNaN(Number(c)) && !/^[+-]?(nan|inf|infinity)$/i.test(c);
    if (!edgeList && first.split(/[,;\t]/).map(cell).some(word)) header = first;
  }
  // A one-array file is parsed before any question, so a broken file fails at once.
  if (format === 'npy' || (format === 'csv' && !edgeList && !header)) {
    const [r, c] = await call((m) => { const x = m.Matrix.fromBytes(bytes); try { return [x.rows, x.cols]; } finally { x.free(); } });
    if (matrixPanel && r !== c) throw new Error(`a connectivity matrix must be square (N × N); this one is ${r} × ${c}`);
  }
  const askArray = !!arrays && arrays.length > 1;
  const askOrientation = matrixPanel && !edgeList;
  const askHeader = format === 'csv' && !edgeList;
  let chosen = arrays?.length === 1 ? arrays[0].name : null;
  let rnn;
  let skip = !!header;
  if (askArray || askOrientation || (askHeader && header)) {
    const answer = await dialog({ name, format, arrays: askArray ? arrays : null, single: chosen, askOrientation, askHeader, header });
    if (!answer) return null;
    chosen = answer.array ?? chosen;
    rnn = answer.rnn;
    skip = answer.skip;
  }
  let out = bytes;
  let label = name;
  if (arrays) {
    const pick = /** @type {string} */ (chosen);
    out = await call((m) => {
      const x = m.Matrix.fromBytes(bytes, pick);
      try { return x.toNpy(); } finally { x.free(); }
    }, 'import');
    label = `${name}:${pick}`;
  } else if (format === 'csv' && skip) {
    const nl = bytes.indexOf(10);
    out = nl < 0 ? new Uint8Array(0) : bytes.subarray(nl + 1);
    const [r, c] = await call((m) => { const x = m.Matrix.fromBytes(out); try { return [x.rows, x.cols]; } finally { x.free(); } });
    // Two or three named columns look like an edge list with other column names (src,dst).
    const hint = c === 2 || c === 3 ? '; an edge list needs the header "source,target" or "source,target,weight"' : '';
    if (matrixPanel && r !== c) throw new Error(`a connectivity matrix must be square (N × N); without its header this one is ${r} × ${c}${hint}`);
  }
  return { bytes: out, label, opts: askOrientation ? { rnn } : {} };
}

/** Shape as "128×128". */
const shapeText = (s) => (s.length ? s.join('×') : 'scalar');

/**
 * The modal chooser (a native <dialog>: focus moves into it, Tab stays
 * inside, Escape cancels; radio groups move with the arrow keys).
 */
function dialog({ name, format, arrays, single, askOrientation, askHeader, header }) {
  const dlg = /** @type {HTMLDialogElement} */ (el('dialog', { id: 'import-dialog', 'aria-labelledby': 'import-title', style: 'max-width: min(36em, 92vw); border: 1px solid #888; border-radius: 6px; padding: 1em 1.25em' }));
  const form = el('form', { method: 'dialog' });
  form.append(el('h2', { id: 'import-title', style: 'margin-top: 0; font-size: 1.1em' }, `Import ${name}`));
  const note = el('p', { id: 'import-note', class: 'note', 'aria-live': 'polite' });
  let rnnBox = null;
  let graphBox = null;
  if (arrays) {
    const fs = el('fieldset', { id: 'import-arrays' });
    fs.append(el('legend', {}, `The ${{ npz: 'NPZ', mat: 'MAT' }[format] ?? format} file holds ${arrays.length} arrays; choose one`));
    // A 2-D numeric array (MAT's char/cell/struct/sparse/complex variables cannot be read).
    const usable = (a) => a.shape.length === 2 && !/char|cell|struct|object|sparse|complex|function|opaque/i.test(a.dtype);
    const pre = arrays.find((a) => a.name === TORCH_W && usable(a)) ?? arrays.find(usable) ?? arrays[0];
    arrays.forEach((a, k) => {
      const id = `import-array-${k}`;
      const input = el('input', { type: 'radio', name: 'array', id, value: a.name });
      input.dataset.name = a.name;
      if (a === pre) input.checked = true;
      if (!usable(a)) input.disabled = true;
      const lab = el('label', { for: id });
      lab.append(el('code', {}, a.name), ` — ${shapeText(a.shape)} · ${a.dtype}${usable(a) ? '' : ' (not a 2-D numeric matrix)'}`);
      const row = el('div', { class: 'import-row', style: 'margin: .2em 0' });
      row.append(input, lab);
      fs.append(row);
    });
    fs.addEventListener('change', () => syncNote());
    form.append(fs);
  }
  if (askOrientation) {
    const fs = el('fieldset', { id: 'import-orientation' });
    fs.append(el('legend', {}, 'Which way does the matrix point?'));
    rnnBox = el('input', { type: 'radio', name: 'orient', id: 'import-rnn', value: 'rnn' });
    graphBox = el('input', { type: 'radio', name: 'orient', id: 'import-graph', value: 'graph' });
    const r1 = el('div', { class: 'import-row' });
    r1.append(rnnBox, el('label', { for: 'import-rnn' }, 'PyTorch/RNN: W[i][j] is j→i (dh_i/dt = Σ_j W_ij φ(h_j))'));
    const r2 = el('div', { class: 'import-row' });
    r2.append(graphBox, el('label', { for: 'import-graph' }, 'networkx/BCT: A[i][j] is i→j'));
    fs.append(r1, r2);
    form.append(fs);
  }
  let skipBox = null;
  if (askHeader) {
    skipBox = el('input', { type: 'checkbox', id: 'import-skip' });
    skipBox.checked = !!header;
    const row = el('div', { class: 'import-row' });
    row.append(skipBox, el('label', { for: 'import-skip' }, header ? `Skip the header line (“${header.slice(0, 60)}”)` : 'Skip the first line (a header)'));
    form.append(row);
  }
  form.append(note);
  const ok = el('button', { type: 'submit', id: 'import-ok', value: 'ok' }, 'Load');
  const cancel = el('button', { type: 'button', id: 'import-cancel' }, 'Cancel');
  const buttons = el('div', { class: 'actions', style: 'display: flex; gap: .5em; justify-content: flex-end' });
  buttons.append(ok, cancel);
  form.append(buttons);
  dlg.append(form);

  const selected = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=array]:checked'))?.value ?? null;
  // PyTorch's recurrent weight is in the RNN convention: preselect it and say so.
  function syncNote() {
    const isTorch = (selected() ?? single) === TORCH_W;
    note.textContent = isTorch ? `${TORCH_W} is W in the RNN convention (W[i][j] = j→i).` : '';
    if (rnnBox && graphBox) { rnnBox.checked = isTorch; graphBox.checked = !isTorch; }
  }
  syncNote();

  return new Promise((resolve) => {
    cancel.onclick = () => dlg.close('');
    dlg.addEventListener('close', () => {
      const answer = dlg.returnValue === 'ok'
        ? { array: selected(), rnn: rnnBox ? rnnBox.checked : undefined, skip: skipBox ? skipBox.checked : false }
        : null;
      dlg.remove();
      resolve(answer);
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}
