import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { viteAliases } from './scripts/aliases';

// Three tiers, one runner. Integration and e2e start real processes (livekit-server, Chromium),
// so they run one file at a time on these 2-core machines; unit tests run freely.
export default defineConfig({
  resolve: { alias: viteAliases() },
  test: {
    projects: [
      {
        extends: true,
        plugins: [svelte({ configFile: resolve('svelte.config.js') }), svelteTesting()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/unit-setup.ts'],
          environment: 'node',
          // Deadlines for a loaded machine; a passing test still ends as soon as it is done.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // The desktop-app harness loads the built main process through Node's own loader.
          server: { deps: { external: [/test\/support\/desktop-app\/native-import\.mjs/] } },
          globalSetup: ['test/support/global-setup.ts', 'test/support/global-setup-browser.ts'],
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
