import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '@contracts/api';
import { startStack, type TestStack } from '../support/stack';
import { anonymous, setupAdmin } from '../support/team-api';

// `npm run dev` (web half, as on a machine without an Electron binary) against a real team server:
// Vite's dev server serves the app with its hot-reload client, and the API (JSON, sign-in and the
// event stream) reaches the team server through it.
describe('npm run dev against a running team server', () => {
  let stack: TestStack;
  let child: ChildProcessWithoutNullStreams | undefined;
  let out = '';

  const startDev = (teamServer: string): Promise<string> => {
    out = '';
    child = spawn(process.execPath, ['scripts/dev.mjs'], {
      env: { ...process.env, PARLEY_SERVER_URL: teamServer, PARLEY_DEV_PORT: '0', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    return new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        const m = /hot reload: (http:\/\/\S+?)\/?\s/.exec(out);
        if (m) resolve(m[1]!);
      };
      child!.stdout.on('data', onData);
      child!.stderr.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`dev exited (${code}): ${out}`)));
    });
  };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.teardown();
  });

  it('says in one line when no team server answers', async () => {
    child = spawn(process.execPath, ['scripts/dev.mjs', '--web'], { env: { ...process.env, PARLEY_SERVER_URL: 'http://127.0.0.1:9' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/no team server answers at http:\/\/127\.0\.0\.1:9 .*npm run server/);
  });

  it('serves the app with hot reload and passes the API through, event stream included', async () => {
    const url = await startDev(stack.url);
    expect(out).toMatch(/No Electron binary is installed here, so only the web client runs/);

    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('<div id="app">');
    expect(page).toContain('/@vite/client'); // Vite's hot-reload client, only present in dev.
    const main = await fetch(`${url}/src/main.ts`);
    expect(main.status).toBe(200);
    expect(await main.text()).toContain('lib/early');

    // Same answers as from the team server itself.
    const direct = await anonymous(stack).server();
    expect(await anonymous({ url }).server()).toEqual(direct);
    // A write (first-run setup) and then the signed-in event stream, all through the dev server.
    const admin = await setupAdmin({ url, setupCode: stack.setupCode });
    expect(admin.user.username).toBe('admin');
    const first = await new Promise<ServerEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event through the dev server')), 20_000);
      const stop = admin.api.events((event) => {
        clearTimeout(timer);
        stop();
        resolve(event);
      });
    });
    expect(first.type).toBe('ready');

    // Ctrl+C stops it cleanly and frees the port.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
