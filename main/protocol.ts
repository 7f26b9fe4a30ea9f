// Serves the app's pages from parley://app/ instead of file://, so they get a real origin, a CSP
// header, and no access to the rest of the disk.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, isAbsolute, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME } from '@contracts/desktop';
import type { Logger } from './log';

/** Registered before `ready`: standard + secure gives the scheme an origin, fetch and secure-context APIs. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

export interface AppProtocolDeps {
  /** The built renderer (out/renderer). */
  rootDir: string;
  csp: () => string;
  /** Told which policy each page (an .html file) was served with: it holds until that page loads again. */
  onPageServed?(page: string, csp: string): void;
  log: Logger;
}

function respond(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** Resolves a request path inside rootDir, or null when it would escape it. */
export function resolveAppPath(rootDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = normalize(join(rootDir, decoded === '/' || decoded === '' ? 'index.html' : decoded));
  const rel = relative(rootDir, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return target;
}

export function createAppProtocolHandler(deps: AppProtocolDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    let file = resolveAppPath(deps.rootDir, url.pathname);
    if (!file) return respond(404, 'Not found');
    // Client-side routes (no extension) get the app shell.
    if (extname(file) === '') file = join(deps.rootDir, 'index.html');
    try {
      const info = await stat(file);
      if (!info.isFile()) return respond(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(file);
      const headers: Record<string, string> = {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      };
      // Rebuilt per response: connect-src follows the team servers in settings.
      const csp = deps.csp();
      headers['Content-Security-Policy'] = csp;
      if (extname(file) === '.html') deps.onPageServed?.(relative(deps.rootDir, file), csp);
      return new Response(body, { status: 200, headers });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return respond(404, 'Not found');
      deps.log.error('protocol.read_failed', { path: url.pathname, error });
      return respond(500, 'Internal error');
    }
  };
}
