// @ts-check
// Shared by the HebbFF panel's two views (hebbff-run.js, hebbff-study.js):
// the one snapshot key set, CSV export, paced redraws and the fast
// allegiance renderer.

/**
 * The snapshot's keys, in the CLI's CSV column order: the serde names of the
 * core's SnapshotMetrics (src/hebbff/study.rs), the same in the CLI's JSON,
 * its curves.csv, the page and the page's exports.
 */
export const SNAPSHOT_KEYS = ['epoch', 'accuracy', 'loss', 'lambda', 'eta', 'q', 'n_communities', 'system_flexibility',
  'mean_activation', 'skewness', 'excess_kurtosis', 'mean_correlation', 'entropy', 'q_intra', 'q_inter'];

/** Chance accuracy: repeats are a fraction q = P(1 − q) → q = P/(1+P) of items; answering "new" always scores 1/(1+P). */
// Chance under the study's accuracy (1−f)·TPR + f·(1−FPR) of always answering
// "new": the repeat fraction f = P/(1+P), as the core's TaskParams::chance_study.
export const chance = (/** @type {number} */ p) => p / (1 + p);

/** Seconds as "12.3 s" or "2 min 5 s". */
export const fmtS = (/** @type {number} */ s) => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);

/**
 * One key of every snapshot, as a Float64Array (null/NaN → NaN).
 * @param {Array<Record<string, number>>} snaps
 * @param {string} key
 */
export const column = (snaps, key) => Float64Array.from(snaps, (s) => (Number.isFinite(s[key]) ? s[key] : NaN));

/**
 * The snapshots as CSV with the CLI's header (`seed,` + SNAPSHOT_KEYS); NaN as an empty cell.
 * @param {Array<{seed: number, snapshots: Array<Record<string, number>>}>} instances
 */
export function snapshotsCsv(instances) {
  const lines = [['seed', ...SNAPSHOT_KEYS].join(',')];
  for (const { seed, snapshots } of instances) {
    for (const s of snapshots) lines.push([seed, ...SNAPSHOT_KEYS.map((k) => (Number.isFinite(s[k]) ? s[k] : ''))].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The page's settings as the wasm/core HebbFF parameters (one object, the
 * CLI's flag names in snake_case).
 * @param {Record<string, any>} v
 * @param {number} seed
 */
export const runParams = (v, seed) => ({
  n: v.n, m: v.m, r_min: v.r, r_max: Math.max(v.r, v.rmax), p: v.p, data: v.data, seq_len: v.seqlen, epochs: v.epochs,
  lr: v.lr, eval_every: v.every, test_len: v.testlen, window: v.window, runs: v.runs, seed,
  ...(v.null && v.null !== 'none' ? { null: v.null, null_samples: v.nullSamples } : {}),
});

/** Unhide a card (cards start hidden and appear once they have something to draw). @param {{card: HTMLElement}} c */
export const show = (c) => { c.card.hidden = false; };

/** Let the browser paint between two plots: the next animation frame (or 50 ms when frames are paused). */
export const yieldFrame = () => new Promise((r) => { const t = setTimeout(r, 50); requestAnimationFrame(() => { clearTimeout(t); setTimeout(r, 0); }); });

/**
 * Wrap an async redraw so calls made while it runs collapse into one rerun
 * after it: live results can arrive faster than the plots redraw.
 */
export function coalesce(f) {
  let running = null;
  let again = false;
  const go = async () => {
    do { again = false; await yieldFrame(); await f(); } while (again);
  };
  return () => {
    if (running) { again = true; return running; }
    running = go().finally(() => { running = null; });
    return running;
  };
}

// Viridis control points (as src/plot/colormap.rs), for the fast heatmap below.
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
function viridis(/** @type {number} */ v) {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

/**
 * The allegiance matrix drawn as one ImageData (a few ms), for the frames of
 * the animation and of live training: the plotters chart (drawCommunityHeatmap)
 * paints one rectangle per cell on the main thread, 150–300 ms for M = 120,
 * which would stall the page at every frame. Same layout idea: rows/columns in
 * `order`, black community borders, viridis on [0, 1] with a colour bar.
 */
export function fastAllegiance(canvas, m, data, order, borders, title) {
  const r = canvas.getBoundingClientRect();
  canvas.width = Math.max(50, Math.round(r.width));
  canvas.height = Math.max(50, Math.round(r.height));
  const ctx = canvas.getContext('2d');
  const [w, h] = [canvas.width, canvas.height];
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const side = Math.max(10, Math.min(w - 130, h - 80));
  const x0 = 60;
  const y0 = 40;
  const img = new ImageData(m, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const [cr, cg, cb] = viridis(data[order[i] * m + order[j]]);
      const k = 4 * (i * m + j);
      img.data[k] = cr; img.data[k + 1] = cg; img.data[k + 2] = cb; img.data[k + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(m, m);
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x0, y0, side, side);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const b of borders) {
    const t = Math.round(x0 + (b / m) * side) + 0.5;
    const u = Math.round(y0 + (b / m) * side) + 0.5;
    ctx.moveTo(t, y0); ctx.lineTo(t, y0 + side);
    ctx.moveTo(x0, u); ctx.lineTo(x0 + side, u);
  }
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, side, side);
  ctx.stroke();
  const bx = x0 + side + 24;
  for (let y = 0; y < side; y++) {
    const [cr, cg, cb] = viridis(1 - y / side);
    ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
    ctx.fillRect(bx, y0 + y, 16, 1);
  }
  ctx.fillStyle = '#000';
  ctx.font = '16px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(title, w / 2, 24);
  ctx.font = '12px sans-serif';
  ctx.fillText('node (by community)', x0 + side / 2, y0 + side + 30);
  ctx.textAlign = 'left';
  ctx.fillText('1', bx + 20, y0 + 8);
  ctx.fillText('0.5', bx + 20, y0 + side / 2 + 4);
  ctx.fillText('0', bx + 20, y0 + side);
}

