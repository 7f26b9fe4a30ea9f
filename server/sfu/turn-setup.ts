// Decides the embedded SFU's TURN from the team server's settings: on by default whenever the SFU
// serves a network (on loopback nobody is behind a firewall), LiveKit's built-in TURN over UDP and
// TLS, or the operator's TURN (coturn) when TURN_SERVERS is given.
import type { Logger } from 'pino';
import { freeTcpPort, freeUdpPort, portFree } from '../lib/free-port';
import { isLoopback } from './livekit-config';
import { turnCertificate } from './turn-certificate';
import { parseTurnUrl, type SfuTurn } from './turn-config';

export interface TurnOptions {
  /** false turns TURN off (default on). */
  enabled?: boolean;
  /** Name or IP clients reach TURN/TLS at; defaults to PUBLIC_URL's host, else the SFU's node IP. */
  domain?: string;
  /** Default 3478; 0 turns TURN over UDP off. */
  udpPort?: number;
  /** Default 443 (5349 when this process may not bind 443); 0 turns TURN/TLS off. */
  tlsPort?: number;
  certFile?: string;
  keyFile?: string;
  /** An external TURN's URLs (turn:/turns:); with them LiveKit's built-in TURN stays off. */
  servers?: string[];
  /** The external TURN's shared secret (coturn static-auth-secret). */
  secret?: string;
  /** Lifetime of the credentials signed with `secret` (default 4 hours). */
  ttlSeconds?: number;
}

export const TURN_DEFAULTS = { udpPort: 3478, tlsPort: 443, fallbackTlsPort: 5349, ttlSeconds: 4 * 3600 } as const;

const wildcard = (h: string) => h === '0.0.0.0' || h === '::';

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || isLoopback(host) ? undefined : host;
  } catch {
    return undefined;
  }
}

export async function resolveTurn(
  opts: TurnOptions | undefined,
  where: { sfuHost: string; nodeIp?: string; publicUrl?: string; dataDir: string },
  log: Logger,
): Promise<SfuTurn | undefined> {
  if (opts?.enabled === false) return undefined;
  if (opts?.servers?.length) {
    return {
      kind: 'external',
      servers: opts.servers.map(parseTurnUrl),
      secret: opts.secret ?? '',
      ttlSeconds: opts.ttlSeconds ?? TURN_DEFAULTS.ttlSeconds,
    };
  }
  if (isLoopback(where.sfuHost)) return undefined;
  const probe = wildcard(where.sfuHost) ? '0.0.0.0' : where.sfuHost;
  const domain = opts?.domain ?? hostOf(where.publicUrl) ?? where.nodeIp ?? (wildcard(where.sfuHost) ? undefined : where.sfuHost);

  let udpPort = opts?.udpPort ?? TURN_DEFAULTS.udpPort;
  if (opts?.udpPort === undefined && !(await portFree(udpPort, probe, 'udp'))) {
    udpPort = await freeUdpPort(probe);
    log.warn(
      { turnUdpPort: udpPort },
      `TURN over UDP: port ${TURN_DEFAULTS.udpPort} is taken, using ${udpPort} (set TURN_UDP_PORT to choose)`,
    );
  }
  let tlsPort = domain ? (opts?.tlsPort ?? TURN_DEFAULTS.tlsPort) : 0;
  if (!domain) log.warn('TURN/TLS is off: set TURN_DOMAIN (or PUBLIC_URL, or SFU_NODE_IP) to the name clients reach this server at');
  if (domain && opts?.tlsPort === undefined && !(await portFree(tlsPort, probe, 'tcp'))) {
    tlsPort = (await portFree(TURN_DEFAULTS.fallbackTlsPort, probe, 'tcp')) ? TURN_DEFAULTS.fallbackTlsPort : await freeTcpPort(probe);
    // LiveKit advertises turns:<domain>:443 whatever it listens on.
    log.warn(
      { turnTlsPort: tlsPort },
      `TURN/TLS listens on ${tlsPort}: this process may not bind 443 (or it is taken). Forward TCP 443 to ${tlsPort}, or give the server CAP_NET_BIND_SERVICE`,
    );
  }
  let certFile = opts?.certFile;
  let keyFile = opts?.keyFile;
  if (tlsPort && domain && (!certFile || !keyFile)) {
    const made = await turnCertificate(where.dataDir, domain);
    ({ certFile, keyFile } = made);
    if (made.created)
      log.warn(
        { turnCertFile: certFile },
        `TURN/TLS uses a certificate made for ${domain}; browsers trust it only once you give a real one (TURN_CERT_FILE, TURN_KEY_FILE)`,
      );
  }
  if (!udpPort && !tlsPort) return undefined;
  return { kind: 'embedded', domain: domain ?? '', udpPort, tlsPort, certFile: certFile ?? '', keyFile: keyFile ?? '' };
}
