// The small "Sharing <name> — Stop" bar: always on top, never focused, and excluded from capture
// so it does not show up in the very share it controls.
import type { BrowserWindow, Screen } from 'electron';
import type { ShareBarState } from '@contracts/desktop';
import { appPageUrl } from './app-url';
import type { EventSender } from './ipc';
import type { Logger } from './log';
import type { CreateWindow } from './windows';

export const SHARE_BAR_SIZE = { width: 380, height: 48 } as const;

export interface ShareBarDeps {
  createWindow: CreateWindow;
  screen: Pick<Screen, 'getPrimaryDisplay'>;
  send: EventSender;
  log: Logger;
}

export interface ShareBar {
  show(sourceName: string): void;
  hide(): void;
  state(): ShareBarState | null;
}

export function createShareBar({ createWindow, screen, send, log }: ShareBarDeps): ShareBar {
  let window: BrowserWindow | null = null;
  let current: ShareBarState | null = null;

  function hide(): void {
    current = null;
    const closing = window;
    window = null;
    if (closing && !closing.isDestroyed()) closing.close();
  }

  return {
    show(sourceName) {
      current = { sourceName };
      if (window && !window.isDestroyed()) {
        send(window.webContents, 'share-bar:state', current);
        window.showInactive();
        return;
      }
      const { workArea } = screen.getPrimaryDisplay();
      const bar = createWindow('share-bar', {
        width: SHARE_BAR_SIZE.width,
        height: SHARE_BAR_SIZE.height,
        x: Math.round(workArea.x + (workArea.width - SHARE_BAR_SIZE.width) / 2),
        y: workArea.y + 12,
        show: false,
        frame: false,
        resizable: false,
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        skipTaskbar: true,
        alwaysOnTop: true,
        focusable: false,
        // macOS: the Stop button works on the first click although the bar never becomes key.
        acceptFirstMouse: true,
        hasShadow: true,
        title: 'Parley sharing controls',
      });
      window = bar;
      bar.setContentProtection(true);
      bar.setAlwaysOnTop(true, 'screen-saver');
      bar.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      bar.once('ready-to-show', () => {
        if (!bar.isDestroyed()) bar.showInactive();
      });
      bar.on('closed', () => {
        if (window === bar) window = null;
      });
      bar.loadURL(appPageUrl('share-bar.html')).catch((error: unknown) => log.error('share-bar.load_failed', { error }));
    },
    hide,
    state: () => current,
  };
}
