// The Motifs panel in a real browser: a random network is analysed with
// null-model z-scores; an uploaded chain 0 → 1 → 2 gives exactly one 021C;
// clicking a motif bar highlights its instances.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('random network: counts, z-scores, participation, highlighted instances', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&n=24&density=0.12&seed=3&null=swap&samples=20');
  await waitIdle(page, 1);
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.dataset.counts, null, { timeout: 60_000 });
  const counts = (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
  assert.equal(counts.length, 13);
  assert.ok(counts[1] > 0, `no 021C chains in a random graph? ${counts}`);
  const z = (await page.$eval('#readout-motif-z', (e) => e.dataset.z)).split(',');
  assert.equal(z.length, 13);
  for (const id of ['#canvas-motif-counts', '#canvas-motif-z', '#canvas-motif-nodes', '#canvas-motif-net']) {
    const ink = await inkFraction(page, id);
    assert.ok(ink > 0.01, `${id} blank: ink ${ink}`);
  }
  // Click the bar of motif 2 (021C): 2nd of 13 columns of the plot area.
  const box = await page.$eval('#canvas-motif-counts', (c) => { const r = c.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
  // the plot area spans roughly from the y-axis (≈ 68 px) to the right margin
  const x0 = box.x + 68 + 8, x1 = box.x + box.w - 8;
  await page.mouse.click(x0 + (x1 - x0) * (1.5 / 13), box.y + box.h * 0.5);
  await page.waitForFunction(() => Number(document.querySelector('#readout-motif-net')?.dataset.highlighted) > 0, null, { timeout: 30_000 });
  await screenshot(page, 'motifs-1280x800.png');
  assert.deepEqual(errors, []);
});

test('uploaded chain 0 → 1 → 2 is one 021C; a bad file shows a clear error', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none');
  await waitIdle(page, 1);
  await page.setInputFiles('#motif-file', { name: 'chain.csv', mimeType: 'text/csv', buffer: Buffer.from('0,1,0\n0,0,1\n0,0,0\n') });
  await page.check('#import-graph'); // the import dialog's orientation question: A[i][j] is i → j
  await page.click('#import-ok');
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.dataset.counts === '0,1,0,0,0,0,0,0,0,0,0,0,0', null, { timeout: 30_000 });
  assert.match(page.url(), /source=file/);
  await waitIdle(page, 2);
  await page.setInputFiles('#motif-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('0,1\n1\n') });
  await page.waitForFunction(() => !document.getElementById('error').hidden && /ragged/.test(document.getElementById('error').textContent), null, { timeout: 30_000 });
  assert.deepEqual(errors, []);
});

test("the current RNN's W from the Dynamics panel can be analysed", async () => {
  const fresh = await newPage(browser);
  await fresh.page.goto(server.url + '#panel=motifs&source=rnn&null=none');
  await fresh.page.waitForSelector('#error:not([hidden])');
  assert.match(await fresh.page.textContent('#error-text'), /No RNN yet/);
  await fresh.page.close();

  const { page, errors } = await newPage(browser);
  // Build W = Gaussian N = 40 in Dynamics, then analyse its strongest 20 % in Motifs.
  await page.goto(server.url + '#panel=dynamics&n=40&g=1.5&seed=3');
  await page.waitForFunction(() => document.querySelector('#readout-spectrum')?.dataset.count === '40', null, { timeout: 60_000 });
  await page.click('nav button[data-panel="motifs"]');
  await page.waitForSelector('#ctl-source');
  await page.selectOption('#ctl-source', 'rnn');
  await page.dispatchEvent('#ctl-source', 'change');
  await page.fill('#ctl-keep', '0.2');
  await page.dispatchEvent('#ctl-keep', 'change');
  await page.waitForFunction(() => /keep=0\.2/.test(location.hash) && /strongest 20% of \|w\|/.test(document.querySelector('#plots').textContent) && !document.body.dataset.busy, null, { timeout: 60_000 });
  const counts = (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
  assert.equal(counts.length, 13);
  const total = counts.reduce((a, b) => a + b, 0);
  assert.ok(total > 0, `no motifs in the kept W: ${counts}`);
  assert.ok(counts[12] < total, 'a thresholded W should not be all 300-motifs');
  assert.deepEqual(errors, []);
});
