// @ts-check
// URL-hash state: one declarative table of properties per panel (in each
// panel's `params`), parsed and validated here. Bad or unknown values fall
// back to defaults and are reported, never thrown.

/** Coerce one raw string to a param's type; returns [value, problem|null]. */
export function coerce(p, raw) {
  if (raw === undefined) return [p.default, null];
  if (p.type === 'select') {
    return p.options.some(o => String(o.value) === raw) ? [raw, null] : [p.default, `${p.key}=${raw} is not one of ${p.options.map(o => o.value).join(', ')}`];
  }
  if (p.type === 'bool') return [raw === '1' || raw === 'true', null];
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return [p.default, `${p.key}=${raw} is not a number`];
  if (p.type === 'int' && !Number.isInteger(v)) return [p.default, `${p.key}=${raw} is not a whole number`];
  if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
    return [p.default, `${p.key}=${raw} is outside [${p.min}, ${p.max}]`];
  }
  return [v, null];
}

/** Parse `#panel=x&k=v…` against the panels' tables. */
export function readHash(hash, panels) {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const problems = [];
  let panel = panels.find(p => p.id === q.get('panel'));
  if (!panel) {
    if (q.has('panel')) problems.push(`unknown panel "${q.get('panel')}"`);
    panel = panels[0];
  }
  const values = {};
  for (const p of panel.params) {
    const [v, problem] = coerce(p, q.get(p.key) ?? undefined);
    values[p.key] = v;
    if (problem) problems.push(problem);
  }
  const known = new Set(['panel', ...VIEW_KEYS, ...panel.params.map(p => p.key)]);
  for (const k of q.keys()) if (!known.has(k)) problems.push(`unknown setting "${k}"`);
  // View settings (not parameters): embed=1, plot=NAME (one figure, with
  // embed), controls=1 (the parameters beside it), lesson=1 (the lesson view).
  let plot = q.get('plot') ?? '';
  if (plot && !/^[a-z0-9-]{1,40}$/.test(plot)) { problems.push(`plot=${plot.slice(0, 40)} is not a plot name`); plot = ''; }
  return { panel: panel.id, values, embed: q.get('embed') === '1', plot, controls: q.get('controls') === '1', lesson: q.get('lesson') === '1', problems };
}

/** The hash keys that choose how a panel is shown rather than what it computes. */
export const VIEW_KEYS = ['embed', 'plot', 'controls', 'lesson'];

/** Serialize the state back into a hash string. */
export function writeHash(state) {
  const q = new URLSearchParams({ panel: state.panel });
  if (state.embed) q.set('embed', '1');
  if (state.embed && state.plot) q.set('plot', state.plot);
  if (state.embed && state.controls) q.set('controls', '1');
  if (state.lesson) q.set('lesson', '1');
  for (const [k, v] of Object.entries(state.values)) q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  return '#' + q.toString();
}
