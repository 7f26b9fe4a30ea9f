// The main window: restored where it was, hidden to the tray (not closed) while a call runs, and
// telling the deep-link router when its page goes away.
import type { BrowserWindow, Rectangle } from 'electron';
import { appPageUrl } from './app-url';
import type { Logger } from './log';
import type { CreateWindow } from './windows';
import { restoreWindowState, trackWindowState } from './window-state';

export interface MainWindowDeps {
  createWindow: CreateWindow;
  stateFile: string;
  workAreas(): Rectangle[];
  /** True when closing should hide the window instead (a call runs and the tray can bring it back). */
  hideOnClose(): boolean;
  isQuitting(): boolean;
  /** The page reloaded, navigated or crashed: deep links wait for it to listen again. */
  pageGone(crashed: boolean): void;
  log: Logger;
}

export function openMainWindow(deps: MainWindowDeps): BrowserWindow {
  const { log } = deps;
  const restored = restoreWindowState(deps.stateFile, deps.workAreas(), { width: 1200, height: 800 }, log);
  const window = deps.createWindow('main', {
    ...(restored.x !== undefined && restored.y !== undefined ? { x: restored.x, y: restored.y } : {}),
    width: restored.width,
    height: restored.height,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Parley',
    autoHideMenuBar: true,
    spellcheck: true,
    // A call keeps its media and timers running while the window is hidden to the tray.
    backgroundThrottling: false,
  });
  trackWindowState(window, deps.stateFile, log);
  window.once('ready-to-show', () => {
    if (restored.maximized) window.maximize();
    if (restored.fullScreen) window.setFullScreen(true);
    window.show();
  });
  window.on('close', (event) => {
    if (deps.isQuitting() || !deps.hideOnClose()) return;
    event.preventDefault();
    window.hide();
    log.info('window.hidden_to_tray');
  });
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) deps.pageGone(false);
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer.gone', { reason: details.reason });
    deps.pageGone(true);
  });
  window.loadURL(appPageUrl('index.html')).catch((error: unknown) => log.error('window.load_failed', { error }));
  return window;
}
