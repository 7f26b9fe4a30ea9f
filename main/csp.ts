// The Content-Security-Policy of every app page (sent as a header by the protocol handler).
// Scripts only from the app bundle; network only to https/wss and to the http team servers the
// user configured (LAN hosts without TLS), so an injected script has nowhere to send data.
export interface CspInputs {
  /** Team server URLs from settings (and the local host); http ones are allowed individually. */
  serverUrls: readonly string[];
}

function insecureSources(url: string): string[] {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:') return [];
    // The SFU of a LAN server listens on another port of the same host.
    return [`http://${parsed.host}`, `ws://${parsed.hostname}:*`];
  } catch {
    return [];
  }
}

export function buildContentSecurityPolicy({ serverUrls }: CspInputs): string {
  const connect = new Set(["'self'", 'https:', 'wss:']);
  for (const url of serverUrls) for (const source of insecureSources(url)) connect.add(source);
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    // wasm-unsafe-eval: background blur (MediaPipe) runs WebAssembly; no JS eval is allowed.
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    // Svelte transitions add <style> elements at runtime.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', 'https:']],
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
