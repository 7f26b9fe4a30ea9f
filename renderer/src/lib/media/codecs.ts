// What this browser can encode/decode, and what the others in the room said they decode: the input
// to screenSharePublishOptions(). Each client advertises its decoders in a participant attribute.
import type { Room, VideoCodec } from 'livekit-client';
import { CODEC_SUPPORT_ATTRIBUTE, codecsFromMimeTypes, encodeCodecSupport, parseCodecSupport, type CodecSupport } from './settings';

function mimeTypes(kind: 'sender' | 'receiver'): string[] {
  const api = kind === 'sender' ? globalThis.RTCRtpSender : globalThis.RTCRtpReceiver;
  return api?.getCapabilities?.('video')?.codecs.map((c) => c.mimeType) ?? [];
}

/** Codecs this browser can encode (for the `local` side of the screen-share choice). */
export function localEncodeSupport(): Set<VideoCodec> {
  return codecsFromMimeTypes(mimeTypes('sender'));
}

/** Codecs this browser can decode (what it advertises to the others). */
export function localDecodeSupport(): Set<VideoCodec> {
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
