// The surface the media harness page exposes as `window.parleyMedia`, shared by the page and the
// tests (types only). Everything goes through renderer/src/lib/media, as the meeting UI does.
import type { BackgroundEffect } from '@renderer/lib/media/background-effect';
import type { EffectResult } from '@renderer/lib/media/background-processor';
import type { DecryptionProblem } from '@renderer/lib/media/decryption-problems';
import type { SubscribedLayer } from '@renderer/lib/media/received-layer';

export interface JoinInput {
  url: string;
  token: string;
  camera: boolean;
  microphone?: boolean;
  e2ee?: { mode: 'room-key' | 'passphrase'; secret: string };
}

export interface RemoteVideoReading {
  identity: string;
  frameWidth: number;
  frameHeight: number;
  framesDecoded: number;
  bytesReceived: number;
  layer: SubscribedLayer;
}

export interface OutboundVideoReading {
  framesEncoded: number;
  bytesSent: number;
  /** Widths of the simulcast layers being sent right now. */
  activeWidths: number[];
}

/** EffectResult without `cause` (not serialisable), kept a union so `ok` still narrows. */
export type EffectOutcome = (EffectResult extends infer R ? (R extends unknown ? Omit<R, 'cause'> : never) : never) & {
  framesProcessed: number;
};

export interface MediaHarness {
  /** Pre-join: opens the camera as a preview track (published as is on join). */
  preview(): Promise<void>;
  /** Frames the preview element has shown (keeps growing while the camera, processed or not, runs). */
  previewFrames(): number;
  /** The local camera publication's sid: unchanged means no republish, no rejoin. */
  publicationSid(): string;
  join(input: JoinInput): Promise<{ identity: string }>;
  /** Shows the first remote camera in a tile of this CSS size; `hidden` detaches it entirely from view. */
  showRemote(size: { width: number; height: number } | 'hidden'): Promise<void>;
  remoteVideo(): Promise<RemoteVideoReading[]>;
  /** RGB of the shown remote tile's current frame at a point given as fractions of its size. */
  remotePixel(fx: number, fy: number): [number, number, number] | null;
  localVideo(): Promise<OutboundVideoReading>;
  setEffect(effect: BackgroundEffect): Promise<EffectOutcome>;
  effectFrames(): number;
  effectsAvailable(): { ok: boolean; code?: string; message?: string };
  simulateSubscriberBandwidth(bps: number): Promise<void>;
  encrypted(): boolean;
  decryptionProblems(): DecryptionProblem[];
  leave(): Promise<void>;
}

declare global {
  interface Window {
    parleyMedia: MediaHarness;
  }
}
