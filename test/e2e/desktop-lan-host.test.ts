// Host on this computer, for the LAN: the desktop app (on the whole-app harness) hosts; the other
// computer (a network namespace joined by a veth pair) opens the link in its browser, and people
// there meet through this computer's team server and SFU. Every page stays a secure context: the
// LAN entrance is TLS with the certificate the app made, which that browser accepts for this one
// certificate (as a person does at the warning, after comparing the fingerprint the app shows).
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { chromiumArgs } from '@scripts/chromium.mjs';
import { freeTcpPort } from '@server/lib/free-port';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { launchDesktopApp, type DesktopApp } from '../support/desktop-app/launch';
import { createLan, type TestLan } from '../support/lan';
import { anonymous, PASSWORD } from '../support/team-api';
import { decodingVideos, guestAsks, shoot } from './meeting-support';

let lan: TestLan;
let browser: TestBrowser;
let app: DesktopApp;
let desk: Page;
let other: Browser | undefined;

beforeAll(async () => {
  lan = createLan();
  browser = await launchBrowser();
  app = await launchDesktopApp({ browser: browser.browser });
  desk = await app.mainPage();
});

afterAll(async () => {
  await other?.close().catch(() => undefined);
  // Stop hosting before the app goes: the SFU must not outlive the test.
  await desk
    ?.getByRole('button', { name: 'Stop hosting' })
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await app?.close().catch(() => undefined);
  await browser?.close();
  lan?.remove();
});

async function hostPort(): Promise<number> {
  // The app uses the port and the one after it (the SFU's signalling).
  for (;;) {
    const port = await freeTcpPort('127.0.0.1');
    if (port < 65000) return port;
  }
}

describe('Host on this computer, on the LAN', () => {
  it('is loopback only until the person lets the network in; then a browser on the other computer joins a meeting here', async () => {
    await desk.getByRole('heading', { name: 'Connect to your team' }).waitFor({ timeout: 30_000 });
    await desk.getByRole('button', { name: 'Host meetings on this computer' }).click();
    const host = desk.getByTestId('host-settings');
    expect(await host.getByTestId('host-lan').isChecked()).toBe(false);
    const port = await hostPort();
    await host.getByLabel('Port').fill(String(port));
    await host.getByLabel('Port').press('Tab');
    await host.getByTestId('host-lan').check();
    await host.getByRole('button', { name: 'Start hosting' }).click();
    await expect.poll(() => host.getByTestId('host-state').textContent(), { timeout: 60_000 }).toBe('Running');

    // Several networks here (the machine's own and the test LAN): the person picks the one to offer.
    const picker = host.getByLabel('Address teammates use');
    if (await picker.count()) {
      await picker.selectOption(lan.hostAddress);
      await expect.poll(() => host.getByTestId('host-state').textContent(), { timeout: 60_000 }).toBe('Running');
    }
    const lanUrl = `https://${lan.hostAddress}:${port}`;
    await expect.poll(() => host.getByTestId('host-browser-link').textContent(), { timeout: 30_000 }).toBe(lanUrl);
    const fingerprint = (await host.getByTestId('host-fingerprint').textContent()) ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const appLink = (await host.getByTestId('host-app-link').textContent()) ?? '';
    expect(appLink).toMatch(new RegExp(`^parley://join/${encodeURIComponent(lanUrl).replace(/[.%]/g, '\\$&')}\\?pin=`));
    const pin = decodeURIComponent(appLink.split('?pin=')[1] ?? '');
    const setupCode = (await host.getByTestId('host-setup-code').textContent()) ?? '';

    // The first account, a room open to guests, and a guest link: made through this computer's server.
    const local = anonymous({ url: `http://127.0.0.1:${port}` });
    const admin = await local.setup({ code: setupCode, username: 'host', password: PASSWORD, displayName: 'Host' });
    const api = anonymous({ url: `http://127.0.0.1:${port}` });
    api.setToken(admin.token);
    await api.createRoom({ name: 'lan', title: 'LAN meeting', options: { allowGuests: true, lobby: false } });
    const link = await api.createGuestLink('lan');
    expect(link.url.startsWith(`${lanUrl}/`)).toBe(true);

    // The other computer: Chromium inside the other namespace; it reaches this machine only over the LAN.
    other = await chromium.launch({
      executablePath: lan.chromiumInOther(inject('chromiumPath')),
      args: [...(chromiumArgs as string[]), `--ignore-certificate-errors-spki-list=${pin}`],
      headless: true,
    });
    const pages: Page[] = [];
    for (const name of ['Grace', 'Linus']) {
      const context = await other.newContext({ permissions: ['camera', 'microphone'] });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      await guestAsks(page, link.url, name);
      await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => isSecureContext)).toBe(true);
      pages.push(page);
    }
    for (const page of pages) {
      await expect.poll(() => decodingVideos(page, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    }
    // The host sees who is connected.
    await expect
      .poll(() => host.getByTestId('host-connected').textContent(), { timeout: 30_000 })
      .toMatch(/lan: (Grace \(guest\), Linus \(guest\)|Linus \(guest\), Grace \(guest\))/);
    await host.getByTestId('host-share').scrollIntoViewIfNeeded();
    await shoot(desk, 'host-on-lan.png');
  });
});
