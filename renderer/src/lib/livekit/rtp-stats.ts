// Pure parsing of RTCStatsReport entries into per-track numbers. Kept free of LiveKit and DOM
// types so it is unit-tested with plain objects.

export interface RawRtp {
  timestamp: number;
  bytes: number;
  packets: number;
  packetsLost: number;
  /** What we send only: packets sent again because the far end asked (NACK); 0 for what we receive. */
  retransmitted: number;
  /** seconds */
  jitter: number | null;
  /** seconds */
  rtt: number | null;
  /** 0..1, from RTCP receiver reports about what we send */
  fractionLost: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  codec: string | null;
}

type StatsEntry = { type: string; id: string; [key: string]: unknown };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Sums the RTP streams of one track (simulcast publishes several) from a sender or receiver report. */
export function readRtp(entries: Iterable<StatsEntry>, direction: 'in' | 'out'): RawRtp | null {
  const all = [...entries];
  const byId = new Map(all.map((e) => [e.id, e]));
  const rtpType = direction === 'in' ? 'inbound-rtp' : 'outbound-rtp';
  const streams = all.filter((e) => e.type === rtpType);
  if (streams.length === 0) return null;
  const out: RawRtp = {
    timestamp: 0,
    bytes: 0,
    packets: 0,
    packetsLost: 0,
    retransmitted: 0,
    jitter: null,
    rtt: null,
    fractionLost: null,
    width: null,
    height: null,
    fps: null,
    codec: null,
  };
  let widest = -1;
  for (const s of streams) {
    out.timestamp = Math.max(out.timestamp, num(s.timestamp) ?? 0);
    out.bytes += num(direction === 'in' ? s.bytesReceived : s.bytesSent) ?? 0;
    out.packets += num(direction === 'in' ? s.packetsReceived : s.packetsSent) ?? 0;
    out.packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
    if (direction === 'out') out.retransmitted += num(s.retransmittedPacketsSent) ?? 0;
    out.jitter = maxOf(out.jitter, num(s.jitter));
    const w = num(s.frameWidth);
    // The highest simulcast layer that is actually sending is what people see.
    if (w !== null && w > widest && (direction === 'in' || (num(s.bytesSent) ?? 0) > 0)) {
      widest = w;
      out.width = w;
      out.height = num(s.frameHeight);
      out.fps = num(s.framesPerSecond);
    }
    const codec = typeof s.codecId === 'string' ? byId.get(s.codecId) : undefined;
    if (codec && typeof codec.mimeType === 'string') out.codec = codec.mimeType.replace(/^(audio|video)\//, '');
  }
  for (const e of all) {
    if (e.type === 'remote-inbound-rtp') {
      const rtt = num(e.roundTripTime);
      out.rtt = maxOf(out.rtt, rtt);
      out.fractionLost = maxOf(out.fractionLost, num(e.fractionLost));
      if (direction === 'out') out.jitter = maxOf(out.jitter, num(e.jitter));
    }
  }
  if (out.rtt === null) {
    for (const e of all) {
      if (e.type === 'candidate-pair' && (e.nominated === true || e.state === 'succeeded'))
        out.rtt = maxOf(out.rtt, num(e.currentRoundTripTime));
    }
  }
  return out;
}

export interface DerivedRtp {
  bitrateKbps: number | null;
  lossPercent: number | null;
  jitterMs: number | null;
  rttMs: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  codec: string | null;
}

/** Rates need two samples; loss is over the window between them, not since the call started. */
export function deriveRtp(prev: RawRtp | undefined, cur: RawRtp): DerivedRtp {
  let bitrateKbps: number | null = null;
  let lossPercent: number | null = null;
  if (prev && cur.timestamp > prev.timestamp) {
    const seconds = (cur.timestamp - prev.timestamp) / 1000;
    bitrateKbps = Math.max(0, ((cur.bytes - prev.bytes) * 8) / 1000 / seconds);
    const lost = Math.max(0, cur.packetsLost - prev.packetsLost);
    const got = Math.max(0, cur.packets - prev.packets);
    lossPercent = lost + got > 0 ? (lost / (lost + got)) * 100 : null;
  }
  // What we send: the far end's RTCP report says what stayed lost, after retransmissions filled
  // most gaps; the share of packets sent again says how many the link dropped in the first place
  // (15% dropped on the way reads as a few % in the report). The worse of the two is the link's.
  if (cur.fractionLost !== null) lossPercent = cur.fractionLost * 100;
  if (prev && cur.retransmitted > 0 && cur.packets > prev.packets) {
    const resent = (Math.max(0, cur.retransmitted - prev.retransmitted) / (cur.packets - prev.packets)) * 100;
    lossPercent = Math.max(lossPercent ?? 0, resent);
  }
  return {
    bitrateKbps,
    lossPercent,
    jitterMs: cur.jitter === null ? null : cur.jitter * 1000,
    rttMs: cur.rtt === null ? null : cur.rtt * 1000,
    width: cur.width,
    height: cur.height,
    fps: cur.fps,
    codec: cur.codec,
  };
}

/**
 * Splits one peer connection's whole getStats() report into per-track reports (keyed by the
 * MediaStreamTrack id, `trackIdentifier`) shaped like what the track's own receiver/sender
 * getStats() gives readRtp: its RTP streams, their codecs and remote reports, and the candidate
 * pairs. One report per connection instead of one per track (a 25-person grid had ~70 per sample).
 */
export function splitByTrack(entries: Iterable<StatsEntry>, direction: 'in' | 'out'): Map<string, StatsEntry[]> {
  const all = [...entries];
  const byId = new Map(all.map((e) => [e.id, e]));
  const rtpType = direction === 'in' ? 'inbound-rtp' : 'outbound-rtp';
  const pairs = all.filter((e) => e.type === 'candidate-pair');
  const remoteOf = new Map<string, StatsEntry>();
  for (const e of all) if (e.type === 'remote-inbound-rtp' && typeof e.localId === 'string') remoteOf.set(e.localId, e);
  const out = new Map<string, StatsEntry[]>();
  for (const s of all) {
    if (s.type !== rtpType) continue;
    const source = typeof s.mediaSourceId === 'string' ? byId.get(s.mediaSourceId) : undefined;
    const track = direction === 'in' ? s.trackIdentifier : (source?.trackIdentifier ?? s.trackIdentifier);
    if (typeof track !== 'string') continue;
    let list = out.get(track);
    if (!list) out.set(track, (list = [...pairs]));
    list.push(s);
    const codec = typeof s.codecId === 'string' ? byId.get(s.codecId) : undefined;
    if (codec && !list.includes(codec)) list.push(codec);
    const remote = remoteOf.get(s.id) ?? (typeof s.remoteId === 'string' ? byId.get(s.remoteId) : undefined);
    if (remote) list.push(remote);
  }
  return out;
}
