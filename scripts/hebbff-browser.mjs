// One-off measurement (not part of the test suite): train HebbFF in headless
// Chromium through the page and report the time to 0.95 held-out accuracy, the
// final accuracy and the longest main-thread stall; save screenshots of the
// panel at 1280×800 and 1024×768 in target/screenshots.
// Usage: node scripts/hebbff-browser.mjs [hash-params] [--study]
//   e.g. node scripts/hebbff-browser.mjs                 (defaults: N=100, M=120, R=5, fresh, 1500 epochs)
//        node scripts/hebbff-browser.mjs 'epochs=600&every=25&testlen=1000&runs=1&instances=8&corrwin=6' --study
// Needs www/pkg (scripts/build-wasm.sh).
import { serve, launch, newPage, screenshot } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const studyMode = args.includes('--study');
const extra = args.find((a) => !a.startsWith('--')) ?? '';
const tag = studyMode ? 'hebbff-study' : 'hebbff';

const server = await serve();
const browser = await launch();
try {
  const { page, errors } = await newPage(browser, { width: 1280, height: 800 });
  await page.addInitScript(() => { try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } });
  await page.goto(server.url + '#panel=hebbff' + (extra ? '&' + extra : ''));
  await page.waitForFunction(() => Number(document.body.dataset.updates || 0) >= 1 && !document.body.dataset.busy, null, { timeout: 60_000 });
  await page.evaluate(() => {
    window.__maxGap = 0;
    window.__gaps = [];
    let last = performance.now();
    const tick = (t) => { const g = t - last; window.__maxGap = Math.max(window.__maxGap, g); if (g > 50) window.__gaps.push(Math.round(g)); last = t; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await page.click(studyMode ? '#hebb-study' : '#hebb-train');
  const want = studyMode ? 'study-done' : 'done';
  let shotMid = false;
  for (;;) {
    const st = await page.$eval('#hebb-status', (e) => ({ ...e.dataset, text: e.textContent }));
    if (st.state === want || st.state === 'error' || st.state === 'cancelled') { console.log(st.text); break; }
    if (!shotMid && (Date.now() - t0) > 60_000) { await screenshot(page, `${tag}-running-1280x800.png`); shotMid = true; }
    process.stdout.write(`\r${st.text.slice(0, 150)}   `);
    await new Promise((r) => setTimeout(r, 5000));
  }
  const st = await page.$eval('#hebb-status', (e) => ({ ...e.dataset }));
  const gap = await page.evaluate(() => ({ max: window.__maxGap, over50: window.__gaps.length, worst: window.__gaps.sort((a, b) => b - a).slice(0, 5) }));
  const summary = {
    setting: extra || 'defaults', mode: studyMode ? 'study' : 'single', wallSeconds: (Date.now() - t0) / 1000,
    seconds: Number(st.seconds), secondsTo95: st.t95 ? Number(st.t95) : null, epochTo95: st.t95epoch ? Number(st.t95epoch) : null,
    finalAccuracy: st.final ? Number(st.final) : null, snapshots: Number(st.snapshots ?? 0),
    maxFrameGapMs: Math.round(gap.max), framesOver50ms: gap.over50, worstGapsMs: gap.worst,
    hardwareConcurrency: await page.evaluate(() => navigator.hardwareConcurrency), errors,
  };
  if (studyMode) {
    summary.paradoxQ = await page.$eval('#readout-hebb-paradox-q', (e) => e.textContent);
    summary.paradoxCommunities = await page.$eval('#readout-hebb-paradox-communities', (e) => e.textContent);
    summary.modes = await page.$eval('#readout-hebb-modes', (e) => e.textContent);
    summary.mediation = await page.$eval('#hebb-mediation-table', (e) => e.dataset.values);
    summary.bandQ = await page.$eval('#readout-hebb-band-q', (e) => e.textContent);
    summary.bandCommunities = await page.$eval('#readout-hebb-band-communities', (e) => e.textContent);
  } else {
    summary.q = await page.$eval('#readout-hebb-q', (e) => e.textContent);
    summary.communities = await page.$eval('#readout-hebb-communities', (e) => e.textContent);
  }
  console.log('\n' + JSON.stringify(summary, null, 1));
  await screenshot(page, `${tag}-1280x800.png`);
  // Close-ups of the cards that matter for this mode.
  const ids = studyMode ? ['hebb-band-q', 'hebb-band-communities', 'hebb-paradox-q', 'hebb-paradox-communities', 'hebb-modes', 'hebb-mediation']
    : ['hebb-curve', 'hebb-allegiance', 'hebb-q', 'hebb-communities'];
  for (const id of ids) await (await page.$(`#${id.startsWith('hebb-mediation') ? id : 'plot-' + id}`)).screenshot({ path: `target/screenshots/${tag}-card-${id}.png` });
  // 1024×768 (a projector): a fresh page with the same link, so the canvases are drawn at that size.
  const small = await newPage(browser, { width: 1024, height: 768 });
  await small.page.addInitScript(() => { try { localStorage.setItem('rnnscope-tour', 'done'); } catch { /* ignore */ } });
  await small.page.goto(page.url());
  await small.page.waitForFunction(() => Number(document.body.dataset.updates || 0) >= 1 && !document.body.dataset.busy, null, { timeout: 60_000 });
  await small.page.screenshot({ path: `target/screenshots/${tag}-1024x768.png` });
} finally {
  await browser.close();
  await server.close();
}
