// Shared steps for the meeting end-to-end tests: drive the real UI (sign-in, home, pre-join,
// guest link) in Chromium with fake media, and read what the page actually decodes.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { readInboundStats, trackPeerConnections } from '../support/browser';

export const SCREENSHOTS = resolve('docs/screenshots');

interface Inbound {
  kind: string;
  framesDecoded: number;
  totalSamplesReceived: number;
  frameWidth: number;
}

/** Before any page script: record peer connections, enable the reconnect hook, watch for the banner. */
export async function prepare(page: Page): Promise<void> {
  // The theme follows the system; the pictures in docs/ show the dark one, as a dark system sees it.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.addInitScript(trackPeerConnections);
  await page.addInitScript(`(() => {
    window.__parleyTestHooks = true;
    window.__sawReconnecting = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="reconnecting"]')) window.__sawReconnecting = true;
    }).observe(document, { childList: true, subtree: true });
  })();`);
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await prepare(page);
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 15_000 });
}

/** From home: open the room's pre-join, wait for the camera preview, join. */
export async function joinFromHome(page: Page, roomTitle: string, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: `Join ${roomTitle}` }).click();
  await page.getByLabel('Your camera preview').waitFor({ timeout: 15_000 });
  if (screenshot) {
    await expect
      .poll(() => page.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuenow'), { timeout: 10_000 })
      .not.toBe('0');
    await shoot(page, screenshot);
  }
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
}

/** A guest from a guest link: a name, then either in, or waiting for a host. */
export async function guestAsks(page: Page, link: string, name: string): Promise<void> {
  await prepare(page);
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Ask to join' }).click();
}

export function tile(page: Page, name: string, kind: 'camera' | 'screen' = 'camera') {
  return page.locator(`[data-kind="${kind}"][data-identity]`).filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}`) }) });
}

async function inbound(page: Page): Promise<Inbound[]> {
  return (await page.evaluate(`(${readInboundStats})()`)) as Inbound[];
}

/** Number of inbound video streams that have decoded at least `minFrames` frames. */
export async function decodingVideos(page: Page, minFrames = 1): Promise<number> {
  return (await inbound(page)).filter((s) => s.kind === 'video' && s.framesDecoded >= minFrames).length;
}

export async function totalFramesDecoded(page: Page): Promise<number> {
  return (await inbound(page)).filter((s) => s.kind === 'video').reduce((n, s) => n + s.framesDecoded, 0);
}

export async function audioSamples(page: Page): Promise<number> {
  return (await inbound(page)).filter((s) => s.kind === 'audio').reduce((n, s) => n + s.totalSamplesReceived, 0);
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions settle so the picture is what a person sees, not a mid-animation frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: resolve(SCREENSHOTS, name) });
}
