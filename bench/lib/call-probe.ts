// The call probe's init script (call-probe-page.ts, bundled for the page), installed into the web
// client before any of its scripts.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './cli';

let bundled: Promise<string> | undefined;

/**
 * The init script for one page: `stamp` makes its camera the stamped clock. It also sets the web
 * client's test flag, so the page exposes its direct-call route (renderer/src/lib/livekit/test-hooks.ts).
 */
export async function callProbeScript(opts: { stamp: boolean }): Promise<string> {
  bundled ??= build({
    entryPoints: [resolve(repoRoot, 'bench/lib/call-probe-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  const config = `window.__parleyTestHooks = true; window.__callProbeConfig = ${JSON.stringify(opts)};\n`;
  return config + (await bundled);
}
