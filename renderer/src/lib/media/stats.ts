// Reads what a subscriber actually receives, for the stats panel. The naming of layers is the pure
// `subscribedLayer` in settings.ts; this file only gathers the numbers from WebRTC.
import { Track, type RemoteTrackPublication, type RemoteVideoTrack } from 'livekit-client';
import { subscribedLayer, type InboundVideoSample, type SubscribedLayer } from './settings';

/**
 * Samples one remote video track. Keep the returned `sample` and pass it back as `previous` on the
 * next call (every 1-2 s) to get fps, kbit/s and the 'paused' state.
 */
export async function sampleSubscribedLayer(
  publication: RemoteTrackPublication,
  previous?: InboundVideoSample,
): Promise<{ sample: InboundVideoSample; layer: SubscribedLayer } | undefined> {
  const track = publication.track;
  if (!track || track.kind !== Track.Kind.Video) return undefined;
  const stats = await (track as RemoteVideoTrack).getReceiverStats();
  if (!stats) return undefined;
  const sample: InboundVideoSample = {
    frameWidth: stats.frameWidth ?? 0,
    frameHeight: stats.frameHeight ?? 0,
    framesDecoded: stats.framesDecoded ?? 0,
    bytesReceived: stats.bytesReceived ?? 0,
    timestamp: stats.timestamp,
  };
  // publication.dimensions is the publisher's top layer (what it captures), the reference for names.
  return { sample, layer: subscribedLayer(sample, publication.dimensions?.width, previous) };
}
