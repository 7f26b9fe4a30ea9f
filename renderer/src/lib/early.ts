// Starts GET /api/v1/server the moment the first script runs, so the round trip overlaps with
// mounting the app instead of following it. The CSP forbids inline scripts, so this is the first
// module main.ts imports; AppState.connect() takes the answer if it asked for the same server.
import type { ServerInfo } from '@contracts/api';
import { apiClient } from './api/client';
import { loadCall } from './call-chunk';
import { parseHash } from './state/screens';
import { sessions } from './storage';

/**
 * The web client is served by the team server itself; the desktop app's pages (parley://app) are
 * not, and it is the bridge that says so, not the scheme of the page's own address.
 */
export function servedByTeamServer(): boolean {
  if (typeof location === 'undefined' || (globalThis as { parley?: unknown }).parley) return false;
  return location.protocol === 'http:' || location.protocol === 'https:';
}

/** The server the app will talk to first: this origin in a browser, the remembered one on desktop. */
export function initialServerUrl(): string | null {
  if (servedByTeamServer()) return location.origin;
  return sessions.lastServer();
}

let early: { url: string; info: Promise<ServerInfo> } | null = null;

function startEarlyServerInfo(): void {
  const url = initialServerUrl()?.replace(/\/+$/, '');
  if (!url) return;
  const info = apiClient(url, null).server();
  // Nobody may take it (another server chosen): an unhandled rejection would be noise.
  info.catch(() => undefined);
  early = { url, info };
}

/** The in-flight answer for `url`, once; later calls (reconnects) fetch afresh. */
export function takeEarlyServerInfo(url: string): Promise<ServerInfo> | null {
  if (!early || early.url !== url) return null;
  const { info } = early;
  early = null;
  return info;
}

startEarlyServerInfo();
// A guest link goes straight to pre-join, which needs the meeting chunk: fetch it now, beside the
// server info and while the app starts, not after them (on a slow link that wait was serial).
const route = servedByTeamServer() ? parseHash(location.hash) : null;
if (route && 'guestCode' in route) void loadCall().catch(() => undefined);
