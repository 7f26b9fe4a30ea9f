// Parley's own picker: a small sandboxed window on parley://app/picker.html, with the same
// preload as every page. It only ever sees plain data (names and data-URL images).
import type { BrowserWindow } from 'electron';
import type { PickerState } from '@contracts/desktop';
import { appPageUrl } from '../app-url';
import type { EventSender } from '../ipc';
import type { Logger } from '../log';
import type { CreateWindow } from '../windows';
import type { PickerWindowHandle } from './controller';

export interface PickerWindowDeps {
  createWindow: CreateWindow;
  parent(): BrowserWindow | null;
  send: EventSender;
  log: Logger;
}

export function createPickerWindowOpener({ createWindow, parent, send, log }: PickerWindowDeps): (requestId: string) => PickerWindowHandle {
  return (requestId) => {
    const owner = parent();
    const window = createWindow('picker', {
      width: 760,
      height: 580,
      minWidth: 520,
      minHeight: 420,
      show: false,
      title: 'Share your screen',
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      autoHideMenuBar: true,
      ...(owner && !owner.isDestroyed() ? { parent: owner } : {}),
    });
    window.once('ready-to-show', () => {
      if (!window.isDestroyed()) window.show();
    });
    window.loadURL(appPageUrl('picker.html')).catch((error: unknown) => log.error('picker.load_failed', { requestId, error }));
    return {
      sendState: (state: PickerState) => {
        if (!window.isDestroyed()) send(window.webContents, 'picker:state', state);
      },
      focus: () => {
        if (!window.isDestroyed()) window.focus();
      },
      // The picker's own Share/Cancel/Escape end the request: close after that call has been
      // answered, so the page never loses its window in the middle of handling its own click.
      close: () => {
        setImmediate(() => {
          if (!window.isDestroyed()) window.close();
        });
      },
      onClosed: (listener) => {
        window.once('closed', listener);
      },
    };
  };
}
