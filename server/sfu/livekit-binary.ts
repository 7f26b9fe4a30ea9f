// Where the livekit-server binary lives. The one place that knows its file name and the places to
// look, for the team server, the desktop app (which loads the server module) and the script that
// obtains it (scripts/obtain-livekit-server.ts).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { packageRoot } from '../config';

export function livekitExecutableName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'livekit-server.exe' : 'livekit-server';
}

/** Where `npm run livekit` puts the binary in a checkout: <repo>/.tools/bin. */
export function toolsBinary(root: string): string {
  return join(root, '.tools', 'bin', livekitExecutableName());
}

export interface LivekitCandidate {
  /** Where it was looked for, in words for a log line. */
  where: 'app resources' | '$LIVEKIT_SERVER_BIN' | 'PATH' | '.tools/bin';
  path: string;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** The checkout or installed package (holding package.json "parley"); found from this module by default. */
  root?: string | undefined;
  /** The packaged desktop app's resources folder (Electron's process.resourcesPath), which ships it in livekit/. */
  resourcesPath?: string | undefined;
}

/** The places a livekit-server may be, in the order they are tried; only those that exist. */
export function livekitCandidates(opts: LocateOptions = {}): LivekitCandidate[] {
  const exe = livekitExecutableName();
  const env = opts.env ?? process.env;
  const found: LivekitCandidate[] = [];
  // The packaged app's own binary first: it is the version the app was built and tested with.
  const resources = 'resourcesPath' in opts ? opts.resourcesPath : (process as { resourcesPath?: string }).resourcesPath;
  if (resources) found.push({ where: 'app resources', path: join(resources, 'livekit', exe) });
  if (env.LIVEKIT_SERVER_BIN) found.push({ where: '$LIVEKIT_SERVER_BIN', path: env.LIVEKIT_SERVER_BIN });
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir) found.push({ where: 'PATH', path: join(dir, exe) });
  }
  const root = 'root' in opts ? opts.root : packageRoot();
  if (root) found.push({ where: '.tools/bin', path: toolsBinary(root) });
  return found.filter((c) => existsSync(c.path));
}

/**
 * The embedded SFU binary: the packaged app's own, else $LIVEKIT_SERVER_BIN, else `livekit-server`
 * on PATH, else the repo's .tools/bin.
 */
export function findLivekitBinary(opts: LocateOptions = {}): string | undefined {
  return livekitCandidates(opts)[0]?.path;
}
