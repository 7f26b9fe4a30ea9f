// The desktop app as a person uses it, whole: the built main process on the Electron fake, its
// windows real Chromium pages with the real preload, against the real team server and SFU, with a
// guest in a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { launchDesktopApp, type DesktopApp } from '../support/desktop-app/launch';
import { APP_STAND_IN_ORIGIN } from '../support/desktop-app/origins';
import { startStack, type TestStack } from '../support/stack';
import { setupAdmin, type SignedIn, PASSWORD } from '../support/team-api';
import { prepare } from './meeting-support';

let stack: TestStack;
let browser: TestBrowser;
let app: DesktopApp;
let admin: SignedIn;
let desk: Page;

beforeAll(async () => {
  // The stand-in for parley://app is an operator-listed origin here (CORS_ORIGINS); parley://app
  // itself is allowed by default (test/unit/server/cors.test.ts).
  stack = await startStack({ corsOrigins: [APP_STAND_IN_ORIGIN] });
  admin = await setupAdmin(stack, 'ada');
  browser = await launchBrowser();
  app = await launchDesktopApp({ browser: browser.browser, serverUrl: stack.url });
  desk = await app.mainPage();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await stack?.teardown();
});

describe('the desktop app, whole', () => {
  it('first launch offers the server npm start launched; signing in reaches home', async () => {
    await prepare(desk);
    await desk.getByLabel('Username').waitFor();
    await desk.getByLabel('Username').fill('ada');
    await desk.getByLabel('Password').fill(PASSWORD);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 30_000 });
    expect(admin.user.username).toBe('ada');
  });
});
