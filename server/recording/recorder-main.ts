// The recorder: a child process of the team server that joins one meeting as a hidden participant
// (a `recorder` grant: the SFU marks the room as being recorded for everyone while it is in) and
// writes every participant's tracks to their own files, with timeline.jsonl to align them.
//
// Protocol with the team server, one JSON object per line:
//   stdin:  the RecorderConfig first; then "stop" to stop. End of stdin also stops (the server is gone).
//   stdout: {"type":"joined"} once in the room; {"type":"stopped","reason":..,"partial":..} at the end.
import { appendFileSync, mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  dispose,
  Room,
  RoomEvent,
  TrackKind,
  TrackSource,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type TrackPublication,
} from '@livekit/rtc-node';
import { z } from 'zod';
import { TIMELINE_FILE, type TimelineLine, type TrackSourceKind } from './timeline';
import { audioWriter, videoWriter, type TrackWriter, type WriterContext } from './track-writers';

export const RecorderConfig = z.object({
  url: z.string().min(1),
  token: z.string().min(1),
  dir: z.string().min(1),
  fps: z.number().int().min(1).max(60).default(15),
  /** Stop (disk-full) when the recordings folder's file system has less than this free. */
  minFreeBytes: z
    .number()
    .int()
    .min(0)
    .default(256 * 1024 * 1024),
  /** How long a meeting may go without a host (or without anyone) before the recording ends. */
  hostGraceMs: z.number().int().min(0).default(10_000),
});
export type RecorderConfig = z.input<typeof RecorderConfig>;

export type StopReason = 'stopped' | 'meeting-ended' | 'host-left' | 'recorder-failed' | 'disk-full' | 'server-restart';
const PARTIAL: ReadonlySet<StopReason> = new Set(['recorder-failed', 'disk-full', 'server-restart']);

function say(msg: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

function sourceOf(s: TrackSource | undefined): TrackSourceKind {
  switch (s) {
    case TrackSource.SOURCE_CAMERA:
      return 'camera';
    case TrackSource.SOURCE_MICROPHONE:
      return 'microphone';
    case TrackSource.SOURCE_SCREENSHARE:
      return 'screen_share';
    case TrackSource.SOURCE_SCREENSHARE_AUDIO:
      return 'screen_share_audio';
    default:
      return 'unknown';
  }
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const iter = lines[Symbol.asyncIterator]();
  const first = await iter.next();
  if (first.done) process.exit(2);
  const cfg = RecorderConfig.parse(JSON.parse(first.value));
  mkdirSync(cfg.dir, { recursive: true, mode: 0o700 });
  const timelineFile = join(cfg.dir, TIMELINE_FILE);
  const started = Date.now();
  const line = (l: TimelineLine) => appendFileSync(timelineFile, `${JSON.stringify(l)}\n`);
  const now = () => Date.now() - started;
  line({ type: 'start', at: started });

  const room = new Room();
  const writers = new Map<string, TrackWriter>();
  const pending = new Map<string, Promise<TrackWriter | undefined>>();
  let stopping: Promise<void> | undefined;

  const stop = (reason: StopReason): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(diskGuard);
      clearTimeout(graceTimer);
      await Promise.allSettled([...pending.values()]);
      await Promise.allSettled([...writers.values()].map((w) => w.end()));
      line({ type: 'stop', t: now(), reason });
      await room.disconnect().catch(() => undefined);
      say({ type: 'stopped', reason, partial: PARTIAL.has(reason) });
      await dispose().catch(() => undefined);
      process.exit(0);
    })());

  onTerminate = () => void stop('server-restart');
  const ctx: WriterContext = {
    dir: cfg.dir,
    now,
    line,
    fps: cfg.fps,
    failed: ({ diskFull, message }) => {
      say({ type: 'log', level: 'warn', message });
      void stop(diskFull ? 'disk-full' : 'recorder-failed');
    },
  };

  const freeBytes = () => {
    const s = statfsSync(cfg.dir);
    return s.bavail * s.bsize;
  };
  if (freeBytes() < cfg.minFreeBytes) {
    say({ type: 'stopped', reason: 'disk-full', partial: true });
    process.exit(0);
  }
  const diskGuard = setInterval(() => {
    if (freeBytes() < cfg.minFreeBytes) void stop('disk-full');
  }, 1_000);

  let graceTimer: NodeJS.Timeout | undefined;
  const hosts = () => [...room.remoteParticipants.values()].filter((p) => p.attributes.role === 'host');
  const checkPresence = () => {
    clearTimeout(graceTimer);
    if (room.remoteParticipants.size > 0 && hosts().length > 0) return;
    graceTimer = setTimeout(() => {
      if (room.remoteParticipants.size === 0) void stop('meeting-ended');
      else if (hosts().length === 0) void stop('host-left');
    }, cfg.hostGraceMs);
  };

  const subscribe = (track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant) => {
    if (stopping || !track.sid || writers.has(track.sid) || pending.has(track.sid)) return;
    const source = sourceOf(pub.source);
    const make = track.kind === TrackKind.KIND_AUDIO ? audioWriter : track.kind === TrackKind.KIND_VIDEO ? videoWriter : undefined;
    if (!make) return;
    const sid = track.sid;
    const w = make(ctx, track, p.identity, source).then(
      (writer) => {
        pending.delete(sid);
        writers.set(sid, writer);
        if (pub.muted) writer.setMuted(true);
        return writer;
      },
      (err: unknown) => {
        pending.delete(sid);
        ctx.failed({ diskFull: false, message: `could not start an encoder: ${(err as Error).message}` });
        return undefined;
      },
    );
    pending.set(sid, w);
  };
  const unsubscribe = (sid: string | undefined) => {
    if (!sid) return;
    const w = writers.get(sid);
    writers.delete(sid);
    void w?.end();
  };
  const muted = (pub: TrackPublication, m: boolean) => {
    if (pub.sid) writers.get(pub.sid)?.setMuted(m);
  };

  room
    .on(RoomEvent.ParticipantConnected, (p) => {
      line({ type: 'join', t: now(), identity: p.identity, name: p.name || p.identity });
      checkPresence();
    })
    .on(RoomEvent.ParticipantDisconnected, (p) => {
      line({ type: 'leave', t: now(), identity: p.identity });
      checkPresence();
    })
    .on(RoomEvent.TrackSubscribed, subscribe)
    .on(RoomEvent.TrackUnsubscribed, (track) => unsubscribe(track.sid))
    .on(RoomEvent.TrackMuted, (pub) => muted(pub, true))
    .on(RoomEvent.TrackUnmuted, (pub) => muted(pub, false))
    .on(RoomEvent.Disconnected, () => void stop('meeting-ended'));

  try {
    await room.connect(cfg.url, cfg.token, { autoSubscribe: true, dynacast: false });
  } catch (err) {
    say({ type: 'log', level: 'error', message: `could not join: ${(err as Error).message}` });
    say({ type: 'stopped', reason: 'recorder-failed', partial: true });
    process.exit(1);
  }
  for (const p of room.remoteParticipants.values()) {
    line({ type: 'join', t: now(), identity: p.identity, name: p.name || p.identity });
    for (const pub of p.trackPublications.values()) if (pub.track && pub.subscribed) subscribe(pub.track as RemoteTrack, pub, p);
  }
  checkPresence();
  say({ type: 'joined' });

  for (;;) {
    const next = await iter.next();
    if (next.done) return void stop('server-restart');
    if (next.value.trim() === 'stop') return void stop('stopped');
  }
}

let onTerminate: (() => void) | undefined;
// The server stopping us on purpose (or its lifeline cut): finish the files, as for end of stdin.
process.on('SIGTERM', () => (onTerminate ? onTerminate() : process.exit(0)));
main().catch((err: unknown) => {
  say({ type: 'log', level: 'error', message: (err as Error).message });
  say({ type: 'stopped', reason: 'recorder-failed', partial: true });
  process.exit(1);
});
