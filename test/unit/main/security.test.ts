// Electron's security checklist, checked on the real main process booted against the fake.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '@main/csp';
import { resolveAppPath } from '@main/protocol';
import { REQUIRED_WEB_PREFERENCES } from '@main/windows';
import { answerServerInfo, bootParley, until } from '../../support/electron-fake/boot';
import type { PickerState } from '@contracts/desktop';

const ROOT = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('BrowserWindow construction', () => {
  it('happens only in main/windows.ts (static check over main/ and preload/)', () => {
    const offenders = [...sourceFiles(join(ROOT, 'main')), ...sourceFiles(join(ROOT, 'preload'))].filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /new\s+(?:electron\.)?BrowserWindow\s*\(/.test(text) || /new\s+BrowserView\s*\(|WebContentsView\s*\(/.test(text);
    });
    expect(offenders.map((file) => relative(ROOT, file))).toEqual(['main/windows.ts']);
  });

  it('main/windows.ts spells out every required preference literally', () => {
    const text = readFileSync(join(ROOT, 'main/windows.ts'), 'utf8');
    const construction = text.slice(text.indexOf('new BrowserWindow('), text.indexOf('registry.register'));
    for (const [key, value] of Object.entries(REQUIRED_WEB_PREFERENCES)) expect(construction).toContain(`${key}: ${String(value)}`);
  });

  it('every window Parley opens (main, picker, share bar) has the secure preferences and the preload', async () => {
    const booted = await bootParley();
    const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await until(
      () =>
        booted
          .pickerWindow()
          ?.webContents.sent.some((m) => m.channel === 'picker:state' && !(m.payload as PickerState).loadingThumbnails) === true,
      'picker',
    );
    const state = (await booted.invoke('picker:get-state', undefined, booted.pickerWindow())) as { value: PickerState };
    await booted.invoke(
      'picker:choose',
      { requestId: state.value.requestId, sourceId: 'screen:0:0', shareAudio: false },
      booted.pickerWindow(),
    );
    await granted;
    await until(() => booted.shareBarWindow() !== undefined, 'share bar');
    const windows = booted.fake.windows;
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const window of [...windows, booted.main]) {
      expect(window.options.webPreferences).toMatchObject({ ...REQUIRED_WEB_PREFERENCES, preload: '/app/out/preload/index.cjs' });
    }
  });

  it('callers cannot weaken webPreferences through the factory', async () => {
    const booted = await bootParley();
    const window = booted.runtime.createWindow('main', { webPreferences: { nodeIntegration: true, sandbox: false } } as never);
    expect((window as unknown as { options: { webPreferences: object } }).options.webPreferences).toMatchObject(REQUIRED_WEB_PREFERENCES);
  });
});

describe('process-wide settings', () => {
  it('sandboxes every renderer and registers parley: as a secure standard scheme before ready', async () => {
    const booted = await bootParley();
    expect(booted.fake.app.sandboxEnabled).toBe(true);
    expect(booted.fake.protocol.privileged).toEqual([
      { scheme: 'parley', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true } },
    ]);
  });

  it('loads the app from parley://app, never file://', async () => {
    const booted = await bootParley();
    expect(booted.main.webContents.getURL()).toBe('parley://app/index.html');
  });
});

describe('navigation and new windows', () => {
  it('denies navigation away from the app, in the main frame and subframes, and <webview>', async () => {
    const booted = await bootParley();
    const contents = booted.main.webContents;
    expect(contents.attemptNavigation('https://evil.example/')).toBe(false);
    expect(contents.attemptNavigation('file:///etc/passwd')).toBe(false);
    expect(contents.attemptFrameNavigation('https://evil.example/')).toBe(false);
    expect(contents.attemptAttachWebview()).toBe(false);
    expect(contents.attemptNavigation('parley://app/index.html')).toBe(true);
  });

  it('denies every new window; http(s) links go to the browser (asked first, external-links.test.ts), anything else nowhere', async () => {
    const booted = await bootParley();
    const contents = booted.main.webContents;
    expect(contents.attemptWindowOpen('https://example.com/help')).toBe('deny');
    expect(contents.attemptWindowOpen('file:///etc/passwd')).toBe('deny');
    expect(contents.attemptWindowOpen('parley://app/index.html')).toBe('deny');
    expect(contents.attemptWindowOpen('ms-msdt:/id PCWDiagnostic')).toBe('deny');
    (await booted.fake.dialog.next()).answer('Open link');
    await until(() => booted.fake.openedExternally.length > 0, 'openExternal');
    expect(booted.fake.openedExternally).toEqual(['https://example.com/help']);
    expect(booted.fake.dialog.shown).toHaveLength(1);
  });

  it('applies to webContents created later too (picker)', async () => {
    const booted = await bootParley();
    const picker = booted.runtime.createWindow('picker', {});
    expect(picker.webContents.setWindowOpenHandler).toBeDefined();
    expect((picker.webContents as unknown as { attemptNavigation(url: string): boolean }).attemptNavigation('https://evil.example')).toBe(
      false,
    );
  });
});

describe('the parley:// protocol', () => {
  it('serves app files with a strict CSP and nosniff', async () => {
    const booted = await bootParley();
    const response = await booted.fake.protocol.fetch('parley://app/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const js = await booted.fake.protocol.fetch('parley://app/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses path traversal, other hosts and non-GET methods', async () => {
    const booted = await bootParley();
    for (const url of ['parley://app/..%2F..%2F..%2F..%2Fetc%2Fpasswd', 'parley://join/x/y', 'parley://app/missing.js']) {
      expect((await booted.fake.protocol.fetch(url)).status, url).toBe(404);
    }
    // The URL parser folds these dots away; what is left is an app route, never a file outside.
    for (const url of ['parley://app/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 'parley://app/../../../../etc/passwd']) {
      expect(await (await booted.fake.protocol.fetch(url)).text(), url).not.toContain('root:');
    }
    expect((await booted.fake.protocol.fetch('parley://app/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
    expect(resolveAppPath('/srv/app', '/../../etc/passwd')).toBeNull();
    expect(resolveAppPath('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
  });

  it('serves the app shell for client-side routes', async () => {
    const booted = await bootParley();
    const response = await booted.fake.protocol.fetch('parley://app/rooms/standup');
    expect(await response.text()).toContain('index.html');
  });

  it('lets pages reach configured http team servers (LAN) and their SFU exactly, and nothing else over plain http', async () => {
    const booted = await bootParley({
      teamServers: [{ id: 'lan', name: 'Office', url: 'http://192.168.1.20:7800' }],
      beforeReady: (fake) => answerServerInfo(fake, { 'http://192.168.1.20:7800': { livekitUrl: 'ws://192.168.1.20:7801' } }),
    });
    const csp = (await booted.fake.protocol.fetch('parley://app/index.html')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://192.168.1.20:7800 ws://192.168.1.20:7801 http://192.168.1.20:7801;");
    expect(buildContentSecurityPolicy({ serverOrigins: [], sfuUrls: [] })).toContain("connect-src 'self';");
  });
});
