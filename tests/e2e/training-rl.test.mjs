// Reinforcement learning and the group experiments on the Training panel:
// the page's RL run (worker, progress, cancel) gives exactly the numbers of
// `rnnscope rl` for the same seed and settings; a group experiment marks the
// curve exactly at the levels where the core's tests (in the JSON export, the
// CLI's report.json) have p_holm < 0.05, and the export has the CLI's keys.
// Needs www/pkg and `cargo build --release --bin rnnscope`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, cliBinary } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function streamText(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Click a card's JSON export and parse the downloaded file. */
async function exportJson(page, card) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#plot-${card} button[data-export="json"]`)]);
  return JSON.parse(await streamText(await dl.createReadStream()));
}

test('an RL run on the page equals `rnnscope rl` with the same seed', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training&n=12&seed=3&rliters=150&rlbatch=8&rllr=0.03');
  await waitIdle(page, 1);
  // Keyboard: Train policy is reachable and starts the run.
  await page.focus('#rl-start');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#rl-status')?.dataset.done === '1', null, { timeout: 60_000 });
  const rep = await exportJson(page, 'rl-reward');
  const cli = JSON.parse(execFileSync(cliBinary(), ['rl', '--n', '12', '--iters', '150', '--batch', '8', '--lr', '0.03', '--seed', '3'], { encoding: 'utf8' }));
  for (const k of Object.keys(cli).filter((k) => k !== 'seconds')) assert.ok(k in rep, `page export lacks the CLI key ${k}`);
  assert.equal(rep.curve.reward.length, 150);
  assert.equal(cli.episodes_to_criterion, 976, 'criterion reached (running mean ≥ 0.65) after 122 updates × 8 episodes');
  assert.deepEqual(rep.curve.reward, cli.curve.reward, 'reward curve');
  assert.deepEqual(rep.curve.good_choice, cli.curve.good_choice);
  assert.equal(rep.episodes_to_criterion, cli.episodes_to_criterion);
  assert.equal(rep.test_reward, cli.test_reward);
  assert.deepEqual(rep.config, cli.config);
  assert.equal(await page.$eval('#rl-progress', (p) => p.value), 1);
  assert.ok(await inkFraction(page, '#canvas-rl-reward') > 0.02, 'reward plot blank');
  const readout = await page.textContent('#readout-rl-reward');
  assert.match(readout, new RegExp(`held-out reward ${cli.test_reward.toFixed(4)}`));
  assert.match(readout, /rnnscope rl --n 12 --iters 150 --batch 8 --lr 0.03 --seed 3/);
  await page.locator('#rl-controls').scrollIntoViewIfNeeded();
  await screenshot(page, 'training-rl.png');
  assert.deepEqual(errors, []);
});

test('cancel stops an RL run (keyboard)', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training&n=16&rliters=100000');
  await waitIdle(page, 1);
  await page.click('#rl-start');
  await page.waitForFunction(() => /^update [1-9]/.test(document.querySelector('#rl-status')?.textContent ?? ''), null, { timeout: 60_000 });
  await page.focus('#rl-cancel');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#rl-status').dataset.state === 'cancelled');
  const p1 = await page.$eval('#rl-progress', (p) => p.value);
  await page.waitForTimeout(500);
  assert.equal(await page.$eval('#rl-progress', (p) => p.value), p1, 'still training after cancel');
  assert.equal(await page.$eval('#rl-start', (b) => b.disabled), false);
  assert.deepEqual(errors, []);
});

test('a group experiment marks exactly the levels with p_holm < 0.05; its export is the CLI report', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=training&seed=1&xkind=noise&xgroups=none%2Clevel3%3A%2B1&xn=16&xseeds=4&xiters=60&xlambda=0.5');
  await waitIdle(page, 1);
  assert.equal(await page.$eval('#plot-exp-deviation', (c) => c.hidden), true, 'noise only: no perturbation card');
  await page.click('#exp-run');
  await page.waitForFunction(() => document.querySelector('#exp-status')?.dataset.done === '1', null, { timeout: 120_000 });
  const rep = await exportJson(page, 'exp-noise');
  const tests = rep.noise.tests;
  assert.equal(tests.length, 7);
  const want = tests.filter((t) => t.a === 'none' && t.b === 'level3:+1' && t.p_holm < 0.05).map((t) => t.level);
  const marks = JSON.parse(await page.$eval('#canvas-exp-noise', (c) => c.dataset.marks));
  assert.deepEqual(marks, want);
  assert.ok(want.length > 0 && want.length < 7, `want some but not all levels significant: ${want}`);
  // The table lists every test, with ● on exactly the significant rows.
  const rows = await page.$$eval('#table-exp-noise tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(rows.length, tests.length);
  rows.forEach((r, i) => {
    assert.equal(Number(r[0]), tests[i].level);
    assert.equal(r[6] === '●', tests[i].p_holm < 0.05, `row ${i}`);
  });
  // The CLI's report.json for the same settings: the same keys everywhere,
  // and the same numbers bit for bit (training runs the same floating-point
  // program natively and in WebAssembly: fixed-order matmul, libm functions).
  const cli = JSON.parse(execFileSync(cliBinary(), ['train-experiment', 'noise', '--n', '16', '--seeds', '4', '--iters', '60', '--lambda', '0.5',
    '--group', 'none', '--group', 'level3:+1', '--seed', '1', '--quiet'], { encoding: 'utf8' }));
  delete cli.seconds;
  const shape = (v) => (Array.isArray(v) ? v.map(shape) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v);
  assert.deepEqual(shape(rep), shape(cli));
  assert.deepEqual(rep.params, cli.params);
  assert.deepEqual(tests.map((t) => [t.level, t.a, t.b]), cli.noise.tests.map((t) => [t.level, t.a, t.b]));
  const none = (r) => r.groups[0].frobenius.mean;
  assert.equal(none(rep), none(cli), `‖W‖_F of the unregularised group: page ${none(rep)}, CLI ${none(cli)}`);
  assert.deepEqual(rep.groups, cli.groups);
  assert.deepEqual(rep.noise, cli.noise);
  await page.locator('#exp-controls').scrollIntoViewIfNeeded();
  await screenshot(page, 'training-groups.png');
  assert.deepEqual(errors, []);
});
