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
  for (const id of ['mod-fc', 'mod-allegiance', 'mod-raster']) {
    const ink = await inkFraction(page, `#canvas-${id}`);
    assert.ok(ink > 0.3, `${id} mostly blank: ${ink}`);
  }
  assert.ok(await inkFraction(page, '#canvas-mod-flex') > 0.01);
  assert.ok(await inkFraction(page, '#canvas-mod-hist') > 0.02);
  await screenshot(page, 'modularity-1280x800.png');
  assert.deepEqual(errors, []);
});
