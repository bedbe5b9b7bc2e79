#!/usr/bin/env node
// The browser example (examples/browser/): bundle it with esbuild from the browser-safe entries
// (src/index.ts and src/ble.ts: `kinemetry`, `kinemetry/ble`) into a folder, with the page and the demo capture next to it, and serve that
// folder on localhost (Web Bluetooth needs a secure context; http://localhost is one).
//   npm run example:browser                 build into a temp folder, serve on http://localhost:8080
//   npm run example:browser -- --port 0     any free port;  --out DIR  build there instead
// The real-browser test (test/browser/run.mjs) imports buildExample and serveDir from here.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle examples/browser into `outDir` (index.html, main.js, movesense-knee.txt). */
export async function buildExample(outDir = mkdtempSync(join(tmpdir(), 'kinemetry-browser-'))) {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'examples/browser/main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(repoRoot, 'examples/browser/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(repoRoot, 'examples/captures/movesense-knee.txt'), join(outDir, 'movesense-knee.txt'));
  return outDir;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png' };

/** Serve `dir` on 127.0.0.1:`port` (0 = any free port). Resolves to { url, close() }. */
export function serveDir(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolvePromise({ url: `http://localhost:${actual}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const outArg = opt('--out');
  const out = await buildExample(outArg ? resolve(outArg) : undefined);
  const { url } = await serveDir(out, Number(opt('--port', process.env.PORT ?? 8080)));
  if (!outArg) {
    // The temp build goes with the server.
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (rmSync(out, { recursive: true, force: true }), process.exit(0)));
  }
  process.stdout.write(`built ${out}\nserving ${url}  (Ctrl-C to stop; Connect needs Chromium with Bluetooth, Replay demo works anywhere)\n`);
}
