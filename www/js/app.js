// @ts-check
// The app shell: panel switcher, controls generated from each panel's
// declarative `params` table, the URL hash as the single source of state,
// and one place where errors are shown. Panels hold no shell logic.
import { panels } from './panels/index.js';
import { readHash, writeHash } from './state.js';
import { el } from './ui.js';
import { wasm } from './wasm.js';
import { shellControls, enableDrop, maybeTour } from './shell.js';
import { prewarm } from './worker-client.js';
import { presetPicker } from './presets.js';
import { applyView, updateLesson } from './view.js';

performance.mark('rnnscope:app-start'); // module graph loaded (cold-load breakdown)
const $ = (id) => document.getElementById(id);
let state = null;
let active = null; // { panel, instance }
let running = Promise.resolve();
let timer = 0;
// Each panel's last values and uploaded data, so switching tabs and back keeps them.
const memo = {};

export function showError(e) {
  if (e && e.name === 'AbortError') { showNotice('Cancelled.'); return; }
  $('error-text').textContent = (e && e.message) || String(e);
  $('error').hidden = false;
}
export function showNotice(msg) {
  $('notice').textContent = msg;
  $('notice').hidden = !msg;
}
$('error-close').onclick = () => { $('error').hidden = true; };
$('to-controls').onclick = () => {
  $('controls').scrollIntoView({ block: 'start' });
  /** @type {HTMLElement | null} */ ($('controls').querySelector('input, select, button'))?.focus({ preventScroll: true });
};
window.addEventListener('unhandledrejection', (ev) => { ev.preventDefault(); showError(ev.reason); });
window.addEventListener('error', (ev) => showError(ev.error || ev.message));

function buildNav() {
  const nav = $('panels');
  nav.replaceChildren(...panels.map((p) => {
    const b = el('button', { type: 'button', 'data-panel': p.id }, p.title);
    b.onclick = () => {
      if (state.panel === p.id) return;
      remember();
      const m = memo[p.id];
      state = { ...state, panel: p.id, values: m?.values ?? defaults(p), plot: '' };
      preset = null;
      commit(true, m?.data);
    };
    return b;
  }));
}

const defaults = (p) => Object.fromEntries(p.params.map((q) => [q.key, q.default]));

/** Keep the active panel's values and uploaded data (its exportData) for when its tab is chosen again. */
function remember() {
  let data = null;
  try { data = active?.instance.exportData?.() ?? null; } catch { /* nothing to keep */ }
  memo[state.panel] = { values: state.values, data };
}

function control(p, value) {
  const wrap = el('div', { class: 'ctl' });
  const id = `ctl-${p.key}`;
  const label = el('label', { for: id }, p.label);
  wrap.append(label);
  let input;
  if (p.type === 'select') {
    input = el('select', { id });
    for (const o of p.options) input.append(el('option', { value: o.value }, o.label ?? o.value));
    input.value = String(value);
  } else if (p.type === 'bool') {
    input = el('input', { id, type: 'checkbox' });
    input.checked = value;
  } else {
    input = el('input', { id, type: 'number', step: p.step ?? (p.type === 'int' ? 1 : 'any') });
    if (p.min !== undefined) input.min = p.min;
    if (p.max !== undefined) input.max = p.max;
    input.value = String(value);
  }
  input.title = p.help ?? '';
  input.dataset.key = p.key;
  input.addEventListener('change', () => onInput(p, input));
  wrap.append(input);
  if (p.help) wrap.append(el('div', { class: 'help' }, p.help));
  return wrap;
}

function onInput(p, input) {
  let v;
  if (p.type === 'bool') v = input.checked;
  else if (p.type === 'select') v = input.value;
  else {
    v = Number(input.value);
    const bad = input.value.trim() === '' || !Number.isFinite(v) || (p.type === 'int' && !Number.isInteger(v))
      || (p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max);
    if (bad) {
      showError(new Error(`${p.label}: "${input.value}" is not allowed — use ${p.type === 'int' ? 'a whole number' : 'a number'} in [${p.min}, ${p.max}]`));
      input.value = String(state.values[p.key]);
      return;
    }
  }
  state = { ...state, values: { ...state.values, [p.key]: v } };
  // A preset's caption describes the preset's values: clear it once one of them changes.
  if (preset && p.key in preset.values && preset.values[p.key] !== v) { if ($('notice').textContent === preset.caption) showNotice(''); preset = null; }
  updateLesson(state);
  commit(false);
}

function mountPanel() {
  const panel = panels.find((p) => p.id === state.panel);
  for (const b of /** @type {HTMLCollectionOf<HTMLElement>} */ ($('panels').children)) b.toggleAttribute('aria-current', b.dataset.panel === panel.id) && b.setAttribute('aria-current', 'page');
  const controls = $('controls');
  controls.replaceChildren(el('h2', {}, panel.title), ...panel.params.map((p) => control(p, state.values[p.key])), shellControls(shellCtx));
  const plots = $('plots');
  plots.replaceChildren();
  active = { panel, instance: panel.mount(plots, { controls, showError, showNotice, getState: () => state, rerun: () => commit(false) }) };
  const problem = applyView(state, plots);
  if (problem) showNotice(problem);
}

/**
 * Write the hash and redraw (debounced; updates never overlap). `data`: an
 * uploaded file `{name, bytes}` to hand back to the remounted panel.
 */
function commit(remount, data = null) {
  history.replaceState(null, '', writeHash(state));
  if (remount) mountPanel();
  if (remount && data) {
    Promise.resolve(active.instance.importFile?.(data.name, data.bytes, {})).catch(showError);
  }
  clearTimeout(timer);
  timer = setTimeout(() => {
    const values = state.values;
    running = running.then(async () => {
      document.body.dataset.busy = '1';
      try {
        await active.instance.update(values);
        $('error').hidden = true;
      } catch (e) {
        showError(e);
      } finally {
        document.body.dataset.busy = '';
        document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
        // Cold-load metric: navigation start → first finished plot (read by tests/e2e/cold-load.test.mjs).
        if (!document.body.dataset.firstPlotMs) document.body.dataset.firstPlotMs = String(Math.round(performance.mark('rnnscope:first-plot').startTime));
      }
    });
  }, remount ? 0 : 150);
}

/** Replace the whole state (from a saved JSON file), validated like a link. */
function setState(saved) {
  const q = new URLSearchParams({ panel: saved.panel, ...Object.fromEntries(Object.entries(saved.values ?? {}).map(([k, v]) => [k, String(v)])) });
  location.hash = '#' + q.toString();
}

const shellCtx = {
  getState: () => state,
  setState,
  activePanel: () => ({ title: active.panel.title, importFile: active.instance.importFile?.bind(active.instance), exportData: active.instance.exportData?.bind(active.instance) }),
  showError,
  showNotice,
};

let pendingCaption = '';
let pendingPreset = null;
let preset = null; // the preset whose caption is showing

function fromHash() {
  const parsed = readHash(location.hash, panels);
  const caption = pendingCaption;
  preset = pendingPreset;
  pendingCaption = '';
  pendingPreset = null;
  showNotice(parsed.problems.length ? `Ignored in the link: ${parsed.problems.join('; ')} — using defaults for those.` : caption);
  state = { panel: parsed.panel, values: parsed.values, embed: parsed.embed, plot: parsed.plot, controls: parsed.controls, lesson: parsed.lesson };
  commit(true);
}

// Before the module is ready there is no state yet: fromHash reads the
// then-current hash once it is (a link changed during the load is kept).
window.addEventListener('hashchange', () => { if (state && location.hash !== writeHash(state)) fromHash(); });

buildNav();
$('panels').after(presetPicker(panels, (p) => {
  const q = new URLSearchParams({ panel: p.panel, ...Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, String(v)])) });
  pendingCaption = p.caption;
  pendingPreset = p;
  if (p.lesson) q.set('lesson', '1');
  location.hash = '#' + q.toString();
}));
enableDrop(shellCtx);
prewarm();
wasm().then(fromHash, showError);
maybeTour(readHash(location.hash, panels).embed);
