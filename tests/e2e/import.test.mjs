// Import of the container formats (NPZ, safetensors) through the page's
// array picker, the orientation and header questions, bad files, and opening
// a study computed by the CLI in the HebbFF panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, newPage, waitIdle, inkFraction, screenshot, ROOT } from './harness.mjs';

const FIX = join(ROOT, 'tests', 'e2e', 'fixtures');
const FORMATS = join(ROOT, 'tests', 'data', 'formats');
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Motif counts and node count of the Motifs panel after the next finished update. */
async function motifResult(page, n) {
  await page.waitForFunction((k) => new RegExp(`× ${k} nodes`).test(document.querySelector('#readout-motif-nodes')?.textContent ?? '') && !document.body.dataset.busy, n, { timeout: 60_000 });
  return (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
}

test('an NPZ with two arrays shows the picker; the chosen array loads into Motifs', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  // The container readers live in the on-demand import module: fetched for the first container, not before.
  const importFetches = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/rnnscope_import_bg.wasm')).length);
  assert.equal(await importFetches(), 0);
  const bytes = await readFile(join(FIX, 'two.npz')); // W: 5×5 ring + chord; V: 4×4 complete (no loops)
  await page.setInputFiles('#file-input', { name: 'two.npz', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForSelector('#import-dialog[open]');
  assert.equal(await importFetches(), 1);
  const rows = await page.$$eval('#import-arrays .import-row', (rs) => rs.map((r) => r.textContent));
  assert.deepEqual(rows, ['W — 5×5 · <f8', 'V — 4×4 · <f8']);
  assert.equal(await page.isChecked('#import-graph'), true, 'a plain matrix defaults to the graph convention');
  await screenshot(page, 'import-picker-npz.png');
  // Keyboard only: arrow to V, then Load.
  await page.focus('#import-array-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.isChecked('#import-array-1'), true);
  await page.focus('#import-ok');
  await page.keyboard.press('Enter');
  const counts = await motifResult(page, 4);
  // 4 nodes, every ordered pair an edge: all C(4,3) = 4 triads are motif 13 (300).
  assert.deepEqual(counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
  assert.match(await page.textContent('#readout-motif-counts'), /two\.npz:V/);
  // Again, keeping W: a 5-cycle plus the chord 0→2 (graph convention, A[i][j] = i→j).
  await page.setInputFiles('#file-input', { name: 'two.npz', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForSelector('#import-dialog[open]');
  await page.click('#import-ok');
  const w = await motifResult(page, 5);
  // Triads: {0,1,2} has 0→1, 1→2, 0→2 (030T); {0,1,4}, {0,2,3}, {0,2,4}, {0,3,4}, {1,2,3}, {2,3,4}
  // are chains (021C); {0,1,3}, {1,2,4}, {1,3,4} hold one edge (not connected).
  assert.deepEqual(w, [0, 6, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  // The panel's own file input asks the same questions.
  await page.setInputFiles('#motif-file', { name: 'two.npz', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForSelector('#import-dialog[open]');
  await page.click('#import-cancel');
  await page.waitForSelector('#import-dialog', { state: 'detached' });
  assert.deepEqual(errors, []);
});

test('a safetensors file with weight_hh_l0 preselects it in the RNN convention', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  await page.setInputFiles('#file-input', { name: 'rnn.safetensors', mimeType: 'application/octet-stream', buffer: await readFile(join(FORMATS, 'rnn_f32.safetensors')) });
  await page.waitForSelector('#import-dialog[open]');
  const checked = await page.$eval('#import-arrays input:checked', (i) => i.value);
  assert.equal(checked, 'weight_hh_l0');
  assert.equal(await page.isDisabled('#import-arrays input[value=bias_hh_l0]'), true, 'a 1-D bias is not a matrix');
  assert.match(await page.textContent('#import-arrays'), /bias_hh_l0 — 2 · f32 \(not a 2-D numeric matrix\)/);
  assert.match(await page.textContent('#import-note'), /W in the RNN convention \(W\[i\]\[j\] = j→i\)/);
  assert.equal(await page.isChecked('#import-rnn'), true);
  await screenshot(page, 'import-picker-safetensors.png');
  await page.click('#import-ok');
  // W = [[0,1,2],[3,4,5],[6,7,8]]/8: every off-diagonal entry non-zero, one complete triad.
  const counts = await motifResult(page, 3);
  assert.deepEqual(counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(await page.isChecked('#ctl-rnn'), true, 'the answer sets the panel\'s RNN orientation');
  assert.deepEqual(errors, []);
});

test('a CSV with a header offers to skip it; the orientation answer is applied', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  // Upper-triangular chain 0→1→2 in the graph convention; read as RNN it is 2→1→0 (same motif 021C).
  // A lone edge 0→1 plus 2→1 is 021U in graph orientation but 021D read as RNN (edges reversed).
  const csv = 'u0,u1,u2\n0,1,0\n0,0,0\n0,1,0\n';
  await page.setInputFiles('#file-input', { name: 'w.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#import-dialog[open]');
  assert.equal(await page.isChecked('#import-skip'), true, 'a header line is detected');
  await page.check('#import-graph');
  await page.click('#import-ok');
  let counts = await motifResult(page, 3);
  assert.equal(counts[0], 1, `021U (0→1←2) in ${counts}`);
  await page.setInputFiles('#file-input', { name: 'w.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#import-dialog[open]');
  await page.check('#import-rnn');
  await page.click('#import-ok');
  await page.waitForFunction(() => document.querySelector('#readout-motif-counts')?.dataset.counts?.startsWith('0,0,1'), null, { timeout: 60_000 });
  counts = (await page.$eval('#readout-motif-counts', (e) => e.dataset.counts)).split(',').map(Number);
  assert.equal(counts[2], 1, `021D (1→0, 1→2) in ${counts}`);
  // Escape cancels: the dialog goes, nothing changes.
  await page.setInputFiles('#file-input', { name: 'w.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#import-dialog[open]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#import-dialog', { state: 'detached' });
  assert.equal(await page.isChecked('#ctl-rnn'), true);
  assert.equal(await page.isVisible('#error'), false);
});

test('a corrupt file gives a notice and the page keeps working', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  const bad = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 7)]);
  await page.setInputFiles('#file-input', { name: 'broken.npz', mimeType: 'application/octet-stream', buffer: bad });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /broken\.npz/);
  await page.click('#error-close');
  // Dropped on the page (drag and drop): a truncated NPY.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 123])], 'cut.npy'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /\S/);
  // Still alive: a random graph runs.
  const before = await page.$eval('body', (b) => Number(b.dataset.updates));
  await page.selectOption('#ctl-source', 'random');
  await page.fill('#ctl-n', '12');
  await page.dispatchEvent('#ctl-n', 'change');
  await waitIdle(page, before + 1);
  await motifResult(page, 12);
  assert.ok(await inkFraction(page, '#canvas-motif-counts') > 0.01);
});

test('Open study results draws a CLI study (summary.json + instances.json)', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=hebbff');
  await waitIdle(page, 1);
  const dir = join(FIX, 'study');
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
  const files = await Promise.all(['summary.json', 'instances.json'].map(async (name) => ({ name, mimeType: 'application/json', buffer: await readFile(join(dir, name)) })));
  await page.setInputFiles('#hebb-open-input', files);
  await page.waitForFunction(() => document.querySelector('#hebb-status')?.dataset.state === 'study-opened', null, { timeout: 60_000 });
  const curves = Object.fromEntries(summary.summary.curves);
  for (const id of ['accuracy', 'q', 'communities', 'flexibility', 'entropy']) {
    assert.equal(await page.isVisible(`#plot-hebb-band-${id}`), true, id);
    assert.ok(await inkFraction(page, `#canvas-hebb-band-${id}`) > 0.01, `${id} band drawn`);
  }
  const first = Number(await page.$eval('#readout-hebb-band-accuracy', (e) => e.dataset.first));
  const last = Number(await page.$eval('#readout-hebb-band-accuracy', (e) => e.dataset.last));
  assert.equal(first, curves.accuracy.mean[0]);
  assert.equal(last, curves.accuracy.mean.at(-1));
  assert.equal(await page.isVisible('#plot-hebb-paradox-q'), true);
  const within = Number(await page.$eval('#readout-hebb-paradox-q', (e) => e.dataset.within));
  const w = Object.fromEntries(summary.summary.within_instance_correlation).q.mean.filter((x) => x !== null);
  assert.ok(Math.abs(within - w.reduce((a, b) => a + b, 0) / w.length) < 1e-12);
  assert.equal(await page.$eval('#readout-hebb-modes', (e) => e.dataset.modes), JSON.stringify(summary.summary.learning_modes.mode));
  assert.ok(await inkFraction(page, '#canvas-hebb-modes') > 0.01);
  assert.equal(await page.isVisible('#hebb-mediation'), true);
  assert.match(await page.textContent('#hebb-instances-info'), /3 instances, seeds 1–3.*windows of 3 snapshots/);
  // The exports now save the opened study.
  assert.equal(await page.isDisabled('#hebb-json'), false);
  await screenshot(page, 'import-hebbff-study.png');
  // Only one of the two files: a clear error.
  await page.setInputFiles('#hebb-open-input', [files[0]]);
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /both summary\.json and instances\.json/);
  assert.deepEqual(errors, []);
});

test('link and state say when uploaded data is left out; "Save state with data" restores it', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  await page.setInputFiles('#file-input', { name: 'two.npz', mimeType: 'application/octet-stream', buffer: await readFile(join(FIX, 'two.npz')) });
  await page.waitForSelector('#import-dialog[open]');
  await page.check('#import-array-1');
  await page.check('#import-rnn');
  await page.click('#import-ok');
  await motifResult(page, 4);
  await page.click('#btn-link');
  await page.waitForFunction(() => /two\.npz:V is not in it/.test(document.querySelector('#notice')?.textContent ?? ''));
  const [plain] = await Promise.all([page.waitForEvent('download'), page.click('#btn-state')]);
  assert.equal(JSON.parse(await readFile(await plain.path(), 'utf8')).data, undefined);
  assert.match(await page.textContent('#notice'), /parameters only.*two\.npz:V/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#btn-state-data')]);
  const saved = JSON.parse(await readFile(await dl.path(), 'utf8'));
  assert.equal(saved.panel, 'motifs');
  assert.equal(saved.values.rnn, true);
  assert.equal(saved.data.name, 'two.npz:V');
  assert.match(saved.data.encoding, /^(gzip\+)?base64$/);
  // Open it on a fresh page showing another panel: parameters and the matrix come back.
  const other = await newPage(browser);
  await other.page.goto(server.url + '#panel=dynamics&n=10');
  await waitIdle(other.page, 1);
  await other.page.setInputFiles('#file-input', { name: 'state.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
  const counts = await motifResult(other.page, 4);
  assert.deepEqual(counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
  assert.equal(await other.page.isChecked('#ctl-rnn'), true);
  assert.match(other.page.url(), /[#&]source=file(&|$)/);
  assert.match(await other.page.textContent('#notice'), /Restored the parameters and two\.npz:V/);
  // Broken data in a state file: a clear error.
  const broken = { ...saved, data: { ...saved.data, bytes: '@@@' } };
  await other.page.setInputFiles('#file-input', { name: 'bad-state.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await other.page.waitForSelector('#error:not([hidden])');
  assert.match(await other.page.textContent('#error-text'), /base64/);
  assert.deepEqual(errors.concat(other.errors), []);
});

test('a MAT file lists its variables; text variables cannot be chosen', async () => {
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  await page.setInputFiles('#file-input', { name: 'w.mat', mimeType: 'application/octet-stream', buffer: await readFile(join(FORMATS, 'w.mat')) });
  await page.waitForSelector('#import-dialog[open]');
  const names = await page.$$eval('#import-arrays input', (is) => is.map((i) => `${i.value}:${i.disabled}`));
  assert.deepEqual(names.sort(), ['W:false', 'b:false', 'label:true']);
  assert.equal(await page.$eval('#import-arrays input:checked', (i) => i.value), 'W');
  await page.click('#import-ok');
  assert.deepEqual(await motifResult(page, 3), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(errors, []);
});

test('every file of the bad-input corpus gives a notice and the page keeps working', async () => {
  const { readdir } = await import('node:fs/promises');
  const { page, errors } = await newPage(browser);
  await page.goto(server.url + '#panel=motifs&null=none&threshold=none');
  await waitIdle(page, 1);
  const dir = join(ROOT, 'tests', 'bad-inputs');
  const names = (await readdir(dir)).sort();
  const outcome = {};
  for (const name of names) {
    await page.evaluate(() => { document.getElementById('error').hidden = true; });
    await page.setInputFiles('#file-input', { name, mimeType: 'application/octet-stream', buffer: await readFile(join(dir, name)) });
    // A header line is a question, not an error: answer it (skip the header) and go on.
    await page.waitForFunction(() => !document.getElementById('error').hidden || document.querySelector('#import-dialog[open]') || document.querySelector('#readout-motif-counts')?.textContent.includes('.'), null, { timeout: 30_000 });
    if (await page.$('#import-dialog[open]')) {
      await page.click('#import-ok');
      await page.waitForFunction(() => !document.getElementById('error').hidden || !document.body.dataset.busy, null, { timeout: 30_000 });
      await page.waitForTimeout(300);
    }
    await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 60_000 });
    outcome[name] = (await page.isVisible('#error')) ? await page.textContent('#error-text') : 'loaded';
  }
  console.log('# bad-input outcomes:', JSON.stringify(outcome));
  for (const must of ['bad-version.npy', 'complex.npy', 'empty.csv', 'garbage.bin', 'huge-shape.npy', 'inf.csv', 'nan.csv', 'nan.npy', 'non-square.csv', 'ragged.csv', 'string-dtype.npy', 'three-d.npy', 'truncated.npy', 'unterminated-quote.csv']) {
    if (names.includes(must)) assert.notEqual(outcome[must], 'loaded', `${must} must be refused`);
  }
  assert.match(outcome['non-square.csv'], /square/);
  // Still alive: a random graph runs.
  await page.evaluate(() => { document.getElementById('error').hidden = true; });
  await page.selectOption('#ctl-source', 'random');
  await page.fill('#ctl-n', '9');
  await page.dispatchEvent('#ctl-n', 'change');
  await motifResult(page, 9);
  assert.equal(await page.isVisible('#error'), false);
  assert.deepEqual(errors, []);
});
