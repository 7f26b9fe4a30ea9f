// Trust for LAN hosts (certificate pins, links that carry them) and window colours that follow the OS.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDLE_CALL_STATE } from '@contracts/desktop';
import { spkiPin } from '@main/certificate-pins';
import { parseJoinLink } from '@main/deep-links';
import { lanCertificate } from '@main/lan/certificate';
import { WINDOW_BACKGROUNDS } from '@main/theme';
import { bootParley, until } from '../../support/electron-fake/boot';

const dir = () => mkdtempSync(join(tmpdir(), 'parley-lan-cert-'));

describe('LAN certificate and pins', () => {
  it('makes a certificate for the LAN addresses once, and keeps its key (and so its pin) when addresses change', async () => {
    const where = dir();
    const first = await lanCertificate(where, ['10.0.0.5']);
    expect(first.pin).toBe(spkiPin(first.cert));
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const same = await lanCertificate(where, ['10.0.0.5']);
    expect(same.cert).toBe(first.cert);
    const moved = await lanCertificate(where, ['192.168.7.9']);
    expect(moved.cert).not.toBe(first.cert);
    expect(moved.pin).toBe(first.pin);
  });

  it('main trusts a LAN host only with the pin it was given, for that host only', async () => {
    const { cert, pin } = await lanCertificate(dir(), ['10.0.0.5']);
    const other = await lanCertificate(dir(), ['10.0.0.5']);
    const booted = await bootParley({ teamServers: [{ id: 'lan', name: 'Desk', url: 'https://10.0.0.5:7800', pin }] });
    const verify = (hostname: string, data: string) =>
      booted.fake.session.verifyCertificate({
        hostname,
        certificate: { data },
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      });
    expect(await verify('10.0.0.5', cert)).toBe(0);
    // Someone else's certificate on that address, or this one anywhere else: Chromium's own verdict (rejected).
    expect(await verify('10.0.0.5', other.cert)).toBe(-3);
    expect(await verify('10.0.0.6', cert)).toBe(-3);
  });

  it('a link from a LAN host carries its pin; the server is saved with it once the person continues', async () => {
    const { pin } = await lanCertificate(dir(), ['10.0.0.5']);
    const server = encodeURIComponent('https://10.0.0.5:7800');
    expect(parseJoinLink(`parley://join/${server}?pin=${encodeURIComponent(pin)}`)).toEqual({ serverUrl: 'https://10.0.0.5:7800', pin });
    expect(parseJoinLink(`parley://join/${server}/standup?pin=${encodeURIComponent(pin)}`)).toEqual({
      room: { serverUrl: 'https://10.0.0.5:7800', room: 'standup' },
      pin,
    });
    // A pin for plain http means nothing; a malformed one, or anything else in the query, is refused.
    expect(parseJoinLink(`parley://join/${encodeURIComponent('http://10.0.0.5:7800')}?pin=${encodeURIComponent(pin)}`)).toBeNull();
    expect(parseJoinLink(`parley://join/${server}?pin=abc`)).toBeNull();
    expect(parseJoinLink(`parley://join/${server}?pin=${encodeURIComponent(pin)}&x=1`)).toBeNull();

    const booted = await bootParley({ argv: ['/usr/bin/parley', `parley://join/${server}?pin=${encodeURIComponent(pin)}`] });
    await booted.invoke('app:ready');
    const [navigation] = booted.main.webContents.sent.filter((m) => m.channel === 'app:navigate').map((m) => m.payload);
    expect(navigation).toEqual({
      view: 'connect',
      serverUrl: 'https://10.0.0.5:7800',
      pin,
      confirm: { offer: expect.any(String), reason: 'new-server' },
    });
    // Nothing is trusted before the person answers.
    expect(booted.runtime.settings.get().teamServers).toEqual([]);
    const { offer } = (navigation as { confirm: { offer: string } }).confirm;
    expect(await booted.invoke('servers:add', { from: 'link', offer })).toMatchObject({
      ok: true,
      value: { server: { url: 'https://10.0.0.5:7800', pin } },
    });
    expect(booted.runtime.settings.get().teamServers[0]).toMatchObject({ url: 'https://10.0.0.5:7800', pin });
  });
});

describe('a call that dropped is recovered', () => {
  it('main arms recoverCall on wake-up and network return while a dropped call waits to be rejoined', async () => {
    const booted = await bootParley({ timings: { networkPollMs: 10 } });
    const room = { serverUrl: 'https://meet.example.com', room: 'standup' };
    await booted.invoke('call:update-state', { ...IDLE_CALL_STATE, room, rejoinPending: true });
    booted.fake.powerMonitor.emit('resume');
    booted.fake.online = false;
    await expect
      .poll(() => booted.main.webContents.sent.some((m) => (m.payload as { kind?: string }).kind === 'network-offline'))
      .toBe(true);
    booted.fake.online = true;
    await expect
      .poll(() => booted.main.webContents.sent.some((m) => (m.payload as { kind?: string }).kind === 'network-online'))
      .toBe(true);
    const power = booted.main.webContents.sent.filter((m) => m.channel === 'system:power').map((m) => m.payload);
    expect(power).toEqual([
      { kind: 'resume', recoverCall: true },
      { kind: 'network-offline', recoverCall: false },
      { kind: 'network-online', recoverCall: true },
    ]);
    // Nothing is pending any more once the call is back (or abandoned): no recovery then.
    await booted.invoke('call:update-state', IDLE_CALL_STATE);
    booted.fake.powerMonitor.emit('resume');
    expect(booted.main.webContents.sent.filter((m) => m.channel === 'system:power').at(-1)?.payload).toEqual({
      kind: 'resume',
      recoverCall: false,
    });
  });
});

describe('window colours', () => {
  it('are the renderer’s own background tokens, dark and light', () => {
    const tokens = readFileSync(resolve('renderer/src/styles/tokens.css'), 'utf8');
    const [dark, light] = tokens.split(":root[data-theme='light']");
    const token = (css: string | undefined, name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`).exec(css ?? '')?.[1];
    expect(WINDOW_BACKGROUNDS.dark).toEqual({ page: token(dark, 'color-bg'), bar: token(dark, 'color-surface') });
    expect(WINDOW_BACKGROUNDS.light).toEqual({ page: token(light, 'color-bg'), bar: token(light, 'color-surface') });
  });

  it('follow the OS theme for the main window, the picker and the sharing bar, also when it changes', async () => {
    const booted = await bootParley({ beforeReady: (fake) => (fake.nativeTheme.shouldUseDarkColors = false) });
    expect(booted.main.options.backgroundColor).toBe(WINDOW_BACKGROUNDS.light.page);
    void booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await until(() => booted.pickerWindow() !== undefined, 'picker');
    expect(booted.pickerWindow()?.options.backgroundColor).toBe(WINDOW_BACKGROUNDS.light.page);
    booted.fake.nativeTheme.setOsDark(true);
    expect(booted.main.getBackgroundColor()).toBe(WINDOW_BACKGROUNDS.dark.page);
    expect(booted.pickerWindow()?.getBackgroundColor()).toBe(WINDOW_BACKGROUNDS.dark.page);
    const bar = booted.runtime.createWindow('share-bar', {});
    expect(bar.getBackgroundColor()).toBe(WINDOW_BACKGROUNDS.dark.bar);
  });
});
