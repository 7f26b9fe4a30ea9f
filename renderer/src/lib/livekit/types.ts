// Plain data the state and components work with. Tracks appear only as opaque handles to attach
// to <video>/<audio>, so state can be tested without a Room.

/**
 * What a tile or an audio element needs from a track. A LiveKit track is one; so is a track that
 * arrives over a direct (peer-to-peer) connection (lib/p2p/direct-track.ts).
 */
export interface TrackHandle {
  readonly sid?: string | undefined;
  attach(element: HTMLMediaElement): HTMLMediaElement;
  detach(element: HTMLMediaElement): HTMLMediaElement;
}

export type Role = 'host' | 'member' | 'guest';

export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface ParticipantSnapshot {
  identity: string;
  name: string;
  role: Role;
  isLocal: boolean;
  /** ms since epoch; orders the grid so tiles do not reshuffle when others come and go. */
  joinedAt: number;
  micEnabled: boolean;
  cameraEnabled: boolean;
  speaking: boolean;
  /** ms since epoch when the hand went up (the raiser's clock), null when down. See hands.ts. */
  handRaisedAt: number | null;
  cameraTrack: TrackHandle | null;
  micTrack: TrackHandle | null;
  /** Present while this participant shares a screen. */
  screenTrack: TrackHandle | null;
  screenAudioTrack: TrackHandle | null;
  /** The SFU lets them share a screen (guests only when the room allows it). */
  canShareScreen: boolean;
}

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export type EndReason = 'left' | 'removed' | 'ended' | 'duplicate' | 'server-shutdown' | 'connection-lost';

export interface ConnectionStatus {
  phase: ConnectionPhase;
  /** Why the call ended, once phase is 'disconnected'. */
  endReason: EndReason | null;
}

export interface ChatMessage {
  id: string;
  fromIdentity: string;
  fromName: string;
  text: string;
  at: number;
  local: boolean;
}

export interface Reaction {
  id: string;
  fromIdentity: string;
  fromName: string;
  emoji: string;
  at: number;
}

export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;
export type ReactionEmoji = (typeof REACTIONS)[number];

export function parseRole(value: string | undefined): Role {
  return value === 'host' || value === 'guest' ? value : 'member';
}
