import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchVerified, LIVEKIT_VERSION, obtainLivekitServer } from '@scripts/obtain-livekit-server';

function fakeBinary(dir: string, name: string, version: string | null): string {
  const path = join(dir, name);
  writeFileSync(path, version ? `#!/bin/sh\necho "livekit-server version ${version}"\n` : '#!/bin/sh\nexit 3\n');
  chmodSync(path, 0o755);
  return path;
}

describe('obtaining livekit-server', () => {
  let dir: string;
  const saved = { bin: process.env.LIVEKIT_SERVER_BIN, path: process.env.PATH };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-obtain-'));
  });
  afterEach(() => {
    if (saved.bin === undefined) delete process.env.LIVEKIT_SERVER_BIN;
    else process.env.LIVEKIT_SERVER_BIN = saved.bin;
    process.env.PATH = saved.path;
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses $LIVEKIT_SERVER_BIN first', async () => {
    process.env.LIVEKIT_SERVER_BIN = fakeBinary(dir, 'my-livekit', '1.9.0');
    expect(await obtainLivekitServer({ quiet: true })).toBe(process.env.LIVEKIT_SERVER_BIN);
  });

  it('says clearly when $LIVEKIT_SERVER_BIN does not run', async () => {
    process.env.LIVEKIT_SERVER_BIN = fakeBinary(dir, 'broken', null);
    await expect(obtainLivekitServer({ quiet: true })).rejects.toThrow(/LIVEKIT_SERVER_BIN=.*does not run/);
  });

  it('takes livekit-server from PATH only at the pinned version', async () => {
    delete process.env.LIVEKIT_SERVER_BIN;
    const good = fakeBinary(dir, 'livekit-server', LIVEKIT_VERSION);
    process.env.PATH = `${dir}:${saved.path}`;
    expect(await obtainLivekitServer({ quiet: true })).toBe(good);
    fakeBinary(dir, 'livekit-server', '0.1.0');
    // A wrong version on PATH is passed over for the cached build in .tools/bin.
    expect(await obtainLivekitServer({ quiet: true })).not.toBe(good);
  });

  describe('a release download', () => {
    const archive = randomBytes(300_000);
    const sha = createHash('sha256').update(archive).digest('hex');
    let server: Server;
    let base: string;
    let published: string;
    beforeEach(async () => {
      published = `${'0'.repeat(64)}  other.tar.gz\n${sha}  livekit.tar.gz\n`;
      server = createServer((req, res) => {
        if (req.url === '/checksums.txt') res.end(published);
        else if (req.url === '/livekit.tar.gz') res.end(archive);
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterEach(() => new Promise<void>((r) => server.close(() => r())));

    it('keeps an archive whose SHA-256 matches the release’s checksums.txt', async () => {
      const file = join(dir, 'livekit.tar.gz');
      await fetchVerified(base, 'livekit.tar.gz', file, true);
      expect(readFileSync(file).equals(archive)).toBe(true);
    });

    it('refuses and removes an archive that does not match', async () => {
      published = `${'f'.repeat(64)}  livekit.tar.gz\n`;
      const file = join(dir, 'livekit.tar.gz');
      await expect(fetchVerified(base, 'livekit.tar.gz', file, true)).rejects.toThrow(
        /checksum mismatch: livekit.tar.gz hashes to [0-9a-f]{64}, checksums.txt says f{64}/,
      );
      expect(existsSync(file)).toBe(false);
    });

    it('refuses an archive the release publishes no checksum for', async () => {
      published = `${sha}  something-else.tar.gz\n`;
      await expect(fetchVerified(base, 'livekit.tar.gz', join(dir, 'x'), true)).rejects.toThrow(/checksums.txt names no livekit.tar.gz/);
    });
  });
});
