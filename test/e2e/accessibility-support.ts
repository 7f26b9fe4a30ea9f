// Shared steps for the accessibility end-to-end tests: axe-core run inside the page.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export type Theme = 'light' | 'dark';

export interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical findings on the page as it is now. The source is evaluated
 * through the DevTools protocol, which the app's CSP does not govern (an inline <script> it would
 * block), and nothing is fetched from outside.
 */
export async function axeFindings(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axe.source);
  // Let transitions (theme, panels sliding in) settle: contrast is judged on the final colours.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))).then(() => undefined));
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
