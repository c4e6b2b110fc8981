// Views of the page beyond the full layout (issue #22 items 3, 5, 6; #16):
// tabs keep their parameters and files, one-figure embeds (&plot=) fit a
// 700×450 frame, the lesson view puts the edge-of-chaos lesson on one
// 1280×720 screen with a fixed trace scale and a caption that follows g, and
// the HebbFF study view shows the summary's warnings and null-z band.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const updates = (page) => page.$eval('body', (b) => Number(b.dataset.updates || 0));
/** Wait for one more finished update than `n`. */
const waitMore = (page, n) => waitIdle(page, n + 1);
const setCtl = async (page, key, value) => {
  const n = await updates(page);
  await page.fill(`#ctl-${key}`, String(value));
  await page.dispatchEvent(`#ctl-${key}`, 'change');
  await waitMore(page, n);
};
const EDGES = 'source,target\n0,1\n1,2\n2,0\n0,3\n3,1\n3,4\n4,0\n';

test('tabs keep their parameters and uploaded file when you switch away and back', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none');
  await waitIdle(page, 1);
  await setCtl(page, 'samples', 7);
  let n = await updates(page);
  await page.setInputFiles('#motif-file', { name: 'edges.csv', mimeType: 'text/csv', buffer: Buffer.from(EDGES) });
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.textContent.startsWith('edges.csv'));
  await waitMore(page, n);
  const counts = await page.$eval('#readout-motif-counts', (e) => e.dataset.counts);
  // 5 nodes, 7 edges: the file's census, not the random graph's.
  assert.equal(counts.split(',').reduce((a, x) => a + Number(x), 0) > 0, true);
  // Away to Dynamics, change g there, and back.
  n = await updates(page);
  await page.click('nav button[data-panel=dynamics]');
  await waitMore(page, n);
  await setCtl(page, 'g', 0.7);
  n = await updates(page);
  await page.click('nav button[data-panel=motifs]');
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.textContent.startsWith('edges.csv'), null, { timeout: 60_000 });
  await waitIdle(page, n + 1);
  assert.equal(await page.inputValue('#ctl-samples'), '7');
  assert.equal(await page.inputValue('#ctl-source'), 'file');
  assert.equal(await page.$eval('#readout-motif-counts', (e) => e.dataset.counts), counts, 'same census from the kept file');
  assert.match(page.url(), /samples=7/);
  n = await updates(page);
  await page.click('nav button[data-panel=dynamics]');
  await waitMore(page, n);
  assert.equal(await page.inputValue('#ctl-g'), '0.7');
  assert.equal(await page.$eval('#slider-g', (s) => s.value), '0.7');
  assert.deepEqual(errors, []);
});

// Every plot drawn at load, per panel.
const PLOTS = {
  dynamics: ['traces', 'pca', 'w', 'spectrum', 'lyapunov'],
  motifs: ['motif-counts', 'motif-z', 'motif-nodes', 'motif-net'],
  modularity: ['mod-fc', 'mod-allegiance', 'mod-raster', 'mod-flex', 'mod-hist'],
  hebbff: ['hebb-stream'],
};

test('&plot= embeds one chart that fits a 700×450 frame, with a link to the full page', async () => {
  const { page, errors } = await newPage(browser, { width: 700, height: 450 });
  let first = true;
  for (const [panel, names] of Object.entries(PLOTS)) {
    for (const plot of names) {
      const hash = `#panel=${panel}&n=${panel === 'dynamics' ? 60 : 30}&embed=1&plot=${plot}`.replace(/&n=\d+/, panel === 'modularity' || panel === 'hebbff' ? '' : '$&');
      const n = first ? 0 : await updates(page);
      if (first) await page.goto(server.url + hash); else await page.evaluate((h) => { location.hash = h; }, hash);
      first = false;
      await waitIdle(page, n + 1);
      await page.waitForFunction((id) => {
        const c = /** @type {HTMLCanvasElement} */ (document.querySelector(`#canvas-${id}`));
        if (!c) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4 * 97) if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) return true;
        return false;
      }, plot, { timeout: 60_000 });
      const m = await page.evaluate((id) => {
        const de = document.documentElement;
        const visible = [...document.querySelectorAll('#plots > *')].filter((c) => c.getClientRects().length).map((c) => c.id);
        const r = document.querySelector(`#canvas-${id}`).getBoundingClientRect();
        return { sh: Math.max(de.scrollHeight, document.body.scrollHeight), sw: Math.max(de.scrollWidth, document.body.scrollWidth), visible, w: r.width, h: r.height, link: document.querySelector('#embed-open')?.getAttribute('href') ?? '', aside: document.querySelector('#controls').getClientRects().length };
      }, plot);
      assert.ok(m.sh <= 450, `${panel}/${plot}: scrollHeight ${m.sh} > 450`);
      assert.ok(m.sw <= 700, `${panel}/${plot}: scrollWidth ${m.sw} > 700`);
      assert.deepEqual(m.visible, [`plot-${plot}`], `${panel}/${plot}: only that card`);
      assert.ok(m.w > 600 && m.h > 250, `${panel}/${plot}: canvas ${m.w}×${m.h} fills the frame`);
      assert.ok(await inkFraction(page, `#canvas-${plot}`) > 0.01, `${panel}/${plot}: canvas drawn`);
      assert.equal(m.aside, 0, 'no controls unless asked');
      assert.ok(m.link.includes(`panel=${panel}`) && !/embed|plot=/.test(m.link), `${plot}: open-in-rnnscope link ${m.link}`);
      if (plot === 'spectrum' || plot === 'motif-counts') await screenshot(page, `embed-plot-${plot}-700x450.png`);
    }
  }
  // Controls on request: the parameters beside the figure, still inside the frame.
  const n = await updates(page);
  await page.evaluate(() => { location.hash = '#panel=dynamics&n=60&embed=1&plot=spectrum&controls=1'; });
  await waitIdle(page, n + 1);
  const m = await page.evaluate(() => ({ sh: document.documentElement.scrollHeight, sw: document.documentElement.scrollWidth, aside: document.querySelector('#controls').getClientRects().length }));
  assert.equal(m.aside, 1);
  assert.ok(m.sh <= 450 && m.sw <= 700, `with controls: ${m.sw}×${m.sh}`);
  await screenshot(page, 'embed-plot-spectrum-controls-700x450.png');
  // An unknown name says which names exist.
  const k = await updates(page);
  await page.evaluate(() => { location.hash = '#panel=dynamics&n=60&embed=1&plot=nope'; });
  await waitIdle(page, k + 1);
  assert.match(await page.textContent('#notice'), /no plot “nope”.*spectrum/);
  assert.deepEqual(errors, []);
});

test('lesson view: spectrum, live traces and the g slider on one 1280×720 screen; fixed y-range; caption follows g', async () => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 720 });
  await page.goto(server.url + '#panel=dynamics&n=300&g=1&seed=2&lesson=1');
  await waitIdle(page, 1);
  await page.waitForFunction(() => Number(document.querySelector('#readout-traces')?.dataset.maxAbs ?? NaN) >= 0);
  const box = await page.evaluate(() => {
    const r = (s) => { const b = document.querySelector(s).getBoundingClientRect(); return { top: b.top, bottom: b.bottom, left: b.left, right: b.right }; };
    return { spec: r('#canvas-spectrum'), traces: r('#canvas-traces'), slider: r('#slider-g'), caption: r('#lesson-caption'),
      sh: document.documentElement.scrollHeight, sw: document.documentElement.scrollWidth, font: getComputedStyle(document.body).fontSize };
  });
  for (const [k, b] of Object.entries({ spec: box.spec, traces: box.traces, slider: box.slider, caption: box.caption })) {
    assert.ok(b.top >= 0 && b.bottom <= 720 && b.right <= 1280, `${k} on screen: ${JSON.stringify(b)}`);
  }
  assert.ok(box.sh <= 720 && box.sw <= 1280, `no scrolling: ${box.sw}×${box.sh}`);
  assert.ok(parseFloat(box.font) >= 16, `larger text: ${box.font}`);
  // At g = 1 the traces decay towards 0: the axis stays at ±1, not zoomed onto the decay.
  const yr = await page.$eval('#readout-traces', (e) => ({ y: e.dataset.yrange, max: Number(e.dataset.maxAbs) }));
  assert.equal(yr.y, String(Math.max(1, Math.ceil(yr.max))));
  const cap1 = await page.textContent('#lesson-caption');
  assert.match(cap1, /g = 1 ≈ 1, the edge of chaos/);
  await screenshot(page, 'lesson-edge-of-chaos-1280x720.png');
  // Fixed ±2 from the live card's selector; the link records it.
  let n = await updates(page);
  await page.selectOption('#sim-yrange', '2');
  await waitMore(page, n);
  await page.waitForFunction(() => document.querySelector('#readout-traces').dataset.yrange === '2');
  assert.match(page.url(), /yrange=2/);
  // The g slider (keyboard) moves the caption across g = 1.
  n = await updates(page);
  await page.focus('#slider-g');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.$eval('#slider-g', (s) => s.dispatchEvent(new Event('change')));
  await waitMore(page, n);
  assert.equal(await page.inputValue('#ctl-g'), '1.5');
  assert.match(await page.textContent('#lesson-caption'), /g = 1\.5 > 1: .*chaotic/);
  await screenshot(page, 'lesson-chaos-1280x720.png');
  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.page.goto(server.url + '#panel=dynamics&n=100&g=1&lesson=1');
  await waitIdle(phone.page, 1);
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await screenshot(phone.page, 'lesson-390x844.png');
  assert.deepEqual([...errors, ...phone.errors], []);
});

test('a preset caption clears when a parameter it set changes; the header keeps its height during a job', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=60');
  await waitIdle(page, 1);
  const h0 = await page.$eval('header', (h) => h.getBoundingClientRect().height);
  let n = await updates(page);
  await page.selectOption('#presets', 'edge-of-chaos');
  await waitMore(page, n);
  assert.match(await page.textContent('#notice'), /At g = 1/);
  // A job bar appears (network build) and the header height does not change.
  const heights = await page.evaluate(async () => {
    const out = [];
    const h = document.querySelector('header');
    const job = document.getElementById('job');
    job.hidden = false; out.push(h.getBoundingClientRect().height); job.hidden = true;
    return out;
  });
  assert.deepEqual(heights, [h0]);
  n = await updates(page);
  await page.fill('#ctl-g', '1.4');
  await page.dispatchEvent('#ctl-g', 'change');
  await waitMore(page, n);
  assert.equal(await page.isVisible('#notice'), false, 'the g = 1 caption no longer applies');
  assert.deepEqual(errors, []);
});

test('HebbFF study view: the summary warnings as a notice and the null-z band drawn (#16)', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=hebbff');
  await waitIdle(page, 1);
  const dir = join(ROOT, 'tests/e2e/fixtures');
  const summary = await readFile(join(dir, 'study-null/summary.json'));
  const instances = await readFile(join(dir, 'study/instances.json'));
  const fx = JSON.parse(String(summary)).summary;
  await page.setInputFiles('#hebb-open-input', [
    { name: 'summary.json', mimeType: 'application/json', buffer: summary },
    { name: 'instances.json', mimeType: 'application/json', buffer: instances },
  ]);
  await page.waitForFunction(() => document.querySelector('#hebb-status').dataset.state === 'study-opened', null, { timeout: 60_000 });
  assert.equal(await page.isVisible('#hebb-study-warnings'), true);
  assert.equal(await page.textContent('#hebb-study-warnings'), `⚠ ${fx.warnings[0]}`);
  assert.equal(await page.isVisible('#plot-hebb-band-null'), true);
  assert.ok(await inkFraction(page, '#canvas-hebb-band-null') > 0.02);
  const r = await page.$eval('#readout-hebb-band-null', (e) => ({ text: e.textContent, points: e.dataset.points, z: Number(e.dataset.lastZ) }));
  assert.equal(r.points, String(fx.null_z.x.length));
  assert.equal(r.z, fx.null_z.mean.at(-1));
  assert.match(r.text, /last \(epoch 20\): z = 1\.30 ± 0\.30, 67% of instances p ≤ 0\.05/);
  const rows = await page.$$eval('#table-hebb-band-null tbody tr', (rs) => rs.map((t) => t.textContent));
  assert.equal(rows.length, 3);
  await page.$eval('#plot-hebb-band-null', (c) => c.scrollIntoView());
  await screenshot(page, 'hebbff-study-null-1280x800.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'hebbff-study-null-390x844.png');
  // The original fixture (no null): the card stays hidden, the warning shows.
  const plain = await readFile(join(dir, 'study/summary.json'));
  await page.setInputFiles('#hebb-open-input', [
    { name: 'summary.json', mimeType: 'application/json', buffer: plain },
    { name: 'instances.json', mimeType: 'application/json', buffer: instances },
  ]);
  await page.waitForFunction(() => document.querySelector('#plot-hebb-band-null').hidden);
  assert.equal(await page.isVisible('#hebb-study-warnings'), true);
  assert.deepEqual(errors, []);
});

test('axe-core: 0 violations in the lesson view and a one-figure embed', async () => {
  const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const [hash, w, h] of [['#panel=dynamics&n=100&g=1&lesson=1', 1280, 720], ['#panel=dynamics&n=60&embed=1&plot=spectrum&controls=1', 700, 450]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, bypassCSP: true });
    await context.addInitScript(() => { try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } });
    const page = await context.newPage();
    await page.goto(server.url + hash);
    await waitIdle(page, 1);
    await page.evaluate(AXE);
    const v = await page.evaluate(async () => {
      // @ts-ignore axe is injected above
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(v, [], hash);
    await context.close();
  }
});
