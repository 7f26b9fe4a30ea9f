// Permission table: camera/microphone, display capture, notifications and fullscreen for the main
// app page, nothing for anyone else. Both the request and the check handler use the same answer.
import type { Session, WebContents } from 'electron';
import { APP_ORIGIN, type WindowRole } from '@contracts/desktop';
import { isAppUrl } from './app-url';
import type { Logger } from './log';

// Local Network Access (Chromium 142+, after the Chromium 140 in Electron 45): the app page talks to
// team servers on this computer and on the LAN, which Chromium counts as local-network requests from
// a non-local origin. The older name and the two newer, split names are all granted to the main page.
const LOCAL_NETWORK = ['local-network-access', 'local-network', 'loopback-network'];

const GRANTS: Record<WindowRole, ReadonlySet<string>> = {
  main: new Set(['media', 'display-capture', 'notifications', 'fullscreen', ...LOCAL_NETWORK]),
  picker: new Set(),
  'share-bar': new Set(),
};

export interface PermissionQuery {
  permission: string;
  role: WindowRole | null;
  requestingUrl: string | undefined;
  isMainFrame: boolean;
  mediaTypes?: readonly string[] | undefined;
}

export function isPermissionAllowed(query: PermissionQuery): boolean {
  if (!query.role || !query.isMainFrame || !isAppUrl(query.requestingUrl)) return false;
  if (!GRANTS[query.role].has(query.permission)) return false;
  if (query.permission === 'media' && query.mediaTypes) {
    return query.mediaTypes.every((type) => type === 'audio' || type === 'video');
  }
  return true;
}

export interface PermissionDeps {
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;
  roleOf(contents: WebContents | null): WindowRole | null;
  log: Logger;
}

export function installPermissionHandlers({ session, roleOf, log }: PermissionDeps): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const allowed = isPermissionAllowed({
      permission,
      role: roleOf(contents),
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes,
    });
    if (!allowed) log.warn('permission.request_denied', { permission, url: details.requestingUrl });
    callback(allowed);
  });
  session.setPermissionCheckHandler(
    (contents, permission, requestingOrigin, details) =>
      requestingOrigin === APP_ORIGIN &&
      isPermissionAllowed({
        permission,
        role: roleOf(contents),
        requestingUrl: details.requestingUrl ?? (contents ? contents.getURL() : undefined),
        isMainFrame: details.isMainFrame,
        mediaTypes: details.mediaType && details.mediaType !== 'unknown' ? [details.mediaType] : undefined,
      }),
  );
  // WebHID/USB/serial: Parley needs none of them.
  session.setDevicePermissionHandler(() => false);
}
