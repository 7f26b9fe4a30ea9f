// Per-track writers of the recorder: each subscribed track goes to its own file through its own
// ffmpeg, with timeline lines that place it in time. @livekit/rtc-node hands over decoded media only
// (it exposes no encoded frames), so each track is encoded once here: audio as Opus in Ogg, video as
// H.264 in MPEG-TS; both formats stay readable when cut off mid-write.
import { AudioStream, VideoBufferType, VideoStream, type RemoteTrack } from '@livekit/rtc-node';
import type { Child } from './child';
import { startEncoder } from './ffmpeg';
import type { TimelineLine, TrackSourceKind } from './timeline';

export interface WriterContext {
  dir: string;
  /** Milliseconds since the recording began. */
  now(): number;
  line(l: TimelineLine): void;
  /** An encoder ended on its own: `diskFull` when it said the disk was full. */
  failed(why: { diskFull: boolean; message: string }): void;
  fps: number;
}

export interface TrackWriter {
  readonly trackSid: string;
  setMuted(muted: boolean): void;
  /** Closes the current file; resolves when its encoder has written it out. */
  end(): Promise<void>;
}

type Encoder = Child & { stderr(): string };

let seq = 0;
const nextId = (prefix: string) => `${prefix}${(++seq).toString(36)}`;

const RATE = 48_000;
/** Fill silence once the audio is this far behind the wall clock (muted, or packets lost). */
const AUDIO_SLACK_MS = 120;

/** Watches an encoder that should only end when we end its input. */
function watch(ctx: WriterContext, enc: Encoder, ending: () => boolean): void {
  void enc.exited.then((exit) => {
    if (ending()) return;
    const err = enc.stderr();
    ctx.failed({
      diskFull: /No space left on device/i.test(err),
      message: `encoder exited (${exit.code ?? exit.signal}): ${err.slice(-300)}`,
    });
  });
}

/** Writes to an encoder's stdin; a full pipe is waited for, never dropped (the file must keep time). */
function write(enc: Encoder, data: Uint8Array): Promise<void> | undefined {
  const stdin = enc.child.stdin;
  if (!stdin || stdin.destroyed || !stdin.writable) return undefined;
  if (stdin.write(data)) return undefined;
  return new Promise((resolve) => {
    stdin.once('drain', resolve);
    stdin.once('close', resolve);
  });
}

async function close(enc: Encoder): Promise<void> {
  enc.child.stdin?.end();
  await enc.stop();
}

/** Audio: one wall-clock continuous Ogg/Opus file per subscription; silence fills the gaps. */
export async function audioWriter(ctx: WriterContext, track: RemoteTrack, identity: string, source: TrackSourceKind): Promise<TrackWriter> {
  const id = nextId('a');
  const file = `${id}-${source}.ogg`;
  const enc = await startEncoder(`enc-${id}`, [
    '-f',
    's16le',
    '-ar',
    String(RATE),
    '-ac',
    '1',
    '-i',
    'pipe:0',
    '-c:a',
    'libopus',
    '-b:a',
    '48k',
    '-f',
    'ogg',
    `${ctx.dir}/${file}`,
  ]);
  let ending = false;
  watch(ctx, enc, () => ending);
  const start = ctx.now();
  let written = 0;
  ctx.line({ type: 'segment', id, t: start, identity, trackSid: track.sid ?? '', source, kind: 'audio', file });

  const silenceUpTo = (ms: number) => {
    const due = Math.floor(((ms - start) * RATE) / 1000);
    if (due - written <= (AUDIO_SLACK_MS * RATE) / 1000) return;
    const n = due - written - (AUDIO_SLACK_MS * RATE) / 2000;
    written += n;
    void write(enc, new Uint8Array(n * 2));
  };
  const filler = setInterval(() => silenceUpTo(ctx.now()), 250);

  const stream = new AudioStream(track, RATE, 1);
  const reader = stream.getReader();
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }) as const);
      if (done || ending) return;
      silenceUpTo(ctx.now());
      const pcm = value.data;
      written += pcm.length;
      await write(enc, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    }
  })();

  return {
    trackSid: track.sid ?? '',
    setMuted(muted) {
      ctx.line({ type: 'mute', t: ctx.now(), trackSid: track.sid ?? '', muted });
    },
    async end() {
      if (ending) return;
      silenceUpTo(ctx.now() + AUDIO_SLACK_MS);
      ending = true;
      clearInterval(filler);
      await reader.cancel().catch(() => undefined);
      await pump.catch(() => undefined);
      await close(enc);
      ctx.line({ type: 'segment-end', id, t: start + (written * 1000) / RATE });
    },
  };
}

interface Piece {
  id: string;
  enc: Encoder;
  width: number;
  height: number;
  start: number;
  frames: number;
}

/**
 * Video: frames at a constant rate (the latest decoded frame repeated or skipped to keep time), one
 * MPEG-TS/H.264 file per piece. A piece ends on mute, on unsubscribe and when the resolution changes
 * (a simulcast layer switch), so every file has one size.
 */
export async function videoWriter(ctx: WriterContext, track: RemoteTrack, identity: string, source: TrackSourceKind): Promise<TrackWriter> {
  const fps = ctx.fps;
  let piece: Piece | undefined;
  let latest: Uint8Array | undefined;
  let muted = false;
  let ending = false;
  /** The size the current (or opening) piece has; '' when none is open. */
  let sizeKey = '';
  let chain: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => (chain = chain.then(fn, fn));

  const open = async (width: number, height: number): Promise<void> => {
    const id = nextId('v');
    const file = `${id}-${source}.ts`;
    const enc = await startEncoder(`enc-${id}`, [
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-s',
      `${width}x${height}`,
      '-framerate',
      String(fps),
      '-i',
      'pipe:0',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '23',
      '-g',
      String(fps * 2),
      '-f',
      'mpegts',
      `${ctx.dir}/${file}`,
    ]);
    const p: Piece = { id, enc, width, height, start: ctx.now(), frames: 0 };
    watch(ctx, enc, () => ending || piece !== p);
    piece = p;
    ctx.line({ type: 'segment', id, t: p.start, identity, trackSid: track.sid ?? '', source, kind: 'video', file, width, height, fps });
  };

  const shut = async (): Promise<void> => {
    const p = piece;
    if (!p) return;
    piece = undefined;
    await close(p.enc);
    ctx.line({ type: 'segment-end', id: p.id, t: p.start + (p.frames * 1000) / fps });
  };

  /** Writes the latest frame as often as the clock says is due. */
  const tick = async (): Promise<void> => {
    const p = piece;
    if (!p || !latest) return;
    const due = Math.floor(((ctx.now() - p.start) * fps) / 1000) + 1;
    while (p.frames < due && piece === p) {
      p.frames++;
      await write(p.enc, latest);
    }
  };
  const ticker = setInterval(() => void serial(tick), Math.floor(1000 / fps));

  const stream = new VideoStream(track);
  const reader = stream.getReader();
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }) as const);
      if (done || ending) return;
      if (muted) continue;
      const frame = value.frame.type === VideoBufferType.I420 ? value.frame : value.frame.convert(VideoBufferType.I420);
      const { width, height } = frame;
      const size = width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
      if (frame.data.length < size) continue;
      const data = frame.data.length === size ? frame.data : frame.data.subarray(0, size);
      if (sizeKey !== `${width}x${height}`) {
        sizeKey = `${width}x${height}`;
        latest = undefined;
        await serial(async () => {
          await shut();
          if (!ending && !muted) await open(width, height);
        });
      }
      latest = data;
    }
  })();

  return {
    trackSid: track.sid ?? '',
    setMuted(m) {
      muted = m;
      ctx.line({ type: 'mute', t: ctx.now(), trackSid: track.sid ?? '', muted: m });
      if (m) {
        latest = undefined;
        sizeKey = '';
        void serial(shut);
      }
    },
    async end() {
      if (ending) return;
      await serial(tick);
      ending = true;
      clearInterval(ticker);
      await reader.cancel().catch(() => undefined);
      await pump.catch(() => undefined);
      await serial(shut);
    },
  };
}
