// After a recording stops: one MP4 (H.264 + AAC) laid out like the meeting, all audio mixed, from
// the per-track files and timeline.jsonl. Written under a temporary name and renamed when whole,
// so a file with the final name is always complete.
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { layoutSpans, type Canvas } from './layout';
import { probe, runFfmpeg } from './ffmpeg';
import { parseTimeline, TIMELINE_FILE, type Segment, type Timeline } from './timeline';

export const COMPOSITE_FILE = 'recording.mp4';

export interface CompositeOptions {
  canvas?: Canvas;
  fps?: number;
  /** x264 preset: faster presets trade size for speed. */
  preset?: string;
  onProgress?: (doneMs: number, totalMs: number) => void;
  /** Stops the compositor (the server is closing); the .part file is removed. */
  signal?: AbortSignal;
}

export interface Composite {
  file: string;
  durationMs: number;
  sizeBytes: number;
  /** The timeline was cut short (the recorder did not stop in order). */
  truncated: boolean;
}

export class CompositeError extends Error {
  constructor(
    readonly code: 'NOTHING_RECORDED' | 'COMPOSITE_FAILED',
    message: string,
  ) {
    super(message);
  }
}

const sec = (ms: number) => (ms / 1000).toFixed(3);

/** Fills in the ends a crash left open, from what each file holds. */
async function closeOpenSegments(dir: string, tl: Timeline): Promise<void> {
  for (const s of tl.segments) {
    if (s.end !== undefined) continue;
    const p = existsSync(join(dir, s.file)) ? await probe(join(dir, s.file)) : undefined;
    s.end = s.start + (p?.durationMs ?? 0);
  }
  tl.segments = tl.segments.filter((s) => (s.end ?? 0) > s.start && existsSync(join(dir, s.file)));
}

/** The filter graph and inputs for ffmpeg. Exported for tests. */
export function buildGraph(
  tl: Timeline,
  durationMs: number,
  canvas: Canvas,
  fps: number,
): { inputs: string[][]; filter: string; audio: boolean } {
  const spans = layoutSpans(tl, durationMs, canvas);
  const inputs: string[][] = [['-f', 'lavfi', '-i', `color=c=0x202124:s=${canvas.width}x${canvas.height}:r=${fps}:d=${sec(durationMs)}`]];
  const chains: string[] = [];
  let base = '[0:v]';
  let n = 0;
  const next = () => `[b${n++}]`;

  // Tile backgrounds first: a camera that is off still has its place.
  const boxes = spans.flatMap((sp) =>
    sp.tiles.map(
      (t) =>
        `drawbox=x=${t.rect.x}:y=${t.rect.y}:w=${t.rect.w}:h=${t.rect.h}:color=0x3c4043:t=fill:enable='between(t,${sec(sp.from)},${sec(sp.to)})'`,
    ),
  );
  if (boxes.length) {
    const out = next();
    chains.push(`${base}${boxes.join(',')}${out}`);
    base = out;
  }

  const videoSegs = tl.segments.filter((s) => s.kind === 'video');
  videoSegs.forEach((seg, i) => {
    const pieces = spans.flatMap((sp) => sp.tiles.filter((t) => t.segment === seg).map((t) => ({ sp, t })));
    if (!pieces.length) return;
    const idx = inputs.length;
    inputs.push(['-i', seg.file]);
    const labels = pieces.map((_, j) => `[v${i}_${j}]`);
    chains.push(
      `[${idx}:v]setpts=PTS-STARTPTS+${sec(seg.start)}/TB${pieces.length > 1 ? `,split=${pieces.length}` : ''}${labels.join('')}`,
    );
    pieces.forEach(({ sp, t }, j) => {
      const scaled = `[s${i}_${j}]`;
      chains.push(
        `${labels[j]}trim=start=${sec(sp.from)}:end=${sec(sp.to)},scale=${t.rect.w}:${t.rect.h}:force_original_aspect_ratio=decrease:force_divisible_by=2${scaled}`,
      );
      const out = next();
      chains.push(
        `${base}${scaled}overlay=x='${t.rect.x}+(${t.rect.w}-overlay_w)/2':y='${t.rect.y}+(${t.rect.h}-overlay_h)/2':eof_action=pass:enable='between(t,${sec(sp.from)},${sec(sp.to)})'${out}`,
      );
      base = out;
    });
  });
  chains.push(`${base}format=yuv420p[vout]`);

  const audioSegs: Segment[] = tl.segments.filter((s) => s.kind === 'audio');
  const mixed: string[] = [];
  for (const seg of audioSegs) {
    const idx = inputs.length;
    inputs.push(['-i', seg.file]);
    const label = `[a${mixed.length}]`;
    chains.push(
      `[${idx}:a]asetpts=PTS-STARTPTS,aresample=48000,aformat=channel_layouts=mono,adelay=${Math.round(seg.start)}:all=1${label}`,
    );
    mixed.push(label);
  }
  if (mixed.length) {
    chains.push(
      `${mixed.join('')}amix=inputs=${mixed.length}:duration=longest:dropout_transition=0:normalize=0,apad,atrim=0:${sec(durationMs)}[aout]`,
    );
  } else {
    inputs.push(['-f', 'lavfi', '-i', `anullsrc=r=48000:cl=mono:d=${sec(durationMs)}`]);
    chains.push(`[${inputs.length - 1}:a]anull[aout]`);
  }
  return { inputs, filter: chains.join(';\n'), audio: mixed.length > 0 };
}

/** Reads the recording folder's timeline and writes recording.mp4 beside it. */
export async function composite(dir: string, opts: CompositeOptions = {}): Promise<Composite> {
  const canvas = opts.canvas ?? { width: 1280, height: 720 };
  const fps = opts.fps ?? 15;
  const timelinePath = join(dir, TIMELINE_FILE);
  if (!existsSync(timelinePath)) throw new CompositeError('NOTHING_RECORDED', 'no timeline: nothing was recorded');
  const tl = parseTimeline(readFileSync(timelinePath, 'utf8'));
  await closeOpenSegments(dir, tl);
  const lastEnd = Math.max(0, ...tl.segments.map((s) => s.end ?? 0), ...tl.presence.map((p) => p.to ?? p.from));
  const durationMs = tl.stoppedAt ?? lastEnd;
  if (durationMs < 100) throw new CompositeError('NOTHING_RECORDED', 'the recording is empty');
  for (const p of tl.presence) if (p.to === undefined || p.to > durationMs) p.to = durationMs;
  for (const s of tl.segments) s.file = join(dir, s.file);

  const { inputs, filter } = buildGraph(tl, durationMs, canvas, fps);
  const tmp = join(dir, `${COMPOSITE_FILE}.part`);
  const out = join(dir, COMPOSITE_FILE);
  rmSync(tmp, { force: true });
  await runFfmpeg(
    'compositor',
    [
      ...inputs.flat(),
      '-filter_complex',
      filter,
      '-map',
      '[vout]',
      '-map',
      '[aout]',
      '-c:v',
      'libx264',
      '-preset',
      opts.preset ?? 'veryfast',
      '-crf',
      '26',
      '-r',
      String(fps),
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-ar',
      '48000',
      '-t',
      sec(durationMs),
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '-y',
      tmp,
    ],
    opts.onProgress ? (ms) => opts.onProgress?.(ms, durationMs) : undefined,
  ).catch((err: unknown) => {
    rmSync(tmp, { force: true });
    throw err;
  });
  renameSync(tmp, out);
  const p = await probe(out);
  return { file: out, durationMs: p?.durationMs ?? durationMs, sizeBytes: statSync(out).size, truncated: tl.stoppedAt === undefined };
}
