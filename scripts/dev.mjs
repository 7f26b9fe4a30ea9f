#!/usr/bin/env node
// `npm run dev`: a hot-reloading loop against a team server that is already running
// (PARLEY_SERVER_URL, default http://127.0.0.1:8080; `npm start` or `npm run server` runs one).
// - The web client: Vite's dev server for renderer/ (hot module reload), passing /api through to the
//   team server, so the page talks to its own origin exactly as when the team server serves it.
// - The desktop app, when an Electron binary is installed and --web is not given: electron-vite dev,
//   which rebuilds main and preload on change and restarts or reloads the app.
import { installedElectron } from './electron-binary.mjs';

const web = process.argv.includes('--web');
const teamServer = (process.env.PARLEY_SERVER_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const line = (s) => process.stdout.write(`${s}\n`);
const fail = (s) => {
  process.stderr.write(`parley dev: ${s}\n`);
  process.exit(1);
};

try {
  const res = await fetch(`${teamServer}/api/v1/server`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /api/v1/server answered ${res.status}`);
  await res.json();
} catch (err) {
  fail(
    `no team server answers at ${teamServer} (${err instanceof Error ? err.message : String(err)}). ` +
      'Start one with `npm start` or `npm run build && npm run server`, or set PARLEY_SERVER_URL.',
  );
}
// electron.vite.config.ts reads it for the /api proxy; the desktop app for its first server.
process.env.PARLEY_SERVER_URL = teamServer;

const electron = web ? null : installedElectron();
if (electron) {
  const { createServer } = await import('electron-vite');
  await createServer({ build: { watch: {} } }, { rendererOnly: false });
} else {
  if (!web) line('No Electron binary is installed here, so only the web client runs.');
  const { resolveConfig } = await import('electron-vite');
  const { createServer } = await import('vite');
  const resolved = await resolveConfig({}, 'serve', 'development');
  const renderer = resolved.config?.renderer;
  if (!renderer) fail('electron.vite.config.ts has no renderer section.');
  const server = await createServer({ ...renderer, configFile: false });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.server.port}/`;
  line(`Parley web client with hot reload: ${url}  (API from the team server at ${teamServer})`);
  line('Press Ctrl+C to stop.');
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
