// axe-core on the desktop app's own screens (connect, the share picker, the sharing bar), in both
// themes. Zero serious or critical findings is the bar. One Chromium; each screen is checked in light
// and dark by switching the system theme under it. The web client's screens are not in this check
// yet (docs/testing.md, "Accessibility checks").
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { actionThatClosesItsPage } from '../support/closing-action';
import { launchDesktopApp, type DesktopApp } from '../support/desktop-app/launch';
import { axeFindings, type Finding, type Theme } from './accessibility-support';

/** Locales every screen is checked in (`?lang=<code>` forces one); a new one is one more entry. */
const LOCALES = ['en'];
const THEMES: readonly Theme[] = ['light', 'dark'];

let browser: TestBrowser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Checks the page as it is in each theme; the page's own theme must follow, or the check would be of one theme twice. */
async function inEachTheme(page: Page, screen: string, setTheme: (theme: Theme) => Promise<void>): Promise<void> {
  for (const theme of THEMES) {
    await setTheme(theme);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    const findings: Finding[] = await axeFindings(page);
    expect.soft(findings, `${screen} (${theme})`).toEqual([]);
  }
}

for (const locale of LOCALES) {
  describe(`accessibility checks (${locale})`, () => {
    it('the desktop app: connect, the share picker and the sharing bar', { timeout: 180_000 }, async () => {
      let app: DesktopApp | undefined;
      try {
        app = await launchDesktopApp({ browser: browser.browser });
        const desktop = app;
        const osTheme = (theme: Theme): Promise<void> => {
          desktop.fake.nativeTheme.setOsDark(theme === 'dark');
          return Promise.resolve();
        };
        const main = await app.mainPage();
        // The window loads its page by itself; reloading with the locale before that would race it.
        await main.getByRole('heading', { name: 'Connect to your team' }).waitFor();
        await main.goto(`${main.url().split(/[?#]/)[0]}?lang=${locale}`);
        await main.getByRole('heading', { name: 'Connect to your team' }).waitFor();
        await inEachTheme(main, 'connect', osTheme);

        const granted = app.fake.session.requestDisplayMedia(app.mainWindow().webContents.mainFrame, { video: true, audio: false });
        const picker = await app.waitForWindow('picker.html');
        await picker.page.locator('[data-source-id="window:202:0"] img.thumb').waitFor();
        await picker.page.locator('[data-source-id="window:202:0"]').click();
        await inEachTheme(picker.page, 'picker', osTheme);
        await actionThatClosesItsPage(picker.page, (p) => p.getByTestId('share').click());
        await granted;

        const bar = await app.waitForWindow('share-bar.html');
        await expect.poll(() => bar.page.getByTestId('share-bar-text').textContent()).toBe('Sharing Terminal');
        await inEachTheme(bar.page, 'sharing bar', osTheme);
      } finally {
        await app?.close();
      }
    });
  });
}
