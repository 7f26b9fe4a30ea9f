// The bridge end to end: the real picker and share-bar pages (renderer/picker.html,
// renderer/share-bar.html, built with Vite) run in Chromium under Parley's real CSP, with a
// `window.parley` made by the real preload code whose calls reach the real main-process handlers
// (main/app.ts on the Electron fake, whose desktopCapturer returns sources with thumbnails).
import type { DesktopApi } from '@contracts/desktop';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build as esbuild } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '@main/csp';
import type { ParleyOptions } from '@main/app';
import { launchBrowser } from '../support/browser';
import { actionThatClosesItsPage } from '../support/closing-action';
import { bootParley, MACOS_14, WINDOWS, type Booted } from '../support/electron-fake/boot';
import { createFakeElectron, type FakeBrowserWindow, type FakeElectron } from '../support/electron-fake';

const ROOT = join(import.meta.dirname, '../..');

let browser: Browser;
let server: Server;
let origin: string;
const pages = new Set<Page>();
const pageErrors: string[] = [];

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

beforeAll(async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-desktop-pages-'));
  await viteBuild({
    configFile: false,
    root: join(ROOT, 'renderer'),
    base: './',
    logLevel: 'silent',
    plugins: [svelte()],
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { picker: join(ROOT, 'renderer/picker.html'), 'share-bar': join(ROOT, 'renderer/share-bar.html') } },
    },
  });
  const bridge = await esbuild({
    entryPoints: [join(ROOT, 'test/support/electron-fake/page-bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  const bridgeCode = bridge.outputFiles[0]?.text ?? '';
  const csp = buildContentSecurityPolicy({ serverOrigins: [], sfuUrls: [] });

  server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      if (path === '/__parley-bridge.js') {
        response.writeHead(200, { 'Content-Type': 'text/javascript' });
        response.end(bridgeCode);
        return;
      }
      const file = normalize(join(outDir, path));
      if (!file.startsWith(outDir)) {
        response.writeHead(404).end();
        return;
      }
      try {
        let body: string | Buffer = await readFile(file);
        if (extname(file) === '.html') {
          // The preload runs before any page script; a classic script in <head> does the same.
          body = body.toString('utf8').replace('<head>', '<head><script src="/__parley-bridge.js"></script>');
        }
        response.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
        });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${address.port}`;
  browser = (await launchBrowser()).browser;
});

afterEach(async () => {
  for (const page of pages) await page.close().catch(() => undefined);
  pages.clear();
  const errors = pageErrors.splice(0);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/**
 * Connects a fake BrowserWindow to a real page: when main loads parley://app/<page>, the page is
 * opened at the test server, its bridge calls go to ipcMain as that window, and everything main
 * sends that window is delivered into the page.
 */
function mirrorWindowsIntoChromium(fake: FakeElectron): Map<FakeBrowserWindow, Promise<Page>> {
  const mirrored = new Map<FakeBrowserWindow, Promise<Page>>();
  fake.app.on('browser-window-created', (_event: unknown, window: FakeBrowserWindow) => {
    const load = window.loadURL.bind(window);
    window.loadURL = (url: string) => {
      const loaded = load(url);
      const path = new URL(url).pathname;
      if (path === '/index.html') return loaded; // the main window stays a fake; its sends are recorded
      mirrored.set(window, openPage(fake, window, path));
      return loaded;
    };
  });
  return mirrored;
}

async function openPage(fake: FakeElectron, window: FakeBrowserWindow, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  pages.add(page);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.exposeFunction('__parleyInvoke', (channel: string, payload: unknown) =>
    fake.ipcMain.invoke(channel, window.webContents, payload),
  );
  window.webContents.onSend = ({ channel, payload }) => {
    void page
      .evaluate(([c, p]) => (globalThis as unknown as { __parleyEmit(c: string, p: unknown): void }).__parleyEmit(c, p), [
        channel,
        payload,
      ] as const)
      .catch(() => undefined);
  };
  if (window.isDestroyed()) {
    await page.close();
    return page;
  }
  window.webContents.once('destroyed', () => {
    void page.close().catch(() => undefined);
  });
  await page.goto(`${origin}${path}`);
  return page;
}

async function boot(options: Partial<ParleyOptions> = {}): Promise<{ booted: Booted; mirrored: Map<FakeBrowserWindow, Promise<Page>> }> {
  const fake = createFakeElectron();
  const mirrored = mirrorWindowsIntoChromium(fake);
  const booted = await bootParley({ fake, ...options });
  return { booted, mirrored };
}

/** The picker window is opened synchronously by the request; its page follows. */
async function pickerPage(booted: Booted, mirrored: Map<FakeBrowserWindow, Promise<Page>>): Promise<Page> {
  const picker = booted.pickerWindow();
  const page = picker ? mirrored.get(picker) : undefined;
  if (!page) throw new Error('no picker window was opened');
  return page;
}

const closed = (page: Page): Promise<unknown> => (page.isClosed() ? Promise.resolve() : page.waitForEvent('close'));

const requestShare = (booted: Booted, audio = false) =>
  booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true, audio });

describe('desktop picker flow (request -> picker -> choice -> callback)', () => {
  it('shows screens and windows with thumbnails and grants the chosen window with audio', async () => {
    const { booted, mirrored } = await boot({ platform: WINDOWS });
    const granted = requestShare(booted, true);
    const page = await pickerPage(booted, mirrored);

    const editor = page.locator('[data-source-id="window:101:0"]');
    await editor.locator('img.thumb').waitFor();
    expect(await editor.locator('img.thumb').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    expect(await editor.locator('img.icon').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('section[aria-label="Screens"] .name').allTextContents()).toEqual(['Entire screen']);
    expect(await page.locator('section[aria-label="Windows"] .name').allTextContents()).toEqual(['Quarterly report — Editor', 'Terminal']);
    expect(await page.locator('[data-source-id="window:303:1"]').count()).toBe(0);

    await expect(page.getByTestId('share').isDisabled()).resolves.toBe(true);
    await editor.click();
    await page.getByTestId('share-audio').check();
    await actionThatClosesItsPage(page, (p) => p.getByTestId('share').click());

    await expect(granted).resolves.toEqual({ video: { id: 'window:101:0', name: 'Quarterly report — Editor' }, audio: 'loopback' });
  });

  it('a double click shares at once, without audio unless asked', async () => {
    const { booted, mirrored } = await boot({ platform: WINDOWS });
    const granted = requestShare(booted, true);
    const page = await pickerPage(booted, mirrored);
    await page.locator('[data-source-id="screen:0:0"] img.thumb').waitFor();
    await actionThatClosesItsPage(page, (p) => p.locator('[data-source-id="screen:0:0"]').dblclick());
    await expect(granted).resolves.toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' } });
  });

  it('then shows the share bar, whose Stop reaches the renderer', async () => {
    const { booted, mirrored } = await boot();
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await page.locator('[data-source-id="window:202:0"]').click();
    await actionThatClosesItsPage(page, (p) => p.getByTestId('share').click());
    await granted;
    const bar = booted.shareBarWindow() as FakeBrowserWindow;
    expect(bar.contentProtection).toBe(true);
    const barPage = (await mirrored.get(bar)) as Page;
    await expect.poll(() => barPage.getByTestId('share-bar-text').textContent()).toBe('Sharing Terminal');
    // Stop ends the share; the bar closes once the renderer reports it (not here: the main window is a fake).
    await barPage.getByTestId('share-bar-stop').click();
    await expect.poll(() => booted.main.webContents.sent.some((message) => message.channel === 'share:stop')).toBe(true);
    expect(booted.main.webContents.sent.filter((message) => message.channel === 'share:stop').map((message) => message.payload)).toEqual([
      { reason: 'user' },
    ]);
  });

  it('updates the open picker when a window closes and drops it from the selection', async () => {
    const { booted, mirrored } = await boot({ timings: { pickerRefreshMs: 150 } });
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await page.locator('[data-source-id="window:202:0"] img.thumb').waitFor();
    await page.locator('[data-source-id="window:202:0"]').click();
    booted.fake.desktopCapturer.sources = booted.fake.desktopCapturer.sources.filter((source) => source.id !== 'window:202:0');
    await page.locator('[data-source-id="window:202:0"]').waitFor({ state: 'detached' });
    expect(await page.getByTestId('share').isDisabled()).toBe(true);
    await actionThatClosesItsPage(page, (p) => p.getByTestId('cancel').click());
    await expect(granted).resolves.toBeNull();
  });
});

describe('desktop picker denials', () => {
  it('Cancel denies cleanly', async () => {
    const { booted, mirrored } = await boot();
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await actionThatClosesItsPage(page, (p) => p.getByTestId('cancel').click());
    await expect(granted).resolves.toBeNull();
  });

  it('Escape denies cleanly', async () => {
    const { booted, mirrored } = await boot();
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await page.getByTestId('cancel').waitFor();
    await actionThatClosesItsPage(page, (p) => p.keyboard.press('Escape'));
    await expect(granted).resolves.toBeNull();
  });

  it('closing the picker window denies', async () => {
    const { booted, mirrored } = await boot();
    const granted = requestShare(booted);
    await pickerPage(booted, mirrored);
    booted.pickerWindow()?.close();
    await expect(granted).resolves.toBeNull();
  });

  it('the requesting window closing answers the request and closes the picker page', async () => {
    const { booted, mirrored } = await boot();
    const answers: unknown[] = [];
    booted.fake.session.displayMediaHandler?.(
      {
        frame: booted.main.webContents.mainFrame,
        securityOrigin: 'parley://app',
        videoRequested: true,
        audioRequested: false,
        userGesture: true,
      },
      (streams) => answers.push(streams),
    );
    const page = await pickerPage(booted, mirrored);
    booted.main.destroy();
    expect(answers).toEqual([null]);
    await closed(page);
  });

  it('a second request while the picker is open is denied; the first still completes', async () => {
    const { booted, mirrored } = await boot();
    const first = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await expect(requestShare(booted)).resolves.toBeNull();
    await page.locator('[data-source-id="screen:0:0"]').click();
    await actionThatClosesItsPage(page, (p) => p.getByTestId('share').click());
    await expect(first).resolves.toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' } });
  });

  it('a foreign origin gets no picker at all', async () => {
    const { booted } = await boot();
    const frame = booted.main.webContents.createSubframe('https://evil.example/');
    await expect(booted.fake.session.requestDisplayMedia(frame, { video: true })).resolves.toBeNull();
    expect(booted.pickerWindow()).toBeUndefined();
  });

  it('macOS without screen recording permission explains how to grant it, and denies', async () => {
    const { booted, mirrored } = await boot({ platform: MACOS_14 });
    booted.fake.mediaAccess.screen = 'denied';
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    await page.getByTestId('permission-needed').waitFor();
    expect(await page.getByTestId('permission-needed').textContent()).toContain('Screen & System Audio Recording');
    await page.getByRole('button', { name: 'Open System Settings' }).click();
    await expect.poll(() => booted.fake.openedExternally.length).toBe(1);
    expect(booted.fake.openedExternally).toEqual(['x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture']);
    await actionThatClosesItsPage(page, (p) => p.getByRole('button', { name: 'Cancel' }).click());
    await expect(granted).resolves.toBeNull();
  });

  it("the picker page cannot use the main window's channels", async () => {
    const { booted, mirrored } = await boot();
    const granted = requestShare(booted);
    const page = await pickerPage(booted, mirrored);
    const attempts = await page.evaluate(async () => {
      const api = (window as unknown as { parley: DesktopApi }).parley;
      const outcome = async (call: () => Promise<unknown>): Promise<string> =>
        call().then(
          () => 'allowed',
          (error: unknown) => String(error),
        );
      return {
        settings: await outcome(() => api.settings.get()),
        external: await outcome(() => api.app.openExternal('https://example.com')),
        stop: await outcome(() => api.shareBar.stop()),
      };
    });
    expect(attempts.settings).toContain('[IPC_FORBIDDEN_SENDER]');
    expect(attempts.external).toContain('[IPC_FORBIDDEN_SENDER]');
    expect(attempts.stop).toContain('[IPC_FORBIDDEN_SENDER]');
    expect(booted.fake.openedExternally).toEqual([]);
    await actionThatClosesItsPage(page, (p) => p.getByTestId('cancel').click());
    await expect(granted).resolves.toBeNull();
  });
});
