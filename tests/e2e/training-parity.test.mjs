// Page == CLI for the same seed (issue 17): the Training panel (the core in
// WebAssembly, in a Web Worker) and the native release `rnnscope train` with
// the same settings train the same network bit for bit — the last training
// loss, the held-out loss and accuracy, the soft motif counts and every entry
// of the trained W are equal (===, no tolerance). What makes this hold:
// src/fmath.rs (libm), crate::rng::StandardNormal, crate::linalg::matmul.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, waitIdle, cliBinary } from './harness.mjs';

let server, browser, dir;
before(async () => { server = await serve(); browser = await launch(); dir = mkdtempSync(join(tmpdir(), 'rnnscope-parity-')); });
after(async () => { await browser?.close(); await server?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

// Short runs (about a second each in the page), one per task, covering full
// and truncated BPTT, input noise, the L2 and the motif penalty, and an
// iteration limit that is not a multiple of the page's 10-step chunks.
const RUNS = [
  { page: { task: 'flipflop', n: 16, batch: 8, lr: 0.02, iters: 60, target: 0, seed: 7 }, cli: [] },
  { page: { task: 'sine', n: 12, batch: 6, lr: 0.02, iters: 35, target: 0, seed: 11, motifreg: 'level3:+1', l2: 0.001 }, cli: ['--lambda', '0.001', '--motif-reg', 'level3:+1'] },
  { page: { task: 'decision', n: 10, batch: 8, lr: 0.05, iters: 40, target: 0, seed: 3, truncate: 15, l2: 0.01 }, cli: ['--truncate', '15', '--lambda', '0.01'] },
];

/** FNV-1a over the bytes of the f64 entries: one number for "all of W". */
function checksum(values) {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

for (const { page: s, cli: extra } of RUNS) {
  test(`${s.task}: the page and the CLI train the same network (seed ${s.seed})`, async () => {
    const { page, errors } = await newPage(browser);
    const hash = '#panel=training&' + new URLSearchParams(Object.entries(s).map(([k, v]) => [k, String(v)])).toString();
    await page.goto(server.url + hash);
    await waitIdle(page, 1);
    const t0 = Date.now();
    await page.click('#train-start');
    await page.waitForFunction(() => document.querySelector('#train-status').dataset.state === 'done' && document.querySelector('#train-status').dataset.example === '1', null, { timeout: 120_000 });
    const pageMs = Date.now() - t0;
    const st = await page.$eval('#train-status', (e) => ({ ...e.dataset }));
    const w = await page.evaluate(async () => { const m = await import('./js/store.js'); const c = m.currentW(); return { n: c.n, data: Array.from(c.data) }; });
    assert.deepEqual(errors, []);
    await page.close();

    const csv = join(dir, `${s.task}.csv`);
    const args = ['train', '--task', s.task, '--n', String(s.n), '--batch', String(s.batch), '--lr', String(s.lr),
      '--iters', String(s.iters), '--stop-at-accuracy', '0', '--seed', String(s.seed), '--out', csv, ...extra];
    const t1 = Date.now();
    const out = JSON.parse(execFileSync(cliBinary(), args, { encoding: 'utf8' }));
    const cliMs = Date.now() - t1;
    const cliW = readFileSync(csv, 'utf8').trim().split('\n').flatMap((l) => l.split(',').map(Number));

    console.log(`# ${s.task}: ${s.iters} iterations, page ${pageMs} ms, CLI ${cliMs} ms; held-out loss ${st.loss} / ${out.held_out.loss}; W checksum ${checksum(w.data).toString(16)} / ${checksum(cliW).toString(16)}`);
    assert.equal(Number(st.iter), s.iters, 'the page stops at the iteration limit');
    assert.equal(out.iters, s.iters);
    assert.equal(out.held_out.trials, 128);
    assert.equal(out.held_out.seed, 424242);
    // Exact equality: String(x) in the page round-trips, serde_json too.
    assert.equal(Number(st.loss), out.held_out.loss, 'held-out loss');
    assert.equal(Number(st.acc), out.held_out.accuracy, 'held-out accuracy');
    assert.equal(Number(st.trainLoss), out.curve.loss.at(-1), 'training loss of the last step');
    assert.deepEqual(JSON.parse(st.levels), out.motif_counts_by_level.after, 'soft motif counts by level');
    assert.equal(w.n, s.n);
    assert.equal(cliW.length, s.n * s.n);
    assert.equal(checksum(w.data), checksum(cliW), 'W checksum');
    const differ = w.data.map((v, k) => (v === cliW[k] ? -1 : k)).filter((k) => k >= 0);
    assert.deepEqual(differ, [], `W entries that differ: ${differ.slice(0, 5).map((k) => `${w.data[k]} vs ${cliW[k]}`).join('; ')}`);
  });
}
