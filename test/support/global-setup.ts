import type { TestProject } from 'vitest/node';
import { LIVEKIT_VERSION, obtainLivekitServer } from '@scripts/obtain-livekit-server';

declare module 'vitest' {
  export interface ProvidedContext {
    livekitBinary: string;
    chromiumPath: string;
  }
}

// Integration and e2e tiers run against the real SFU: obtain it once per run, before any test,
// saying which binary it is (the obtain script prints one line per place it looked).
export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  process.stderr.write(`[setup ${project.name}] livekit-server: looking for v${LIVEKIT_VERSION}\n`);
  const binary = await obtainLivekitServer();
  process.stderr.write(`[setup ${project.name}] livekit-server ready in ${Date.now() - started} ms: ${binary}\n`);
  project.provide('livekitBinary', binary);
}
