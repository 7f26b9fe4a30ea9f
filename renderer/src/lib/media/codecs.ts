// Which video codecs each participant can use: what this browser encodes and decodes, and the
// participant attribute that tells the others what we decode. The input to the screen-share codec
// choice (screen-share.ts).
import type { Room, VideoCodec } from 'livekit-client';

/** Codecs one participant's browser can decode, e.g. from `localDecodeSupport()`. */
export type CodecSupport = ReadonlySet<VideoCodec> | readonly VideoCodec[];

/** The participant attribute each client sets to advertise what it decodes (comma-separated). */
export const CODEC_SUPPORT_ATTRIBUTE = 'parley.codecs';

export function encodeCodecSupport(codecs: CodecSupport): string {
  return [...codecs].sort().join(',');
}

const KNOWN_CODECS: readonly VideoCodec[] = ['vp8', 'h264', 'vp9', 'av1', 'h265'];

export function parseCodecSupport(attr: string | undefined): Set<VideoCodec> | undefined {
  if (!attr) return undefined;
  const out = new Set<VideoCodec>();
  for (const part of attr.split(',')) {
    const c = part.trim().toLowerCase();
    const known = KNOWN_CODECS.find((k) => k === c);
    if (known) out.add(known);
  }
  return out;
}

/** Maps RTCRtpCodec mime types (`video/VP9`) to livekit-client codec names. */
export function codecsFromMimeTypes(mimeTypes: readonly string[]): Set<VideoCodec> {
  const out = new Set<VideoCodec>();
  for (const mime of mimeTypes) {
    const name = mime.toLowerCase().replace(/^video\//, '');
    const known = KNOWN_CODECS.find((k) => k === name);
    if (known) out.add(known);
  }
  return out;
}

function mimeTypes(kind: 'sender' | 'receiver'): string[] {
  const api = kind === 'sender' ? globalThis.RTCRtpSender : globalThis.RTCRtpReceiver;
  return api?.getCapabilities?.('video')?.codecs.map((c) => c.mimeType) ?? [];
}

/** Codecs this browser can encode (for the `local` side of the screen-share choice). */
function localEncodeSupport(): Set<VideoCodec> {
  return codecsFromMimeTypes(mimeTypes('sender'));
}

/** Codecs this browser can decode (what it advertises to the others). */
function localDecodeSupport(): Set<VideoCodec> {
  return codecsFromMimeTypes(mimeTypes('receiver'));
}

/**
 * Publishes our decoders as a participant attribute, once after connect. Needs the token grant
 * `canUpdateOwnMetadata`; without it the others treat us as "did not say", and screen shares keep
 * a VP8 backup for us: slower to pick the best codec, never broken.
 */
export async function advertiseCodecSupport(room: Room): Promise<boolean> {
  try {
    await room.localParticipant.setAttributes({ [CODEC_SUPPORT_ATTRIBUTE]: encodeCodecSupport(localDecodeSupport()) });
    return true;
  } catch {
    return false;
  }
}

/** The second argument of screenSharePublishOptions() for this room, now. */
export function screenShareCodecInput(room: Room): { local: CodecSupport; remotes: Array<CodecSupport | undefined> } {
  return {
    local: localEncodeSupport(),
    remotes: [...room.remoteParticipants.values()].map((p) => parseCodecSupport(p.attributes[CODEC_SUPPORT_ATTRIBUTE])),
  };
}
