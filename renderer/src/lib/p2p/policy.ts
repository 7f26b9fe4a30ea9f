// The pure decisions behind direct calls, apart from any Room or RTCPeerConnection so they are
// unit-tested as tables: when a call should go direct, and per medium which path it is received on.

export interface DirectCallInput {
  connected: boolean;
  /** The room option as this client received it on joining. */
  allowedHere: boolean;
  /** Everyone else in the room (hidden participants are not listed by LiveKit). */
  remotes: ReadonlyArray<{ identity: string; standard: boolean }>;
  /** Who said hello as a Parley client that can go direct, and whether their room allows it. */
  hellos: ReadonlyMap<string, { allow: boolean }>;
  /** Peers a direct connection already failed with during this call. */
  failed: ReadonlySet<string>;
  /** Encrypted rooms need the SDP key derived before going direct; false while it is missing. */
  authReady: boolean;
}

export type DirectCallDecision =
  | { direct: true; peer: string }
  | {
      direct: false;
      why: 'not-connected' | 'option-off' | 'not-two' | 'not-parley' | 'peer-option-off' | 'failed-before' | 'auth-not-ready';
    };

/**
 * Direct exactly while the room is two Parley clients that both allow it. A third person, an agent,
 * recorder or any LiveKit client that never said hello keeps (or sends) everyone on the SFU.
 */
export function decideDirectCall(i: DirectCallInput): DirectCallDecision {
  if (!i.connected) return { direct: false, why: 'not-connected' };
  if (!i.allowedHere) return { direct: false, why: 'option-off' };
  if (i.remotes.length !== 1) return { direct: false, why: 'not-two' };
  const peer = i.remotes[0]!;
  const hello = i.hellos.get(peer.identity);
  if (!peer.standard || !hello) return { direct: false, why: 'not-parley' };
  if (!hello.allow) return { direct: false, why: 'peer-option-off' };
  if (i.failed.has(peer.identity)) return { direct: false, why: 'failed-before' };
  if (!i.authReady) return { direct: false, why: 'auth-not-ready' };
  return { direct: true, peer: peer.identity };
}

/** The side with the smaller identity offers, so two clients never offer at once. */
export function isOfferer(localIdentity: string, remoteIdentity: string): boolean {
  return localIdentity < remoteIdentity;
}

/** A medium's direct path counts as stalled when no packet arrived for this long. */
export const STALL_MS = 1500;

export interface SourceInput {
  now: number;
  /** The direct connection is up and the call is not switching back to the SFU. */
  directUp: boolean;
  /** What we receive this medium on now. */
  using: 'direct' | 'sfu';
  /** The SFU says the other person publishes it, unmuted. */
  live: boolean;
  /** When it last became live (published or unmuted), ms. */
  liveSince: number;
  /** When the direct connection came up, ms. */
  connectedAt: number;
  /** When a direct packet last arrived for it, ms (0: never). */
  lastDirectPacketAt: number;
}

/**
 * Which path to receive one medium on. Moving to direct needs packets actually arriving there (or a
 * medium that went live after the connection was up, which starts direct); staying direct allows a
 * grace of STALL_MS after it went live or last delivered; anything else is the SFU.
 */
export function chooseSourcePath(s: SourceInput): 'direct' | 'sfu' {
  if (!s.directUp) return 'sfu';
  if (!s.live) return s.using;
  const arrived = s.lastDirectPacketAt > s.connectedAt;
  if (s.using === 'sfu' && !arrived && s.liveSince <= s.connectedAt) return 'sfu';
  const lastSign = Math.max(s.lastDirectPacketAt, s.liveSince, s.connectedAt);
  return s.now - lastSign > STALL_MS ? 'sfu' : 'direct';
}
