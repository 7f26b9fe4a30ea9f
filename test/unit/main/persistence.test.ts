// Settings and window state survive restarts, and damaged files never break startup.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@contracts/desktop';
import { createMemoryLogger } from '@main/log';
import { createSettingsStore } from '@main/settings-store';
import { restoreWindowState } from '@main/window-state';
import { bootParley } from '../../support/electron-fake/boot';
import { createFakeElectron } from '../../support/electron-fake';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'parley-settings-'));

describe('settings store', () => {
  it('starts from defaults, persists updates, and reloads them', async () => {
    const file = join(tempDir(), 'settings.json');
    const store = createSettingsStore(file, createMemoryLogger());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ teamServers: [{ id: 'acme', name: 'Acme', url: 'https://meet.acme.test' }], closeToTray: false });
    const reloaded = createSettingsStore(file, createMemoryLogger());
    expect(reloaded.get().teamServers).toEqual([{ id: 'acme', name: 'Acme', url: 'https://meet.acme.test' }]);
    expect(reloaded.get().closeToTray).toBe(false);
  });

  it('rejects invalid settings with SETTINGS_INVALID and keeps the old ones', async () => {
    const store = createSettingsStore(join(tempDir(), 'settings.json'), createMemoryLogger());
    await expect(store.update({ localHost: { enabled: true, port: 80, lanVisible: true, lanAddress: null } })).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
    });
    expect(store.get().localHost.port).toBe(DEFAULT_SETTINGS.localHost.port);
  });

  it('sets a damaged file aside and starts with defaults', () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"version":1,"teamServers":"nope"');
    const log = createMemoryLogger();
    const store = createSettingsStore(file, log);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
    expect(log.lines.some((line) => line.event === 'settings.invalid_file')).toBe(true);
  });

  it('fills in sections a newer release added', () => {
    const file = join(tempDir(), 'settings.json');
    const { screenShare: _dropped, ...older } = DEFAULT_SETTINGS;
    writeFileSync(file, JSON.stringify({ ...older, closeToTray: false }));
    const store = createSettingsStore(file, createMemoryLogger());
    expect(store.get().screenShare).toEqual(DEFAULT_SETTINGS.screenShare);
    expect(store.get().closeToTray).toBe(false);
  });

  it('tells the renderer about changes through the bridge', async () => {
    const booted = await bootParley();
    await booted.invoke('settings:update', { notifications: { enabled: false } });
    const changed = booted.main.webContents.sent.filter((message) => message.channel === 'settings:changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.payload).toMatchObject({ notifications: { enabled: false } });
    expect(JSON.parse(readFileSync(join(booted.fake.app.userData, 'settings.json'), 'utf8'))).toMatchObject({
      notifications: { enabled: false },
    });
  });

  it('offers the server `npm start` launched on a first run, and never overrides saved servers', async () => {
    const first = await bootParley({ initialServerUrl: 'http://127.0.0.1:8080' });
    expect(first.runtime.settings.get().teamServers).toEqual([{ id: 'initial', name: 'This computer', url: 'http://127.0.0.1:8080' }]);

    const fake = createFakeElectron();
    writeFileSync(
      join(fake.app.userData, 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, teamServers: [{ id: 'acme', name: 'Acme', url: 'https://meet.acme.test' }] }),
    );
    const later = await bootParley({ fake, initialServerUrl: 'http://127.0.0.1:8080' });
    expect(later.runtime.settings.get().teamServers.map((server) => server.id)).toEqual(['acme']);

    const garbage = await bootParley({ initialServerUrl: 'javascript:alert(1)' });
    expect(garbage.runtime.settings.get().teamServers).toEqual([]);
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('remembers position and size across restarts', async () => {
    const fake = createFakeElectron();
    const first = await bootParley({ fake });
    first.main.setBounds({ x: 300, y: 200, width: 1000, height: 700 });
    first.main.close();
    const file = join(fake.app.userData, 'window-state.json');
    expect(existsSync(file)).toBe(true);
    const restored = restoreWindowState(file, screens, { width: 1200, height: 800 }, createMemoryLogger());
    expect(restored).toEqual({ x: 300, y: 200, width: 1000, height: 700, maximized: false, fullScreen: false });

    const second = createFakeElectron();
    Object.defineProperty(second.app, 'userData', { value: fake.app.userData });
    const booted = await bootParley({ fake: second });
    expect(booted.main.getBounds()).toEqual({ x: 300, y: 200, width: 1000, height: 700 });
  });

  it('does not restore onto a monitor that is gone', () => {
    const file = join(tempDir(), 'window-state.json');
    writeFileSync(file, JSON.stringify({ bounds: { x: 2500, y: 100, width: 1000, height: 700 }, maximized: true, fullScreen: true }));
    expect(restoreWindowState(file, screens, { width: 1200, height: 800 }, createMemoryLogger())).toEqual({
      width: 1000,
      height: 700,
      maximized: true,
      fullScreen: false,
    });
  });

  it('ignores garbage', () => {
    const file = join(tempDir(), 'window-state.json');
    writeFileSync(file, '{"bounds":{"x":"a"}}');
    expect(restoreWindowState(file, screens, { width: 1200, height: 800 }, createMemoryLogger())).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
      fullScreen: false,
    });
  });
});
