// The Content-Security-Policy of every app page (sent as a header by the protocol handler).
// Scripts only from the app bundle; network only to the team servers the person saved and the SFUs
// those servers hand out (main/server-facts.ts), so an injected script has nowhere else to send
// data. A policy cannot be widened on a loaded page: a new server takes effect when the page loads
// again (main/team-servers.ts says when).
export interface CspInputs {
  /** Team server origins: the saved ones and this computer's own. */
  serverOrigins: readonly string[];
  /** SFU URLs those servers gave (ws, wss, http or https). */
  sfuUrls: readonly string[];
}

const TWIN: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'ws:', 'https:': 'wss:' };

/** `scheme://host[:port]` of a URL, or null when it is not one of the four schemes. */
function sourceOf(url: string, protocol?: string): string | null {
  try {
    const parsed = new URL(url);
    const scheme = protocol ?? parsed.protocol;
    if (!(parsed.protocol in TWIN) || parsed.hostname === '') return null;
    return `${scheme}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * An SFU is reached over its WebSocket and over HTTP on the same host and port (livekit-client
 * checks a failed connection with a GET to /rtc/validate), so both schemes are allowed.
 */
function sfuSources(url: string): string[] {
  try {
    const protocol = new URL(url).protocol;
    const twin = TWIN[protocol];
    return [sourceOf(url), twin ? sourceOf(url, twin) : null].filter((source): source is string => source !== null);
  } catch {
    return [];
  }
}

export function buildContentSecurityPolicy({ serverOrigins, sfuUrls }: CspInputs): string {
  const connect = new Set(["'self'"]);
  for (const origin of serverOrigins) {
    const source = sourceOf(origin);
    if (source && (source.startsWith('https:') || source.startsWith('http:'))) connect.add(source);
  }
  for (const url of sfuUrls) for (const source of sfuSources(url)) connect.add(source);
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    // wasm-unsafe-eval: background blur (MediaPipe) runs WebAssembly; no JS eval is allowed.
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    // Svelte transitions add <style> elements at runtime.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    // Picker thumbnails and icons are data: URLs; nothing is loaded from the network.
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'blob:', 'mediastream:']],
    ['font-src', ["'self'"]],
    ['connect-src', [...connect]],
    ['worker-src', ["'self'", 'blob:']],
    ['frame-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
