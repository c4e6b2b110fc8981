// The single-file build (make dist) opened straight from disk: it computes a
// result with no server, makes no network request, and stays under 3 MB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

const FILE = join(ROOT, 'dist', 'rnnscope.html');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('dist/rnnscope.html is one file under 3 MB', async () => {
  const { size } = await stat(FILE);
  assert.ok(size < 3e6, `${size} bytes`);
});

test('opened via file:// it computes and draws, with no network request', async () => {
  const { page, errors } = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(FILE).href + '#panel=dynamics&n=60&g=0.8&seed=3');
  await waitIdle(page, 1);
  assert.equal(await page.$eval('#readout-spectrum', (e) => e.dataset.count), '60');
  assert.ok(await inkFraction(page, '#canvas-w') > 0.3);
  const external = requests.filter((u) => !/^(file|blob|data):/.test(u));
  assert.deepEqual(external, []);
  assert.deepEqual(errors, []);
  await screenshot(page, 'dist-file-1280x800.png');
});

test('from file:// the on-demand module runs (curl descent in a worker) with no network request', async () => {
  const { page, errors } = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(FILE).href + '#panel=learning&d=5&m=4&k=6&fl1=2&fl2=0&side=col&scale=1&lr=0.1&epochs=100&seed=3&autorun=curl');
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('#learn-curl-status')?.dataset.state ?? ''), null, { timeout: 120_000 });
  assert.equal(await page.$eval('#learn-curl-status', (e) => e.dataset.state), 'done', await page.$eval('#learn-curl-status', (e) => e.textContent));
  assert.ok(Number.isFinite(Number(await page.$eval('#readout-learn-loss', (e) => e.dataset.finalTrain))));
  assert.ok(await inkFraction(page, '#canvas-learn-loss') > 0.01, 'loss chart drawn');
  assert.deepEqual(requests.filter((u) => !/^(file|blob|data):/.test(u)), []);
  assert.deepEqual(errors, []);
});
