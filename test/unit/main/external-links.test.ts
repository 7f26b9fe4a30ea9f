// Links leaving the app: one on the team's server opens in the browser at once; any other only after
// the person says so in main's own dialog, which a page cannot click. Both doors: window.open and
// the bridge's app.openExternal.
import { describe, expect, it } from 'vitest';
import type { TeamServer } from '@contracts/desktop';
import { externalLinkQuestion } from '@main/external-links';
import { answerServerInfo, bootParley, type Booted } from '../../support/electron-fake/boot';

const ACME: TeamServer = { id: 'acme', name: 'Acme', url: 'https://meet.acme.test' };

const boot = (): Promise<Booted> =>
  bootParley({ teamServers: [ACME], beforeReady: (fake) => answerServerInfo(fake, { [ACME.url]: { livekitUrl: 'wss://sfu.acme.test' } }) });

describe('opening a link in the browser', () => {
  it("opens a link on the team's server without asking", async () => {
    const booted = await boot();
    expect(await booted.invoke('app:open-external', { url: 'https://meet.acme.test/#/guest/abcdefgh' })).toEqual({ ok: true, value: null });
    expect(booted.fake.openedExternally).toEqual(['https://meet.acme.test/#/guest/abcdefgh']);
    expect(booted.fake.dialog.shown).toEqual([]);
  });

  it('asks about any other, showing where it leads; Cancel opens nothing', async () => {
    const booted = await boot();
    const url = 'https://acme-login.evil.test/reset?user=ada';
    const opening = booted.invoke('app:open-external', { url });
    const question = await booted.fake.dialog.next();
    expect(question.window).toBe(booted.main);
    expect(question.options.message).toBe('Open https://acme-login.evil.test in your browser?');
    expect(question.options.detail).toContain(url);
    expect(question.options.detail).toContain("not on your team's server");
    expect(question.options.buttons).toEqual(['Open link', 'Cancel']);
    question.answer('Cancel');
    expect(await opening).toEqual({ ok: true, value: null });
    expect(booted.fake.openedExternally).toEqual([]);
  });

  it('a link a page opens with window.open goes through the same question; "Open link" opens it', async () => {
    const booted = await boot();
    expect(booted.main.webContents.attemptWindowOpen('https://docs.example.test/help')).toBe('deny');
    (await booted.fake.dialog.next()).answer('Open link');
    await expect.poll(() => booted.fake.openedExternally).toEqual(['https://docs.example.test/help']);
  });

  it('a page opening links in a loop gets one question, and the others are dropped', async () => {
    const booted = await boot();
    for (let i = 0; i < 5; i += 1) booted.main.webContents.attemptWindowOpen(`https://spam${i}.evil.test/`);
    const question = await booted.fake.dialog.next();
    expect(booted.fake.dialog.shown).toHaveLength(1);
    question.dismiss();
    await expect.poll(() => booted.fake.dialog.open()).toEqual([]);
    expect(booted.fake.openedExternally).toEqual([]);
  });

  it('refuses anything but http(s) without asking', async () => {
    const booted = await boot();
    for (const url of ['file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)']) {
      expect(await booted.invoke('app:open-external', { url })).toMatchObject({ ok: false, error: { code: 'EXTERNAL_URL_REJECTED' } });
    }
    expect(booted.fake.dialog.shown).toEqual([]);
  });

  it('shortens a very long address in the question', () => {
    const question = externalLinkQuestion(`https://x.test/${'a'.repeat(5000)}`);
    expect(question.detail?.length).toBeLessThan(500);
    expect(question.cancelId).toBe(1);
    expect(question.defaultId).toBe(1);
  });
});
