// Small screens and accessibility (issue 22, items 4, 6 and 7): no sideways
// scrolling at phone width, axe-core clean on every panel, presets that apply
// on Enter (arrow keys only move), a tour that Escape closes and that comes
// first in the tab order, keyboard selection of motif bars, a header whose
// height does not change when a job starts, and screenshots of every panel at
// phone, tablet and desktop sizes under target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { serve, launch, waitIdle, screenshot } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { phone: [390, 844], tablet: [768, 1024], desktop: [1280, 800] };

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/**
 * A page of the given size. `tour: false` marks the tour as seen (as a
 * returning visitor); the CSP is bypassed only so axe can be injected.
 */
async function open(width, height, { tour = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
  if (!tour) await context.addInitScript(() => { try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } });
  const page = await context.newPage();
  page.setDefaultNavigationTimeout(90_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { page, errors, context };
}

/** Visit every panel through its tab; calls fn(id) once each panel is idle. */
async function eachPanel(page, fn) {
  await page.goto(server.url);
  await waitIdle(page, 1);
  const ids = await page.$$eval('#panels button', (bs) => bs.map((b) => b.dataset.panel));
  assert.ok(ids.length >= 5, `only ${ids.length} panels`);
  let updates = Number(await page.$eval('body', (b) => b.dataset.updates));
  for (const id of ids) {
    if (id !== ids[0]) {
      await page.click(`#panels button[data-panel="${id}"]`);
      updates += 1;
      await waitIdle(page, updates);
    }
    await fn(id);
  }
  return ids;
}

for (const [name, [width, height]] of Object.entries(SIZES)) {
  test(`${name} ${width}×${height}: no panel scrolls sideways; screenshots`, async () => {
    const { page, errors, context } = await open(width, height);
    const wide = [];
    await eachPanel(page, async (id) => {
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      if (sw > width) wide.push(`${id}: scrollWidth ${sw}`);
      // Each plot fits its column.
      const over = await page.$$eval('#plots .plot:not([hidden])', (cs, w) => cs.filter((c) => c.getBoundingClientRect().right > w + 0.5).map((c) => c.id), width);
      if (over.length) wide.push(`${id}: ${over.join(', ')} past the right edge`);
      await screenshot(page, `a11y-${id}-${width}x${height}.png`);
    });
    assert.deepEqual(wide, []);
    if (width < 800) {
      // One column: the parameters come below the plots, and the tabs scroll.
      const [plots, controls] = await Promise.all(['#plots', '#controls'].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().top)));
      assert.ok(controls > plots, 'controls not below the plots at phone width');
      assert.equal(await page.$eval('#panels', (n) => getComputedStyle(n).overflowX), 'auto');
      await page.click('#to-controls');
      assert.ok(await page.evaluate(() => document.getElementById('controls').contains(document.activeElement)), 'Parameters button does not move focus to the controls');
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('axe-core: 0 violations on every panel (desktop and phone)', async () => {
  for (const [width, height] of [SIZES.desktop, SIZES.phone]) {
    const { page, context } = await open(width, height, { tour: true });
    const found = [];
    await eachPanel(page, async (id) => {
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        // @ts-ignore axe is injected above
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        if (r.passes.length < 10) return [`axe ran only ${r.passes.length} passing rules`];
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      for (const v of violations) found.push(`${width}px ${id}: ${v}`);
    });
    await context.close();
    assert.deepEqual(found, []);
  }
});

test('presets: ArrowDown only moves, Enter applies', async () => {
  const { page, context } = await open(1280, 800);
  await page.goto(server.url + '#panel=dynamics&n=40');
  await waitIdle(page, 1);
  await page.focus('#presets');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(400);
  assert.match(page.url(), /panel=dynamics/, 'ArrowDown applied a preset');
  const first = await page.$eval('#presets', (s) => /** @type {HTMLSelectElement} */ (s).value);
  assert.ok(first, 'ArrowDown did not move to a preset');
  await page.keyboard.press('ArrowDown');
  const second = await page.$eval('#presets', (s) => /** @type {HTMLSelectElement} */ (s).value);
  assert.notEqual(second, first, 'second ArrowDown did not move on');
  await page.keyboard.press('Enter');
  const target = await page.evaluate((id) => import('./js/presets.js').then((m) => m.presets.find((p) => p.id === id).panel), second);
  await page.waitForFunction((p) => location.hash.includes(`panel=${p}`), target);
  await waitIdle(page, 2);
  assert.ok((await page.textContent('#notice')).length > 20, 'no caption after Enter');
  await context.close();
});

test('tour: first in the tab order, closes on Escape, stays on screen at phone width', async () => {
  const { page, context } = await open(390, 844, { tour: true });
  await page.goto(server.url);
  await waitIdle(page, 1);
  assert.ok(await page.isVisible('#tour'));
  const box = await page.$eval('#tour', (t) => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
  assert.ok(box[0] >= 0 && box[1] >= 0 && box[2] <= 390 && box[3] <= 844, `tour off screen: ${box}`);
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('#tour')), 'first Tab stop is not in the tour');
  await page.keyboard.press('Escape');
  assert.equal(await page.$('#tour'), null, 'Escape did not close the tour');
  await context.close();
});

test('motif bars: keyboard selection, level as a number in a table', async () => {
  const { page, context } = await open(1280, 800);
  await page.goto(server.url + '#panel=motifs&n=30&density=0.15&null=none');
  await waitIdle(page, 1);
  const rows = await page.$$eval('#table-motif-counts tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(rows.length, 13);
  const counts = (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',');
  assert.deepEqual(rows.map((r) => r[3]), counts, 'table counts differ from the chart');
  assert.deepEqual(rows.map((r) => r[0]), [...Array(13).keys()].map((i) => String(i + 1)));
  for (const r of rows) assert.ok(['1', '2', '3'].includes(r[2]), `level ${r[2]}`);
  assert.equal(await page.$eval('#canvas-motif-counts', (c) => c.getAttribute('aria-describedby')), 'readout-motif-counts table-motif-counts note-motif-counts');
  await page.focus('#canvas-motif-counts');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /selected motif 1 /.test(document.getElementById('canvas-motif-counts').getAttribute('aria-label')));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /selected motif 2 /.test(document.getElementById('canvas-motif-counts').getAttribute('aria-label')));
  const want = Math.min(200, Number(counts[1]));
  await page.waitForFunction((n) => document.getElementById('readout-motif-net').dataset.highlighted === String(n), want);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !/selected/.test(document.getElementById('canvas-motif-counts').getAttribute('aria-label')));
  await context.close();
});

test('the header keeps its height when a job bar appears; PNG export waits for a drawing', async () => {
  const { page, context } = await open(390, 844);
  await page.goto(server.url + '#panel=dynamics&n=40');
  await waitIdle(page, 1);
  const h0 = await page.$eval('header', (h) => h.getBoundingClientRect().height);
  const top0 = await page.$eval('main', (m) => m.getBoundingClientRect().top);
  await page.$eval('#job', (j) => { j.hidden = false; document.getElementById('job-text').textContent = 'Building network 3/10 · 1.2 s left'; });
  const h1 = await page.$eval('header', (h) => h.getBoundingClientRect().height);
  const top1 = await page.$eval('main', (m) => m.getBoundingClientRect().top);
  assert.equal(h1, h0, 'header height changed with the job bar');
  assert.equal(top1, top0, 'the page moved when the job bar appeared');
  await page.$eval('#job', (j) => { j.hidden = true; });
  // A card that was never drawn exports nothing.
  const undrawn = await page.evaluate(async () => {
    const { plotCard } = await import('./js/ui.js');
    const box = document.createElement('div');
    document.body.append(box);
    const c = plotCard(box, { id: 'probe', title: 'probe', note: '' });
    const b = /** @type {HTMLButtonElement} */ (c.tools.querySelector('[data-export="png"]'));
    const d = b.disabled;
    box.remove();
    return d;
  });
  assert.equal(undrawn, true, 'PNG export enabled on an empty card');
  await context.close();
});
