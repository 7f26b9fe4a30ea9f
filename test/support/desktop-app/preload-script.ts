// Runs the real built preload (out/preload/index.cjs) in each page before any page script, as
// Electron does, with `require('electron')` answered by a contextBridge and an ipcRenderer that
// reach main through the harness. The preload's own origin check sees parley://app exactly when the
// page is at the stand-in origin.
import { APP_STAND_IN_ORIGIN } from './origins';

export function preloadInitScript(preloadSource: string): string {
  return `(() => {
  // Electron runs preloads in the main frame only (nodeIntegrationInSubFrames is off).
  if (window.top !== window) return;
  const invoke = window.__parleyIpcInvoke;
  const displayMedia = window.__parleyDisplayMedia;
  // Page scripts have no ipcRenderer in Electron; take the harness's doors out of their reach.
  delete window.__parleyIpcInvoke;
  delete window.__parleyDisplayMedia;
  const listeners = new Map();
  Object.defineProperty(window, '__parleyIpcDeliver', {
    value: (channel, payload) => { for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: null }, payload); },
  });
  const ipcRenderer = {
    invoke: (channel, payload) => invoke(channel, payload),
    on(channel, listener) { const set = listeners.get(channel) ?? new Set(); set.add(listener); listeners.set(channel, set); return ipcRenderer; },
    removeListener(channel, listener) { listeners.get(channel)?.delete(listener); return ipcRenderer; },
  };
  const contextBridge = {
    exposeInMainWorld(name, api) { Object.defineProperty(window, name, { value: api, enumerable: true }); },
  };
  const atApp = location.origin === ${JSON.stringify(APP_STAND_IN_ORIGIN)};
  const place = atApp ? { protocol: 'parley:', host: 'app', origin: 'parley://app' } : location;
  const preloadWindow = new Proxy(window, {
    get(target, key) {
      if (key === 'location') return place;
      if (key === 'top') return target.top === target ? preloadWindow : target.top;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('a sandboxed preload cannot require ' + name);
  };
  (function (require, module, exports, window) {
${preloadSource}
  })(require, module, module.exports, preloadWindow);

  // Electron routes getDisplayMedia to main's setDisplayMediaRequestHandler; so does this. A grant
  // then streams Chromium's fake capture, a denial is the NotAllowedError Electron gives.
  const media = navigator.mediaDevices;
  if (media?.getDisplayMedia) {
    const capture = media.getDisplayMedia.bind(media);
    media.getDisplayMedia = async (constraints = {}) => {
      const granted = await displayMedia({
        video: constraints.video !== false,
        audio: Boolean(constraints.audio),
        userGesture: navigator.userActivation ? navigator.userActivation.isActive : true,
      });
      if (!granted) throw new DOMException('Permission denied', 'NotAllowedError');
      return capture({ video: true, audio: false });
    };
  }
})();`;
}
