// Issue 18 on the page: the hostile inputs of the adversarial CLI run,
// dropped on the panels that take files (Motifs: matrices and edge lists;
// Modularity: activity). Each either gives the real result (a BOM edge list,
// weights near f64::MAX, activity scaled by 1.7e308) or a notice naming the
// problem (src,dst columns, mangled NPZ / safetensors / MAT) — and the page
// keeps working afterwards, with no page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, ROOT } from './harness.mjs';

const FORMATS = join(ROOT, 'tests', 'data', 'formats');
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Drop `bytes` as `name` on the window (drag and drop, as a user does). */
async function drop(page, name, bytes) {
  await page.evaluate(({ name, data }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  }, { name, data: [...bytes] });
}

/**
 * Answer the import dialog (if it opens) with its defaults. Waits until the
 * page either asks (the dialog opens), refuses the file (a notice) or shows
 * it (the text of `readout` starts with `prefix`), instead of a fixed wait
 * for a dialog that may never come.
 */
async function answer(page, readout, prefix) {
  await page.waitForFunction(([r, p]) => /** @type {HTMLDialogElement | null} */ (document.querySelector('#import-dialog'))?.open
    || !document.getElementById('error')?.hidden
    || (document.querySelector(r)?.textContent ?? '').startsWith(p), [readout, prefix], { timeout: 30_000 });
  if (await page.$('#import-dialog[open]')) await page.click('#import-ok');
}

/** Text of the notice once it shows; then close it. */
async function notice(page) {
  await page.waitForSelector('#error:not([hidden])', { timeout: 30_000 });
  const t = await page.textContent('#error-text');
  await page.click('#error-close');
  return t ?? '';
}

/** Motif counts once the panel shows the graph read from `label` with `n` nodes. */
async function motifCounts(page, label, n) {
  await page.waitForFunction(([l, k]) => (document.querySelector('#readout-motif-counts')?.textContent ?? '').startsWith(l)
    && new RegExp(`× ${k} nodes`).test(document.querySelector('#readout-motif-nodes')?.textContent ?? '') && !document.body.dataset.busy, [label, n], { timeout: 60_000 });
  return (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
}

test('Motifs: BOM edge lists load, src,dst is explained, f64::MAX weights and mangled containers', async () => {
  const { page, errors } = await newPage(browser);
  // threshold=none: every non-zero weight is an edge (the default "auto"
  // would keep only the strongest 10 % of the dense ±1e308 matrix below).
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  // An edge list with a byte-order mark: a chain 0 → 1 → 2 (021C, id 2).
  await drop(page, 'bom.csv', Buffer.from('\uFEFFsource,target\n0,1\n1,2\n'));
  assert.deepEqual(await motifCounts(page, 'bom.csv', 3), [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // src,dst: read as a header; without it the file is 1 × 2 — the notice says what an edge list needs.
  await drop(page, 'srcdst.csv', Buffer.from('src,dst\n0,1\n'));
  await answer(page, '#readout-motif-counts', 'srcdst.csv');
  assert.match(await notice(page), /srcdst\.csv.*source,target/);
  // Weights ±1e308 (a complete 3-node digraph): counted like any weights.
  await drop(page, 'big.csv', Buffer.from('0,1e308,-1e308\n1e308,0,1e308\n-1e308,1e308,0\n'));
  await answer(page, '#readout-motif-counts', 'big.csv');
  assert.deepEqual(await motifCounts(page, 'big.csv', 3), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  // Mangled containers: cut in half, and the header bytes overwritten.
  for (const f of ['w.npz', 'rnn_f32.safetensors', 'w.mat']) {
    const good = await readFile(join(FORMATS, f));
    const cut = good.subarray(0, Math.floor(good.length / 2));
    await drop(page, `cut-${f}`, cut);
    await answer(page, '#readout-motif-counts', `cut-${f}`);
    assert.match(await notice(page), new RegExp(`cut-${f.replace('.', '\\.')}`), f);
    // MAT v5 opens with 116 bytes of free text (+ subsystem offset, version,
    // endian mark): mangling those leaves a valid file, so mangle the first
    // data element's tag and header instead.
    const mangled = Buffer.from(good);
    const from = f.endsWith('.mat') ? 128 : 8;
    for (let i = from; i < Math.min(from + 112, mangled.length); i += 3) mangled[i] = 0xff;
    await drop(page, `bad-${f}`, mangled);
    await answer(page, '#readout-motif-counts', `bad-${f}`);
    assert.match(await notice(page), new RegExp(`bad-${f.replace('.', '\\.')}`), f);
  }
  // Still alive: a random graph runs and draws.
  await page.selectOption('#ctl-source', 'random');
  await page.fill('#ctl-n', '11');
  await page.dispatchEvent('#ctl-n', 'change');
  await motifCounts(page, 'random', 11);
  assert.ok(await inkFraction(page, '#canvas-motif-counts') > 0.01);
  await screenshot(page, 'hostile-motifs-1280x800.png');
  assert.deepEqual(errors, []);
});

/** Q of the Modularity panel after it shows `name`. */
async function modularityQ(page, name, previous) {
  await page.waitForFunction(([n, prev]) => document.querySelector('#modularity-source-info')?.textContent.startsWith(`File ${n}`)
    && document.querySelector('#readout-mod-raster')?.dataset.q !== prev && !document.body.dataset.busy, [name, previous], { timeout: 120_000 })
    .catch(async (e) => { throw new Error(`${name}: ${e.message}; notice: ${await notice(page)}; source: ${await page.$eval('#modularity-source-info', (x) => x.textContent).catch(() => '?')}`); });
  return Number(await page.$eval('#readout-mod-raster', (e) => e.dataset.q));
}

test('Modularity: Q of activity scaled by 1.7e308 equals Q at scale 1; NaN activity is a notice', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=modularity&runs=1');
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.q, null, { timeout: 120_000 });
  // Two groups of units driven by two independent slow signals (as tests/reliability.rs).
  const rows = (s) => Array.from({ length: 240 }, (_, t) => {
    const a = Math.sin(0.3 * t), b = Math.cos(0.39 * t);
    return [a, 0.9 * a + 0.1 * b, -b, 0.8 * b - 0.2 * a, 0.7 * a, -0.6 * b].map((v) => (s * v).toExponential(15)).join(',');
  }).join('\n') + '\n';
  await drop(page, 'one.csv', Buffer.from(rows(1)));
  const q1 = await modularityQ(page, 'one.csv', '');
  assert.ok(Number.isFinite(q1), `Q ${q1}`);
  await drop(page, 'huge.csv', Buffer.from(rows(1.7e308)));
  const q2 = await modularityQ(page, 'huge.csv', '');
  assert.ok(Math.abs(q1 - q2) < 1e-9, `Q ${q1} at scale 1 vs ${q2} at 1.7e308`);
  // NaN in activity: a notice naming the cell; the panel keeps its last result.
  await drop(page, 'nan.csv', Buffer.from('1,2\n3,NaN\n'));
  assert.match(await notice(page), /nan\.csv|row 2, column 2/i);
  await drop(page, 'one.csv', Buffer.from(rows(1)));
  const q3 = await modularityQ(page, 'one.csv', 'x');
  assert.equal(q3, q1);
  assert.deepEqual(errors, []);
});

test('a panel that takes no files says so; Dynamics takes a ±1e308 W and keeps working', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training');
  await page.waitForSelector('#ctl-n');
  await drop(page, 'big.csv', Buffer.from('1e308,-1e308\n1e308,1e308\n'));
  assert.match(await notice(page), /does not take files/);
  // Dynamics analyses an imported W: f64::MAX-scale weights either run or get a notice, never a crash.
  await page.goto(server.url + '#panel=dynamics&n=40&g=1.5&seed=3');
  /** Wait until the W card shows an n × n matrix and its spectrum is drawn. */
  const shows = (n) => page.waitForFunction((k) => (document.querySelector('#readout-w')?.textContent ?? '').startsWith(`${k}×${k} entries`)
    && /spectral radius/.test(document.querySelector('#readout-spectrum')?.textContent ?? '') && !document.body.dataset.busy, n, { timeout: 60_000 });
  await shows(40);
  await drop(page, 'big.csv', Buffer.from('1e308,-1e308,0\n1e308,1e308,-1e308\n0,1e308,1e308\n'));
  await answer(page, '#readout-w', '3×3 entries');
  // W and its spectrum are shown: eigenvalues 1e308·(1, 1 ± i√2), and the
  // circle √(ΣW²/N) = √(7/3)·1e308 without overflow.
  await shows(3);
  await page.waitForFunction(() => /e\+308 \(circle/.test(document.querySelector('#readout-spectrum')?.textContent ?? ''), null, { timeout: 60_000 });
  const spec = await page.textContent('#readout-spectrum');
  assert.match(spec, /spectral radius 1\.732050807568877\d*e\+308 \(circle √\(ΣW²\/N\) = 1\.52752523165194\d*e\+308\)/, spec);
  // The Lyapunov exponents of such a W are not defined at dt = 0.05: a notice says what diverged.
  if (await page.$eval('#error', (e) => !e.hidden)) assert.match(await notice(page), /diverged/);
  await screenshot(page, 'hostile-dynamics-1280x800.png');
  // Back to an ensemble: the panel still runs.
  await page.goto(server.url + '#panel=dynamics&n=30&g=1.5&seed=3');
  await shows(30);
  assert.ok(await inkFraction(page, '#canvas-w') > 0.01);
  assert.deepEqual(errors, []);
});
