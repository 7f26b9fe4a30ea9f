// Entry point of the Electron main process: the one module that imports Electron's runtime.
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  net,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  protocol,
  screen,
  session,
  shell,
  systemPreferences,
  Tray,
  webContents,
} from 'electron';
import { startParley } from './app';
import { createUiohookKeyHook, type KeyHook, type UiohookModule } from './key-hook';
import type { TeamServerModule } from './local-host';
import { createLogger, defaultSink, teeSink } from './log';
import { fileLogSink } from './log-file';
import { verifiesUpdatePublisher, type LoadedUpdater, type UpdaterLike } from './updater';

const log = createLogger({ process: 'main' }, teeSink(defaultSink, fileLogSink(join(app.getPath('logs'), 'main.log'))));
const here = dirname(fileURLToPath(import.meta.url)); // out/main

async function loadUpdater(): Promise<LoadedUpdater> {
  if (!app.isPackaged) return { unavailable: 'unpackaged' };
  // On Windows electron-updater checks an update's signature only against the publisher named in
  // app-update.yml; without one it would install any update a feed serves.
  if (process.platform === 'win32') {
    const config = await readFile(join(process.resourcesPath, 'app-update.yml'), 'utf8').catch(() => '');
    if (!verifiesUpdatePublisher(config)) return { unavailable: 'unsigned-build' };
  }
  // electron-updater is CommonJS; its named export lives on the default export under ESM.
  const { default: updaterModule } = await import('electron-updater');
  return { updater: updaterModule.autoUpdater as unknown as UpdaterLike };
}

// Everything before startParley's first await must stay synchronous: schemes are registered and
// the single-instance lock taken before Electron's ready event.

// The team server is built separately (scripts/build-server.mjs) into out/server and shipped in
// app.asar, next to the node_modules its npm imports resolve from; the SFU binary cannot run from
// an asar, so it is an extra resource (resources/livekit/), which the server module finds itself
// (server/sfu/livekit-binary.ts; from a checkout, LIVEKIT_SERVER_BIN or .tools/bin).
function serverEntry(): string {
  return join(app.getAppPath(), 'out', 'server', 'index.js');
}

// Wayland gives no global key hook; elsewhere uiohook-napi (prebuilt N-API) reports key releases.
async function loadKeyHook(): Promise<KeyHook | null> {
  if (process.platform === 'linux' && (process.env.WAYLAND_DISPLAY || process.env.XDG_SESSION_TYPE === 'wayland')) return null;
  const module = (await import('uiohook-napi')) as unknown as UiohookModule;
  return createUiohookKeyHook(module);
}

async function main(): Promise<void> {
  const runtime = await startParley(
    {
      app,
      BrowserWindow,
      ipcMain,
      session,
      protocol,
      desktopCapturer,
      screen,
      systemPreferences,
      shell,
      dialog,
      Notification,
      Tray,
      Menu,
      nativeImage,
      nativeTheme,
      globalShortcut,
      powerMonitor,
      powerSaveBlocker,
      net,
      webContents,
    },
    {
      rendererDir: join(here, '..', 'renderer'),
      preloadPath: join(here, '..', 'preload', 'index.cjs'),
      trayIconDir: app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'tray'),
      platform: {
        platform: process.platform,
        systemVersion: process.getSystemVersion(),
        env: { XDG_SESSION_TYPE: process.env.XDG_SESSION_TYPE, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY },
        ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'),
      },
      argv: process.argv,
      log,
      loadUpdater,
      loadKeyHook,
      loadServer: async () => (await import(pathToFileURL(serverEntry()).href)) as TeamServerModule,
      networkInterfaces,
      ...(process.env.PARLEY_SERVER_URL ? { initialServerUrl: process.env.PARLEY_SERVER_URL } : {}),
    },
  );
  if (!runtime) return;
}

main().catch((error: unknown) => {
  log.error('app.start_failed', { error });
  app.exit(1);
});
