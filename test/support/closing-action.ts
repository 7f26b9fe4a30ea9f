// An action that closes its own page (the picker's Share, Cancel and Escape, the share bar's Stop):
// the page may be gone before Playwright hears back from the click or key press. That is the
// action working, not failing: done when the page has closed; any error with the page still open
// is a real failure.
import type { Page } from 'playwright-core';

export async function actionThatClosesItsPage(page: Page, action: (page: Page) => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const closed = page.isClosed() ? Promise.resolve() : page.waitForEvent('close', { timeout: timeoutMs }).then(() => undefined);
  try {
    await action(page);
  } catch (error) {
    if (!page.isClosed()) throw error;
  }
  await closed;
}
