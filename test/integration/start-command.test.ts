import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

// `npm start` minus the build step (npm test has just built out/): on a machine without an Electron
// binary it must say so in one line and keep serving the web client at the URL it prints.
describe('npm start without an Electron binary', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-start-'));
  let child: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the web client, says why no desktop window opened, and stops cleanly', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.mjs'], {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        LIVEKIT_SERVER_BIN: inject('livekitBinary'),
        LOG_LEVEL: 'warn',
      },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /hold a call in a browser at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`start exited early (${code})\n--- stdout ---\n${out}\n--- stderr ---\n${err}`)));
    });
    expect(out).toMatch(/No Electron binary is installed here/);
    expect(out).toMatch(/Parley team server: http:\/\/127\.0\.0\.1:\d+ +\(SFU ws:\/\/127\.0\.0\.1:\d+/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});
