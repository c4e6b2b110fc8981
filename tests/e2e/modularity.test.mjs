// Modularity panel in a real browser: the demo activity (planted drifting
// modules) gives a positive Q, ~4 communities and drawn charts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('demo activity: multilayer communities, allegiance, raster and flexibility are drawn', async () => {
  const { page, errors } = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url + '#panel=modularity&runs=3');
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.q, null, { timeout: 120_000 });
  await waitIdle(page, 1);
  const q = await page.$eval('#readout-mod-raster', (e) => Number(e.dataset.q));
  const k = await page.$eval('#readout-mod-raster', (e) => Number(e.dataset.communities));
  assert.ok(q > 0.3 && q < 1, `Q = ${q}`);
  assert.ok(k >= 4 && k <= 8, `${k} communities`);
  // Q = q_intra + q_inter (the readout's two parts), the optimiser floor is
  // Louvain's, and planted modules raise no no-structure notice.
  const d = await page.$eval('#readout-mod-raster', (e) => ({ ...e.dataset, text: e.textContent }));
  assert.ok(Math.abs(Number(d.qIntra) + Number(d.qInter) - q) < 1e-12, JSON.stringify(d));
  assert.ok(Number(d.qIntra) > 0.2, `q_intra ${d.qIntra}`);
  assert.equal(d.floor, 'louvain');
  assert.match(d.text, /q_intra .* \+ q_inter .*floor: Louvain/);
  assert.equal(d.warning, 'false');
  assert.equal(await page.isVisible('#plot-mod-allegiance .warning'), false);
  for (const id of ['mod-fc', 'mod-allegiance', 'mod-raster']) {
    const ink = await inkFraction(page, `#canvas-${id}`);
    assert.ok(ink > 0.3, `${id} mostly blank: ${ink}`);
  }
  assert.ok(await inkFraction(page, '#canvas-mod-flex') > 0.01);
  assert.ok(await inkFraction(page, '#canvas-mod-hist') > 0.02);
  await screenshot(page, 'modularity-1280x800.png');
  assert.deepEqual(errors, []);
});

/** Seeded N(0, 1) (mulberry32 + Box–Muller), so the test activity is the same every run. */
function gauss(seed) {
  let a = seed >>> 0;
  const u = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

test('null model: planted modules beat the connectional null (z, p in the readout)', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=modularity&runs=2&null=connectional&nullSamples=5');
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.nullZ, null, { timeout: 180_000 });
  const d = await page.$eval('#readout-mod-raster', (e) => ({ ...e.dataset, text: e.textContent }));
  assert.equal(d.nullKind, 'connectional');
  assert.ok(Number(d.nullZ) > 3, `null z ${d.nullZ}`);
  // Empirical p = (1 + #null ≥ Q)/(1 + K): no null reaches Q, so 1/6.
  assert.ok(Math.abs(Number(d.nullP) - 1 / 6) < 1e-12, `p ${d.nullP}`);
  assert.match(d.text, /connectional null \(K = 5\).*z = .*p = 0\.167/);
  assert.deepEqual(errors, []);
});

test('common-factor activity: the no-structure notice is shown on the cards', async () => {
  const { page, errors } = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url + '#panel=modularity&runs=2');
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.q, null, { timeout: 120_000 });
  // One common factor, 60 units, r = 4/(4 + 1) = 0.8, 400 samples: no modules.
  const g = gauss(4);
  const rows = [];
  for (let t = 0; t < 400; t++) {
    const c = g();
    rows.push(Array.from({ length: 60 }, () => (2 * c + g()).toFixed(6)).join(','));
  }
  await page.setInputFiles('#modularity-file', { name: 'common.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  await page.waitForFunction(() => document.querySelector('#modularity-source-info')?.textContent.startsWith('File common.csv'), null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.warning === 'true', null, { timeout: 60_000 });
  const d = await page.$eval('#readout-mod-raster', (e) => ({ ...e.dataset }));
  assert.ok(Number(d.qIntra) <= 0, `q_intra ${d.qIntra}`);
  assert.ok(Math.abs(Number(d.qIntra) + Number(d.qInter) - Number(d.q)) < 1e-12, JSON.stringify(d));
  for (const id of ['mod-allegiance', 'mod-raster', 'mod-flex']) {
    assert.ok(await page.isVisible(`#plot-${id} .warning`), `no notice on ${id}`);
    assert.match(await page.textContent(`#plot-${id} .warning`), /no community structure beyond the inter-layer coupling/);
  }
  await screenshot(page, 'modularity-common-factor-1280x800.png');
  assert.deepEqual(errors, []);
});
