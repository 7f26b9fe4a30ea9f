import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
// @ts-expect-error plain ESM script without types
import { chromiumArgs } from '@scripts/chromium.mjs';

export interface TestBrowser {
  browser: Browser;
  /** A fresh, isolated context (its own storage, camera and mic) and its page. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** The system Chromium with fake camera/mic/screen, as every e2e test and bench uses it. */
export async function launchBrowser(extraArgs: string[] = []): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: inject('chromiumPath'),
    args: [...(chromiumArgs as string[]), ...extraArgs],
    headless: true,
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage(options) {
      const context = await browser.newContext({
        viewport: options?.viewport ?? { width: 1280, height: 800 },
        permissions: ['camera', 'microphone'],
      });
      // A loaded 2-core machine can take tens of seconds for what takes one when idle: deadlines are
      // generous, and a passing step never waits for them.
      context.setDefaultTimeout(60_000);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      await browser.close();
    },
  };
}

/** Total frames decoded by the page's inbound video, read from getStats of every peer connection. */
export const readInboundStats = `async () => {
  const out = [];
  for (const pc of window.__parleyPeerConnections ?? []) {
    const stats = await pc.getStats();
    stats.forEach((s) => { if (s.type === 'inbound-rtp') out.push({ kind: s.kind, framesDecoded: s.framesDecoded ?? 0, bytesReceived: s.bytesReceived ?? 0, totalSamplesReceived: s.totalSamplesReceived ?? 0, frameWidth: s.frameWidth ?? 0 }); });
  }
  return out;
}`;

/** Installed before any page script: records every RTCPeerConnection so tests can read getStats. */
export const trackPeerConnections = `(() => {
  const Native = window.RTCPeerConnection;
  window.__parleyPeerConnections = [];
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    window.__parleyPeerConnections.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;
