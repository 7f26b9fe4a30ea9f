import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type RunningTeamServer } from '@server/index';
import { COMPRESSIBLE, MIN_BYTES } from '@scripts/web-client-build';

/**
 * The built web client (out/renderer, as `npm run build` leaves it) through the real team server:
 * every text asset answers in brotli and gzip by Accept-Encoding, each variant decodes to the very
 * bytes of the file, compressed formats are never compressed again, and every answer says Vary.
 */
const webDir = resolve('out/renderer');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('the web client, compressed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-compress-'));
  let server: RunningTeamServer;
  const originals = () => files(webDir).filter((f) => !f.endsWith('.br') && !f.endsWith('.gz'));

  beforeAll(async () => {
    if (!existsSync(join(webDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first');
    server = await startTeamServer({
      dataDir,
      port: 0,
      logLevel: 'silent',
      webClientDir: webDir,
      livekit: { url: 'ws://127.0.0.1:9', apiKey: 'APIunit', apiSecret: 'u'.repeat(40) },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, encoding: string) => fetch(`${server.url}/${path}`, { headers: { 'accept-encoding': encoding } });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  // Buffer.equals: vitest's deep equality walks a 5.7 MB wasm byte by byte.
  const same = (a: Buffer, b: Buffer) => a.length === b.length && a.equals(b);

  it('sends brotli, else gzip, else the file, and every variant decodes to the same bytes', async () => {
    const compressed = originals().filter((f) => COMPRESSIBLE.has(extname(f)) && statSync(f).size >= MIN_BYTES);
    // The meeting chunk, the E2EE worker, MediaPipe's scripts and wasm are all among them.
    expect(compressed.some((f) => /assets[/\\]call-.*\.js$/.test(f))).toBe(true);
    expect(compressed.some((f) => /e2ee\.worker.*\.js$/.test(f))).toBe(true);
    expect(compressed.some((f) => f.endsWith('.wasm'))).toBe(true);
    for (const file of compressed) {
      const path = relative(webDir, file).replace(/\\/g, '/');
      const original = readFileSync(file);
      const br = await get(path, 'gzip, deflate, br');
      const gz = await get(path, 'gzip');
      const plain = await get(path, 'identity');
      for (const res of [br, gz, plain]) {
        expect(res.status, path).toBe(200);
        expect(res.headers.get('vary') ?? '', path).toMatch(/accept-encoding/i);
      }
      expect(br.headers.get('content-encoding'), path).toBe(existsSync(`${file}.br`) ? 'br' : existsSync(`${file}.gz`) ? 'gzip' : null);
      expect(gz.headers.get('content-encoding'), path).toBe(existsSync(`${file}.gz`) ? 'gzip' : null);
      expect(plain.headers.get('content-encoding'), path).toBeNull();
      // Code and text always pay: both variants exist for every one of them.
      if (['.js', '.css', '.html', '.json', '.svg'].includes(extname(file))) {
        expect(existsSync(`${file}.br`) && existsSync(`${file}.gz`), path).toBe(true);
        expect(br.headers.get('content-type'), path).not.toMatch(/octet-stream/);
      }
      // Node's fetch decodes br and gzip as a browser does: each body must be the file itself.
      expect(same(await bytes(br), original), path).toBe(true);
      expect(same(await bytes(gz), original), path).toBe(true);
      expect(same(await bytes(plain), original), path).toBe(true);
    }
  });

  it('compresses nothing already compressed (images, fonts)', async () => {
    const already = originals().filter((f) => !COMPRESSIBLE.has(extname(f)));
    expect(already.some((f) => f.endsWith('.png'))).toBe(true);
    for (const file of already) {
      expect(existsSync(`${file}.br`) || existsSync(`${file}.gz`), file).toBe(false);
      const res = await get(relative(webDir, file).replace(/\\/g, '/'), 'gzip, deflate, br');
      expect(res.headers.get('content-encoding'), file).toBeNull();
      expect(same(await bytes(res), readFileSync(file)), file).toBe(true);
    }
  });

  it('sends the app shell compressed at / and on client-side routes, never cached', async () => {
    const shell = readFileSync(join(webDir, 'index.html'));
    for (const url of [`${server.url}/`, `${server.url}/rooms/standup`]) {
      const res = await fetch(url, { headers: { accept: 'text/html', 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(shell.toString()).toContain('<title>Parley</title>');
  });
});

describe('the precompressed variants on disk', () => {
  it('decode to the bytes of their file', () => {
    for (const file of files(webDir)) {
      const decode = file.endsWith('.br') ? brotliDecompressSync : file.endsWith('.gz') ? gunzipSync : null;
      if (decode) expect(decode(readFileSync(file)).equals(readFileSync(file.slice(0, -3))), file).toBe(true);
    }
  });
});
