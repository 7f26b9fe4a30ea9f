// Applied to every webContents Electron creates: no navigation away from the app, no new windows,
// no <webview>; http(s) links open in the default browser, everything else is dropped.
import type { Event, WebContents } from 'electron';
import { isAppUrl, isHttpUrl } from './app-url';
import type { Logger } from './log';

export interface NavigationGuardDeps {
  openExternal(url: string): Promise<void>;
  log: Logger;
}

export function hardenWebContents(contents: WebContents, { openExternal, log }: NavigationGuardDeps): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpUrl(url)) {
      openExternal(url).catch((error: unknown) => log.warn('navigation.open_external_failed', { error }));
    } else {
      log.warn('navigation.window_open_denied', { url: url.slice(0, 200) });
    }
    return { action: 'deny' };
  });
  const guard = (event: Event, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log.warn('navigation.denied', { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('navigation.webview_denied');
  });
}
