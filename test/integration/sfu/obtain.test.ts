import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { LIVEKIT_VERSION, obtainLivekitServer } from '@scripts/obtain-livekit-server.mjs';

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
    const good = fakeBinary(dir, 'livekit-server', LIVEKIT_VERSION as string);
    process.env.PATH = `${dir}:${saved.path}`;
    expect(await obtainLivekitServer({ quiet: true })).toBe(good);
    fakeBinary(dir, 'livekit-server', '0.1.0');
    // A wrong version on PATH is passed over for the cached build in .tools/bin.
    expect(await obtainLivekitServer({ quiet: true })).not.toBe(good);
  });
});
