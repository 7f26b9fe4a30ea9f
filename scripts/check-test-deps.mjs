#!/usr/bin/env node
// Runs before `npm test`: every system dependency the tiers need is present, or one line says what
// to install. Nothing is skipped silently.
import { CHROMIUM_INSTALL_HINT, findChromium } from './chromium.mjs';
import { obtainLivekitServer } from './obtain-livekit-server.mjs';

if (!findChromium()) {
  process.stderr.write(`${CHROMIUM_INSTALL_HINT}\n`);
  process.exit(1);
}
try {
  await obtainLivekitServer();
} catch (err) {
  process.stderr.write(`[livekit-server] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
