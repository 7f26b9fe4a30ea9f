#!/usr/bin/env node
// Bundles the team server for plain Node 20+ (the `parley-server` bin and `npm start`). npm
// packages stay external: native ones (libsql, argon2) must load from node_modules as installed.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entryPoints = ['server/index.ts', 'server/cli.ts'].filter((f) => existsSync(f));
await build({
  // The recorder runs as its own process, started from recorder.js beside index.js.
  entryPoints: [...entryPoints, { in: 'server/recording/recorder-main.ts', out: 'recorder' }],
  outdir: 'out/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
process.stdout.write(`built ${entryPoints.join(', ')} -> out/server\n`);
