// WASM timings for `make bench`: loads www/pkg in headless Chromium and times
// the same workloads on the same input files as examples/bench.rs (native)
// and reference.py. Prints {"task": {"size": {"rnnscope wasm": {...}}}}.
// Usage: node scripts/bench/wasm.mjs target/bench/inputs [TASK…]
// (TASK: only these tasks, e.g. `hebbff_epoch`; default all, as examples/bench.rs.)
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { serve, launch, ROOT } from '../../tests/e2e/harness.mjs';

const dir = resolve(process.argv[2] || 'target/bench/inputs');
const files = readdirSync(dir);
const only = process.argv.slice(3);
const want = (task) => only.length === 0 || only.includes(task);
const sized = (re) => files.map((f) => [f, re.exec(f)]).filter(([, m]) => m).map(([f, m]) => [Number(m[1]), f]).sort((a, b) => a[0] - b[0]);
const job = {
  base: '/' + relative(ROOT, dir).split('\\').join('/') + '/',
  motifs: want('motifs') ? sized(/^digraph_(\d+)\.csv$/) : [],
  signed: want('signed_louvain') ? sized(/^signed_(\d+)\.npy$/) : [],
  activity: want('multilayer') ? sized(/^activity_120x(\d+)\.npy$/).map(([, f]) => f)[0] ?? null : null,
  rnn: want('rnn_simulation') && files.includes('rnn_W_200.npy') ? 'rnn_W_200.npy' : null,
  read: want('read') ? [['dense01_2000.csv', 'dense01_2000_csv'], ['weights_1000.csv', 'weights_1000_csv'], ['weights_2000.npy', 'weights_2000_npy']]
    .filter(([f]) => files.includes(f)) : [],
};

const server = await serve(ROOT);
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[wasm] ${m.text()}\n`));
  await page.goto(server.url + 'scripts/bench/blank.html');
  const out = await page.evaluate(async (job) => {
    const m = await import('/www/pkg/rnnscope.js');
    await m.default();
    const LIB = 'rnnscope wasm';
    const out = {};
    const put = (task, size, v) => { (out[task] ??= {})[size] = { [LIB]: v }; console.log(`${task} ${size}: ${JSON.stringify(v)}`); };
    const bytes = async (f) => new Uint8Array(await (await fetch(job.base + f)).arrayBuffer());
    // Seconds per call: best of 5 batches of enough calls to last ≥ 50 ms
    // (performance.now() has 0.1 ms resolution here), as examples/bench.rs.
    const timed = (fn) => {
      let t = performance.now();
      let value = fn();
      const first = (performance.now() - t) / 1000;
      const reps = Math.min(10000, Math.max(1, Math.ceil(0.05 / Math.max(first, 1e-9))));
      let best = first;
      for (let k = 0; k < (first > 10 ? 1 : 5); k++) {
        t = performance.now();
        for (let r = 0; r < reps; r++) value = fn();
        best = Math.min(best, (performance.now() - t) / 1000 / reps);
      }
      return [best, value];
    };
    for (const [n, f] of job.motifs) {
      const g = m.MotifGraph.fromBytes(await bytes(f), false);
      const [s, c] = timed(() => g.census());
      put('motifs', String(n), { seconds: s, connected_triads: c.counts.slice(0, 13).reduce((a, b) => a + b, 0) });
      g.free();
    }
    for (const [n, f] of job.signed) {
      const w = m.Matrix.fromBytes(await bytes(f));
      const [s, r] = timed(() => m.benchLouvain(w, 1.0, 1n));
      put('signed_louvain', String(n), { seconds: s, q: r[0], n_communities: r[1] });
      w.free();
    }
    if (job.activity) {
      const x = m.Matrix.fromBytes(await bytes(job.activity));
      const [s, r] = timed(() => m.benchMultilayer(x, 50, 1.0, 1n));
      put('multilayer', `${x.cols}x${r[2]}`, { seconds: s, q: r[0], n_communities: r[1] });
      x.free();
    }
    if (job.rnn) {
      const w = m.Matrix.fromBytes(await bytes(job.rnn));
      const [s, h0] = timed(() => {
        const sim = new m.Simulation(w, { h0: new Array(w.rows).fill(0.1), tau: 1.0, dt: 0.1, sigma: 0, phi: 'tanh', input: 0, seed: 1 });
        sim.step(10000);
        const v = sim.state()[0];
        sim.free();
        return v;
      });
      put('rnn_simulation', `${w.rows}x10000`, { seconds: s, h0 });
      w.free();
    }
    // Readers: the page's import (Matrix.fromBytes → io::read_matrix_named,
    // the bytes copied into WASM memory included), MB/s of file size.
    for (const [f, size] of job.read) {
      const b = await bytes(f);
      const [s, sum] = timed(() => {
        const w = m.Matrix.fromBytes(b);
        const v = w.rows * w.cols;
        w.free();
        return v;
      });
      put('read', size, { seconds: s, mb_per_s: b.length / 1e6 / s, entries: sum });
    }
    return out;
  }, job);
  if (want('hebbff_epoch')) out.hebbff_epoch = await hebbff(browser, page);
  console.log(JSON.stringify(out, null, 1));
} finally {
  await browser.close();
  await server.close();
}

/**
 * HebbFF training epochs (N = 100, M = 120, R = 5), as examples/bench.rs:
 * seconds per epoch on the renderer process's CPU clock (CDP
 * SystemInfo.getProcessInfo, all its threads; the WASM runs on the main
 * thread) and on performance.now(), best of 5 batches after a warm-up batch.
 * Batches last ≥ 0.25 s since the CPU clock ticks in 10 ms.
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').Page} page
 */
async function hebbff(browser, page) {
  const cdp = await browser.newBrowserCDPSession();
  const rendererCpu = async () => {
    const { processInfo } = /** @type {{processInfo: {type: string, cpuTime: number}[]}} */ (await cdp.send('SystemInfo.getProcessInfo'));
    return processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
  };
  /** @type {Record<string, Record<string, object>>} */
  const res = {};
  for (const [seq, label, reps] of /** @type {[number, string, number][]} */ ([[100, '100x120_T100', 60], [2500, '100x120_T2500', 4]])) {
    const first = await page.evaluate(async (seq) => {
      const m = await import('/www/pkg/rnnscope.js');
      const g = /** @type {any} */ (globalThis);
      g.benchHebbff?.free();
      g.benchHebbff = new m.BenchHebbff(seq);
      return Array.from(g.benchHebbff.step(5));
    }, seq);
    let cpu = Infinity, wall = Infinity, loss = NaN;
    for (let k = 0; k < 6; k++) {
      const c0 = await rendererCpu();
      const [w, l] = await page.evaluate((reps) => {
        const t = performance.now();
        const v = /** @type {any} */ (globalThis).benchHebbff.step(reps);
        return [(performance.now() - t) / 1000 / reps, v[v.length - 1]];
      }, reps);
      const c = ((await rendererCpu()) - c0) / reps;
      if (k > 0) [cpu, wall] = [Math.min(cpu, c), Math.min(wall, w)];
      loss = l;
    }
    const v = { seconds: cpu, cpu_seconds: cpu, wall_seconds: wall, loss, first_losses: first };
    process.stderr.write(`[wasm] hebbff_epoch ${label}: ${JSON.stringify(v)}\n`);
    res[label] = { 'rnnscope wasm': v };
  }
  await cdp.detach();
  return res;
}
