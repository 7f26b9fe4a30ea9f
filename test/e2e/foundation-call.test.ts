import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, readInboundStats, trackPeerConnections, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';

interface Inbound {
  kind: string;
  framesDecoded: number;
  bytesReceived: number;
  totalSamplesReceived: number;
}

async function joinAs(page: Page, url: string, name: string): Promise<void> {
  await page.addInitScript(trackPeerConnections);
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Room').fill('e2e-room');
  await page.getByRole('button', { name: 'Join' }).click();
}

async function decodesRemoteMedia(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const stats = (await page.evaluate(`(${readInboundStats})()`)) as Inbound[];
      const video = stats.filter((s) => s.kind === 'video').reduce((n, s) => n + s.framesDecoded, 0);
      const audio = stats.filter((s) => s.kind === 'audio').reduce((n, s) => n + s.totalSamplesReceived, 0);
      return video > 0 && audio > 0;
    }, { timeout: 30_000, interval: 250 })
    .toBe(true);
}

describe('two browsers in one room through the real SFU', () => {
  let stack: TestStack;
  let browser: TestBrowser;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('each decodes the other’s video and audio', async () => {
    const ada = await browser.newPage();
    const grace = await browser.newPage();
    await joinAs(ada, stack.url, 'Ada');
    await joinAs(grace, stack.url, 'Grace');
    await Promise.all([decodesRemoteMedia(ada), decodesRemoteMedia(grace)]);
  });
});
