// Debian's ffmpeg and ffprobe, run as supervised children.
import { startChild, type Child } from './child';

export const FFMPEG = process.env.FFMPEG_PATH || 'ffmpeg';
export const FFPROBE = process.env.FFPROBE_PATH || 'ffprobe';

export class FfmpegError extends Error {
  constructor(
    readonly code: 'FFMPEG_FAILED' | 'DISK_FULL',
    message: string,
  ) {
    super(message);
  }
}

/** The last lines of what ffmpeg said, for the error. */
function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export function isDiskFull(stderr: string): boolean {
  return /No space left on device|ENOSPC/i.test(stderr);
}

/** An encoder that reads raw media from its stdin; ending stdin makes it finish its file and exit. */
export async function startEncoder(name: string, args: string[]): Promise<Child & { stderr(): string }> {
  const child = await startChild({
    name,
    executable: FFMPEG,
    args: ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args],
    stdio: ['pipe', 'ignore', 'pipe'],
    // An encoder given end-of-input writes out its file; SIGKILL only if it hangs.
    stopSignals: [
      ['SIGTERM', 15_000],
      ['SIGKILL', 20_000],
    ],
  });
  let err = '';
  child.child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-8_000);
  });
  // A write to an encoder that died is reported through its exit, not as an unhandled error.
  child.child.stdin?.on('error', () => undefined);
  return Object.assign(child, { stderr: () => err });
}

/** Runs ffmpeg to completion; rejects with its last words on failure. */
export async function runFfmpeg(
  name: string,
  args: string[],
  onProgress?: (outTimeMs: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const child = await startChild({
    name,
    executable: FFMPEG,
    args: ['-hide_banner', '-nostdin', '-loglevel', 'error', ...(onProgress ? ['-progress', 'pipe:1'] : []), ...args],
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-16_000);
  });
  child.child.stdout?.on('data', (d: Buffer) => {
    const m = /out_time_us=(\d+)/.exec(d.toString());
    if (m && onProgress) onProgress(Number(m[1]) / 1000);
  });
  const abort = () => void child.stop();
  signal?.addEventListener('abort', abort);
  const exit = await child.exited.finally(() => signal?.removeEventListener('abort', abort));
  if (signal?.aborted) throw new FfmpegError('FFMPEG_FAILED', `ffmpeg ${name} was stopped`);
  if (exit.code !== 0) {
    throw new FfmpegError(
      isDiskFull(err) ? 'DISK_FULL' : 'FFMPEG_FAILED',
      `ffmpeg ${name} failed (${exit.code ?? exit.signal}): ${tail(err)}`,
    );
  }
}

export interface Probe {
  durationMs: number | undefined;
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; duration?: string }[];
}

/** What ffprobe says of a file; undefined when it cannot read it at all. */
export async function probe(file: string): Promise<Probe | undefined> {
  const child = await startChild({
    name: 'ffprobe',
    executable: FFPROBE,
    args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = await child.exited;
  if (exit.code !== 0) return undefined;
  try {
    const j = JSON.parse(out) as { format?: { duration?: string }; streams?: Probe['streams'] };
    const d = Number(j.format?.duration);
    return { durationMs: Number.isFinite(d) ? d * 1000 : undefined, streams: j.streams ?? [] };
  } catch {
    return undefined;
  }
}
