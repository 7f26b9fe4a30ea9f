import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without types
import { obtainLivekitServer } from '@scripts/obtain-livekit-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    livekitBinary: string;
    chromiumPath: string;
  }
}

// Integration and e2e tiers run against the real SFU: obtain it once per run, before any test.
export default async function setup(project: TestProject): Promise<void> {
  const binary = (await obtainLivekitServer({ quiet: true })) as string;
  project.provide('livekitBinary', binary);
}
