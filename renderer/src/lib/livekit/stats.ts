// Samples getStats (once per peer connection) for every track in the room every couple of seconds: feeds the per-participant
// quality indicator and the stats panel. Runs only while someone is subscribed.
import { Track, type LocalTrack, type Participant, type RemoteTrack, type RemoteTrackPublication, type Room } from 'livekit-client';
// From the module's files, not its index: the index also loads the E2EE worker, which the state
// tests (no DOM worker) must not.
import { subscribedLayer, type InboundVideoSample, type SubscribedLayer } from '../media/settings';
import { classifyQuality, worstQuality } from '../quality';
import { deriveRtp, readRtp, splitByTrack, type DerivedRtp, type RawRtp } from './stats-parse';
import type { Subscribable } from './subscribable';
import type { QualityLevel } from './types';
import { ATTR_DISPLAY_NAME } from './participants';

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
  quality: Record<string, QualityLevel>;
}

export const EMPTY_SAMPLE: StatsSample = { tracks: [], quality: {} };

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

export function observeStats(room: Room, intervalMs = 2000): Subscribable<StatsSample> {
  return {
    subscribe(run) {
      const previous = new Map<string, RawRtp>();
      const previousLayer = new Map<string, InboundVideoSample>();
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;

      // One getStats() per peer connection (subscriber: what we receive; publisher: what we send),
      // split per track; a track's own getRTCStatsReport() is only the fallback.
      type Reports = { in: Map<string, Entry[]>; out: Map<string, Entry[]> } | null;
      const connectionReports = async (): Promise<Reports> => {
        const pcs = (
          room.engine as unknown as {
            pcManager?: {
              publisher?: { getStats(): Promise<RTCStatsReport> | undefined };
              subscriber?: { getStats(): Promise<RTCStatsReport> | undefined };
            };
          }
        ).pcManager;
        if (!pcs) return null;
        const read = async (pc: { getStats(): Promise<RTCStatsReport> | undefined } | undefined): Promise<Entry[]> => {
          const report = await pc?.getStats()?.catch(() => undefined);
          return report ? ([...report.values()] as Entry[]) : [];
        };
        // Either connection may carry either direction (single-PC mode has no subscriber), so
        // split both ways, each connection on its own (its candidate pairs stay with its tracks).
        const reports = await Promise.all([read(pcs.subscriber), read(pcs.publisher)]);
        const merge = (direction: 'in' | 'out'): Map<string, Entry[]> => new Map(reports.flatMap((r) => [...splitByTrack(r, direction)]));
        return { in: merge('in'), out: merge('out') };
      };

      const trackEntries = async (reports: Reports, p: Participant, track: Track): Promise<Entry[] | undefined> => {
        if (!reports) {
          const report = await track.getRTCStatsReport().catch(() => undefined);
          return report ? ([...report.values()] as Entry[]) : undefined;
        }
        const id = p.isLocal
          ? ((track as LocalTrack).sender?.track?.id ?? track.mediaStreamTrack.id)
          : ((track as RemoteTrack).receiver?.track.id ?? track.mediaStreamTrack.id);
        return (p.isLocal ? reports.out : reports.in).get(id);
      };

      const sampleParticipant = async (reports: Reports, p: Participant): Promise<TrackStats[]> => {
        const out: TrackStats[] = [];
        for (const pub of p.trackPublications.values()) {
          const track = pub.track;
          if (!track || pub.isMuted) continue;
          const entries = await trackEntries(reports, p, track);
          if (!entries) continue;
          const direction = p.isLocal ? 'out' : 'in';
          const kind = track.kind === Track.Kind.Audio ? 'audio' : 'video';
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
            participantName: p.attributes[ATTR_DISPLAY_NAME] || p.name || p.identity,
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
          const reports = await connectionReports().catch(() => null);
          const tracks = (await Promise.all(people.map((p) => sampleParticipant(reports, p)))).flat();
          const byPerson = new Map<string, QualityLevel[]>();
          for (const t of tracks) byPerson.set(t.identity, [...(byPerson.get(t.identity) ?? []), t.quality]);
          const quality: Record<string, QualityLevel> = {};
          for (const p of people) quality[p.identity] = worstQuality(byPerson.get(p.identity) ?? []);
          if (!stopped) run({ tracks, quality });
        }
        if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
      };

      run(EMPTY_SAMPLE);
      void tick();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },
  };
}
