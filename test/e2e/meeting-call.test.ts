import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { decodingVideos, guestAsks, joinFromHome, shoot, signIn, tile, totalFramesDecoded } from './meeting-support';

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
    await grace.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 20_000 });

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

  it('a screen share becomes the spotlight for the others', async () => {
    await ada.getByRole('button', { name: 'Share screen' }).click();
    await ada.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
    for (const page of [bob, grace]) {
      const spotlight = page.getByTestId('spotlight').locator('[data-kind="screen"]');
      await spotlight.waitFor({ timeout: 15_000 });
      await expect.poll(() => spotlight.getAttribute('data-video')).toBe('on');
      // Three inbound videos now (two cameras and the screen), all decoding.
      await expect.poll(() => decodingVideos(page, 10), { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(3);
    }
    await shoot(bob, 'screen-share.png');
    await ada.getByRole('button', { name: 'Stop sharing' }).click();
    await bob.getByTestId('spotlight').waitFor({ state: 'detached', timeout: 15_000 });
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
    await expect.poll(() => hands.locator('li').allTextContents()).toEqual(['1Grace', '2Bob']);
    await shoot(ada, 'participants-panel.png');
  });

  it('a host removes the guest and the guest sees why', async () => {
    await ada.getByRole('button', { name: 'Remove Grace from the meeting' }).click();
    await ada.getByRole('button', { name: 'Confirm removing Grace' }).click();
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
    await lobbyGuest.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => decodingVideos(lobbyGuest, 10), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    // The pre-join camera survived the wait in the lobby and is what the host sees.
    await expect.poll(() => tile(ada, 'Linus').getAttribute('data-video'), { timeout: 15_000 }).toBe('on');

    // Every control is on screen and works at this width.
    for (const name of [/^(Mute|Unmute) microphone$/, /^Turn camera (off|on)$/, 'Share screen', 'Raise hand', 'Leave meeting', 'Open chat', 'Show participants']) {
      const box = await lobbyGuest.getByRole('button', { name, exact: true }).boundingBox();
      expect(box, String(name)).not.toBeNull();
      expect(box!.x, String(name)).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, String(name)).toBeLessThanOrEqual(640);
      expect(box!.y + box!.height, String(name)).toBeLessThanOrEqual(720);
    }
    // The microphone button works at this width and the host sees the change.
    const wasMuted = await tile(ada, 'Linus').getAttribute('data-muted');
    await lobbyGuest.getByRole('button', { name: /^(Mute|Unmute) microphone$/ }).click();
    await expect.poll(() => tile(ada, 'Linus').getAttribute('data-muted'), { timeout: 10_000 }).toBe(wasMuted === 'true' ? 'false' : 'true');
    await lobbyGuest.getByRole('button', { name: 'Open chat' }).click();
    await lobbyGuest.getByLabel('Message everyone').waitFor();
    await shoot(lobbyGuest, 'narrow-640.png');
  });

  it('a dropped SFU connection shows the reconnecting banner and the call recovers', async () => {
    const before = await totalFramesDecoded(bob);
    await bob.evaluate(() => (window as unknown as { __parleyTest: { simulate(s: string): Promise<void> } }).__parleyTest.simulate('signal-reconnect'));
    await expect.poll(() => bob.evaluate(() => (window as unknown as { __sawReconnecting: boolean }).__sawReconnecting), { timeout: 15_000 }).toBe(true);
    await bob.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 30_000 });
    // Video keeps decoding after recovery, and the others still see Bob.
    await expect.poll(() => totalFramesDecoded(bob), { timeout: 20_000, interval: 500 }).toBeGreaterThan(before + 60);
    await expect.poll(() => tile(ada, 'Bob').getAttribute('data-video'), { timeout: 10_000 }).toBe('on');
  });
});
