import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without types
import { CHROMIUM_INSTALL_HINT, findChromium } from '@scripts/chromium.mjs';

// The e2e tier drives the system Chromium against the built web client; fail with one clear line
// when either is missing rather than skipping.
export default function setup(project: TestProject): void {
  const chromium = findChromium() as string | null;
  if (!chromium) throw new Error(CHROMIUM_INSTALL_HINT);
  const webClient = resolve('out/renderer/index.html');
  if (!existsSync(webClient)) {
    throw new Error('The web client is not built: run `npm run build` first (npm test does it for you).');
  }
  const builtMinutesAgo = Math.round((Date.now() - statSync(webClient).mtimeMs) / 60_000);
  process.stderr.write(`[setup ${project.name}] chromium: ${chromium}; web client: ${webClient} (built ${builtMinutesAgo} min ago)\n`);
  project.provide('chromiumPath', chromium);
}
