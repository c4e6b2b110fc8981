// Build the whole playground as ONE self-contained HTML file, dist/rnnscope.html:
// CSS, JS (bundled with esbuild), the worker (as a Blob URL) and the three
// WebAssembly modules (gzip + base64, each unpacked by the browser's
// DecompressionStream when first needed, compiled once and shared with the
// workers) are all inlined, so the
// file works opened straight from disk, with no server and no network.
// Usage: node scripts/dist.mjs   (after scripts/build-wasm.sh)
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
// The page's modules, by name: the loader's own table.
import { MODULES } from '../www/js/wasm.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const www = (p) => join(ROOT, 'www', p);

// The worker is bundled as a classic script: Chromium refuses module workers
// from Blob URLs on file:// pages (opaque origin), classic ones work.
async function bundle(entry, format = 'esm') {
  const out = await build({ entryPoints: [www(entry)], bundle: true, format, minify: true, write: false, logLevel: 'error' });
  return out.outputFiles[0].text;
}

const names = Object.keys(MODULES);
const [html, css, app, worker, glues, wasms] = await Promise.all([
  readFile(www('index.html'), 'utf8'),
  readFile(www('style.css'), 'utf8'),
  bundle('js/app.js'),
  bundle('js/worker.js', 'iife'),
  Promise.all(names.map((n) => readFile(www(`pkg/${MODULES[n]}.js`), 'utf8'))),
  Promise.all(names.map((n) => readFile(www(`pkg/${MODULES[n]}_bg.wasm`)))),
]);
const glue = Object.fromEntries(names.map((n, i) => [n, glues[i]]));

// `</script` inside inlined code would end the element early.
const safe = (s) => s.replace(/<\/script/gi, '<\\/script');
// The module is inlined gzipped (about a third of its size) and unpacked in
// the browser with DecompressionStream (Chrome 80, Firefox 113, Safari 16.4):
// RNNSCOPE_DIST.wasm(name) is a Promise of module name's bytes, unpacked on
// first use.
const boot = `
const unpacked = new Map();
function wasm(name) {
  if (!unpacked.has(name)) {
    const bin = atob(document.getElementById('rnnscope-wasm-' + name).textContent.trim());
    const gz = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
    unpacked.set(name, new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip')))
      .arrayBuffer().then((b) => new Uint8Array(b)));
  }
  return unpacked.get(name);
}
wasm('core');
globalThis.RNNSCOPE_DIST = {
  glue: ${JSON.stringify(glue)},
  wasm,
  workerUrl: URL.createObjectURL(new Blob([${JSON.stringify(worker)}], { type: 'text/javascript' })),
};
`;
const script = safe(boot + app);
const hash = createHash('sha256').update(script).digest('base64');
const csp = `default-src 'none'; script-src 'sha256-${hash}' blob: 'wasm-unsafe-eval'; worker-src blob:; connect-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'`;

let out = html
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace('<link rel="stylesheet" href="style.css">', () => `<style>${css}</style>`)
  .replace('<script type="module" src="js/app.js"></script>', () =>
    names.map((n, i) => `<script id="rnnscope-wasm-${n}" type="application/octet-stream">${gzipSync(wasms[i], { level: 9 }).toString('base64')}</script>\n`).join('')
    + `<script type="module">${script}</script>`);
if (!out.includes('RNNSCOPE_DIST')) throw new Error('index.html template changed: the app script tag was not found');

await mkdir(join(ROOT, 'dist'), { recursive: true });
const file = join(ROOT, 'dist', 'rnnscope.html');
await writeFile(file, out);
console.log(`[dist] ${file}: ${(Buffer.byteLength(out) / 1e6).toFixed(2)} MB`);
