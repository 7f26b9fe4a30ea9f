// Runs inside a real Chromium page in the desktop e2e test: installs `window.parley` built by the
// real preload code (preload/api.ts) over a transport whose invokes reach the real main-process
// handlers in the test process (page.exposeFunction) and whose events main sends into the page.
import { createDesktopApi } from '@preload/api';

type Listener = (payload: unknown) => void;

interface BridgeWindow {
  __parleyInvoke(channel: string, payload: unknown): Promise<unknown>;
  __parleyEmit?: (channel: string, payload: unknown) => void;
  parley?: unknown;
}

const target = window as unknown as BridgeWindow;
const listeners = new Map<string, Set<Listener>>();

target.__parleyEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

target.parley = createDesktopApi({
  invoke: (channel, payload) => target.__parleyInvoke(channel, payload),
  subscribe: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
    return () => {
      set.delete(listener);
    };
  },
});
