// Every invoke is checked: sender frame, window role, payload; answers carry error codes.
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels } from '@contracts/desktop';
import { createEventSender } from '@main/ipc';
import { createMemoryLogger } from '@main/log';
import { bootParley } from '../../support/electron-fake/boot';
import { FakeWebFrameMain } from '../../support/electron-fake';

describe('ipc sender validation', () => {
  it('registers a handler for every invoke channel of the contract, and nothing else', async () => {
    const booted = await bootParley();
    expect(booted.fake.ipcMain.channels().sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it('answers the app page of the main window', async () => {
    const booted = await bootParley();
    const result = await booted.invoke('settings:get');
    expect(result).toMatchObject({ ok: true, value: { version: 1, shortcuts: { enabled: false } } });
  });

  it('refuses a sender frame that is gone', async () => {
    const booted = await bootParley();
    expect(await booted.invoke('settings:get', undefined, booted.main, null)).toMatchObject({
      ok: false,
      error: { code: 'IPC_FORBIDDEN_SENDER' },
    });
  });

  it('refuses subframes, even of the app origin', async () => {
    const booted = await bootParley();
    const frame = booted.main.webContents.createSubframe('parley://app/index.html');
    expect(await booted.invoke('settings:get', undefined, booted.main, frame)).toMatchObject({
      ok: false,
      error: { code: 'IPC_FORBIDDEN_SENDER' },
    });
  });

  it('refuses a main frame that is not on parley://app', async () => {
    const booted = await bootParley();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'parley://join/evil', 'parley://app.evil/', 'http://app/']) {
      const frame = new FakeWebFrameMain(booted.main.webContents, url);
      expect(await booted.invoke('settings:get', undefined, booted.main, frame)).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
    }
  });

  it("refuses webContents that are not one of Parley's windows", async () => {
    const booted = await bootParley();
    const { BrowserWindow } = booted.fake.modules();
    const stray = new BrowserWindow({}) as unknown as typeof booted.main;
    await stray.loadURL('parley://app/index.html');
    expect(await booted.invoke('settings:get', undefined, stray)).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
  });

  it('refuses invalid payloads with IPC_INVALID_PAYLOAD and never reaches the handler', async () => {
    const booted = await bootParley();
    const bad = await booted.invoke('settings:update', { shortcuts: { enabled: true, pushToTalk: 'rm -rf /', toggleMute: null } } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } });
    const extra = await booted.invoke('settings:update', { version: 2 } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } });
    const notEmpty = await booted.invoke('settings:get', { sneaky: true } as never);
    expect(notEmpty).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } });
    const settings = await booted.invoke('settings:get');
    expect(settings).toMatchObject({ ok: true, value: { shortcuts: { enabled: false } } });
  });

  it('only opens http(s) links externally', async () => {
    const booted = await bootParley();
    const opening = booted.invoke('app:open-external', { url: 'https://example.com/docs' });
    (await booted.fake.dialog.next()).answer('Open link');
    expect(await opening).toEqual({ ok: true, value: null });
    for (const url of ['file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)', 'parley://app/index.html']) {
      expect(await booted.invoke('app:open-external', { url })).toMatchObject({ ok: false, error: { code: 'EXTERNAL_URL_REJECTED' } });
    }
    expect(booted.fake.openedExternally).toEqual(['https://example.com/docs']);
  });
});

describe('main -> page events', () => {
  it('are validated and only delivered to the roles that may get them', async () => {
    const booted = await bootParley();
    const send = createEventSender(booted.runtime.registry, createMemoryLogger());
    expect(send(booted.main.webContents as never, 'share:stop', { reason: 'user' })).toBe(true);
    expect(send(booted.main.webContents as never, 'share:stop', { reason: 'bogus' } as never)).toBe(false);
    expect(
      send(booted.main.webContents as never, 'picker:state', {
        requestId: 'x',
        mode: 'choose',
        sources: [],
        loadingThumbnails: false,
        audio: { supported: false, requested: false },
      }),
    ).toBe(false);
    booted.main.destroy();
    expect(send(booted.main.webContents as never, 'share:stop', { reason: 'user' })).toBe(false);
  });

  it('every event channel names only roles that exist', () => {
    for (const spec of Object.values(eventChannels)) expect(spec.audience.length).toBeGreaterThan(0);
  });
});
