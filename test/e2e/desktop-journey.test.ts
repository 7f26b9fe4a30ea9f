// The desktop app as a person uses it, whole: the built main process on the Electron fake, its
// windows real Chromium pages with the real built preload, against the real team server and SFU,
// with a guest in a browser. The steps build on each other, like a working day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { actionThatClosesItsPage } from '../support/closing-action';
import { launchDesktopApp, type DesktopApp } from '../support/desktop-app/launch';
import { APP_STAND_IN_ORIGIN } from '../support/desktop-app/origins';
import { NodeParticipant } from '../support/node-participant';
import { startStack, type TestStack } from '../support/stack';
import { addUser, PASSWORD, setupAdmin, type SignedIn } from '../support/team-api';
import { decodingVideos, guestAsks, prepare, shoot, tile, totalFramesDecoded } from './meeting-support';

let stack: TestStack;
let browser: TestBrowser;
let app: DesktopApp;
let admin: SignedIn;
let desk: Page;
let guest: Page;
let bob: NodeParticipant;

const titles = (): string[] => app.notifications().map((n) => n.options.title ?? '');
const notification = async (title: string): Promise<void> => {
  await expect.poll(titles, { timeout: 30_000 }).toContain(title);
};

beforeAll(async () => {
  // The stand-in for parley://app is an operator-listed origin here (CORS_ORIGINS); parley://app
  // itself is allowed by default (test/unit/server/cors.test.ts).
  stack = await startStack({ corsOrigins: [APP_STAND_IN_ORIGIN] });
  admin = await setupAdmin(stack, 'ada');
  await admin.api.createRoom({ name: 'standup', title: 'Standup', options: { allowGuests: true, lobby: true } });
  browser = await launchBrowser();
  app = await launchDesktopApp({ browser: browser.browser, serverUrl: stack.url });
  desk = await app.mainPage();
});

afterAll(async () => {
  await bob?.disconnect().catch(() => undefined);
  await app?.close();
  await browser?.close();
  await stack?.teardown();
});

describe('the desktop app, whole', () => {
  it('first launch goes straight to signing in to the server npm start launched; home follows', async () => {
    await prepare(desk);
    await desk.reload();
    // No address to type: the server is offered.
    await desk.getByLabel('Username').fill('ada');
    await desk.getByLabel('Password').fill(PASSWORD);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 30_000 });
    // The app keeps a log file a person can send along with a problem.
    expect(readFileSync(join(app.userData, 'logs', 'main.log'), 'utf8')).toContain('"event":"app.started"');
  });

  it('turns on the global mute shortcut in Settings', async () => {
    await desk.getByRole('button', { name: 'Open settings' }).click();
    await desk.getByLabel('Mute or unmute').fill('CommandOrControl+Shift+M');
    await desk.getByLabel('Mute or unmute').press('Tab');
    await desk.getByLabel('Work in other apps during a call').check();
    await expect.poll(() => desk.getByLabel('Work in other apps during a call').isChecked()).toBe(true);
    // Every desktop setting has its place here: hosting, window, updates.
    for (const section of ['Host on this computer', 'Window', /^Updates/]) await desk.getByRole('group', { name: section }).waitFor();
    await desk.getByLabel('Mute or unmute').blur();
    await desk.getByTestId('settings').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shoot(desk, 'settings.png');
    await desk.keyboard.press('Escape');
  });

  it('a team meeting starting raises a notification while the window is hidden and no call runs; it opens the join screen', async () => {
    app.mainWindow().hide();
    const member = await addUser(stack, admin, 'bob');
    const join = await member.api.joinRoom('standup', { device: 'bobnode' });
    bob = new NodeParticipant();
    await bob.connect(join.url, join.token);
    await notification('Meeting started in Standup');
    app
      .notifications()
      .find((n) => n.options.title === 'Meeting started in Standup')
      ?.click();
    expect(app.mainWindow().isVisible()).toBe(true);
    await desk.getByLabel('Your camera preview').waitFor({ timeout: 30_000 });
    await desk.getByRole('button', { name: 'Join now' }).click();
    await desk.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
  });

  it('a guest knocking raises a lobby notification while unfocused; admitted, guest and desktop decode each other', async () => {
    app.mainWindow().blur();
    guest = await browser.newPage();
    const link = await admin.api.createGuestLink('standup');
    await guestAsks(guest, link.url, 'Grace');
    await notification('Grace is waiting in the lobby');
    app
      .notifications()
      .find((n) => n.options.title === 'Grace is waiting in the lobby')
      ?.click();
    await desk.getByRole('button', { name: 'Admit Grace' }).click({ timeout: 30_000 });
    await guest.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => tile(guest, 'Ada').getAttribute('data-video'), { timeout: 30_000 }).toBe('on');
    await expect.poll(() => decodingVideos(guest, 10), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => decodingVideos(desk, 10), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);
  });

  it("shares one window through Parley's own picker; the guest decodes it; Stop on the sharing bar ends it", async () => {
    await desk.getByRole('button', { name: 'Share screen' }).click();
    const picker = await app.waitForWindow('picker.html');
    const terminal = picker.page.locator('[data-source-id="window:202:0"]');
    // Thumbnails are real images, decoded and shown.
    await expect
      .poll(() => terminal.locator('img.thumb').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await terminal.click();
    await actionThatClosesItsPage(picker.page, (page) => page.getByTestId('share').click());
    await desk.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 30_000 });
    await guest.getByTestId('spotlight').locator('[data-kind="screen"][data-video="on"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => decodingVideos(guest, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(2);

    const bar = await app.waitForWindow('share-bar.html');
    await expect.poll(() => bar.page.getByTestId('share-bar-text').textContent()).toBe('Sharing Terminal');
    expect(bar.window.contentProtection).toBe(true);
    await actionThatClosesItsPage(bar.page, (page) => page.getByTestId('share-bar-stop').click());
    await desk.getByRole('button', { name: 'Share screen' }).waitFor({ timeout: 30_000 });
    await guest.getByTestId('spotlight').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('while the window is hidden, a chat message and a raised hand raise native notifications', async () => {
    app.mainWindow().hide();
    await guest.getByRole('button', { name: 'Open chat' }).click();
    await guest.getByLabel('Message everyone').fill('Can you see my screen later?');
    await guest.getByRole('button', { name: 'Send message' }).click();
    // Guests carry the mark in their name everywhere, notifications included.
    await notification('Grace (guest) in Standup');
    expect(app.notifications().find((n) => n.options.title === 'Grace (guest) in Standup')?.options.body).toBe(
      'Can you see my screen later?',
    );
    await guest.getByRole('button', { name: 'Raise hand' }).click();
    await notification('Grace (guest) raised their hand');
  });

  it('closing the window keeps the call (the guest still decodes Ada); the tray’s Leave ends it', async () => {
    app.mainWindow().show();
    app.mainWindow().close();
    expect(app.mainWindow().isDestroyed()).toBe(false);
    expect(app.mainWindow().isVisible()).toBe(false);
    const before = await totalFramesDecoded(guest);
    await expect.poll(() => totalFramesDecoded(guest), { timeout: 30_000, interval: 500 }).toBeGreaterThan(before + 30);
    expect(app.tray().tooltip).toMatch(/^Parley — in Standup/);
    app.tray().clickMenuItem('leave');
    await tile(guest, 'Ada').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => app.tray().tooltip).toBe('Parley');
  });

  it('a parley:// link opens the room in the running app, from the tray', async () => {
    const link = `parley://join/${encodeURIComponent(stack.url)}/standup`;
    app.fake.app.emit('second-instance', {}, ['/usr/bin/parley', link], process.cwd());
    expect(app.mainWindow().isVisible()).toBe(true);
    await desk.getByLabel('Your camera preview').waitFor({ timeout: 30_000 });
    await desk.getByRole('button', { name: 'Join now' }).click();
    await desk.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => tile(guest, 'Ada').getAttribute('data-video'), { timeout: 30_000 }).toBe('on');
  });

  it('suspend, then resume: the call rejoins by itself with microphone and camera off', async () => {
    app.fake.powerMonitor.emit('suspend');
    await tile(guest, 'Ada').waitFor({ state: 'detached', timeout: 30_000 });
    await desk.getByText('Paused while your computer slept').waitFor({ timeout: 30_000 });
    app.fake.powerMonitor.emit('resume');
    await desk.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
    await tile(guest, 'Ada').waitFor({ timeout: 30_000 });
    await expect.poll(() => tile(guest, 'Ada').getAttribute('data-muted'), { timeout: 30_000 }).toBe('true');
    expect(await tile(guest, 'Ada').getAttribute('data-video')).not.toBe('on');
    await desk.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    await desk.getByRole('button', { name: 'Turn camera on' }).waitFor();
  });

  it('the global mute shortcut mutes, and the guest sees it', async () => {
    const shortcut = 'CommandOrControl+Shift+M';
    await expect.poll(() => app.fake.globalShortcut.isRegistered(shortcut), { timeout: 30_000 }).toBe(true);
    await desk.getByRole('button', { name: 'Unmute microphone' }).click();
    await expect.poll(() => tile(guest, 'Ada').getAttribute('data-muted'), { timeout: 30_000 }).toBe('false');
    await desk.getByRole('button', { name: 'Mute microphone' }).waitFor();
    await expect.poll(() => app.tray().tooltip).toContain('microphone on');
    // The person is in another app: the shortcut reaches Parley anyway.
    app.mainWindow().blur();
    app.fake.globalShortcut.press(shortcut);
    await expect.poll(() => tile(guest, 'Ada').getAttribute('data-muted'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => app.tray().tooltip).toContain('microphone muted');
  });
});
