// The system Chromium, driven by playwright-core, with the flags that work on these machines. (The
// test harness's launcher reads its path from vitest's inject(), which benches cannot use.)
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error plain ESM script without types
import { chromiumArgs, findChromium } from '@scripts/chromium.mjs';
import { versionOf } from './machine';

export interface BenchBrowser {
  browser: Browser;
  version: string;
  /** A fresh context (own storage, camera and mic) and its page. */
  newPage(opts?: { viewport?: { width: number; height: number }; initScript?: string }): Promise<Page>;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  const path = findChromium() as string | null;
  if (!path) throw new Error('Chromium not found (install the chromium package or set CHROMIUM_PATH)');
  return path;
}

/** `executablePath`: e.g. a wrapper that runs Chromium in another network namespace (test/support/lan.ts). */
export async function launchBenchBrowser(extraArgs: string[] = [], executablePath = chromiumPath()): Promise<BenchBrowser> {
  const browser = await chromium.launch({ executablePath, args: [...(chromiumArgs as string[]), ...extraArgs], headless: true });
  return {
    browser,
    version: browser.version() ? `Chromium ${browser.version()}` : versionOf(chromiumPath()),
    async newPage(opts) {
      const context = await browser.newContext({
        viewport: opts?.viewport ?? { width: 1280, height: 720 },
        permissions: ['camera', 'microphone'],
      });
      if (opts?.initScript) await context.addInitScript({ content: opts.initScript });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      return page;
    },
    close: () => browser.close(),
  };
}

/** Pages of the bench harness expose window.bench; wait until it is there. */
export async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench ready', undefined, { timeout: 30_000 });
}
