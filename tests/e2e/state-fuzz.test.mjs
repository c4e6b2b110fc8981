// Fuzz of the URL-hash state parser (www/js/state.js) with the panels' real
// param tables — no browser needed. Random and mangled hashes must never
// throw, every value must satisfy its param's declaration (type, range,
// options), and a written state must read back identically without problems.
// FUZZ_ITER sets the number of cases per test (`make fuzz` raises it);
// FUZZ_SEED the seed (printed on failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHash, writeHash } from '../../www/js/state.js';
import { panels } from '../../www/js/panels/index.js';

const ITER = Number(process.env.FUZZ_ITER || 3000);
const SEED = Number(process.env.FUZZ_SEED || 20261123);

// mulberry32: a small seeded PRNG so failures reproduce.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = '#&=%?+-.,;:/ eE0123456789abcxyzNaInfity\u00e9\u{1F600}\u0000\uFFFD';
const NASTY = ['', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1e-400', ' ', '%', '%zz', '%E0%A4%A', 'true', '__proto__', 'constructor', '9'.repeat(400), '1.5', '-1', '1e6'];

function randomHash(r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const mode = r();
  if (mode < 0.3) {
    // Pure noise.
    let s = '';
    const len = Math.floor(r() * 80);
    for (let i = 0; i < len; i++) s += pick([...ALPHABET]);
    return s;
  }
  // Structured: a real panel and keys with hostile values.
  const panel = r() < 0.9 ? pick(panels).id : pick(NASTY);
  const p = panels.find((x) => x.id === panel) ?? pick(panels);
  const parts = [`panel=${encodeURIComponent(panel)}`];
  const n = Math.floor(r() * (p.params.length + 3));
  for (let i = 0; i < n; i++) {
    const key = r() < 0.85 ? pick(p.params).key : pick(NASTY);
    const value = r() < 0.5 ? pick(NASTY) : String((r() - 0.5) * 10 ** Math.floor(r() * 12));
    parts.push(r() < 0.5 ? `${key}=${encodeURIComponent(value)}` : `${key}=${value}`);
  }
  if (r() < 0.2) parts.push(pick(['embed=1', 'embed', '&&', '=']));
  return (r() < 0.8 ? '#' : '') + parts.join('&');
}

function checkValues(state) {
  const panel = panels.find((p) => p.id === state.panel);
  assert.ok(panel, `unknown panel ${state.panel}`);
  for (const p of panel.params) {
    const v = state.values[p.key];
    if (p.type === 'select') assert.ok(p.options.some((o) => String(o.value) === String(v)), `${p.key}=${v}`);
    else if (p.type === 'bool') assert.equal(typeof v, 'boolean', p.key);
    else {
      assert.ok(Number.isFinite(v), `${p.key}=${v}`);
      if (p.type === 'int') assert.ok(Number.isInteger(v), `${p.key}=${v}`);
      if (p.min !== undefined) assert.ok(v >= p.min, `${p.key}=${v} < ${p.min}`);
      if (p.max !== undefined) assert.ok(v <= p.max, `${p.key}=${v} > ${p.max}`);
    }
  }
}

test('random and mangled hashes never throw and give valid values', () => {
  const r = rng(SEED);
  for (let k = 0; k < ITER; k++) {
    const h = randomHash(r);
    let s;
    try {
      s = readHash(h, panels);
    } catch (e) {
      assert.fail(`readHash threw on ${JSON.stringify(h)} (FUZZ_SEED=${SEED}, case ${k}): ${e}`);
    }
    checkValues(s);
    assert.ok(Array.isArray(s.problems));
    for (const p of s.problems) assert.equal(typeof p, 'string');
  }
});

test('a written state reads back identically with no problems', () => {
  const r = rng(SEED + 1);
  for (let k = 0; k < ITER; k++) {
    const s = readHash(randomHash(r), panels);
    const back = readHash(writeHash(s), panels);
    assert.deepEqual(back.problems, [], `case ${k}: ${writeHash(s)}`);
    // -0 (from "seed=-0") is written as "0": equal as a number, not to deepEqual.
    const z = (vals) => Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, v === 0 ? 0 : v]));
    assert.deepEqual(back.values, z(s.values));
    assert.equal(back.panel, s.panel);
    assert.equal(back.embed, s.embed);
  }
});
