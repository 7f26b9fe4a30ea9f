import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { decodingVideos, guestAsks, joinFromHome, prepare, shoot, signIn, tile, totalFramesDecoded } from './meeting-support';

// One stack and one Chromium for the whole meeting story: three people (a host, a member and a
// guest) in one room through the real team server and SFU. The steps build on each other.
describe('a meeting of three through the real SFU', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;
  let ada: Page; // the host (admin, owns the room)
  let bob: Page; // a member
  let grace: Page; // a guest
  let lobbyGuest: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    admin = await setupAdmin(stack, 'ada');
    await addUser(stack, admin, 'bob');
    await admin.api.createRoom({ name: 'standup', title: 'Standup', options: { allowGuests: true, lobby: false } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('three join and each decodes the others’ video', async () => {
    ada = await browser.newPage();
    bob = await browser.newPage();
    grace = await browser.newPage();
    await signIn(ada, stack.url, 'ada', admin.password);
    await joinFromHome(ada, 'Standup', 'prejoin.png');
    await signIn(bob, stack.url, 'bob', admin.password);
    // Home shows who is in each room right now.
    await bob.getByText('1 in the meeting').waitFor({ timeout: 15_000 });
    await shoot(bob, 'home.png');
    await joinFromHome(bob, 'Standup');
    const link = await admin.api.createGuestLink('standup');
    await guestAsks(grace, link.url, 'Grace');
    await grace.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });

    for (const page of [ada, bob, grace]) {
      await expect.poll(() => decodingVideos(page, 10), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.locator('[data-kind="camera"][data-video="on"]').count(), { timeout: 10_000 }).toBe(3);
    }
    // Hosts see their role; the guest is labelled as one.
    await expect.poll(() => tile(bob, 'Ada').getByText('Host').count()).toBe(1);
    await shoot(ada, 'grid-three.png');
  });

  it('muting shows on the others’ tiles', async () => {
    await bob.getByRole('button', { name: 'Mute microphone' }).click();
    await bob.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    for (const page of [ada, grace]) {
      await expect.poll(() => tile(page, 'Bob').getAttribute('data-muted'), { timeout: 10_000 }).toBe('true');
      await expect.poll(() => tile(page, 'Bob').getAttribute('aria-label')).toContain('microphone muted');
    }
    await bob.getByRole('button', { name: 'Unmute microphone' }).click();
    await expect.poll(() => tile(ada, 'Bob').getAttribute('data-muted'), { timeout: 10_000 }).toBe('false');
  });

  it('a screen share becomes the spotlight for the others', { timeout: 120_000 }, async () => {
    // One deadline for the whole step instead of a fixed budget per wait: on a loaded machine the
    // share takes longer to start and to reach everyone, and every wait below ends on an event.
    const deadline = Date.now() + 100_000;
    const left = (): number => Math.max(1_000, deadline - Date.now());
    await ada.getByRole('button', { name: 'Share screen' }).click();
    await ada.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: left() });
    // Both viewers in parallel, so a slow one does not eat the other's time.
    await Promise.all(
      [bob, grace].map(async (page) => {
        await page.getByTestId('spotlight').locator('[data-kind="screen"][data-video="on"]').waitFor({ timeout: left() });
        // Three inbound videos now (two cameras and the screen), all decoding.
        await expect.poll(() => decodingVideos(page, 10), { timeout: left(), interval: 250 }).toBeGreaterThanOrEqual(3);
      }),
    );
    await shoot(bob, 'screen-share.png');
    await ada.getByRole('button', { name: 'Stop sharing' }).click();
    await bob.getByTestId('spotlight').waitFor({ state: 'detached', timeout: left() });
  });

  it('the stats panel shows the layer and codec a remote camera arrives in', async () => {
    await bob.getByRole('button', { name: 'More options' }).click();
    await bob.getByRole('menuitem', { name: 'Show connection stats' }).click();
    // Ada's camera as Bob receives it (her microphone has a table of its own, in any order).
    const camera = bob
      .locator('section')
      .filter({ has: bob.getByRole('heading', { name: /^Ada/ }) })
      .locator('table')
      .filter({ has: bob.locator('caption', { hasText: 'Camera · receiving' }) });
    // Sampled every 2 s: the first sample has sizes, the second rates.
    await camera
      .getByTestId('layer')
      .filter({ hasText: /^Layer(Low|Medium|High) · \d+×\d+ · \d+ fps · \d+ kbit\/s$/ })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => camera.locator('tr', { hasText: 'Codec' }).textContent(), { timeout: 10_000 })
      .toMatch(/Codec.*(VP8|VP9|AV1|H264)/i);
    await shoot(bob, 'stats-panel.png');
    await bob.getByRole('button', { name: 'Close connection stats' }).click();
  });

  it('a chat message, a reaction and a raised hand reach everyone', async () => {
    await grace.getByRole('button', { name: 'Open chat' }).click();
    await grace.getByLabel('Message everyone').fill('Hello from Grace');
    await grace.getByRole('button', { name: 'Send message' }).click();
    for (const page of [ada, bob]) {
      await expect.poll(() => page.getByTestId('unread').textContent(), { timeout: 10_000 }).toBe('1');
      await page.getByRole('button', { name: 'Open chat' }).click();
      await page.getByRole('list', { name: 'Messages' }).getByText('Hello from Grace').waitFor({ timeout: 5_000 });
      await expect.poll(() => page.getByTestId('unread').count()).toBe(0);
    }
    await bob.getByLabel('Message everyone').fill('Morning! Slides are up next.');
    await bob.getByRole('button', { name: 'Send message' }).click();
    await ada.getByText('Morning! Slides are up next.').waitFor({ timeout: 10_000 });
    await shoot(ada, 'chat-open.png');

    await bob.getByRole('button', { name: 'Send a reaction' }).click();
    await bob.getByRole('button', { name: 'React with 👍' }).click();
    for (const page of [ada, grace]) await page.getByText('reacted 👍').waitFor({ timeout: 10_000 });

    // Grace raises first, then Bob: everyone sees the same order.
    await grace.getByRole('button', { name: 'Raise hand' }).click();
    await grace.getByRole('button', { name: 'Lower hand' }).waitFor();
    await expect.poll(() => tile(bob, 'Grace').getAttribute('aria-label'), { timeout: 10_000 }).toContain('hand raised, number 1');
    await bob.getByRole('button', { name: 'Raise hand' }).click();
    for (const page of [ada, bob, grace]) {
      await expect.poll(() => tile(page, 'Bob').getAttribute('aria-label'), { timeout: 10_000 }).toContain('hand raised, number 2');
      await expect.poll(() => tile(page, 'Grace').getAttribute('aria-label')).toContain('hand raised, number 1');
    }
    await ada.getByRole('button', { name: 'Show participants' }).click();
    const hands = ada.getByRole('region', { name: 'Raised hands' }).or(ada.locator('section[aria-labelledby="hands-title"]'));
    await expect.poll(() => hands.locator('li').allTextContents()).toEqual(['1Grace (guest)', '2Bob']);
    await shoot(ada, 'participants-panel.png');
  });

  it('the control bar and its menus work from the keyboard', async () => {
    const bar = bob.getByRole('toolbar', { name: 'Meeting controls' });
    // One tab stop for the whole bar; arrow keys move between its controls.
    await bar.getByRole('button', { name: /^(Mute|Unmute) microphone$/ }).focus();
    await bob.keyboard.press('ArrowRight');
    await expect.poll(() => bob.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Choose microphone and speaker');
    expect(await bar.locator('[tabindex="0"]').count()).toBe(1);
    // Enter opens the device menu with focus inside it; arrows move; Escape closes it and gives focus back.
    await bob.keyboard.press('Enter');
    const menu = bob.getByRole('menu');
    await menu.waitFor({ timeout: 5_000 });
    await expect.poll(() => menu.evaluate((m) => m.contains(document.activeElement))).toBe(true);
    await bob.keyboard.press('ArrowDown');
    await expect.poll(() => bob.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitemradio');
    await bob.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: 5_000 });
    await expect.poll(() => bob.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Choose microphone and speaker');
    // The reactions popover keeps Tab inside it until Escape.
    await bar.getByRole('button', { name: 'Send a reaction' }).focus();
    await bob.keyboard.press('Enter');
    const reactions = bob.getByRole('dialog', { name: 'Reactions' });
    await reactions.waitFor({ timeout: 5_000 });
    for (let i = 0; i < 8; i++) await bob.keyboard.press('Tab');
    await expect.poll(() => reactions.evaluate((r) => r.contains(document.activeElement))).toBe(true);
    await bob.keyboard.press('Escape');
    await reactions.waitFor({ state: 'detached', timeout: 5_000 });
    await expect.poll(() => bob.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Send a reaction');
    // The options menu, open, for docs/.
    await bar.getByRole('button', { name: 'More options' }).click();
    await bob.getByRole('menuitemradio', { name: 'Auto' }).waitFor({ timeout: 5_000 });
    await shoot(bob, 'more-options.png');
    await bob.keyboard.press('Escape');
    await bob.getByRole('menu').waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('a host removes the guest and the guest sees why', async () => {
    await ada.getByRole('button', { name: 'Remove Grace (guest) from the meeting' }).click();
    await ada.getByRole('button', { name: 'Confirm removing Grace (guest)' }).click();
    await grace.getByRole('heading', { name: 'A host removed you from the meeting' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => tile(ada, 'Grace').count(), { timeout: 10_000 }).toBe(0);
    // Removed people are not offered a rejoin that would only fail.
    expect(await grace.getByRole('button', { name: 'Rejoin' }).count()).toBe(0);
  });

  it('a lobby guest waits and gets in when admitted, with controls usable at 200% zoom', async () => {
    await admin.api.updateRoom('standup', { options: { lobby: true } });
    const link = await admin.api.createGuestLink('standup');
    // 640 CSS px wide is a 1280 px window at 200% zoom.
    lobbyGuest = await browser.newPage({ viewport: { width: 640, height: 720 } });
    await guestAsks(lobbyGuest, link.url, 'Linus');
    await lobbyGuest.getByRole('heading', { name: 'Waiting for the host to let you in' }).waitFor({ timeout: 15_000 });

    await ada.getByRole('button', { name: 'Admit Linus' }).click({ timeout: 15_000 });
    await lobbyGuest.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => decodingVideos(lobbyGuest, 10), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    // The pre-join camera survived the wait in the lobby and is what the host sees.
    await expect.poll(() => tile(ada, 'Linus').getAttribute('data-video'), { timeout: 15_000 }).toBe('on');

    // Every control is on screen and works at this width.
    for (const name of [
      /^(Mute|Unmute) microphone$/,
      /^Turn camera (off|on)$/,
      'Raise hand',
      'Leave meeting',
      'Open chat',
      'Show participants',
    ]) {
      const box = await lobbyGuest.getByRole('button', { name, exact: true }).boundingBox();
      expect(box, String(name)).not.toBeNull();
      expect(box!.x, String(name)).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, String(name)).toBeLessThanOrEqual(640);
      expect(box!.y + box!.height, String(name)).toBeLessThanOrEqual(720);
    }
    // A guest is offered no screen share unless the room allows it (the SFU would refuse it).
    expect(await lobbyGuest.getByRole('button', { name: 'Share screen', exact: true }).count()).toBe(0);
    // The microphone button works at this width and the host sees the change.
    const wasMuted = await tile(ada, 'Linus').getAttribute('data-muted');
    await lobbyGuest.getByRole('button', { name: /^(Mute|Unmute) microphone$/ }).click();
    await expect
      .poll(() => tile(ada, 'Linus').getAttribute('data-muted'), { timeout: 10_000 })
      .toBe(wasMuted === 'true' ? 'false' : 'true');
    await lobbyGuest.getByRole('button', { name: 'Open chat' }).click();
    await lobbyGuest.getByLabel('Message everyone').waitFor();
    await shoot(lobbyGuest, 'narrow-640.png');
  });

  it('a dropped SFU connection shows the reconnecting banner and the call recovers', async () => {
    const before = await totalFramesDecoded(bob);
    await bob.evaluate(() =>
      (window as unknown as { __parleyTest: { simulate(s: string): Promise<void> } }).__parleyTest.simulate('signal-reconnect'),
    );
    await expect
      .poll(() => bob.evaluate(() => (window as unknown as { __sawReconnecting: boolean }).__sawReconnecting), { timeout: 15_000 })
      .toBe(true);
    await bob.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 30_000 });
    // Video keeps decoding after recovery, and the others still see Bob.
    await expect.poll(() => totalFramesDecoded(bob), { timeout: 60_000, interval: 500 }).toBeGreaterThan(before + 60);
    await expect.poll(() => tile(ada, 'Bob').getAttribute('data-video'), { timeout: 10_000 }).toBe('on');
  });

  it('an admin creates an invite on home and a new member registers with it', async () => {
    // Tall enough for the whole Team section in the screenshot.
    const admin2 = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await signIn(admin2, stack.url, 'ada', admin.password);
    const team = admin2.getByTestId('admin');
    await team.getByRole('button', { name: 'Create invite code' }).click();
    const code = (await team.getByTestId('invite-code').textContent({ timeout: 10_000 }))?.trim() ?? '';
    expect(code.length).toBeGreaterThan(4);
    await team.locator('tr[data-user="bob"]').waitFor({ timeout: 10_000 });
    await shoot(admin2, 'admin.png');

    const newcomer = await browser.newPage();
    await prepare(newcomer);
    await newcomer.goto(stack.url);
    await newcomer.getByRole('button', { name: 'I have an invite code' }).click();
    await newcomer.getByLabel('Invite code').fill(code);
    await newcomer.getByLabel('Your name, as others see it').fill('Margaret');
    await newcomer.getByLabel('Username').fill('margaret');
    await newcomer.getByLabel('Password').fill('correct horse battery');
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await newcomer.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 15_000 });

    // The admin's list picks the new member up; the same code does not work twice.
    await admin2.reload();
    await admin2.getByTestId('admin').locator('tr[data-user="margaret"]').waitFor({ timeout: 15_000 });
    await newcomer.close();
    await admin2.close();
  });
});

describe('the theme', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('follows the system until someone picks one in settings, which then wins', async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(stack.url);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await expect.poll(theme, { timeout: 15_000 }).toBe('light');
    // The system switching while the app is open is followed at once.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    // Setup is the first screen of a new server; settings are reachable from home, so sign in first.
    const admin = await setupAdmin(stack, 'ada');
    await signIn(page, stack.url, 'ada', admin.password);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Open settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Dark', { exact: true }).check();
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await page.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 15_000 });
    expect(await theme()).toBe('dark');
    await page.close();
  });
});
