// Which team servers the app trusts, and what follows from it: a parley:// link to a new server is
// asked about before anything talks to it; a page cannot add a server (and so widen its own CSP)
// by itself; the CSP allows exactly the saved servers and the SFUs they hand out.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Navigation, ServerReady, TeamServer } from '@contracts/desktop';
import { answerServerInfo, bootParley, type Booted } from '../../support/electron-fake/boot';

const ACME: TeamServer = { id: 'acme', name: 'Acme', url: 'https://meet.acme.test' };
const PIN = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
const OTHER_PIN = 'Ui2YSEKHb1JbsPtR5Ie2LDT3MKN7ZrvzT1E/a6dJRqc=';
const SERVERS = {
  'https://meet.acme.test': { livekitUrl: 'wss://sfu.acme.test' },
  'https://evil.test:8443': { name: 'Acme (official)', livekitUrl: 'wss://sfu.evil.test' },
  'https://new.example.test': { livekitUrl: 'wss://media.example.test:7881' },
};

const navigations = (booted: Booted): Navigation[] =>
  booted.main.webContents.sent.filter((m) => m.channel === 'app:navigate').map((m) => m.payload as Navigation);
const cspOf = async (booted: Booted): Promise<string> =>
  (await booted.fake.protocol.fetch('parley://app/index.html')).headers.get('content-security-policy') ?? '';
const connectSrc = (csp: string): string[] => /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? [];

async function boot(teamServers: TeamServer[] = [ACME]): Promise<Booted> {
  const booted = await bootParley({ teamServers, beforeReady: (fake) => answerServerInfo(fake, SERVERS) });
  await booted.invoke('app:ready');
  return booted;
}

async function link(booted: Booted, url: string): Promise<Navigation> {
  booted.fake.app.emit('second-instance', {}, ['/usr/bin/parley', url], '/');
  const last = navigations(booted).at(-1);
  if (!last) throw new Error('the link opened nothing');
  return last;
}

describe('a parley:// link', () => {
  it('to a server never used: the page is asked to confirm, and main neither saves nor asks it anything', async () => {
    const booted = await boot();
    const requestsBefore = booted.fake.net.requests.length;
    const navigation = await link(booted, 'parley://join/evil.test:8443/standup');
    expect(navigation).toEqual({
      view: 'join',
      room: { serverUrl: 'https://evil.test:8443', room: 'standup' },
      source: 'deep-link',
      confirm: { offer: expect.stringMatching(/^[A-Za-z0-9_-]{16,64}$/), reason: 'new-server' },
    });
    expect(booted.runtime.settings.get().teamServers).toEqual([ACME]);
    expect(booted.fake.net.requests.slice(requestsBefore)).toEqual([]);
    expect(connectSrc(await cspOf(booted))).not.toContain('https://evil.test:8443');
  });

  it('to a saved server opens its join screen without asking', async () => {
    const booted = await boot();
    expect(await link(booted, 'parley://join/meet.acme.test/standup')).toEqual({
      view: 'join',
      room: { serverUrl: 'https://meet.acme.test', room: 'standup' },
      source: 'deep-link',
    });
  });

  it('with a pin the app has not seen for that server asks again; the saved pin does not', async () => {
    const lan = 'https://10.0.0.5:7800';
    const booted = await boot([{ id: 'desk', name: 'Desk', url: lan, pin: PIN }]);
    const server = encodeURIComponent(lan);
    expect((await link(booted, `parley://join/${server}?pin=${encodeURIComponent(PIN)}`)).view).toBe('connect');
    expect(navigations(booted).at(-1)).not.toHaveProperty('confirm');
    const swapped = await link(booted, `parley://join/${server}?pin=${encodeURIComponent(OTHER_PIN)}`);
    expect(swapped).toMatchObject({ confirm: { reason: 'new-certificate' } });
    // Until the person continues, the saved pin is the one trusted.
    expect(booted.runtime.settings.get().teamServers[0]?.pin).toBe(PIN);
  });

  it('continuing saves exactly what the link carried; the offer works once, and a page cannot make one up', async () => {
    const booted = await boot();
    const navigation = await link(booted, 'parley://join/evil.test:8443/standup');
    const offer = (navigation as { confirm: { offer: string } }).confirm.offer;
    expect(await booted.invoke('servers:add', { from: 'link', offer: 'A'.repeat(24) })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNKNOWN' },
    });
    const added = (await booted.invoke('servers:add', { from: 'link', offer })) as { ok: true; value: ServerReady };
    expect(added.value.server).toMatchObject({ url: 'https://evil.test:8443', name: 'evil.test:8443' });
    expect(added.value.reload).toBe(true);
    expect(booted.runtime.settings.get().teamServers.map((server) => server.url)).toEqual([
      'https://meet.acme.test',
      'https://evil.test:8443',
    ]);
    expect(await booted.invoke('servers:add', { from: 'link', offer })).toMatchObject({ ok: false, error: { code: 'SERVER_UNKNOWN' } });
    // No native question for a link: the person answered in the app.
    expect(booted.fake.dialog.shown).toEqual([]);
  });

  it('a flood of links keeps only the latest few offers', async () => {
    const booted = await boot();
    const offers: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const navigation = await link(booted, `parley://join/host${i}.evil.test/standup`);
      offers.push((navigation as { confirm: { offer: string } }).confirm.offer);
    }
    expect(await booted.invoke('servers:add', { from: 'link', offer: offers[0]! })).toMatchObject({ ok: false });
    expect(await booted.invoke('servers:add', { from: 'link', offer: offers[11]! })).toMatchObject({ ok: true });
  });
});

describe('adding a server the person typed', () => {
  it("is asked in main's own dialog, which shows the origin; Cancel saves nothing", async () => {
    const booted = await boot();
    const adding = booted.invoke('servers:add', { from: 'typed', url: 'https://new.example.test/' });
    const question = await booted.fake.dialog.next();
    expect(question.window).toBe(booted.main);
    expect(question.options.message).toBe('Connect to https://new.example.test?');
    expect(question.options.detail).toContain('a server you have not used before');
    question.answer('Cancel');
    expect(await adding).toMatchObject({ ok: false, error: { code: 'SERVER_DECLINED' } });
    expect(booted.runtime.settings.get().teamServers).toEqual([ACME]);
    expect(connectSrc(await cspOf(booted))).not.toContain('https://new.example.test');
  });

  it('Connect saves it, learns its SFU first, and tells the page to load again for the new policy', async () => {
    const booted = await boot();
    await cspOf(booted); // the page as it is now
    const adding = booted.invoke('servers:add', { from: 'typed', url: 'https://new.example.test', name: 'New' });
    (await booted.fake.dialog.next()).answer('Connect');
    const added = (await adding) as { ok: true; value: ServerReady };
    expect(added.value).toMatchObject({ server: { name: 'New', url: 'https://new.example.test' }, reload: true });
    const csp = await cspOf(booted);
    expect(connectSrc(csp)).toEqual(
      expect.arrayContaining(['https://new.example.test', 'wss://media.example.test:7881', 'https://media.example.test:7881']),
    );
    // The page loaded again with it: nothing more to reload for.
    expect(await booted.invoke('servers:sync', { url: 'https://new.example.test' })).toEqual({ ok: true, value: { reload: false } });
    // Already saved: no second question.
    expect(await booted.invoke('servers:add', { from: 'typed', url: 'https://new.example.test' })).toMatchObject({ ok: true });
    expect(booted.fake.dialog.shown).toHaveLength(1);
  });

  it('one question at a time: a page asking in a loop gets one dialog', async () => {
    const booted = await boot();
    const first = booted.invoke('servers:add', { from: 'typed', url: 'https://new.example.test' });
    const more = await Promise.all(
      ['https://a.evil.test', 'https://b.evil.test'].map((url) => booted.invoke('servers:add', { from: 'typed', url })),
    );
    expect(more).toEqual([expect.objectContaining({ ok: false }), expect.objectContaining({ ok: false })]);
    (await booted.fake.dialog.next()).answer('Cancel');
    await first;
    expect(booted.fake.dialog.shown).toHaveLength(1);
  });
});

describe('settings:update', () => {
  it('cannot add a team server or change where one points; it can rename and remove', async () => {
    const booted = await boot([ACME, { id: 'desk', name: 'Desk', url: 'https://10.0.0.5:7800', pin: PIN }]);
    const refused = [
      [ACME, { id: 'evil', name: 'Evil', url: 'https://evil.test' }],
      [{ ...ACME, url: 'https://evil.test' }],
      [{ id: 'desk', name: 'Desk', url: 'https://10.0.0.5:7800', pin: OTHER_PIN }],
    ];
    for (const teamServers of refused) {
      expect(await booted.invoke('settings:update', { teamServers }), JSON.stringify(teamServers)).toMatchObject({
        ok: false,
        error: { code: 'SETTINGS_INVALID' },
      });
    }
    expect(await booted.invoke('settings:update', { teamServers: [{ ...ACME, name: 'Acme Inc.' }] })).toMatchObject({ ok: true });
    expect(booted.runtime.settings.get().teamServers).toEqual([{ ...ACME, name: 'Acme Inc.' }]);
  });
});

describe('the CSP of the app pages', () => {
  it('allows no network but the app itself while no server is saved, and no images from anywhere', async () => {
    const booted = await boot([]);
    const csp = await cspOf(booted);
    expect(connectSrc(csp)).toEqual(["'self'"]);
    expect(csp).toContain("img-src 'self' data: blob:;");
    expect(csp).not.toMatch(/(^|[ ;])(https?|wss?):(?=[ ;]|$)/);
  });

  it('allows each saved server and the SFU it hands out, learnt by main from the server itself', async () => {
    const booted = await boot();
    expect(connectSrc(await cspOf(booted))).toEqual(["'self'", 'https://meet.acme.test', 'wss://sfu.acme.test', 'https://sfu.acme.test']);
    expect(booted.fake.net.requests).toContain('https://meet.acme.test/api/v1/server');
  });

  it('a page cannot name an SFU, nor have main ask a server that is not saved', async () => {
    const booted = await boot();
    expect(await booted.invoke('servers:sync', { url: 'https://evil.test:8443' })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNKNOWN' },
    });
    expect(booted.fake.net.requests).not.toContain('https://evil.test:8443/api/v1/server');
    expect(await booted.invoke('servers:sync', { url: ACME.url, sfuUrl: 'wss://evil.test' } as never)).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_PAYLOAD' },
    });
    expect(connectSrc(await cspOf(booted)).join(' ')).not.toContain('evil');
  });

  it('follows a server that moved its SFU, and says the open page must load again; the next launch starts with it', async () => {
    const booted = await boot();
    await cspOf(booted);
    answerServerInfo(booted.fake, { ...SERVERS, 'https://meet.acme.test': { livekitUrl: 'wss://sfu2.acme.test' } });
    expect(await booted.invoke('servers:sync', { url: ACME.url })).toEqual({ ok: true, value: { reload: true } });
    expect(connectSrc(await cspOf(booted))).toContain('wss://sfu2.acme.test');
    expect(connectSrc(await cspOf(booted))).not.toContain('wss://sfu.acme.test');
    // Remembered in userData: a launch that cannot reach the server still allows its SFU.
    const facts = join(booted.fake.app.userData, 'server-facts.json');
    await expect.poll(() => readFileSync(facts, 'utf8')).toContain('wss://sfu2.acme.test');
    const later = await bootParley({ beforeReady: (fake) => cpSync(booted.fake.app.userData, fake.app.userData, { recursive: true }) });
    expect(connectSrc(await cspOf(later))).toContain('wss://sfu2.acme.test');
  });

  it('ignores an answer that is not an SFU URL', async () => {
    const booted = await bootParley({
      teamServers: [ACME],
      beforeReady: (fake) => answerServerInfo(fake, { 'https://meet.acme.test': { livekitUrl: 'javascript:alert(1)' } }),
    });
    expect(connectSrc(await cspOf(booted))).toEqual(["'self'", 'https://meet.acme.test']);
  });
});
