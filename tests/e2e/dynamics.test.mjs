// The foundation slice in a real browser: set N, g and seed; the heatmap is
// drawn, N eigenvalues are shown, the spectral radius is near g.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('random W heatmap and spectrum are drawn for the chosen N, g, seed', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics');
  await waitIdle(page, 1);
  await page.fill('#ctl-n', '300');
  await page.dispatchEvent('#ctl-n', 'change');
  await page.fill('#ctl-g', '1.2');
  await page.dispatchEvent('#ctl-g', 'change');
  await page.fill('#ctl-seed', '7');
  await page.dispatchEvent('#ctl-seed', 'change');
  await page.waitForFunction(() => document.querySelector('#readout-spectrum')?.dataset.count === '300', null, { timeout: 60_000 });
  await waitIdle(page, 2);
  assert.match(page.url(), /n=300/);
  assert.match(page.url(), /g=1\.2/);
  assert.match(page.url(), /seed=7/);
  const heatInk = await inkFraction(page, '#canvas-w');
  assert.ok(heatInk > 0.3, `heatmap mostly blank: ink ${heatInk}`);
  const specInk = await inkFraction(page, '#canvas-spectrum');
  assert.ok(specInk > 0.01, `spectrum blank: ink ${specInk}`);
  const count = await page.$eval('#readout-spectrum', (e) => Number(e.dataset.count));
  assert.equal(count, 300);
  const radius = await page.$eval('#readout-spectrum', (e) => Number(e.dataset.radius));
  assert.ok(Math.abs(radius / 1.2 - 1) < 0.15, `spectral radius ${radius} far from g = 1.2`);
  await screenshot(page, 'dynamics-1280x800.png');
  assert.deepEqual(errors, []);
});

test('a bad hash falls back to defaults with a visible notice', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=abc&g=99&bogus=1');
  await waitIdle(page, 1);
  const notice = await page.textContent('#notice');
  assert.match(notice, /n=abc is not a number/);
  assert.match(notice, /g=99 is outside/);
  assert.equal(await page.inputValue('#ctl-n'), '100');
  assert.ok(await inkFraction(page, '#canvas-w') > 0.3);
});

test('a Rust panic becomes a JS Error and the module recovers', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await waitIdle(page, 1);
  const out = await page.evaluate(async () => {
    const { call, instanceCount } = await import('./js/wasm.js');
    let message = '';
    try { await call((m) => m.debugPanic()); } catch (e) { message = e.message; }
    const before = instanceCount();
    const n = await call((m) => { const w = m.randomGaussian(5, 1, 3n); const r = w.rows; w.free(); return r; });
    return { message, before, n };
  });
  assert.match(out.message, /debugPanic called/);
  assert.equal(out.before, 2);
  assert.equal(out.n, 5);
});
