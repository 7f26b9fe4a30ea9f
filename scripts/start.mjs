#!/usr/bin/env node
// `npm start` (node --import tsx, for the TypeScript obtain script): the team server with its embedded SFU on this machine, then the desktop app pointed
// at it. Without an Electron binary the web client keeps being served and its URL is printed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { obtainElectron } from './electron-binary.mjs';
import { obtainLivekitServer } from './obtain-livekit-server.ts';

const { startTeamServer } = await import(resolve('out/server/index.js'));

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.DATA_DIR ?? '.data/server');

const livekitBinary = await obtainLivekitServer();
let server;
try {
  server = await startTeamServer({ dataDir, host, port, livekitBinary, logLevel: process.env.LOG_LEVEL ?? 'info' });
} catch (err) {
  process.stderr.write(`parley: the team server did not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

const line = (s) => process.stdout.write(`${s}\n`);
line('');
line(`Parley team server: ${server.url}  (SFU ${server.livekitUrl}, data in ${dataDir})`);
if (server.setupCode) line(`First run: finish setup in the app with the one-time setup code ${server.setupCode}`);

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  await server.close().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const electron = obtainElectron();
if (!electron) {
  line(`No Electron binary is installed here, so the desktop app cannot open; hold a call in a browser at ${server.url}`);
  line('Press Ctrl+C to stop.');
} else {
  line('Opening the desktop app…');
  const app = spawn(electron, ['.'], {
    stdio: 'inherit',
    env: { ...process.env, PARLEY_SERVER_URL: server.url },
  });
  app.on('exit', (code) => void shutdown(code ?? 0));
}
