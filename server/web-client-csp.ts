/**
 * The web client's Content-Security-Policy: only our own origin for code, plus the SFU for
 * connections (signalling over ws(s), and the http(s) validate call livekit-client makes after a
 * failed connect). No inline scripts, no eval (WebAssembly compilation only, for media processors).
 */
export function webClientCsp(livekitPublicUrls: string | readonly string[]): Record<string, string[]> {
  const connect = ["'self'"];
  // A cluster's listed nodes: each one a client may be handed.
  for (const url of typeof livekitPublicUrls === 'string' ? [livekitPublicUrls] : livekitPublicUrls) {
    try {
      const u = new URL(url);
      const secure = u.protocol === 'wss:' || u.protocol === 'https:';
      connect.push(`${secure ? 'wss' : 'ws'}://${u.host}`, `${secure ? 'https' : 'http'}://${u.host}`);
      // LiveKit Cloud hands out regional hosts under the project's domain.
      if (u.hostname.endsWith('.livekit.cloud')) connect.push('wss://*.livekit.cloud', 'https://*.livekit.cloud');
    } catch {
      // no SFU URL yet: same-origin only
    }
  }
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
    styleSrc: ["'self'"],
    // Svelte sets style attributes (style:prop directives); attributes cannot run code.
    styleSrcAttr: ["'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    mediaSrc: ["'self'", 'blob:'],
    fontSrc: ["'self'", 'data:'],
    workerSrc: ["'self'", 'blob:'],
    connectSrc: connect,
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}
