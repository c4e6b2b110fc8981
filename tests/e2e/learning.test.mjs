// Learning panel in a real browser: both sections run with small settings
// from the URL hash, draw their charts, and agree with the native CLI
// (`rnnscope curl`, `rnnscope richlazy`) for the same seed and settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, newPage, inkFraction, screenshot, cliBinary } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: page ${a} vs CLI ${b}`);

test('curl descent and rich vs lazy run from the hash and match the CLI', async () => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 900 });
  const hash = 'panel=learning&d=5&m=4&k=6&fl1=2&fl2=0&side=col&scale=1&lr=0.1&epochs=300&seed=3'
    + '&task=decision&n=12&ranks=1%2C4%2C16%2CN&aligned=1&iters=20&rlr=0.03&rseeds=1&autorun=both';
  await page.goto(server.url + '#' + hash);
  await page.waitForFunction(() => document.querySelector('#learn-rl-status')?.dataset.state === 'done'
    || document.querySelector('#learn-rl-status')?.dataset.state === 'error', null, { timeout: 240_000 });
  assert.equal(await page.$eval('#learn-curl-status', (e) => e.dataset.state), 'done');
  assert.equal(await page.$eval('#learn-rl-status', (e) => e.dataset.state), 'done');

  // (a) curl: the flipped rule and its GD baseline equal the native CLI's.
  const d = await page.$eval('#readout-learn-loss', (e) => ({ ...e.dataset }));
  const cli = JSON.parse(execFileSync(cliBinary(), ['curl', '--input-dim', '5', '--teacher', '4', '--student', '6', '--flipped-l1', '2',
    '--side', 'col', '--init-scale', '1', '--lr', '0.1', '--epochs', '300', '--seed', '3', '--scan-points', '0'], { encoding: 'utf8' }));
  assert.equal(cli.rule, 'curl');
  close(Number(d.finalTrain), cli.final_train_loss, 'curl final train loss');
  close(Number(d.gdFinalTrain), cli.gd.final_train_loss, 'GD final train loss');
  assert.notEqual(cli.final_train_loss, cli.gd.final_train_loss);
  assert.equal(d.converged, String(cli.converged));
  const j = await page.$eval('#readout-learn-jac', (e) => ({ ...e.dataset }));
  close(Number(j.maxRe), cli.jacobian.max_re_normal, 'max Re of the normal modes');
  close(Number(j.lyapunov), cli.lyapunov.per_unit_time, 'Lyapunov exponent');
  assert.ok(await inkFraction(page, '#canvas-learn-loss') > 0.01, 'loss chart drawn');
  assert.ok(await inkFraction(page, '#canvas-learn-jac') > 0.01, 'spectrum drawn');

  // (b) rich vs lazy: ranks 1, 4, N = 12 and the aligned W₀; alignment in (0, 1].
  const rows = await page.$$eval('#learn-rl-table tr[data-rank]', (trs) => trs.map((t) => ({ rank: Number(t.dataset.rank), ka: Number(t.dataset.kernelAlignment) })));
  assert.deepEqual(rows.map((r) => r.rank), [1, 4, 12, 0]);
  for (const r of rows) assert.ok(r.ka > 0 && r.ka <= 1, `kernel alignment ${r.ka} at rank ${r.rank}`);
  // The CLI without --aligned (its --aligned also adds a rank-matched random W₀).
  const rl = JSON.parse(execFileSync(cliBinary(), ['richlazy', '--task', 'decision', '--n', '12', '--ranks', '1,4,N', '--seeds', '1',
    '--seed', '3', '--iters', '20', '--lr', '0.03', '--probe', '64', '--ntk-trials', '8'], { encoding: 'utf8' }));
  assert.deepEqual(rl.rows.map((r) => r.init.rank), [1, 4, 12]);
  rl.rows.forEach((row, i) => close(rows[i].ka, row.kernel_alignment.mean, `kernel alignment, rank ${row.init.rank}`));
  const rho = Number(await page.$eval('#readout-learn-rl', (e) => e.dataset.rhoKernel));
  close(rho, rl.trends.kernel_alignment.rho, 'Spearman ρ of the kernel alignment');
  assert.ok(await inkFraction(page, '#canvas-learn-rl') > 0.01, 'measures chart drawn');
  await screenshot(page, 'learning-1280x900.png');
  assert.deepEqual(errors, []);
});
