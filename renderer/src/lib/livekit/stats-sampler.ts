// Samples WebRTC stats for every track in the room every couple of seconds: feeds the
// per-participant quality indicator and the stats panel. Runs only while someone is subscribed.
import { Track, type LocalTrack, type Participant, type RemoteTrack, type RemoteTrackPublication, type Room } from 'livekit-client';
import { subscribedLayer, type InboundVideoSample, type SubscribedLayer } from '../media/received-layer';
import { VideoPauseForAudio } from '../media/video-pause';
import { classifyQuality, fromLivekitQuality, worstQuality, type LivekitQuality } from '../quality';
import { QualityReports } from './quality-reports';
import { deriveRtp, readRtp, splitByTrack, type DerivedRtp, type RawRtp } from './rtp-stats';
import type { Subscribable } from './subscribable';
import type { QualityLevel } from './types';
import { displayNameOf } from './participants';

export interface TrackStats extends DerivedRtp {
  key: string;
  identity: string;
  participantName: string;
  source: 'camera' | 'microphone' | 'screen' | 'screen-audio' | 'other';
  kind: 'audio' | 'video';
  direction: 'in' | 'out';
  quality: QualityLevel;
  /**
   * Received video only: which simulcast/SVC layer the SFU forwards to us now (low/medium/high, or
   * paused for a hidden tile or a too-thin downlink), from the media module's sampleSubscribedLayer.
   */
  layer: SubscribedLayer | null;
}

export interface StatsSample {
  tracks: TrackStats[];
  /** Per identity: measured stats, that person's own report and LiveKit's ConnectionQuality, combined (see personQuality). */
  quality: Record<string, QualityLevel>;
  /** 'direct' while the call's media runs over a direct connection between the two of you. */
  route: 'direct' | 'server';
  /** True while others' camera video is paused because our own link is poor (media/video-pause.ts). */
  videoPaused: boolean;
}

export const EMPTY_SAMPLE: StatsSample = { tracks: [], quality: {}, route: 'server', videoPaused: false };

/** A direct (peer-to-peer) connection carrying some of the call's media (lib/p2p/direct-call.ts). */
export interface DirectStatsSource {
  /** The connection while it is up, else null. */
  readonly connection: StatsSource | null;
  /** The track a remote medium arrives on directly, when it does (its MediaStreamTrack id is in the report). */
  trackFor(identity: string, source: Track.Source): { mediaStreamTrack: MediaStreamTrack } | undefined;
  /** 'direct' when what we send goes over it too. */
  readonly route: 'direct' | 'server';
}

/**
 * One person's level. Our own: the worse of what we measure sending (the SFU's receiver reports and
 * how much we had to send again) and LiveKit's score of us, which covers what reaches us too: the
 * SFU scores each stream it forwards to us by the loss on our leg alone, after taking away what was
 * already missing from the sender (connectionquality subtracts PacketsMissing). The loss we see on
 * someone's stream is theirs as often as ours, so it never counts against us: a person with a clean
 * link is not told theirs is unstable because a sender's is. Someone else's: the worse of what they
 * measure and report about themselves and LiveKit's score of them (that loss we see alone is in
 * the stats panel per track).
 */
export function personQuality(input: {
  isLocal: boolean;
  measured: QualityLevel;
  livekit: LivekitQuality;
  reported: QualityLevel;
}): QualityLevel {
  const lk = fromLivekitQuality(input.livekit);
  return input.isLocal ? worstQuality([input.measured, lk]) : worstQuality([input.reported, lk]);
}

function sourceOf(source: Track.Source): TrackStats['source'] {
  switch (source) {
    case Track.Source.Camera:
      return 'camera';
    case Track.Source.Microphone:
      return 'microphone';
    case Track.Source.ScreenShare:
      return 'screen';
    case Track.Source.ScreenShareAudio:
      return 'screen-audio';
    default:
      return 'other';
  }
}

type Entry = { type: string; id: string; [key: string]: unknown };
type StatsSource = { getStats(): Promise<RTCStatsReport> | undefined };

/**
 * The room's two peer connections, read from livekit-client's engine, which its typings mark
 * internal. No public API serves: the public per-track getRTCStatsReport() runs one full getStats()
 * per track, and in a 25-tile grid the per-track reports were a share of the main-thread time that
 * made long tasks (CPU profile in docs/benchmarks.md, "Long tasks in the 25-tile grid"); one report
 * per connection gives the same numbers. If a livekit-client release moves the field, this returns null and the sampler
 * falls back to the public per-track reports, slower but correct (test/e2e/meeting-call.test.ts
 * reads the stats panel either way).
 */
function peerConnections(room: Room): { publisher?: StatsSource; subscriber?: StatsSource } | null {
  const engine: unknown = room.engine;
  if (!engine || typeof engine !== 'object' || !('pcManager' in engine)) return null;
  const pcs = engine.pcManager;
  return pcs && typeof pcs === 'object' ? (pcs as { publisher?: StatsSource; subscriber?: StatsSource }) : null;
}

export function observeStats(room: Room, intervalMs = 2000, direct: DirectStatsSource | null = null): Subscribable<StatsSample> {
  return {
    subscribe(run) {
      const previous = new Map<string, RawRtp>();
      const previousLayer = new Map<string, InboundVideoSample>();
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const reports = new QualityReports(room);
      const stopReports = reports.start();
      const pause = new VideoPauseForAudio(room);

      type Reports = { in: Map<string, Entry[]>; out: Map<string, Entry[]> } | null;
      type Direct = { in: Map<string, Entry[]>; out: Map<string, Entry[]>; route: 'direct' | 'server' } | null;
      const directReports = async (): Promise<Direct> => {
        const pc = direct?.connection;
        if (!direct || !pc) return null;
        const report = await pc.getStats()?.catch(() => undefined);
        const entries = report ? ([...report.values()] as Entry[]) : [];
        return { in: splitByTrack(entries, 'in'), out: splitByTrack(entries, 'out'), route: direct.route };
      };
      const connectionReports = async (): Promise<Reports> => {
        const pcs = peerConnections(room);
        if (!pcs) return null;
        const read = async (pc: StatsSource | undefined): Promise<Entry[]> => {
          const report = await pc?.getStats()?.catch(() => undefined);
          return report ? ([...report.values()] as Entry[]) : [];
        };
        // Either connection may carry either direction (single-PC mode has no subscriber), so
        // split both ways, each connection on its own (its candidate pairs stay with its tracks).
        const reports = await Promise.all([read(pcs.subscriber), read(pcs.publisher)]);
        const merge = (direction: 'in' | 'out'): Map<string, Entry[]> => new Map(reports.flatMap((r) => [...splitByTrack(r, direction)]));
        return { in: merge('in'), out: merge('out') };
      };

      const trackEntries = async (reports: Reports, d: Direct, p: Participant, track: Track | undefined): Promise<Entry[] | undefined> => {
        if (d && p.isLocal && d.route === 'direct' && track) {
          // What the other person receives is what we send directly; the SFU copy is idle.
          const id = (track as LocalTrack).getProcessor?.()?.processedTrack?.id ?? track.mediaStreamTrack.id;
          const entries = d.out.get(id);
          if (entries) return entries;
        }
        if (!track) return undefined;
        if (!reports) {
          const report = await track.getRTCStatsReport().catch(() => undefined);
          return report ? ([...report.values()] as Entry[]) : undefined;
        }
        const id = p.isLocal
          ? ((track as LocalTrack).sender?.track?.id ?? track.mediaStreamTrack.id)
          : ((track as RemoteTrack).receiver?.track.id ?? track.mediaStreamTrack.id);
        return (p.isLocal ? reports.out : reports.in).get(id);
      };

      const sampleParticipant = async (reports: Reports, d: Direct, p: Participant): Promise<TrackStats[]> => {
        const out: TrackStats[] = [];
        for (const pub of p.trackPublications.values()) {
          const track = pub.track;
          const viaDirect = !p.isLocal && d ? direct?.trackFor(p.identity, pub.source) : undefined;
          if ((!track && !viaDirect) || pub.isMuted) continue;
          const entries = viaDirect ? d?.in.get(viaDirect.mediaStreamTrack.id) : await trackEntries(reports, d, p, track);
          if (!entries) continue;
          const direction = p.isLocal ? 'out' : 'in';
          const kind = pub.kind === Track.Kind.Audio ? 'audio' : 'video';
          const raw = readRtp(entries, direction);
          if (!raw) continue;
          const key = `${p.identity}/${pub.trackSid}`;
          const derived = deriveRtp(previous.get(key), raw);
          previous.set(key, raw);
          let layer: SubscribedLayer | null = null;
          if (!p.isLocal && kind === 'video') {
            // The same numbers the media module's sampleSubscribedLayer reads, from this report.
            const inbound = entries.find((e) => e.type === 'inbound-rtp');
            if (inbound) {
              const n = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
              const sample: InboundVideoSample = {
                frameWidth: n(inbound.frameWidth) ?? 0,
                frameHeight: n(inbound.frameHeight) ?? 0,
                framesDecoded: n(inbound.framesDecoded) ?? 0,
                bytesReceived: n(inbound.bytesReceived) ?? 0,
                timestamp: n(inbound.timestamp),
              };
              layer = subscribedLayer(sample, (pub as RemoteTrackPublication).dimensions?.width, previousLayer.get(key));
              previousLayer.set(key, sample);
            }
          }
          out.push({
            ...derived,
            key,
            identity: p.identity,
            participantName: displayNameOf(p),
            source: sourceOf(pub.source),
            kind,
            direction,
            quality: classifyQuality({
              lossPercent: derived.lossPercent,
              rttMs: derived.rttMs,
              jitterMs: kind === 'audio' ? derived.jitterMs : null,
            }),
            layer,
          });
        }
        return out;
      };

      const tick = async (): Promise<void> => {
        if (stopped) return;
        if (room.state === 'connected') {
          const people: Participant[] = [room.localParticipant, ...room.remoteParticipants.values()];
          const [pcReports, d] = await Promise.all([connectionReports().catch(() => null), directReports().catch(() => null)]);
          const tracks = (await Promise.all(people.map((p) => sampleParticipant(pcReports, d, p)))).flat();
          const measured = (identity: string): QualityLevel =>
            worstQuality(tracks.filter((t) => t.identity === identity).map((t) => t.quality));
          const me = room.localParticipant;
          const mine = measured(me.identity);
          reports.update(mine);
          const quality: Record<string, QualityLevel> = {};
          for (const p of people) {
            quality[p.identity] = personQuality({
              isLocal: p.isLocal,
              measured: p.isLocal ? mine : measured(p.identity),
              livekit: p.connectionQuality as LivekitQuality,
              reported: reports.reportedBy(p.identity),
            });
          }
          pause.update(quality[me.identity] ?? 'unknown');
          if (!stopped) run({ tracks, quality, route: d?.route ?? 'server', videoPaused: pause.active });
        }
        if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
      };

      run(EMPTY_SAMPLE);
      void tick();
      return () => {
        stopped = true;
        stopReports();
        if (timer) clearTimeout(timer);
      };
    },
  };
}
