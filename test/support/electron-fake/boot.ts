// Boots Parley's real main process (main/app.ts) against the Electron fake.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startParley, type ParleyOptions, type ParleyRuntime } from '@main/app';
import type { PlatformFacts } from '@main/display-media/platform';
import { createMemoryLogger } from '@main/log';
import type { InvokeChannel, InvokeRequest, IpcResult, TeamServer } from '@contracts/desktop';
import { createFakeElectron, type FakeBrowserWindow, type FakeElectron, type FakeWebFrameMain } from './index';

export const LINUX_X11: PlatformFacts = { platform: 'linux', systemVersion: '6.8.0', env: { XDG_SESSION_TYPE: 'x11' }, ozonePlatform: '' };
export const LINUX_WAYLAND: PlatformFacts = {
  platform: 'linux',
  systemVersion: '6.8.0',
  env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
  ozonePlatform: '',
};
export const WINDOWS: PlatformFacts = { platform: 'win32', systemVersion: '10.0.22631', env: {}, ozonePlatform: '' };
export const MACOS_14: PlatformFacts = { platform: 'darwin', systemVersion: '14.5.0', env: {}, ozonePlatform: '' };
export const MACOS_15: PlatformFacts = { platform: 'darwin', systemVersion: '15.1.0', env: {}, ozonePlatform: '' };

/** A tiny stand-in for out/renderer, enough for the protocol handler to serve. */
export function makeRendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-renderer-'));
  for (const page of ['index.html', 'picker.html', 'share-bar.html'])
    writeFileSync(join(dir, page), `<!doctype html><title>${page}</title>`);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")');
  return dir;
}

export interface Booted {
  fake: FakeElectron;
  runtime: ParleyRuntime;
  log: ReturnType<typeof createMemoryLogger>;
  main: FakeBrowserWindow;
  /** ipcRenderer.invoke from a window (default: the main window), unwrapped from the envelope. */
  invoke<C extends InvokeChannel>(
    channel: C,
    payload?: InvokeRequest<C>,
    from?: FakeBrowserWindow,
    frame?: FakeWebFrameMain | null,
  ): Promise<IpcResult<unknown>>;
  pickerWindow(): FakeBrowserWindow | undefined;
  shareBarWindow(): FakeBrowserWindow | undefined;
}

/**
 * Team servers as main's net.fetch sees them: GET <origin>/api/v1/server answers what is given for
 * that origin (a server-info body), anything else is a network error, as with no such host.
 */
export function answerServerInfo(fake: FakeElectron, byOrigin: Record<string, Record<string, unknown>>): void {
  fake.net.handler = (request) => {
    const url = new URL(request.url);
    const body = byOrigin[url.origin];
    if (!body || url.pathname !== '/api/v1/server') throw new TypeError('fetch failed');
    return Response.json({ name: 'Parley', version: '0.1.0', setupDone: true, features: [], ...body });
  };
}

export async function bootParley(
  overrides: Partial<ParleyOptions> & {
    fake?: FakeElectron;
    beforeReady?: (fake: FakeElectron) => void;
    /** Saved before launch (settings.json of an earlier run), as the person confirmed them then. */
    teamServers?: TeamServer[];
  } = {},
): Promise<Booted> {
  const fake = overrides.fake ?? createFakeElectron();
  if (overrides.teamServers) {
    writeFileSync(join(fake.app.userData, 'settings.json'), JSON.stringify({ version: 1, teamServers: overrides.teamServers }));
  }
  if (fake.desktopCapturer.sources.length === 0)
    fake.desktopCapturer.sources.push(
      { id: 'screen:0:0', name: 'Entire Screen', display_id: '1' },
      { id: 'window:101:0', name: 'Quarterly report — Editor', icon: true },
      { id: 'window:202:0', name: 'Terminal', icon: true },
      { id: 'window:303:1', name: 'Parley' },
    );
  const log = createMemoryLogger();
  const { fake: _fake, beforeReady, teamServers: _servers, ...rest } = overrides;
  const options: ParleyOptions = {
    rendererDir: makeRendererDir(),
    preloadPath: '/app/out/preload/index.cjs',
    trayIconDir: '/app/build/tray',
    platform: LINUX_X11,
    argv: ['/usr/bin/parley'],
    log,
    loadUpdater: async () => ({ unavailable: 'unpackaged' }),
    loadServer: async () => {
      throw new Error('no server in unit tests');
    },
    networkInterfaces: () => ({}),
    ...rest,
  };
  // The OS under test decides whether a held global shortcut repeats (macOS does not).
  fake.globalShortcut.repeatsWhenHeld = options.platform.platform !== 'darwin';
  const started = startParley(fake.modules(), options);
  beforeReady?.(fake);
  fake.app.makeReady();
  const runtime = await started;
  if (!runtime) throw new Error('Parley did not start (single instance lock?)');
  const main = fake.windowsWithUrl('index.html')[0];
  if (!main) throw new Error('no main window');
  // Let loadURL settle: the page is fetched through main's protocol handler, then ready-to-show
  // (main's own listener, registered first, shows the window).
  if (!main.isVisible()) await new Promise((resolve) => main.once('ready-to-show', resolve));
  return {
    fake,
    runtime,
    log,
    main,
    invoke: (channel, payload, from = main, frame) =>
      fake.ipcMain.invoke(channel, from.webContents, payload, frame === undefined ? from.webContents.mainFrame : frame) as Promise<
        IpcResult<unknown>
      >,
    pickerWindow: () => fake.windowsWithUrl('picker.html')[0],
    shareBarWindow: () => fake.windowsWithUrl('share-bar.html')[0],
  };
}

/**
 * Waits until a condition holds, re-checked after each turn of the event loop (so it ends the moment
 * the event that makes it true has run). The limit is a deadline, not a count of turns: under load a
 * file read or a child's answer can take more turns than an idle machine needs (a share-bar test
 * failed after 200 turns, 85 ms, in a loaded unit run).
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
