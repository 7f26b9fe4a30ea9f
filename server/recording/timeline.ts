// The recording's timeline: one JSON object per line in timeline.jsonl, appended by the recorder as
// things happen, so a recorder killed mid-line leaves every earlier line readable. Times are
// milliseconds since the recording began. The compositor aligns the per-track files with it.
import { z } from 'zod';

export const TIMELINE_FILE = 'timeline.jsonl';

const Source = z.enum(['camera', 'microphone', 'screen_share', 'screen_share_audio', 'unknown']);
export type TrackSourceKind = z.infer<typeof Source>;

export const TimelineLine = z.discriminatedUnion('type', [
  /** First line: wall-clock start (epoch ms). */
  z.object({ type: z.literal('start'), at: z.number() }),
  z.object({ type: z.literal('join'), t: z.number(), identity: z.string(), name: z.string() }),
  z.object({ type: z.literal('leave'), t: z.number(), identity: z.string() }),
  /**
   * One continuous piece of one track in its own file. Audio pieces are wall-clock continuous
   * (silence fills mute gaps and lost packets); a video piece ends on mute, unpublish or a change
   * of resolution (simulcast layer switch), and the next begins with the next frame.
   */
  z.object({
    type: z.literal('segment'),
    id: z.string(),
    t: z.number(),
    identity: z.string(),
    trackSid: z.string(),
    source: Source,
    kind: z.enum(['audio', 'video']),
    file: z.string(),
    width: z.number().optional(),
    height: z.number().optional(),
    fps: z.number().optional(),
  }),
  z.object({ type: z.literal('segment-end'), id: z.string(), t: z.number() }),
  z.object({ type: z.literal('mute'), t: z.number(), trackSid: z.string(), muted: z.boolean() }),
  /** Last line of a recorder that stopped in order. */
  z.object({ type: z.literal('stop'), t: z.number(), reason: z.string() }),
]);
export type TimelineLine = z.infer<typeof TimelineLine>;

export interface Segment {
  id: string;
  identity: string;
  source: TrackSourceKind;
  kind: 'audio' | 'video';
  file: string;
  start: number;
  /** Undefined when the recorder died before closing it (the compositor probes the file). */
  end: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

export interface Presence {
  identity: string;
  name: string;
  from: number;
  to: number | undefined;
}

export interface Timeline {
  startedAt: number | undefined;
  segments: Segment[];
  presence: Presence[];
  /** When the recorder stopped in order; undefined if it was cut short. */
  stoppedAt: number | undefined;
  stopReason: string | undefined;
  /** Lines that could not be read (a torn last line after a crash). */
  unreadable: number;
}

/** Reads timeline.jsonl text; a torn or foreign line is counted and skipped, never fatal. */
export function parseTimeline(text: string): Timeline {
  const out: Timeline = { startedAt: undefined, segments: [], presence: [], stoppedAt: undefined, stopReason: undefined, unreadable: 0 };
  const open = new Map<string, Segment>();
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: TimelineLine;
    try {
      line = TimelineLine.parse(JSON.parse(raw));
    } catch {
      out.unreadable++;
      continue;
    }
    switch (line.type) {
      case 'start':
        out.startedAt = line.at;
        break;
      case 'join':
        out.presence.push({ identity: line.identity, name: line.name, from: line.t, to: undefined });
        break;
      case 'leave': {
        const p = out.presence.findLast((x) => x.identity === line.identity && x.to === undefined);
        if (p) p.to = line.t;
        break;
      }
      case 'segment': {
        const s: Segment = {
          id: line.id,
          identity: line.identity,
          source: line.source,
          kind: line.kind,
          file: line.file,
          start: line.t,
          end: undefined,
          width: line.width,
          height: line.height,
        };
        out.segments.push(s);
        open.set(s.id, s);
        break;
      }
      case 'segment-end': {
        const s = open.get(line.id);
        if (s) s.end = line.t;
        open.delete(line.id);
        break;
      }
      case 'stop':
        out.stoppedAt = line.t;
        out.stopReason = line.reason;
        break;
      case 'mute':
        break;
    }
  }
  return out;
}
