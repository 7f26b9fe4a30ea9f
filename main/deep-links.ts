// parley://join/<server>/<room>. <server> is a host[:port] (https is assumed) or a percent-encoded
// http(s) URL, e.g. parley://join/meet.example.com/standup or
// parley://join/http%3A%2F%2F192.168.1.20%3A7800/standup for a LAN host.
// A LAN host's link adds its certificate pin: parley://join/https%3A%2F%2F192.168.1.20%3A7800/standup?pin=<base64>.
// A link only opens the join screen; joining always needs a click in the app. A link to a server the
// app has not used (or with a pin it has not seen for that server) carries an offer instead: the app
// asks the person first, showing the origin, and nothing is saved or fetched until they agree.
import {
  APP_SCHEME,
  CertificatePinSchema,
  RoomRefSchema,
  ServerUrlSchema,
  type LinkOffer,
  type Navigation,
  type RoomRef,
} from '@contracts/desktop';
import type { Logger } from './log';

export function parseDeepLink(link: string): RoomRef | null {
  const parsed = parseJoinLink(link);
  return parsed && 'room' in parsed ? parsed.room : null;
}

/** A room on a server, or (with no room segment) just the server. */
export type JoinLink = { room: RoomRef; pin?: string } | { serverUrl: string; pin?: string };

export function parseJoinLink(link: string): JoinLink | null {
  if (link.length > 4096) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'join' || url.hash !== '' || url.username || url.password) return null;
  const params = [...url.searchParams.keys()];
  if (params.some((key) => key !== 'pin') || url.searchParams.getAll('pin').length > 1) return null;
  const rawPin = url.searchParams.get('pin');
  const pin = rawPin === null ? undefined : CertificatePinSchema.safeParse(rawPin.replace(/ /g, '+'));
  if (pin && !pin.success) return null;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 1 && segments.length !== 2) return null;
  const [serverSegment, roomSegment] = segments as [string, string | undefined];
  let server: string;
  let room: string | null;
  try {
    server = decodeURIComponent(serverSegment);
    room = roomSegment === undefined ? null : decodeURIComponent(roomSegment);
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
  // A pin only means something for TLS.
  if (pin && !origin.startsWith('https://')) return null;
  if (room === null) {
    const server = ServerUrlSchema.safeParse(origin);
    if (!server.success) return null;
    return pin ? { serverUrl: server.data, pin: pin.data } : { serverUrl: server.data };
  }
  const result = RoomRefSchema.safeParse({ serverUrl: origin, room });
  if (!result.success) return null;
  return pin ? { room: result.data, pin: pin.data } : { room: result.data };
}

export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${APP_SCHEME}://`)) ?? null;
}

export interface DeepLinkRouterDeps {
  navigate(navigation: Navigation): void;
  bringToFront(): void;
  /** Null when the server (with that pin) is trusted already; else the offer the person must accept. */
  offerLink(serverUrl: string, pin?: string): LinkOffer | null;
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
  // The offer is made when the link is delivered: trust is only known once settings are loaded.
  const navigationFor = (parsed: JoinLink): Navigation => {
    const serverUrl = 'room' in parsed ? parsed.room.serverUrl : parsed.serverUrl;
    const offer = deps.offerLink(serverUrl, parsed.pin);
    const extra = { ...(parsed.pin ? { pin: parsed.pin } : {}), ...(offer ? { confirm: offer } : {}) };
    deps.log.info('deep-link.delivered', {
      server: serverUrl,
      room: 'room' in parsed ? parsed.room.room : null,
      ask: offer?.reason ?? null,
    });
    return 'room' in parsed ? { view: 'join', room: parsed.room, source: 'deep-link', ...extra } : { view: 'connect', serverUrl, ...extra };
  };
  let queued: JoinLink | null = null;
  return {
    handle(link) {
      if (!link) return;
      const parsed = parseJoinLink(link);
      if (!parsed) {
        deps.log.warn('deep-link.rejected', { link: link.slice(0, 200) });
        return;
      }
      if (ready) {
        deps.bringToFront();
        deps.navigate(navigationFor(parsed));
      } else queued = parsed;
    },
    rendererReady() {
      ready = true;
      if (queued) {
        const parsed = queued;
        queued = null;
        deps.navigate(navigationFor(parsed));
      }
    },
    rendererGone() {
      ready = false;
    },
  };
}
