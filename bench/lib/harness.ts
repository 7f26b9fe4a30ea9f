// Builds the bench harness page (bench/harness) with Vite's JS API and serves it, or any built
// directory, on 127.0.0.1 with a minimal static server (loopback only, no dependencies).
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { viteAliases } from '@scripts/aliases';
import { webClientOutput } from '@scripts/web-client-build';
import { repoRoot } from './cli';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback signalling relay for the direct-P2P floor, so offer, answer and trickled candidates go
 * page to page over HTTP like LiveKit's signalling goes over its WebSocket — not through the bench's
 * playwright round trips, which would inflate the floor. GET /signal?me=ID is an event stream of what
 * others POST to /signal?to=ID.
 */
function signalRelay(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const streams = new Map<string, ServerResponse>();
  const pending = new Map<string, string[]>();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/signal') return false;
    const me = url.searchParams.get('me');
    const to = url.searchParams.get('to');
    if (req.method === 'GET' && me) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(':\n\n');
      streams.set(me, res);
      for (const m of pending.get(me) ?? []) res.write(`data: ${m}\n\n`);
      pending.delete(me);
      req.on('close', () => streams.delete(me));
      return true;
    }
    if (req.method === 'POST' && to) {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const line = body.replace(/\n/g, ' ');
        const target = streams.get(to);
        if (target) target.write(`data: ${line}\n\n`);
        else pending.set(to, [...(pending.get(to) ?? []), line]);
        res.writeHead(204).end();
      });
      return true;
    }
    res.writeHead(400).end();
    return true;
  };
}

/**
 * Serves `dir` on 127.0.0.1 (or `host`), sending a file's precompressed x.br / x.gz variant when the
 * request accepts it (as the team server does); `handle` may answer a request first.
 */
export async function serveDir(
  dir: string,
  opts: { host?: string; handle?: (req: IncomingMessage, res: ServerResponse) => boolean } = {},
): Promise<Served> {
  const relay = signalRelay();
  const server: Server = createServer((req, res) => {
    if (relay(req, res) || opts.handle?.(req, res)) return;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding =
      /\bbr\b/.test(accepts) && existsSync(`${file}.br`) ? 'br' : /\bgzip\b/.test(accepts) && existsSync(`${file}.gz`) ? 'gzip' : null;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      vary: 'accept-encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    createReadStream(encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file).pipe(res);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((r) => server.listen(0, host, r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Builds the bare livekit-client page (bench/bare) minified and precompressed like the web client,
 * into a temp dir.
 */
export async function buildBarePage(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-bare-'));
  await build({
    root: resolve(repoRoot, 'bench/bare'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: viteAliases(repoRoot) },
    plugins: [webClientOutput({ print: false })],
    build: { outDir: dir, emptyOutDir: true, minify: true, sourcemap: false },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds bench/harness into a temp dir and serves it. */
export async function serveHarness(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-bench-harness-'));
  await build({
    root: resolve(repoRoot, 'bench/harness'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: viteAliases(repoRoot) },
    build: { outDir, emptyOutDir: true, minify: true, sourcemap: false },
  });
  const served = await serveDir(outDir);
  return {
    url: `${served.url}/index.html`,
    async close() {
      await served.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the web client (renderer/) the way electron-vite does for out/renderer, but into a temp
 * dir: benches measure the current source without racing others who build or test against out/.
 */
export async function buildWebClient(): Promise<{ dir: string; remove(): void }> {
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-web-'));
  await build({
    root: resolve(repoRoot, 'renderer'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: viteAliases(repoRoot) },
    plugins: [svelte({ configFile: resolve(repoRoot, 'svelte.config.js') }), webClientOutput({ print: false })],
    build: { outDir: dir, emptyOutDir: true, minify: true, rollupOptions: { input: resolve(repoRoot, 'renderer/index.html') } },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
