// Shared plumbing for the media e2e files: tokens straight from the SFU keys (the team server's
// sign-in is not what these tests are about), pages that load the harness and record every request.
import type { Page } from 'playwright-core';
import { AccessToken } from 'livekit-server-sdk';
import type { TestBrowser } from '../../support/browser';
import type { TestStack } from '../../support/stack';
import type { JoinInput, MediaHarness } from './api';

export async function mintToken(stack: TestStack, room: string, identity: string): Promise<string> {
  const at = new AccessToken(stack.livekit.apiKey, stack.livekit.apiSecret, { identity, name: identity, ttl: '10m' });
  at.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
  return at.toJwt();
}

export interface HarnessPage {
  page: Page;
  /** Every URL the page (and its workers) requested, in order. */
  requests: string[];
  /** Runs a harness method in the page. */
  call<K extends keyof MediaHarness>(method: K, ...args: Parameters<MediaHarness[K]>): Promise<Awaited<ReturnType<MediaHarness[K]>>>;
  join(input: Omit<JoinInput, 'url' | 'token'>, room: string, identity: string): Promise<void>;
}

export async function openHarness(
  browser: TestBrowser,
  stack: TestStack,
  pageUrl: string,
  opts: { initScript?: string; viewport?: { width: number; height: number } } = {},
): Promise<HarnessPage> {
  const page = await browser.newPage(opts.viewport ? { viewport: opts.viewport } : {});
  const requests: string[] = [];
  page.context().on('request', (r) => requests.push(r.url()));
  // Uncaught page errors only: console errors are expected here (decryption failures, GL notes).
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const call: HarnessPage['call'] = (method, ...args) =>
    page.evaluate(([m, a]) => (window.parleyMedia[m as keyof MediaHarness] as (...x: unknown[]) => unknown)(...(a as unknown[])), [
      method,
      args,
    ] as const) as never;
  return {
    page,
    requests,
    call,
    async join(input, room, identity) {
      const token = await mintToken(stack, room, identity);
      await call('join', { ...input, url: stack.livekitUrl, token });
    },
  };
}

/** Loopback or a local scheme: what "no request left this machine" means. */
export function isLocalUrl(url: string): boolean {
  if (/^(data|blob|about|chrome|chrome-extension|devtools):/.test(url)) return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
