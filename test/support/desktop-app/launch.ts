// The whole desktop app under test: the built main process (out/main/index.js) boots on the Electron
// fake, and every BrowserWindow it opens is a real Chromium page (playwright-core) whose `window.parley`
// comes from the real built preload (out/preload/index.cjs). How it stands in for Electron, and what
// it cannot show: docs/testing.md, "The desktop app harness".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import {
  FakeNativeImage,
  FakeNotification,
  FakeTray,
  createFakeElectron,
  type FakeBrowserWindow,
  type FakeElectron,
} from '../electron-fake';
import { appUrlFor, APP_STAND_IN_ORIGIN, pageUrlFor } from './origins';
import { preloadInitScript } from './preload-script';

const ROOT = resolve(import.meta.dirname, '../../..');
let hooksRegistered = false;
let launches = 0;

export interface DesktopAppOptions {
  browser: Browser;
  /** What `npm start` passes: the team server to offer on first launch. */
  serverUrl?: string;
}

export interface DesktopApp {
  fake: FakeElectron;
  context: BrowserContext;
  /** The page of a window once it has loaded. */
  pageOf(window: FakeBrowserWindow): Promise<Page>;
  mainWindow(): FakeBrowserWindow;
  mainPage(): Promise<Page>;
  /** The open window whose page is parley://app/<page>, once there is one. */
  waitForWindow(page: 'picker.html' | 'share-bar.html', timeoutMs?: number): Promise<{ window: FakeBrowserWindow; page: Page }>;
  notifications(): FakeNotification[];
  tray(): FakeTray;
  userData: string;
  close(): Promise<void>;
}

// Real images for the picker: Chromium shows what it is given, so thumbnails must decode.
function makeImages(): { jpeg: Buffer; png: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-harness-img-'));
  const jpeg = join(dir, 'thumb.jpg');
  const png = join(dir, 'icon.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=1', '-frames:v', '1', jpeg]);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0x3d86f5:size=32x32', '-frames:v', '1', png]);
  return { jpeg: readFileSync(jpeg), png: readFileSync(png) };
}

class RealImage extends FakeNativeImage {
  constructor(
    width: number,
    height: number,
    private readonly bytes: { jpeg: Buffer; png: Buffer },
  ) {
    super(width, height, 'real');
  }
  override toJPEG(): Buffer {
    return this.bytes.jpeg;
  }
  override toPNG(): Buffer {
    return this.bytes.png;
  }
  override toDataURL(): string {
    return `data:image/png;base64,${this.bytes.png.toString('base64')}`;
  }
}

export async function launchDesktopApp(options: DesktopAppOptions): Promise<DesktopApp> {
  if (!hooksRegistered) {
    register(pathToFileURL(join(import.meta.dirname, 'loader-hooks.mjs')).href);
    hooksRegistered = true;
  }
  launches += 1;
  const fake = createFakeElectron();
  // Main's own requests (what a team server hands out) go to the real servers of the test.
  fake.net.handler = (request) => fetch(request);
  const images = makeImages();
  fake.desktopCapturer.sources.push(
    { id: 'screen:0:0', name: 'Entire Screen', display_id: '1' },
    { id: 'window:101:0', name: 'Quarterly report — Editor', icon: true },
    { id: 'window:202:0', name: 'Terminal', icon: true },
  );
  const listSources = fake.desktopCapturer.getSources.bind(fake.desktopCapturer);
  fake.desktopCapturer.getSources = async (request) =>
    (await listSources(request)).map((source) => {
      const item = source as { thumbnail: FakeNativeImage; appIcon: FakeNativeImage | null };
      return {
        ...item,
        thumbnail: item.thumbnail.isEmpty() ? item.thumbnail : new RealImage(item.thumbnail.width, item.thumbnail.height, images),
        appIcon: item.appIcon ? new RealImage(32, 32, images) : null,
      };
    });

  // One context is Electron's defaultSession: every window shares its storage.
  const context = await options.browser.newContext({ viewport: { width: 1200, height: 800 } });
  context.setDefaultTimeout(60_000);
  const pages = new Map<FakeBrowserWindow, Promise<Page>>();
  const windowOfPage = new Map<Page, FakeBrowserWindow>();
  const pageErrors: string[] = [];

  // parley://app is served by main's own protocol handler, CSP and headers included.
  await context.route(`${APP_STAND_IN_ORIGIN}/**`, async (route) => {
    const request = route.request();
    const response = await fake.protocol.fetch(appUrlFor(request.url()), { method: request.method() });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
  });

  // ipcRenderer.invoke from the preload: the same sender checks as in Electron, because main sees the
  // window's webContents and the frame that called (a subframe is a subframe).
  await context.exposeBinding('__parleyIpcInvoke', async (source, channel: string, payload: unknown) => {
    const window = windowOfPage.get(source.page);
    if (!window || window.isDestroyed()) throw new Error('Render frame was disposed');
    const contents = window.webContents;
    contents.mainFrame.url = appUrlFor(source.page.url());
    const frame = source.frame === source.page.mainFrame() ? contents.mainFrame : contents.createSubframe(appUrlFor(source.frame.url()));
    return fake.ipcMain.invoke(channel, contents as never, payload, frame);
  });
  // getDisplayMedia goes through main's display-media handler, then Chromium's fake capture streams.
  await context.exposeBinding('__parleyDisplayMedia', async (source, request: { video: boolean; audio: boolean; userGesture: boolean }) => {
    const window = windowOfPage.get(source.page);
    if (!window || window.isDestroyed()) return null;
    window.webContents.mainFrame.url = appUrlFor(source.page.url());
    const frame =
      source.frame === source.page.mainFrame() ? window.webContents.mainFrame : window.webContents.createSubframe(source.frame.url());
    return fake.session.requestDisplayMedia(frame, request);
  });
  await context.addInitScript({ content: preloadInitScript(readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8')) });

  const colorScheme = (): 'dark' | 'light' => (fake.nativeTheme.shouldUseDarkColors ? 'dark' : 'light');
  fake.nativeTheme.on('updated', () => {
    for (const page of context.pages()) void page.emulateMedia({ colorScheme: colorScheme() }).catch(() => undefined);
  });

  // What main's permission handlers allow the main window is what Chromium grants the app origin.
  const grantFromMain = async (window: FakeBrowserWindow): Promise<void> => {
    const check = (permission: string, mediaType?: string): boolean =>
      fake.session.checkPermission(window.webContents, permission, 'parley://app', {
        requestingUrl: window.webContents.getURL(),
        isMainFrame: true,
        ...(mediaType ? { mediaType } : {}),
      });
    const grants: string[] = [];
    if (check('media', 'video')) grants.push('camera');
    if (check('media', 'audio')) grants.push('microphone');
    if (check('notifications')) grants.push('notifications');
    if (check('local-network-access')) grants.push('local-network-access');
    await context.grantPermissions(grants, { origin: APP_STAND_IN_ORIGIN });
  };

  const openPage = async (window: FakeBrowserWindow): Promise<Page> => {
    const page = await context.newPage();
    windowOfPage.set(page, window);
    page.on('pageerror', (error) => pageErrors.push(`${window.webContents.getURL()}: ${error.message}`));
    await page.emulateMedia({ colorScheme: colorScheme() });
    // webContents.send: delivered to the preload's listeners, in order.
    window.webContents.onSend = ({ channel, payload }) => {
      void page
        .evaluate(([c, p]) => (globalThis as unknown as { __parleyIpcDeliver?(c: string, p: unknown): void }).__parleyIpcDeliver?.(c, p), [
          channel,
          payload,
        ] as const)
        .catch(() => undefined);
    };
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && !window.isDestroyed()) window.webContents.mainFrame.url = appUrlFor(frame.url());
    });
    page.on('close', () => {
      if (!window.isDestroyed()) window.destroy();
    });
    window.once('closed', () => void page.close().catch(() => undefined));
    return page;
  };

  fake.app.on('browser-window-created', (_event: unknown, window: FakeBrowserWindow) => {
    window.loadURL = async (url: string) => {
      window.webContents.emit('did-start-navigation', { url, isMainFrame: true, isSameDocument: false });
      window.webContents.mainFrame.url = url;
      let page = pages.get(window);
      if (!page) {
        page = openPage(window);
        pages.set(window, page);
      }
      const loaded = await page;
      if (new URL(url).pathname === '/index.html') await grantFromMain(window);
      await loaded.goto(pageUrlFor(url));
      if (window.isDestroyed()) return;
      window.webContents.emit('did-finish-load');
      window.emit('ready-to-show');
    };
  });

  // Electron-only parts of `process` that main reads.
  const electronProcess = process as NodeJS.Process & { getSystemVersion?: () => string; resourcesPath?: string };
  electronProcess.getSystemVersion ??= () => '6.8.0';
  // Host on this computer runs the SFU this test run obtained (main reads it from a checkout's environment).
  process.env.LIVEKIT_SERVER_BIN = inject('livekitBinary');
  if (options.serverUrl) process.env.PARLEY_SERVER_URL = options.serverUrl;
  else delete process.env.PARLEY_SERVER_URL;
  (globalThis as { __parleyElectronModules?: unknown }).__parleyElectronModules = fake.modules();
  // @ts-expect-error plain ESM helper without types
  const { importNative } = (await import('./native-import.mjs')) as { importNative(url: string): Promise<unknown> };
  await importNative(`${pathToFileURL(join(ROOT, 'out/main/index.js')).href}?launch=${launches}`);
  fake.app.makeReady();

  const mainWindow = async (): Promise<FakeBrowserWindow> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = fake.windowsWithUrl('index.html')[0];
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the app opened no main window');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const main = await mainWindow();
  await pages.get(main);

  const pageOf = async (window: FakeBrowserWindow): Promise<Page> => {
    const page = pages.get(window);
    if (!page) throw new Error('that window has no page');
    return page;
  };

  return {
    fake,
    context,
    pageOf,
    mainWindow: () => fake.windowsWithUrl('index.html')[0] ?? main,
    mainPage: () => pageOf(fake.windowsWithUrl('index.html')[0] ?? main),
    async waitForWindow(name, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const window = fake.windowsWithUrl(name)[0];
        const page = window ? pages.get(window) : undefined;
        if (window && page) return { window, page: await page };
        if (Date.now() > deadline) throw new Error(`no ${name} window opened`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    notifications: () => FakeNotification.instances.filter((notification) => notification.shown),
    tray: () => {
      const tray = FakeTray.instances.at(-1);
      if (!tray) throw new Error('the app has no tray icon');
      return tray;
    },
    userData: fake.app.userData,
    async close() {
      fake.app.quit();
      await context.close().catch(() => undefined);
      if (pageErrors.length > 0) throw new Error(`page errors:\n${pageErrors.join('\n')}`);
    },
  };
}
