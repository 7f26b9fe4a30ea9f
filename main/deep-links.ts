// parley://join/<server>/<room>. <server> is a host[:port] (https is assumed) or a percent-encoded
// http(s) URL, e.g. parley://join/meet.example.com/standup or
// parley://join/http%3A%2F%2F192.168.1.20%3A7800/standup for a LAN host.
// A link only opens the join screen; joining always needs a click in the app.
import { APP_SCHEME, RoomRefSchema, type Navigation, type RoomRef } from '@contracts/desktop';
import type { Logger } from './log';

export function parseDeepLink(link: string): RoomRef | null {
  if (link.length > 4096) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'join' || url.search !== '' || url.username || url.password) return null;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 2) return null;
  const [serverSegment, roomSegment] = segments as [string, string];
  let server: string;
  let room: string;
  try {
    server = decodeURIComponent(serverSegment);
    room = decodeURIComponent(roomSegment);
  } catch {
    return null;
  }
  const serverUrl = /^https?:\/\//i.test(server) ? server : `https://${server}`;
  let origin: string;
  try {
    const parsed = new URL(serverUrl);
    if (parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username || parsed.password) return null;
    origin = parsed.origin;
  } catch {
    return null;
  }
  const result = RoomRefSchema.safeParse({ serverUrl: origin, room });
  return result.success ? result.data : null;
}

export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${APP_SCHEME}://`)) ?? null;
}

export interface DeepLinkRouterDeps {
  navigate(navigation: Navigation): void;
  bringToFront(): void;
  log: Logger;
}

export interface DeepLinkRouter {
  handle(link: string | null): void;
  /** The renderer subscribed; deliver what arrived before it could listen. */
  rendererReady(): void;
  rendererGone(): void;
}

export function createDeepLinkRouter(deps: DeepLinkRouterDeps): DeepLinkRouter {
  let ready = false;
  let queued: Navigation | null = null;
  return {
    handle(link) {
      if (!link) return;
      const room = parseDeepLink(link);
      if (!room) {
        deps.log.warn('deep-link.rejected', { link: link.slice(0, 200) });
        return;
      }
      const navigation: Navigation = { view: 'join', room, source: 'deep-link' };
      deps.log.info('deep-link.received', { server: room.serverUrl, room: room.room });
      if (ready) {
        deps.bringToFront();
        deps.navigate(navigation);
      } else queued = navigation;
    },
    rendererReady() {
      ready = true;
      if (queued) {
        const navigation = queued;
        queued = null;
        deps.navigate(navigation);
      }
    },
    rendererGone() {
      ready = false;
    },
  };
}
