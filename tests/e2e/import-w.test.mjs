// A researcher's own dense W (issue 22, items 1–2): a 64 × 64 NPY written
// here, opened through the import dialog. In Motifs the weights are
// thresholded into a graph (level-1 motifs appear; without a threshold the
// graph is complete and the page warns); big work asks first and clears the
// old plots. In Dynamics the same W gives its 64 eigenvalues (checked against
// the native `rnnscope spectrum` of the same file), its fixed points and a
// live simulation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, cliBinary } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const cli = (...args) => JSON.parse(execFileSync(cliBinary(), args.map(String), { encoding: 'utf8' }));

/** A dense N × N W with entries N(0, g²/N) from a seeded generator (no zeros, no ties). */
function denseW(n, g, seed) {
  let s = seed >>> 0;
  const uniform = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
  const w = new Float64Array(n * n);
  for (let i = 0; i < w.length; i++) w[i] = (g / Math.sqrt(n)) * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return w;
}

/** NPY v1.0 bytes of a row-major float64 matrix. */
function npy(rows, cols, data) {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

const N = 64;
const W = denseW(N, 1.5, 7);
const DIR = mkdtempSync(join(tmpdir(), 'rnnscope-import-w-'));
const FILE = join(DIR, 'w64.npy');
writeFileSync(FILE, npy(N, N, W));

/** Open FILE through the shell's file input and answer the orientation question. */
async function importW(page, orientation = 'rnn', name = 'w64.npy', bytes = readFileSync(FILE)) {
  await page.setInputFiles('#file-input', { name, mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForSelector('#import-dialog[open]');
  await page.check(`#import-${orientation}`);
  await page.click('#import-ok');
}

async function setCtl(page, key, value) {
  const tag = await page.$eval(`#ctl-${key}`, (e) => e.tagName);
  if (tag === 'SELECT') await page.selectOption(`#ctl-${key}`, value); else await page.fill(`#ctl-${key}`, value);
  await page.dispatchEvent(`#ctl-${key}`, 'change');
}

/** The motif readout once an update with `edges` edges has finished. */
async function motifsDone(page, edges) {
  await page.waitForFunction((m) => document.querySelector('#readout-motif-counts')?.dataset.edges === String(m) && !document.body.dataset.busy, edges, { timeout: 60_000 });
  return page.$eval('#readout-motif-counts', (e) => ({ counts: e.dataset.counts.split(',').map(Number), levels: e.dataset.levels.split(',').map(Number), text: e.textContent }));
}

test('a dense 64 × 64 W in Motifs: thresholded census with level-1 motifs; a warning without a threshold', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none');
  await waitIdle(page, 1);
  await importW(page, 'rnn');
  // Default rule "strongest fraction if dense", keep 0.1: round(0.1 · 64 · 63) = 403 of 4032 weights.
  const kept = await motifsDone(page, 403);
  assert.match(kept.text, /strongest 10% of \|w\|.*403 of 4032 weights kept/);
  assert.ok(kept.levels[0] > 0, `level-1 counts ${kept.levels}`);
  assert.ok(kept.counts[12] < kept.counts.reduce((a, b) => a + b, 0), 'a thresholded W is not all motif 13');
  assert.equal(await page.isHidden('#motif-warning'), true);
  assert.equal(Number(await page.$eval('#motif-warning', (e) => e.dataset.density)), 403 / 4032);
  // The current RNN W is this file (RNN convention): the shared store holds it.
  const shared = await page.evaluate(async () => { const { currentW } = await import('./js/store.js'); const c = currentW(); return { n: c.n, first: c.data[1], source: c.source }; });
  assert.deepEqual({ n: shared.n, first: shared.first }, { n: N, first: W[1] });
  await screenshot(page, 'import-w-motifs-1280x800.png');

  // |w| ≥ t: exactly the off-diagonal entries at or above t.
  const t = 0.3;
  let want = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== j && Math.abs(W[i * N + j]) >= t) want++;
  await setCtl(page, 'minAbs', String(t));
  await setCtl(page, 'threshold', 'abs');
  const abs = await motifsDone(page, want);
  assert.ok(abs.levels[0] > 0);

  // No threshold: the complete graph, every one of C(64, 3) triads is motif 13, and the page says so.
  await setCtl(page, 'threshold', 'none');
  const full = await motifsDone(page, N * (N - 1));
  assert.deepEqual(full.counts, [...Array(12).fill(0), (N * (N - 1) * (N - 2)) / 6]);
  assert.equal(await page.isVisible('#motif-warning'), true);
  assert.match(await page.textContent('#motif-warning'), /complete \(4032 edges on 64 nodes\).*motif 13/);
  await screenshot(page, 'import-w-motifs-warning-1280x800.png');
  assert.deepEqual(errors, []);
});

test('big motif work is estimated and asked for first; the old plots are cleared', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=swap&samples=1000&threshold=none');
  await waitIdle(page, 1);
  const n = 150;
  await importW(page, 'graph', 'w150.npy', npy(n, n, denseW(n, 1, 3)));
  // Complete graph on 150 nodes with 1000 swap samples: minutes (each sample rewires 22,350 edges).
  await page.waitForSelector('#motif-run-anyway', { timeout: 60_000 });
  const est = Number(await page.$eval('#readout-motif-counts', (e) => e.dataset.estimate));
  assert.ok(est > 3, `estimate ${est} s`);
  assert.match(await page.textContent('#readout-motif-counts'), /N = 150, 22350 edges\. Estimated \d+ s/);
  assert.equal(await inkFraction(page, '#canvas-motif-counts'), 0, 'stale bars still drawn');
  assert.match(await page.textContent('#motif-warning'), /complete/);
  // No null samples: under the limit, runs without asking.
  await setCtl(page, 'null', 'none');
  await page.waitForFunction(() => /× 150 nodes/.test(document.querySelector('#readout-motif-nodes')?.textContent ?? '') && !document.body.dataset.busy, null, { timeout: 120_000 });
  const counts = (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
  assert.equal(counts[12], (n * (n - 1) * (n - 2)) / 6);
  assert.deepEqual(errors, []);
});

test('the same W in Dynamics: its 64 eigenvalues (= the native CLI), fixed points and a live simulation', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=100&g=1.5');
  await waitIdle(page, 1);
  await importW(page, 'rnn');
  await page.waitForFunction(() => /source=file/.test(location.hash) && document.querySelector('#readout-spectrum')?.dataset.count === '64' && !document.body.dataset.busy, null, { timeout: 60_000 });
  // The page's spectrum export against `rnnscope spectrum` of the same file.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#plot-spectrum [data-export="json"]')]);
  const json = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  const ref = cli('spectrum', FILE);
  const key = (a, b) => a[0] - b[0] || a[1] - b[1];
  const got = json.eigenvalues.slice().sort(key);
  const exp = ref.eigenvalues.slice().sort(key);
  assert.equal(got.length, N);
  got.forEach((e, i) => assert.ok(Math.hypot(e[0] - exp[i][0], e[1] - exp[i][1]) < 1e-9, `eigenvalue ${i}: page ${e} vs CLI ${exp[i]}`));
  assert.ok(Math.abs(json.spectral_radius - ref.spectral_radius) < 1e-12);
  // The circle is the circular-law radius of this W's entries: √(Σ W² / N).
  assert.ok(Math.abs(json.circle_radius - Math.sqrt(W.reduce((s, x) => s + x * x, 0) / N)) < 1e-12);
  assert.equal(json.g, null);
  // Fixed points: the native CLI's for the same W, starts and seed.
  const fp = cli('fixed-points', '--w', FILE, '--starts', 20, '--seed', 1);
  assert.equal(json.fixed_points.length, fp.fixed_points.length);
  // The live simulation runs on this W.
  await page.waitForFunction(() => Number(document.querySelector('#sim-status')?.dataset.t) > 2, null, { timeout: 30_000 });
  assert.ok(await inkFraction(page, '#canvas-traces') > 0.01);
  assert.match(await page.textContent('#readout-w'), /64×64 entries/);
  await screenshot(page, 'import-w-dynamics-1280x800.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  await screenshot(page, 'import-w-dynamics-390x844.png');
  assert.deepEqual(errors, []);
});

test('phone width: Motifs with the imported W', async () => {
  const { page, errors } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(server.url + '#panel=motifs&null=swap&samples=20');
  await waitIdle(page, 1);
  await importW(page, 'rnn');
  await motifsDone(page, 403);
  await page.waitForFunction(() => document.querySelector('#readout-motif-z')?.dataset.z, null, { timeout: 60_000 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await screenshot(page, 'import-w-motifs-390x844.png');
  assert.deepEqual(errors, []);
});
