// The foundation slice in a real browser: set N, g and seed; the heatmap is
// drawn, N eigenvalues are shown, the spectral radius is near g.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, cliBinary } from './harness.mjs';

/** Run the native CLI and parse its JSON. */
const cli = (...args) => JSON.parse(execFileSync(cliBinary(), args.map(String), { encoding: 'utf8' }));

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
  // The same W (same seed) from the native CLI, and its spectrum there.
  const dir = mkdtempSync(join(tmpdir(), 'rnnscope-dyn-'));
  cli('random', '--n', 300, '--g', 1.2, '--seed', 7, '--out', join(dir, 'w.npy'));
  const ref = cli('spectrum', join(dir, 'w.npy'));
  assert.equal(ref.eigenvalues.length, 300);
  assert.ok(Math.abs(radius - ref.spectral_radius) <= 1e-9 * ref.spectral_radius, `page ${radius} vs CLI ${ref.spectral_radius}`);
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

test('a Rust panic becomes a JS Error and the module recovers (core and an on-demand module)', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await waitIdle(page, 1);
  const out = await page.evaluate(async () => {
    const { call, instanceCount } = await import('./js/wasm.js');
    let message = '';
    try { await call((m) => m.debugPanic()); } catch (e) { message = e.message; }
    const before = instanceCount();
    const n = await call((m) => { const w = m.randomGaussian(5, 1, 3n); const r = w.rows; w.free(); return r; });
    // The on-demand module recovers the same way, on its own, and the core module is untouched.
    let modelsMessage = '';
    try { await call((m) => m.debugPanic(), 'models'); } catch (e) { modelsMessage = e.message; }
    const models = instanceCount('models');
    const checked = await call((m) => { m.checkHebbffParams({}); return true; }, 'models');
    let refused = '';
    try { await call((m) => m.checkHebbffParams({ n: -1 }), 'models'); } catch (e) { refused = e.message; }
    return { message, before, n, modelsMessage, models, checked, refused, core: instanceCount() };
  });
  assert.match(out.message, /debugPanic called/);
  assert.equal(out.before, 2);
  assert.equal(out.n, 5);
  assert.match(out.modelsMessage, /debugPanic called/);
  assert.equal(out.models, 2);
  assert.equal(out.checked, true);
  assert.match(out.refused, /HebbFF parameters/);
  assert.equal(out.core, 2);
});

test('an on-demand module that fails to load is fetched again on the next use', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await waitIdle(page, 1);
  // Offline when the models module is first needed: a clear error, nothing cached.
  await page.route('**/rnnscope_models_bg.wasm', (r) => r.abort());
  const first = await page.evaluate(async () => {
    const { call } = await import('./js/wasm.js');
    try { await call((m) => m.checkHebbffParams({}), 'models'); return 'loaded'; } catch (e) { return String(e.message || e); }
  });
  assert.notEqual(first, 'loaded');
  await page.unroute('**/rnnscope_models_bg.wasm');
  const second = await page.evaluate(async () => {
    const { call } = await import('./js/wasm.js');
    return call((m) => { m.checkHebbffParams({}); return 'loaded'; }, 'models');
  });
  assert.equal(second, 'loaded');
});

test('live simulation runs, pauses, and the page stays responsive', async () => {
  const { page, errors } = await newPage(browser);
  // g = 2, seed 3: λ1 = 0.068 after a 500 τ burn-in (lyapunovSpectrum), so the
  // chaos persists (g = 1.8 with this seed is only transiently chaotic at
  // N = 120: its activity decays to rest after ~100 τ).
  await page.goto(server.url + '#panel=dynamics&n=120&g=2&seed=3');
  await waitIdle(page, 1);
  // Time advances while playing; the PR readout appears after the first PCA fit.
  await page.waitForFunction(() => Number(document.querySelector('#sim-status')?.dataset.t) > 5, null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('#readout-pca')?.dataset.pr, null, { timeout: 30_000 });
  // g = 2 is chaotic here: the activity is never "at rest", the PR is a number,
  // and it is the PR of the recorded states the refit published (T × N).
  const check = await page.evaluate(async () => {
    const { call } = await import('./js/wasm.js');
    const { latestActivity } = await import('./js/store.js');
    const pr = Number(document.querySelector('#readout-pca').dataset.pr);
    const a = latestActivity();
    const want = await call((m) => { const x = new m.Matrix(a.t, a.n, a.data); try { return m.activityDimension(x)[0]; } finally { x.free(); } });
    return { pr, want, t: a.t, n: a.n };
  });
  assert.equal(check.n, 120);
  assert.ok(check.t >= 3 && Math.abs(check.pr - check.want) <= 1e-9 * check.want, JSON.stringify(check));
  assert.ok(check.pr > 1, `PR ${check.pr}`);
  assert.ok(await inkFraction(page, '#canvas-traces') > 0.02, 'traces blank');
  assert.ok(await inkFraction(page, '#canvas-pca') > 0.01, 'trajectory blank');
  // Fixed points found by Newton in the worker: the native CLI's with the same W, starts and seed.
  const fixed = await page.$eval('#readout-spectrum', (e) => ({ k: Number(e.dataset.fixed), res: Number(e.dataset.maxResidual) }));
  const ref = cli('fixed-points', '--n', 120, '--g', 2, '--seed', 3, '--starts', 20);
  assert.equal(fixed.k, ref.fixed_points.length, JSON.stringify(fixed));
  // Residuals ‖F(h*)‖ at round-off level in both (WebAssembly and native floats differ in the last bits).
  const cliRes = Math.max(0, ...ref.fixed_points.map((p) => p.residual));
  assert.ok(fixed.res < 1e-10 && cliRes < 1e-10, `page ${fixed.res} vs CLI ${cliRes}`);
  // Pause: time stops.
  await page.click('#sim-play');
  await page.waitForTimeout(200);
  const t1 = await page.$eval('#sim-status', (e) => Number(e.dataset.t));
  await page.waitForTimeout(400);
  const t2 = await page.$eval('#sim-status', (e) => Number(e.dataset.t));
  assert.equal(t1, t2);
  await page.click('#sim-step');
  await page.waitForFunction((t) => Number(document.querySelector('#sim-status').dataset.t) > t, t2);
  // Noise changes live without a rebuild (the fixed-point count stays).
  await page.click('#sim-play');
  await screenshot(page, 'dynamics-live-1280x800.png');
  // Responsiveness at N = 1000: gaps between animation frames stay short.
  // The live simulation starts before the O(N³) spectrum is in (seconds at
  // N = 1000): record when each first shows N = 1000.
  await page.evaluate(() => {
    const seen = /** @type {any} */ (window).seen1000 = {};
    const look = () => {
      const now = performance.now();
      const s = document.querySelector('#sim-status');
      if (!seen.sim && s?.dataset.n === '1000' && Number(s.dataset.t) > 0) seen.sim = now;
      if (!seen.spectrum && document.querySelector('#readout-spectrum')?.dataset.count === '1000') seen.spectrum = now;
      if (!(seen.sim && seen.spectrum)) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.fill('#ctl-n', '1000');
  await page.dispatchEvent('#ctl-n', 'change');
  await page.waitForFunction(() => document.querySelector('#readout-spectrum')?.dataset.count === '1000', null, { timeout: 120_000 });
  await page.waitForFunction(() => /** @type {any} */ (window).seen1000.sim && /** @type {any} */ (window).seen1000.spectrum, null, { timeout: 30_000 });
  const seen = await page.evaluate(() => /** @type {any} */ (window).seen1000);
  assert.ok(seen.sim < seen.spectrum, `live simulation at N = 1000 from ${seen.sim.toFixed(0)} ms, spectrum at ${seen.spectrum.toFixed(0)} ms`);
  await page.waitForFunction(() => Number(document.querySelector('#sim-status')?.dataset.t) > 1, null, { timeout: 30_000 });
  const gap = await page.evaluate(() => new Promise((resolve) => {
    let last = performance.now(); let worst = 0; const end = last + 2000;
    const tick = (now) => { worst = Math.max(worst, now - last); last = now; if (now < end) requestAnimationFrame(tick); else resolve(worst); };
    requestAnimationFrame(tick);
  }));
  console.log(`N = 1000 live simulation: longest frame gap ${gap.toFixed(1)} ms`);
  assert.ok(gap < 250, `page froze for ${gap} ms`);
  assert.deepEqual(errors, []);
});

test('sweep over g: PR of rates and λ1 with error bars over seeds, in the worker', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=100&sweep=g');
  await waitIdle(page, 1);
  await page.click('#sweep-run');
  await page.waitForFunction(() => document.querySelector('#readout-sweep')?.dataset.points === '13', null, { timeout: 180_000 });
  const d = await page.$eval('#readout-sweep', (e) => ({ pr: JSON.parse(e.dataset.pr), record: e.dataset.record, stat: JSON.parse(e.dataset.static) }));
  const l1 = await page.$eval('#readout-sweep-lyap', (e) => JSON.parse(e.dataset.lambda1));
  assert.equal(d.record, 'rates');
  // Seeds that come to rest have no PR (null when all 3 did); others lie in [1, N].
  assert.ok(d.pr.every((v) => v === null || (v >= 1 && v <= 100)), JSON.stringify(d.pr));
  assert.equal(d.stat[0], 3, `g = 0.2 should be static for every seed: ${d.stat}`);
  assert.ok(d.pr[12] > 1.5, `PR at g = 3: ${d.pr[12]}`);
  // λ1: ≈ −1 + g far below the transition, positive (chaos) at g = 3.
  assert.ok(l1[0] < -0.5, `λ1 at g = 0.2: ${l1[0]}`);
  // (At N = 100 chaos is weak: λ1 = 0.083, 0.031, 0.019 for seeds 1–3 at g = 3.)
  assert.ok(l1[12] > 0.02, `λ1 at g = 3: ${l1[12]}`);
  assert.ok(await inkFraction(page, '#canvas-sweep') > 0.01);
  assert.ok(await inkFraction(page, '#canvas-sweep-lyap') > 0.01);
  await screenshot(page, 'dynamics-sweep-1280x800.png');
  assert.deepEqual(errors, []);
});

test('Lyapunov card: λ1 < 0 at g = 0.5, > 0 at g = 3 (N = 100), shown beside the PR', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=100&g=0.5&seed=1');
  await page.waitForFunction(() => document.querySelector('#readout-lyapunov')?.dataset.lambda1, null, { timeout: 120_000 });
  const lo = await page.$eval('#readout-lyapunov', (e) => ({ ...e.dataset }));
  assert.ok(Number(lo.lambda1) < -0.2, `λ1 at g = 0.5: ${lo.lambda1}`);
  assert.equal(Number(lo.kaplanYorke), 0);
  assert.equal(lo.k, '10');
  await page.fill('#ctl-g', '3');
  await page.dispatchEvent('#ctl-g', 'change');
  await page.waitForFunction(() => Number(document.querySelector('#readout-lyapunov')?.dataset.lambda1) > 0, null, { timeout: 120_000 });
  const hi = await page.$eval('#readout-lyapunov', (e) => ({ ...e.dataset }));
  assert.ok(Number(hi.lambda1) > 0.05, `λ1 at g = 3: ${hi.lambda1}`);
  assert.ok(Number(hi.kaplanYorke) >= 1, `D_KY ${hi.kaplanYorke}`);
  assert.match(await page.textContent('#readout-pca-lyapunov'), /λ1 = 0\.\d+ · D_KY = /);
  // The live PR says what it is of.
  await page.waitForFunction(() => document.querySelector('#readout-pca')?.dataset.pr, null, { timeout: 30_000 });
  assert.match(await page.textContent('#readout-pca'), /PR \(of currents h\)/);
  assert.ok(await inkFraction(page, '#canvas-lyapunov') > 0.01);
  await screenshot(page, 'dynamics-lyapunov-1280x800.png');
  assert.deepEqual(errors, []);
});

test('WASM speed: N = 200, 10,000 Euler steps', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await waitIdle(page, 1);
  const ms = await page.evaluate(async () => {
    const { call } = await import('./js/wasm.js');
    return call((m) => {
      const w = m.randomGaussian(200, 1.5, 1n);
      const best = []; const time = [];
      for (let r = 0; r < 3; r++) {
        const sim = new m.Simulation(w, { tau: 1, dt: 0.05, phi: 'tanh', seed: 2 });
        const t0 = performance.now();
        sim.step(10000);
        best.push(performance.now() - t0);
        time.push(sim.time);
        sim.free();
      }
      w.free();
      return { ms: Math.min(...best), time };
    });
  });
  console.log(`WASM (Chromium, main thread): N = 200, 10,000 Euler steps in ${ms.ms.toFixed(1)} ms (best of 3)`);
  // 10,000 steps of dt = 0.05 reach t = 500 (to rounding of the summed steps) in every run.
  for (const t of ms.time) assert.ok(Math.abs(t - 500) < 1e-9, `t = ${t}`);
  assert.ok(Number.isFinite(ms.ms) && ms.ms > 0);
});
