// TURN for the embedded SFU: what livekit-server's `turn` and `rtc.turn_servers` blocks hold. Pure
// functions, so every choice (which ports, which peers a relay may reach) is checked by unit tests.
import { isIP } from 'node:net';

/** LiveKit's built-in TURN: UDP and TLS listeners beside the SFU, credentials handed out by LiveKit itself. */
export interface EmbeddedTurn {
  kind: 'embedded';
  /** The name (or IP) clients reach the TLS listener at; the certificate must name it. */
  domain: string;
  /** 0 turns TURN over UDP off. */
  udpPort: number;
  /** 0 turns TURN/TLS off. LiveKit always advertises turns:<domain>:443, so anything else needs 443 forwarded to it. */
  tlsPort: number;
  certFile: string;
  keyFile: string;
}

export interface TurnServerAddress {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'tls';
}

/** An operator's TURN (coturn with use-auth-secret): LiveKit signs time-limited credentials with the shared secret. */
export interface ExternalTurn {
  kind: 'external';
  servers: TurnServerAddress[];
  secret: string;
  ttlSeconds: number;
}

export type SfuTurn = EmbeddedTurn | ExternalTurn;

export class TurnUrlError extends Error {
  readonly code = 'TURN_URL_INVALID';
}

/**
 * `turn:host:3478?transport=udp`, `turn:host:3478?transport=tcp`, `turns:host:5349` (TLS). The
 * transport defaults as RFC 7065 says: UDP for turn:, TCP (under TLS) for turns:.
 */
export function parseTurnUrl(url: string): TurnServerAddress {
  const m = /^(turns?):(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) throw new TurnUrlError(`not a TURN URL (turn:host:port?transport=udp|tcp or turns:host:port): ${url}`);
  const [, scheme, rawHost, rawPort, transport] = m;
  const tls = scheme!.toLowerCase() === 'turns';
  if (tls && transport?.toLowerCase() === 'udp') throw new TurnUrlError(`turns: runs over TCP, not UDP: ${url}`);
  const port = rawPort ? Number(rawPort) : tls ? 5349 : 3478;
  if (port < 1 || port > 65535) throw new TurnUrlError(`port out of range: ${url}`);
  const host = rawHost!.replace(/^\[|\]$/g, '');
  return { host, port, protocol: tls ? 'tls' : ((transport?.toLowerCase() as 'udp' | 'tcp' | undefined) ?? 'udp') };
}

const PRIVATE_V4 = [
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^127\./,
  /^169\.254\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/** Addresses LiveKit's TURN refuses to relay to unless allowed (it guards against relaying into private networks). */
export function isRestrictedAddress(ip: string): boolean {
  if (isIP(ip) === 4) return PRIVATE_V4.some((r) => r.test(ip));
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/**
 * livekit-server's `turn` block, or `rtc.turn_servers` for an external TURN. A relay reaches one
 * peer only: the SFU itself at its node IP. When that IP is private (a LAN or test network) it is
 * allowed explicitly, as a /32 or /128, so the relay still refuses every other private address.
 */
export function turnConfigBlocks(turn: SfuTurn, bindAddress: string, nodeIp: string): Record<string, unknown> {
  if (turn.kind === 'external') {
    return {
      rtc: {
        turn_servers: turn.servers.map((s) => ({
          host: s.host,
          port: s.port,
          protocol: s.protocol,
          secret: turn.secret,
          ttl: turn.ttlSeconds,
        })),
      },
    };
  }
  const wildcard = bindAddress === '0.0.0.0' || bindAddress === '::';
  return {
    turn: {
      enabled: true,
      domain: turn.domain,
      ...(turn.udpPort ? { udp_port: turn.udpPort } : {}),
      ...(turn.tlsPort ? { tls_port: turn.tlsPort, cert_file: turn.certFile, key_file: turn.keyFile } : {}),
      bind_addresses: [wildcard ? '0.0.0.0' : bindAddress],
      ...(isRestrictedAddress(nodeIp) ? { allow_restricted_peer_cidrs: [`${nodeIp}/${isIP(nodeIp) === 6 ? 128 : 32}`] } : {}),
    },
  };
}
