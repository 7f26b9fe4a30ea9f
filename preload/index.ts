// The sandboxed preload: exposes exactly one object, `window.parley`, to Parley's own pages.
import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopApi, type BridgeTransport } from './api';
import type { APP_ORIGIN as AppOrigin } from '@contracts/desktop';

// Literal copy of APP_ORIGIN: importing the contract's value would pull zod into this bundle.
const APP_ORIGIN: typeof AppOrigin = 'parley://app';

const transport: BridgeTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe: (channel, listener) => {
    // The IpcRendererEvent carries the sender and ports; the page only ever sees the payload.
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

// Windows only ever load the app origin, and main re-checks every sender; this is the last line:
// a page from anywhere else never gets the bridge.
if (`${window.location.protocol}//${window.location.host}` === APP_ORIGIN && window.top === window) {
  contextBridge.exposeInMainWorld('parley', createDesktopApi(transport));
}
