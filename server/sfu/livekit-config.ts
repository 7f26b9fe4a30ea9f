import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { turnConfigBlocks, type SfuTurn } from './turn-config';

export interface SfuKeys {
  apiKey: string;
  apiSecret: string;
}

export interface SfuConfigInput {
  keys: SfuKeys;
  /** Address the SFU binds (HTTP, RTC TCP, UDP mux). Loopback unless the team server is told otherwise. */
  bindAddress: string;
  httpPort: number;
  rtcTcpPort: number;
  udpMuxPort: number;
  /** Where the SFU posts its webhooks (the team server's /livekit/webhook), if anywhere. */
  webhookUrl?: string;
  /** IP the SFU advertises in ICE candidates; defaults to the bind address when that is a concrete IP. */
  nodeIp?: string;
  /** TURN for clients whose network blocks UDP or hides them behind a strict NAT (see turn-config.ts). */
  turn?: SfuTurn;
}

/** A key and secret strong enough for HS256 (LiveKit wants >= 32 chars); never the well-known devkey/secret. */
export function generateSfuKeys(): SfuKeys {
  return { apiKey: `API${randomBytes(9).toString('base64url')}`, apiSecret: randomBytes(32).toString('base64url') };
}

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function concreteIp(address: string): boolean {
  return isIP(address) !== 0 && address !== '0.0.0.0' && address !== '::';
}

/**
 * The config livekit-server reads. YAML is a superset of JSON, so the launcher writes the object as
 * JSON to a 0600 file it removes once the SFU has started (see livekit-launcher.ts).
 */
export function buildSfuConfig(input: SfuConfigInput): Record<string, unknown> {
  const loopback = isLoopback(input.bindAddress);
  const wildcard = input.bindAddress === '0.0.0.0' || input.bindAddress === '::';
  const nodeIp = input.nodeIp ?? (wildcard ? undefined : loopback ? '127.0.0.1' : input.bindAddress);
  const turn = input.turn ? turnConfigBlocks(input.turn, input.bindAddress, nodeIp ?? '') : {};
  const turnRtc = (turn.rtc as Record<string, unknown> | undefined) ?? {};
  return {
    port: input.httpPort,
    bind_addresses: [input.bindAddress],
    keys: { [input.keys.apiKey]: input.keys.apiSecret },
    rtc: {
      tcp_port: input.rtcTcpPort,
      // A single port (not a range) turns on the UDP mux: one port to open in a firewall.
      udp_port: input.udpMuxPort,
      use_external_ip: false,
      ...(nodeIp ? { node_ip: nodeIp } : {}),
      // On a loopback-only machine ICE finds no candidate pair without this.
      enable_loopback_candidate: loopback,
      // bind_addresses covers HTTP and ICE-TCP only: the UDP mux opens one socket per interface
      // address, and with the same port on several of them it can answer a client's check from
      // another interface's address, which that client cannot reach (a server bound to one LAN's
      // address on a machine with other networks). Bound to one address, ICE uses only that one.
      ...(concreteIp(input.bindAddress) && !loopback
        ? { ips: { includes: [`${input.bindAddress}/${isIP(input.bindAddress) === 6 ? 128 : 32}`] } }
        : {}),
      // ICE-TCP (tcp_port) and TURN/TLS when UDP fails: LiveKit tells the client to retry over them.
      allow_tcp_fallback: true,
      ...turnRtc,
    },
    ...(turn.turn ? { turn: turn.turn } : {}),
    room: { auto_create: true, empty_timeout: 300, departure_timeout: 20 },
    ...(input.webhookUrl ? { webhook: { api_key: input.keys.apiKey, urls: [input.webhookUrl] } } : {}),
    logging: { level: 'info', json: true },
  };
}
