// Page cold load (issue 19 item 7): navigation start → the first chart drawn
// (mark rnnscope:first-chart) and → the panel's first update finished, every
// chart of its default view drawn (rnnscope:first-plot),
// for the default page and each panel's link, 5 cold loads each (a fresh
// browser context per load: empty HTTP cache, no compiled-WASM cache). The
// numbers go to target/cold-load.json and stdout. Speed is NOT asserted here
// (project rule: speed is checked by benchmarks, never timed tests); the test
// checks only that the page's marks exist, are finite and come in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, waitIdle, ROOT } from './harness.mjs';

const RUNS = Number(process.env.COLD_LOAD_RUNS) || 1; // 1 in make test (the marks' checks); the docs/performance.md tables use COLD_LOAD_RUNS=5
const PANELS = ['', 'motifs', 'dynamics', 'training', 'modularity', 'hebbff', 'learning'];
const MARKS = ['app-start', 'wasm-compiled', 'wasm-ready', 'first-plot'];

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** One cold load of `hash`; times in ms from navigation start. */
async function coldLoad(hash) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    // First ink: poll the plot canvases every 16 ms until one has a drawn (opaque), non-white pixel
    // (what the reader sees first; first-plot is when the panel's whole first update finished).
    await context.addInitScript(() => {
      const timer = setInterval(() => {
        for (const c of document.querySelectorAll('#plots canvas')) {
          if (!(c instanceof HTMLCanvasElement) || !c.width || !c.height) continue;
          const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) { performance.mark('test:first-ink'); clearInterval(timer); return; }
          }
        }
      }, 16);
    });
    const page = await context.newPage();
    page.setDefaultNavigationTimeout(90_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(server.url + hash);
    await waitIdle(page, 1);
    const t = await page.evaluate((names) => {
      const mark = (n) => performance.getEntriesByName(`rnnscope:${n}`, 'mark').map((e) => e.startTime);
      const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
      const res = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/rnnscope_bg.wasm'));
      const models = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/rnnscope_models_bg.wasm'));
      const imports = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/rnnscope_import_bg.wasm'));
      const inked = [...document.querySelectorAll('#plots canvas')].filter((c) => {
        if (!c.width || !c.height) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) return true;
        return false;
      }).length;
      return {
        marks: Object.fromEntries(names.map((n) => [n, mark(n)])),
        firstChart: mark('first-chart'),
        firstInk: performance.getEntriesByName('test:first-ink', 'mark').map((e) => e.startTime),
        wasmFetches: res.map((e) => ({ start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })),
        modelsFetches: models.length,
        importFetches: imports.length,
        domContentLoaded: nav.domContentLoadedEventEnd,
        firstPlotMs: Number(document.body.dataset.firstPlotMs),
        error: document.getElementById('error').hidden ? '' : document.getElementById('error-text').textContent,
        canvases: document.querySelectorAll('#plots canvas').length,
        inked,
      };
    }, MARKS);
    return { ...t, consoleErrors: errors };
  } finally {
    await context.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const r1 = (x) => Math.round(x * 10) / 10;

test('cold load to first plot, per panel (measured, not asserted)', { timeout: 900_000 }, async () => {
  const out = { date: new Date().toISOString(), loadavg: (await readFile('/proc/loadavg', 'utf8')).trim(), runs: RUNS, goalMs: 1000, panels: {} };
  for (const id of PANELS) {
    const hash = id ? `#panel=${id}` : '';
    const runs = [];
    for (let k = 0; k < RUNS; k++) {
      const r = await coldLoad(hash);
      const label = `${id || 'default'} run ${k + 1}`;
      assert.equal(r.error, '', `${label}: page shows an error`);
      assert.deepEqual(r.consoleErrors, [], `${label}: console errors`);
      for (const n of MARKS) assert.equal(r.marks[n].length, 1, `${label}: mark rnnscope:${n} once, got ${r.marks[n].length}`);
      const [app, compiled, ready, plot] = MARKS.map((n) => r.marks[n][0]);
      for (const v of [app, compiled, ready, plot]) assert.ok(Number.isFinite(v) && v > 0, `${label}: mark ${v}`);
      assert.ok(compiled <= ready && ready <= plot, `${label}: marks out of order ${compiled} ${ready} ${plot}`);
      // Learning draws nothing until a Run button is pressed: no ink there.
      assert.equal(r.firstInk.length, id === 'learning' ? 0 : 1, `${label}: first-ink marks`);
      if (r.firstInk.length) assert.ok(r.firstInk[0] > ready, `${label}: ink before WASM was ready`);
      assert.equal(r.firstPlotMs, Math.round(plot), `${label}: data-first-plot-ms is the mark`);
      // The first chart: once, after WASM, no later than the finished update (none in Learning before Run).
      assert.equal(r.firstChart.length, id === 'learning' ? 0 : 1, `${label}: first-chart marks`);
      if (r.firstChart.length) assert.ok(r.firstChart[0] >= ready && r.firstChart[0] <= plot, `${label}: first chart ${r.firstChart[0]} outside ${ready}–${plot}`);
      // The page fetches the module once (the workers get the compiled Module).
      assert.equal(r.wasmFetches.length, 1, `${label}: rnnscope_bg.wasm fetched ${r.wasmFetches.length}×`);
      // The on-demand module (HebbFF, training, RL, learning) only where a panel uses it, and once.
      assert.ok(r.modelsFetches <= (['hebbff', 'training', 'learning'].includes(id) ? 1 : 0), `${label}: rnnscope_models_bg.wasm fetched ${r.modelsFetches}×`);
      assert.equal(r.importFetches, 0, `${label}: rnnscope_import_bg.wasm fetched on a cold load`);
      const f = r.wasmFetches[0];
      assert.ok(f.start > 0 && f.end >= f.start && f.end <= compiled, `${label}: wasm fetch ${f.start}–${f.end}, compiled ${compiled}`);
      runs.push({
        domContentLoaded: r.domContentLoaded, appStart: app, wasmFetchStart: f.start, wasmFetchEnd: f.end,
        wasmCompiled: compiled, wasmReady: ready, firstInk: r.firstInk[0] ?? NaN, firstChart: r.firstChart[0] ?? plot, firstPlot: plot,
        wasmFetchCompileInstantiate: ready - f.start, afterWasm: plot - ready, canvases: r.canvases, inked: r.inked, modelsFetches: r.modelsFetches,
      });
    }
    const keys = Object.keys(runs[0]);
    const med = Object.fromEntries(keys.map((key) => [key, r1(median(runs.map((x) => x[key])))]));
    if (!Number.isFinite(med.firstInk)) med.firstInk = null; // JSON: no ink on load
    // The goal is on the first chart (Learning, which draws on Run: its ready page).
    out.panels[id || 'default'] = { median: med, runs, goalMet: med.firstChart < out.goalMs };
  }
  await mkdir(join(ROOT, 'target'), { recursive: true });
  await writeFile(join(ROOT, 'target', 'cold-load.json'), JSON.stringify(out, null, 2));
  console.log(`# cold load, median of ${RUNS} (ms from navigation start; loadavg ${out.loadavg})`);
  console.log('# panel         DCL app-start    wasm-fetch   compiled wasm-ready  first-ink first-chart all-drawn fetch+comp+inst after-wasm  inked/canvases');
  for (const [id, p] of Object.entries(out.panels)) {
    const m = p.median;
    console.log(`# ${id.padEnd(10)} ${[m.domContentLoaded, m.appStart].map((v) => String(v).padStart(6)).join(' ')} ${`${m.wasmFetchStart}–${m.wasmFetchEnd}`.padStart(13)} ${[m.wasmCompiled, m.wasmReady, m.firstInk, m.firstChart, m.firstPlot, m.wasmFetchCompileInstantiate, m.afterWasm].map((v) => String(v).padStart(10)).join(' ')}   ${m.inked}/${m.canvases} ${p.goalMet ? '' : '(over 1 s)'}`);
  }
});
