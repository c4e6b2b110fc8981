// Shared harness for the browser end-to-end tests: a static file server for
// www/ on a free localhost port, and headless Chromium via playwright-core.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WWW = join(ROOT, 'www');
export const SHOTS = join(ROOT, 'target', 'screenshots');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Serve `dir` on 127.0.0.1; resolves to { url, close }. */
export function serve(dir = WWW) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
  }));
}

/** Launch the system Chromium headless with the flags this machine needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Pages `newPage` opened in the current test; `closePages` closes them. */
const opened = new Set();

/**
 * Close every page `newPage` opened. Runs after each test of every file that
 * imports this harness: a page left open keeps its live simulation and
 * workers running and slows every later test on a 2-core machine.
 */
export async function closePages() {
  const pages = [...opened];
  opened.clear();
  await Promise.all(pages.map((p) => p.close().catch(() => { /* browser already closed */ })));
}
afterEach(closePages);

/** A page that records console errors and page errors into `errors`. */
export async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  opened.add(page);
  // A loaded 2-core CI machine can take long to load the page's 1.6 MB of WASM.
  page.setDefaultNavigationTimeout(90_000);
  // E2E_CPU_THROTTLE=4 slows the page's CPU 4× (Chrome DevTools), to find waits
  // that only pass on a fast machine.
  const slow = Number(process.env.E2E_CPU_THROTTLE);
  if (slow > 1) await (await page.context().newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slow });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { page, errors };
}

/** Wait until the app finished `n` updates and is idle (at most `timeout` ms). */
export async function waitIdle(page, n = 1, timeout = 60_000) {
  await page.waitForFunction((k) => Number(document.body.dataset.updates || 0) >= k && !document.body.dataset.busy, n, { timeout });
}

/** Fraction of canvas pixels that are not plain white (0 = blank). */
export async function inkFraction(page, selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
    return ink / (d.length / 4);
  });
}

/**
 * Save a full-page screenshot under target/screenshots/. The first-visit tour
 * box (a fixed overlay) is hidden for the shot so it never covers a plot.
 */
export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  await page.screenshot({ path, fullPage: true, style: '#tour { display: none !important; }' });
  return path;
}

/**
 * The native CLI for cross-checks: $RNNSCOPE_CLI (make test-e2e: the binary
 * `cargo test` built), else the newer of target/release and target/debug.
 * Fails the test when none is built.
 */
export function cliBinary() {
  const env = process.env.RNNSCOPE_CLI;
  if (env) {
    const p = resolve(ROOT, env);
    if (!existsSync(p)) throw new Error(`RNNSCOPE_CLI=${env}: no such file (run \`cargo test --no-run\`)`);
    return p;
  }
  const exe = process.platform === 'win32' ? 'rnnscope.exe' : 'rnnscope';
  const built = ['release', 'debug'].map((profile) => join(ROOT, 'target', profile, exe)).filter((p) => existsSync(p));
  if (!built.length) throw new Error('target/{release,debug}/rnnscope not built: run `cargo test --no-run` or `cargo build --release`');
  return built.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
