// Training in a real browser: the flip-flop reaches ≥ 95% held-out accuracy
// in the worker while the page stays responsive; pause/resume and cancel work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('flip-flop trains to 95% in the worker without freezing the page', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training');
  await waitIdle(page, 1);
  // Measure main-thread stalls while training runs: the longest gap between
  // animation frames.
  await page.evaluate(() => {
    window.__maxGap = 0;
    let last = performance.now();
    const tick = (t) => { window.__maxGap = Math.max(window.__maxGap, t - last); last = t; if (!window.__stopTick) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await page.click('#train-start');
  // Pause and resume once.
  await page.waitForFunction(() => Number(document.querySelector('#train-status')?.dataset.iter || 0) >= 50, null, { timeout: 60_000 });
  await page.click('#train-pause');
  await page.waitForFunction(() => document.querySelector('#train-status').dataset.state === 'paused');
  const it1 = await page.$eval('#train-status', (e) => Number(e.dataset.iter));
  await page.waitForTimeout(500);
  const it2 = await page.$eval('#train-status', (e) => Number(e.dataset.iter));
  assert.ok(it2 - it1 <= 10, `still training while paused: ${it1} → ${it2}`);
  await page.click('#train-start');
  await page.waitForFunction(() => document.querySelector('#train-status').dataset.state === 'done' && document.querySelector('#train-status').dataset.example === '1', null, { timeout: 600_000 });
  const st = await page.$eval('#train-status', (e) => ({ ...e.dataset, text: e.textContent }));
  const maxGap = await page.evaluate(() => { window.__stopTick = true; return window.__maxGap; });
  console.log(`flip-flop in the browser: ${st.text}; longest frame gap ${maxGap.toFixed(0)} ms`);
  assert.ok(Number(st.acc) >= 0.95, `held-out accuracy ${st.acc}`);
  assert.ok(maxGap < 500, `page froze for ${maxGap} ms`);
  for (const id of ['train-loss', 'train-acc', 'train-inputs', 'train-outputs']) {
    const ink = await inkFraction(page, `#canvas-${id}`);
    assert.ok(ink > 0.01, `${id} blank: ink ${ink}`);
  }
  await screenshot(page, 'training-1280x800.png');
  assert.deepEqual(errors, []);
});

test('cancel stops training and a bad setting is refused', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url + '#panel=training&task=decision');
  await waitIdle(page, 1);
  await page.click('#train-start');
  await page.waitForFunction(() => Number(document.querySelector('#train-status')?.dataset.iter || 0) >= 20, null, { timeout: 60_000 });
  await page.click('#train-cancel');
  await page.waitForFunction(() => document.querySelector('#train-status').dataset.state === 'cancelled');
  const it1 = await page.$eval('#train-status', (e) => Number(e.dataset.iter));
  await page.waitForTimeout(500);
  const it2 = await page.$eval('#train-status', (e) => Number(e.dataset.iter));
  assert.ok(it2 - it1 <= 10, `still training after cancel: ${it1} → ${it2}`);
  await page.fill('#ctl-n', '100000');
  await page.dispatchEvent('#ctl-n', 'change');
  assert.match(await page.textContent('#error'), /N \(units\)/);
});

test('motif regularisation in the page moves level-3 counts the chosen way', async () => {
  const run = async (spec) => {
    const { page } = await newPage(browser);
    await page.goto(server.url + `#panel=training&motifreg=${encodeURIComponent(spec)}&l2=0.001&iters=60&target=0&seed=4`);
    await waitIdle(page, 1);
    await page.click('#train-start');
    await page.waitForFunction(() => document.querySelector('#train-status')?.dataset.state === 'done', null, { timeout: 120_000 });
    const levels = await page.$eval('#train-status', (e) => JSON.parse(e.dataset.levels));
    await page.close();
    return levels;
  };
  const enrich = await run('level3:+1');
  const suppress = await run('level3:-1');
  console.log(`# level counts after 60 steps: enrich level 3 ${enrich.map(Math.round)}, suppress ${suppress.map(Math.round)}`);
  assert.ok(enrich[2] > 2 * suppress[2], `enrich ${enrich} vs suppress ${suppress}`);
});
