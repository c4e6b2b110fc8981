// The poster's experiments from the page: a small run in the worker draws the
// noise sweep and the two perturbation plots (non-blank, numbers in the
// readouts), cancel stops it, and the preset opens the panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a small Level-1 vs Level-3 experiment runs in the worker and draws its plots', async () => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 1000 });
  await page.goto(server.url + '#panel=training&xn=12&xseeds=2&xiters=40&seed=2');
  await waitIdle(page, 1);
  // Coloured pixels (the groups' lines and bands), not the grey axes.
  const colour = (sel) => page.$eval(sel, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let k = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) k++;
    return k / (d.length / 4);
  });
  assert.equal(await colour('#canvas-exp-noise'), 0, 'empty axes before the run');
  await page.click('#exp-run');
  await page.waitForFunction(() => document.querySelector('#exp-status')?.dataset.done === '1', null, { timeout: 300_000 });
  const status = await page.textContent('#exp-status');
  console.log(`# ${status}`);
  for (const id of ['exp-noise', 'exp-deviation', 'exp-latent']) {
    const ink = await inkFraction(page, `#canvas-${id}`);
    assert.ok(ink > 0.02, `${id} blank: ink ${ink}`);
    const col = await colour(`#canvas-${id}`);
    assert.ok(col > 0.005, `${id}: no coloured lines (${col})`);
  }
  const readout = await page.textContent('#readout-exp-noise');
  console.log(`# ${readout}`);
  assert.match(readout, /Level-1 enriched: held-out accuracy 0\.\d+ ± 0\.\d+/);
  assert.match(await page.textContent('#readout-exp-deviation'), /Level-3 enriched: mean over 100 steps \d/);
  assert.equal(Number(await page.$eval('#exp-progress', (p) => p.value)), 1);
  await page.locator('#exp-controls').scrollIntoViewIfNeeded();
  await screenshot(page, 'training-experiments.png');
  assert.deepEqual(errors, []);
});

test('cancel stops the experiment; the preset opens it with its caption', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training&n=16&xseeds=2&xiters=2000');
  await waitIdle(page, 1);
  await page.click('#exp-run');
  await page.waitForFunction(() => /training 4 networks: [1-9]/.test(document.querySelector('#exp-status')?.textContent), null, { timeout: 60_000 });
  await page.click('#exp-cancel');
  await page.waitForFunction(() => document.querySelector('#exp-status').dataset.state === 'cancelled');
  const p1 = await page.$eval('#exp-progress', (p) => p.value);
  await page.waitForTimeout(600);
  const p2 = await page.$eval('#exp-progress', (p) => p.value);
  assert.ok(p2 - p1 <= 20 / 8000 + 1e-9, `still training after cancel: ${p1} → ${p2}`);
  await page.selectOption('#presets', 'poster-noise');
  await page.waitForFunction(() => location.hash.includes('xseeds=3'));
  assert.match(await page.textContent('#notice'), /Run experiments/);
  assert.deepEqual(errors, []);
});
