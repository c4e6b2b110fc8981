// WASM timings for `make bench`: loads www/pkg in headless Chromium and times
// the same workloads on the same input files as examples/bench.rs (native)
// and reference.py. Prints {"task": {"size": {"rnnscope wasm": {...}}}}.
// Usage: node scripts/bench/wasm.mjs target/bench/inputs
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { serve, launch, ROOT } from '../../tests/e2e/harness.mjs';

const dir = resolve(process.argv[2] || 'target/bench/inputs');
const files = readdirSync(dir);
const sized = (re) => files.map((f) => [f, re.exec(f)]).filter(([, m]) => m).map(([f, m]) => [Number(m[1]), f]).sort((a, b) => a[0] - b[0]);
const job = {
  base: '/' + relative(ROOT, dir).split('\\').join('/') + '/',
  motifs: sized(/^digraph_(\d+)\.csv$/),
  signed: sized(/^signed_(\d+)\.npy$/),
  activity: sized(/^activity_120x(\d+)\.npy$/).map(([, f]) => f)[0] ?? null,
  rnn: files.includes('rnn_W_200.npy') ? 'rnn_W_200.npy' : null,
  read: [['dense01_2000.csv', 'dense01_2000_csv'], ['weights_1000.csv', 'weights_1000_csv'], ['weights_2000.npy', 'weights_2000_npy']]
    .filter(([f]) => files.includes(f)),
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
      put('motifs', String(n), { seconds: s, connected_triads: c.slice(0, 13).reduce((a, b) => a + b, 0) });
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
        const sim = m.Simulation.fromState(w, new Float64Array(w.rows).fill(0.1), 1.0, 0.1, 0.0, 'tanh', 0.0, 1n);
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
    // HebbFF training epoch (N = 100, M = 120, R = 5), as examples/bench.rs.
    for (const [seq, label, reps] of [[100, '100x120_T100', 20], [2500, '100x120_T2500', 2]]) {
      const run = new m.HebbffRun(100, 120, 5, 5, 0.5, 'fresh', seq, 1000, 1e-3, 1000, 100, 50, 1, 1n, false);
      const [s, r] = timed(() => run.step(reps));
      put('hebbff_epoch', label, { seconds: s / reps, loss: r[r.length - 2] });
      run.free();
    }
    return out;
  }, job);
  console.log(JSON.stringify(out, null, 1));
} finally {
  await browser.close();
  await server.close();
}
