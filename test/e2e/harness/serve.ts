// Builds the media harness page with Vite's JS API and serves it from 127.0.0.1, the way the app
// serves its renderer: same public dir (renderer/public, so /media/** is the app's own assets).
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { viteAliases } from '@scripts/aliases';

export interface HarnessServer {
  /** http://127.0.0.1:PORT/media.html */
  pageUrl: string;
  origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.tflite': 'application/octet-stream',
  '.map': 'application/json',
};

export async function buildAndServeHarness(): Promise<HarnessServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-media-harness-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve('test/e2e/harness'),
    resolve: { alias: viteAliases() },
    base: './',
    publicDir: resolve('renderer/public'),
    build: {
      outDir,
      emptyOutDir: true,
      // Quicker on 2 cores and keeps stack traces readable.
      minify: false,
      reportCompressedSize: false,
      rollupOptions: { input: resolve('test/e2e/harness/media.html') },
    },
  });
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(outDir, path);
    if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/media.html`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
