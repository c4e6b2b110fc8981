// The playground as a product: the 3-D PCA trajectory, activity handed from a
// running model to the Modularity panel, exports (PNG, SVG, CSV, NPY, JSON)
// parsed and checked, NPY import through the shell (picker and drop), the
// random-mode dimension preset, and screenshots of every panel at 1280×800 and
// 1024×768.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Click an export button and return the downloaded bytes. */
async function exported(page, card, kind) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#plot-${card} [data-export="${kind}"]`)]);
  return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}

/** Parse an .npy file (v1/v2/v3 header, little-endian float64, C order). */
function parseNpy(buf) {
  assert.deepEqual([...buf.subarray(0, 6)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'NPY magic');
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + hlen).toString('latin1');
  assert.match(header, /'descr':\s*'<f8'/);
  assert.match(header, /'fortran_order':\s*False/);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  assert.equal((start + hlen) % 16, 0, 'NPY data must start 16-byte aligned');
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = buf.readDoubleLE(start + hlen + 8 * i);
  return { shape, data };
}

/** Write a float64 C-order .npy (format 1.0) — an independent writer for the import test. */
function makeNpy(rows, cols, data) {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 16 - ((10 + header.length + 1) % 16);
  header += ' '.repeat(pad % 16) + '\n';
  const buf = Buffer.alloc(10 + header.length + 8 * data.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(buf, 0);
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, 'latin1');
  data.forEach((v, i) => buf.writeDoubleLE(v, 10 + header.length + 8 * i));
  return buf;
}

/** Parse a PNG's IHDR: width and height. */
function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Parse SVG text in the page's XML parser; returns element counts. */
async function parseSvg(page, text) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const count = (s) => doc.getElementsByTagName(s).length;
    return {
      error: count('parsererror'), root: doc.documentElement.nodeName,
      width: Number(doc.documentElement.getAttribute('width')), height: Number(doc.documentElement.getAttribute('height')),
      rect: count('rect'), polyline: count('polyline'), circle: count('circle'), text: count('text'),
      texts: Array.from(doc.getElementsByTagName('text'), (e) => e.textContent.trim()),
    };
  }, text);
}

test('3-D PCA trajectory: drawn with PC1–PC3 axes, rotatable, exported as SVG, back to 2-D', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=80&g=1.6&seed=4&sigma=0.3&pca=3d&yaw=30');
  await waitIdle(page, 1);
  await page.waitForFunction(() => document.querySelector('#readout-pca')?.dataset.pr && document.querySelector('#readout-pca').dataset.view === '3d', null, { timeout: 30_000 });
  assert.ok(await inkFraction(page, '#canvas-pca') > 0.02, '3-D trajectory blank');
  // Pause so the picture is fixed, then export SVG: a real plotters SVG with the axis names and the path.
  await page.click('#sim-play');
  await page.waitForTimeout(300);
  const svg = await exported(page, 'pca', 'svg');
  assert.equal(svg.name, 'rnnscope-pca.svg');
  const s = await parseSvg(page, svg.bytes.toString('utf8'));
  assert.equal(s.error, 0);
  assert.equal(s.root, 'svg');
  for (const name of ['PC1', 'PC2', 'PC3']) assert.ok(s.texts.includes(name), `${name} not in ${s.texts}`);
  assert.ok(s.polyline > 100, `${s.polyline} polylines: the trajectory path is missing`);
  assert.equal(s.circle, 1, 'current-state marker');
  const canvasW = await page.$eval('#canvas-pca', (c) => c.width);
  assert.equal(s.width, canvasW);
  // Rotating changes the picture and lands in the link.
  const before = await page.$eval('#canvas-pca', (c) => c.toDataURL());
  await page.$eval('#pca-yaw', (e) => { e.value = '200'; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); });
  await page.waitForFunction(() => /[#&]yaw=200(&|$)/.test(location.hash));
  await page.waitForFunction((b) => document.querySelector('#canvas-pca').toDataURL() !== b, before, { timeout: 10_000 });
  await screenshot(page, 'dynamics-pca3d-1280x800.png');
  // Back to 2-D.
  await page.click('#pca-view');
  await page.waitForFunction(() => /[#&]pca=2d(&|$)/.test(location.hash));
  await page.click('#sim-play');
  await page.waitForFunction(() => document.querySelector('#readout-pca').dataset.view === '2d', null, { timeout: 10_000 });
  assert.deepEqual(errors, []);
});

test('Modularity takes the activity of the running Dynamics simulation', async () => {
  const { page, errors } = await newPage(browser);
  // Noise keeps the activity moving however long a slow machine runs it (without
  // noise this network's chaos is transient: by t ≈ 1000 it is at rest).
  await page.goto(server.url + '#panel=dynamics&n=60&g=1.8&seed=2&sigma=0.2');
  await waitIdle(page, 1);
  // A PCA refit publishes the recorded states to the store; wait for one with moving
  // activity and at least 3 windows of 50 samples (a slow machine records fewer per frame).
  await page.waitForFunction(() => Number(document.querySelector('#readout-pca')?.dataset.pr) > 1
    && Number(document.querySelector('#readout-pca')?.dataset.published) >= 150, null, { timeout: 90_000 });
  await page.click('nav button[data-panel="modularity"]');
  await page.waitForFunction(() => document.querySelector('#modularity-source-info')?.dataset.source === 'demo', null, { timeout: 120_000 });
  const option = await page.$eval('#modularity-model', (s) => s.options[0].textContent);
  assert.match(option, /Dynamics live simulation .*N = 60.*: \d+ × 60/);
  const qDemo = await page.$eval('#readout-mod-raster', (e) => e.dataset.q);
  await page.click('#modularity-take');
  await page.waitForFunction((q) => document.querySelector('#modularity-source-info').dataset.source === 'model'
    && document.querySelector('#readout-mod-raster').dataset.q !== q, qDemo, { timeout: 120_000 });
  const info = await page.textContent('#modularity-source-info');
  assert.match(info, /Dynamics live simulation.*\d+ samples × 60 units → \d+ windows/);
  const q = await page.$eval('#readout-mod-raster', (e) => Number(e.dataset.q));
  const k = await page.$eval('#readout-mod-raster', (e) => Number(e.dataset.communities));
  assert.ok(Number.isFinite(q) && q > 0 && q < 1, `Q = ${q}`);
  assert.ok(k >= 1 && k <= 60, `${k} communities`);
  assert.match(await page.textContent('#readout-mod-raster'), /^Q = \d\.\d{4}/);
  for (const id of ['mod-fc', 'mod-allegiance', 'mod-raster']) {
    assert.ok(await inkFraction(page, `#canvas-${id}`) > 0.3, `${id} blank`);
  }
  assert.ok(await inkFraction(page, '#canvas-mod-flex') > 0.01);
  await screenshot(page, 'modularity-from-dynamics-1280x800.png');
  // A window longer than the taken activity: an error that says what to do.
  const updates = await page.evaluate(() => Number(document.body.dataset.updates));
  await page.evaluate(() => { location.hash = location.hash.replace(/(&window=\d+)|$/, '&window=5000'); });
  await waitIdle(page, updates + 1);
  assert.match(await page.textContent('#error'), /has \d+ samples so far, fewer than one window Z = 5000: let the model run longer/);
  assert.deepEqual(errors, []);
});

test('exports are valid: PNG, SVG, CSV and NPY of W agree with W; JSON of results parses', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=dynamics&n=40&g=1.2&seed=9');
  await waitIdle(page, 1);
  await page.waitForFunction(() => !document.querySelector('#plot-w [data-export="npy"]').disabled);
  // The reference W: built again directly from the same ensemble and seed.
  const ref = await page.evaluate(async () => {
    const { call } = await import('./js/wasm.js');
    return call((m) => { const w = m.makeEnsemble({ kind: 'gaussian', n: 40, g: 1.2, a: 0.8, b: 1, seed: 9 }); try { return Array.from(w.data()); } finally { w.free(); } });
  });
  const png = await exported(page, 'w', 'png');
  const size = pngSize(png.bytes);
  const canvas = await page.$eval('#canvas-w', (c) => ({ w: c.width, h: c.height }));
  assert.deepEqual([size.width, size.height], [canvas.w, canvas.h]);

  const svg = await parseSvg(page, (await exported(page, 'w', 'svg')).bytes.toString('utf8'));
  assert.equal(svg.error, 0);
  assert.equal(svg.root, 'svg');
  assert.ok(svg.rect >= 40 * 40 + 64, `${svg.rect} rects: cells + colour bar expected`);
  assert.ok(svg.texts.includes('column j') && svg.texts.includes('row i'), 'axis labels');

  const csv = (await exported(page, 'w', 'csv')).bytes.toString('utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  assert.equal(csv.length, 40);
  assert.ok(csv.every((r) => r.length === 40 && r.every(Number.isFinite)));
  assert.deepEqual(csv.flat(), ref, 'CSV differs from W');

  const npy = parseNpy((await exported(page, 'w', 'npy')).bytes);
  assert.deepEqual(npy.shape, [40, 40]);
  assert.deepEqual(Array.from(npy.data), ref, 'NPY differs from W');

  const spec = JSON.parse((await exported(page, 'spectrum', 'json')).bytes.toString('utf8'));
  assert.equal(spec.eigenvalues.length, 40);
  const rho = Math.max(...spec.eigenvalues.map(([re, im]) => Math.hypot(re, im)));
  assert.ok(Math.abs(rho - spec.spectral_radius) < 1e-12);
  assert.equal(String(spec.spectral_radius), await page.$eval('#readout-spectrum', (e) => e.dataset.radius));

  // Modularity: FC/allegiance as NPY, the multilayer result as JSON.
  await page.goto(server.url + '#panel=modularity&runs=2');
  await page.waitForFunction(() => document.querySelector('#readout-mod-raster')?.dataset.q, null, { timeout: 120_000 });
  const res = JSON.parse((await exported(page, 'mod-raster', 'json')).bytes.toString('utf8'));
  const alg = parseNpy((await exported(page, 'mod-allegiance', 'npy')).bytes);
  const n = res.flexibility.length;
  assert.deepEqual(alg.shape, [n, n]);
  assert.equal(res.labels.length, res.communities_per_layer.length);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(alg.data[i * n + i] - 1) < 1e-12, 'allegiance diagonal is 1');
    for (let j = 0; j < n; j++) assert.equal(alg.data[i * n + j], res.allegiance[i][j]);
  }
  // Allegiance of the returned labels, recomputed here (runs pooled: the JSON holds the best run only,
  // so check the weaker fact that co-labelled pairs in every layer have allegiance > 0).
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (res.labels.every((l) => l[i] === l[j])) assert.ok(alg.data[i * n + j] > 0);
  }
  assert.ok(res.q > 0.3, `Q ${res.q}`);
  const fc = parseNpy((await exported(page, 'mod-fc', 'npy')).bytes);
  assert.deepEqual(fc.shape, [n, n]);
  assert.ok(fc.data.every((v) => v >= -1 && v <= 1));
  assert.deepEqual(errors, []);
});

test('NPY import through the shell: activity by file picker, a matrix by drag-and-drop', async () => {
  const { page, errors } = await newPage(browser);
  // Activity: 3 groups of 8 units, each group driven by its own seeded signal plus noise.
  let s = 12345;
  const rnd = () => { s = (1103515245 * s + 12345) % 2147483648; return s / 2147483648 - 0.5; };
  const T = 200; const M = 24;
  const act = [];
  for (let t = 0; t < T; t++) {
    const drive = [rnd(), rnd(), rnd()];
    for (let i = 0; i < M; i++) act.push(drive[Math.floor(i / 8)] + 0.3 * rnd());
  }
  await page.goto(server.url + '#panel=modularity&window=50&runs=3');
  await page.waitForFunction(() => document.querySelector('#modularity-source-info')?.dataset.source === 'demo', null, { timeout: 120_000 });
  await page.setInputFiles('#file-input', { name: 'activity.npy', mimeType: 'application/octet-stream', buffer: makeNpy(T, M, act) });
  await page.waitForFunction(() => document.querySelector('#modularity-source-info').dataset.source === 'file', null, { timeout: 60_000 });
  assert.match(await page.textContent('#modularity-source-info'), /activity\.npy: 200 samples × 24 units → 4 windows/);
  assert.equal(await page.$eval('#readout-mod-raster', (e) => Number(e.dataset.communities)), 3);

  // A directed 5-cycle dropped on the Motifs panel: exactly 5 chains 021C (motif 2), nothing else.
  await page.goto(server.url + '#panel=motifs&null=none');
  await waitIdle(page, 1);
  const ring = Array.from({ length: 25 }, (_, k) => (Math.floor(k / 5) + 1) % 5 === k % 5 ? 1 : 0);
  const bytes = [...makeNpy(5, 5, ring)];
  await page.evaluate((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'ring.npy'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  // The import dialog asks the orientation (a ring reads the same either way); keep the default.
  await page.click('#import-ok');
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.textContent.startsWith('ring.npy'), null, { timeout: 30_000 });
  const counts = await page.$eval('#readout-motif-counts', (e) => e.dataset.counts.split(',').map(Number));
  assert.deepEqual(counts, [0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(errors, []);
});

test('preset: dimension vs random-mode spectrum runs its κ sweep; PR and λ1 rise with κ', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url);
  await waitIdle(page, 1);
  await page.selectOption('#presets', 'random-mode-dimension');
  await page.waitForFunction(() => document.querySelector('#readout-sweep')?.dataset.points === '5', null, { timeout: 240_000 });
  assert.match(await page.textContent('#notice'), /Clark et al\./);
  const pr = await page.$eval('#readout-sweep', (e) => JSON.parse(e.dataset.pr));
  const l1 = await page.$eval('#readout-sweep-lyap', (e) => JSON.parse(e.dataset.lambda1));
  console.log(`# random-mode preset: κ = 6 … 120 at g = 3: PR ${pr.map((v) => v?.toFixed(2)).join(', ')}; λ1 ${l1.map((v) => v.toFixed(3)).join(', ')}`);
  // The numbers the caption quotes (N = 200, seeds 1–3).
  assert.ok(Math.abs(pr[0] - 1.98) < 0.01 && Math.abs(pr[4] - 5.57) < 0.01, `PR ${pr}`);
  assert.ok(l1[0] < 0 && l1[4] > 0.1, `λ1 ${l1}`);
  assert.ok(await inkFraction(page, '#canvas-sweep') > 0.02);
  await screenshot(page, 'preset-random-mode-dimension.png');
  assert.deepEqual(errors, []);
});

for (const [width, height] of [[1280, 800], [1024, 768]]) {
  test(`every panel at ${width}×${height}: no horizontal overflow, screenshots saved`, async () => {
    const { page, errors } = await newPage(browser, { width, height });
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('rnnscope-tour', 'done'));
    const ids = await page.$$eval('#panels button', (bs) => bs.map((b) => b.dataset.panel));
    for (const id of ids) {
      await page.goto(server.url + `#panel=${id}`);
      await page.reload();
      await waitIdle(page, 1);
      // Every plot the panel shows is drawn (what the screenshot is for).
      await page.waitForFunction(() => [...document.querySelectorAll('#plots canvas')].filter((c) => c.getClientRects().length).every((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) return true;
        return false;
      }), null, { timeout: 30_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${id}: horizontal overflow ${overflow}px`);
      await screenshot(page, `panel-${id}-${width}x${height}.png`);
    }
    assert.deepEqual(errors, []);
  });
}
