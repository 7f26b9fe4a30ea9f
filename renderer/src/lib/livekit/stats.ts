// Samples getStats for every track in the room every couple of seconds: feeds the per-participant
// quality indicator and the stats panel. Runs only while someone is subscribed.
import { Track, type Participant, type RemoteTrackPublication, type Room } from 'livekit-client';
// From the module's files, not its index: the index also loads the E2EE worker, which the state
// tests (no DOM worker) must not.
import type { InboundVideoSample, SubscribedLayer } from '../media/settings';
import { sampleSubscribedLayer } from '../media/stats';
import { classifyQuality, worstQuality } from '../quality';
import { deriveRtp, readRtp, type DerivedRtp, type RawRtp } from './stats-parse';
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

      const sampleParticipant = async (p: Participant): Promise<TrackStats[]> => {
        const out: TrackStats[] = [];
        for (const pub of p.trackPublications.values()) {
          const track = pub.track;
          if (!track || pub.isMuted) continue;
          const report = await track.getRTCStatsReport().catch(() => undefined);
          if (!report) continue;
          const direction = p.isLocal ? 'out' : 'in';
          const kind = track.kind === Track.Kind.Audio ? 'audio' : 'video';
          const raw = readRtp(report.values() as Iterable<Entry>, direction);
          if (!raw) continue;
          const key = `${p.identity}/${pub.trackSid}`;
          const derived = deriveRtp(previous.get(key), raw);
          previous.set(key, raw);
          let layer: SubscribedLayer | null = null;
          if (!p.isLocal && kind === 'video') {
            const sampled = await sampleSubscribedLayer(pub as RemoteTrackPublication, previousLayer.get(key)).catch(() => undefined);
            if (sampled) {
              previousLayer.set(key, sampled.sample);
              layer = sampled.layer;
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
            quality: classifyQuality({ lossPercent: derived.lossPercent, rttMs: derived.rttMs, jitterMs: kind === 'audio' ? derived.jitterMs : null }),
            layer,
          });
        }
        return out;
      };

      const tick = async (): Promise<void> => {
        if (stopped) return;
        if (room.state === 'connected') {
          const people: Participant[] = [room.localParticipant, ...room.remoteParticipants.values()];
          const tracks = (await Promise.all(people.map(sampleParticipant))).flat();
          const quality: Record<string, QualityLevel> = {};
          for (const p of people) quality[p.identity] = worstQuality(tracks.filter((t) => t.identity === p.identity).map((t) => t.quality));
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
