// Which simulcast/SVC layer a subscriber receives (low/medium/high/paused), named from the decoded
// frame size: for the stats panel. subscribedLayer() is pure; sampleSubscribedLayer() reads one
// track's receiver stats.
import { Track, type RemoteTrackPublication, type RemoteVideoTrack } from 'livekit-client';

export type LayerName = 'low' | 'medium' | 'high';

export interface InboundVideoSample {
  frameWidth?: number;
  frameHeight?: number;
  framesDecoded?: number;
  bytesReceived?: number;
  /** ms, as in RTCStats */
  timestamp?: number;
}

export interface SubscribedLayer {
  /** 'paused': no new frames since the previous sample (hidden tile or downlink too thin). */
  layer: LayerName | 'paused' | 'unknown';
  width: number;
  height: number;
  /** Decoded frames per second since `previous`, if given. */
  fps?: number;
  /** Received kbit/s since `previous`, if given. */
  kbps?: number;
}

/**
 * Names the layer a subscriber is receiving from the decoded frame size, relative to the width the
 * publisher sends on its top layer (publication.dimensions). With our 3 layers at 1/4, 1/2 and 1/1
 * of the capture width the thresholds sit between them (3/8 and 3/4) so encoder rounding and
 * adaptation do not flip the label.
 */
export function subscribedLayer(
  current: InboundVideoSample,
  publishedWidth: number | undefined,
  previous?: InboundVideoSample,
): SubscribedLayer {
  const width = current.frameWidth ?? 0;
  const height = current.frameHeight ?? 0;
  const out: SubscribedLayer = { layer: 'unknown', width, height };
  if (previous && current.timestamp !== undefined && previous.timestamp !== undefined) {
    const seconds = (current.timestamp - previous.timestamp) / 1000;
    if (seconds > 0) {
      out.fps = Math.max(0, ((current.framesDecoded ?? 0) - (previous.framesDecoded ?? 0)) / seconds);
      out.kbps = Math.max(0, (((current.bytesReceived ?? 0) - (previous.bytesReceived ?? 0)) * 8) / 1000 / seconds);
    }
    if ((current.framesDecoded ?? 0) === (previous.framesDecoded ?? 0)) {
      out.layer = 'paused';
      return out;
    }
  }
  if (!width || !publishedWidth) return out;
  const ratio = width / publishedWidth;
  out.layer = ratio >= 0.75 ? 'high' : ratio >= 0.375 ? 'medium' : 'low';
  return out;
}

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
