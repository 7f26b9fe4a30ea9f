// Media, display capture, notifications and fullscreen for the app's main page; nothing else.
import { describe, expect, it } from 'vitest';
import { bootParley } from '../../support/electron-fake/boot';

const GRANTED = ['media', 'display-capture', 'notifications', 'fullscreen'];
const DENIED = [
  'geolocation',
  'midi',
  'midiSysex',
  'clipboard-read',
  'openExternal',
  'pointerLock',
  'hid',
  'serial',
  'usb',
  'idle-detection',
  'window-management',
  'unknown',
];

describe('permission handlers', () => {
  it('grants the four permissions to the main app page, and check agrees with request', async () => {
    const booted = await bootParley();
    const contents = booted.main.webContents;
    for (const permission of GRANTED) {
      const details = {
        requestingUrl: 'parley://app/index.html',
        isMainFrame: true,
        mediaTypes: permission === 'media' ? ['audio', 'video'] : undefined,
      };
      expect(await booted.fake.session.requestPermission(contents, permission, details), permission).toBe(true);
      expect(
        booted.fake.session.checkPermission(contents, permission, 'parley://app', {
          requestingUrl: 'parley://app/index.html',
          isMainFrame: true,
        }),
        permission,
      ).toBe(true);
    }
  });

  it('denies everything else, even to the app page', async () => {
    const booted = await bootParley();
    for (const permission of DENIED) {
      expect(
        await booted.fake.session.requestPermission(booted.main.webContents, permission, {
          requestingUrl: 'parley://app/index.html',
          isMainFrame: true,
        }),
        permission,
      ).toBe(false);
      expect(
        booted.fake.session.checkPermission(booted.main.webContents, permission, 'parley://app', {
          requestingUrl: 'parley://app/index.html',
          isMainFrame: true,
        }),
        permission,
      ).toBe(false);
    }
  });

  it('denies other origins, subframes, unknown webContents and the picker/share-bar windows', async () => {
    const booted = await bootParley();
    const contents = booted.main.webContents;
    expect(
      await booted.fake.session.requestPermission(contents, 'media', {
        requestingUrl: 'https://evil.example/',
        isMainFrame: true,
        mediaTypes: ['video'],
      }),
    ).toBe(false);
    expect(
      await booted.fake.session.requestPermission(contents, 'media', {
        requestingUrl: 'parley://app/index.html',
        isMainFrame: false,
        mediaTypes: ['video'],
      }),
    ).toBe(false);
    expect(
      await booted.fake.session.requestPermission(null, 'media', { requestingUrl: 'parley://app/index.html', isMainFrame: true }),
    ).toBe(false);
    expect(
      booted.fake.session.checkPermission(contents, 'media', 'https://evil.example', {
        requestingUrl: 'parley://app/index.html',
        isMainFrame: true,
      }),
    ).toBe(false);
    expect(booted.fake.session.checkPermission(null, 'notifications', 'parley://app', { isMainFrame: true })).toBe(false);
    const bar = booted.runtime.createWindow('share-bar', {});
    await bar.loadURL('parley://app/share-bar.html');
    expect(
      await booted.fake.session.requestPermission(bar.webContents as never, 'media', {
        requestingUrl: 'parley://app/share-bar.html',
        isMainFrame: true,
        mediaTypes: ['audio'],
      }),
    ).toBe(false);
  });

  it('refuses device (HID/USB/serial) permissions outright', async () => {
    const booted = await bootParley();
    expect(booted.fake.session.devicePermissionHandler?.({ deviceType: 'hid', origin: 'parley://app' })).toBe(false);
  });
});
