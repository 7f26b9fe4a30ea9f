// Starts and talks to one recorder child (recorder-main.ts) for one recording.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { z } from 'zod';
import { RecordingEndReason } from '@contracts/api';
import { startChild, type Child } from './child';
import type { RecorderConfig } from './recorder-main';

const Said = z.discriminatedUnion('type', [
  z.object({ type: z.literal('joined') }),
  z.object({ type: z.literal('stopped'), reason: RecordingEndReason, partial: z.boolean() }),
  z.object({ type: z.literal('log'), level: z.enum(['warn', 'error', 'info']), message: z.string() }),
]);

export interface RecorderEnd {
  reason: RecordingEndReason;
  partial: boolean;
}

/**
 * The recorder's entry: the bundled recorder.js beside the built server, or the TypeScript source
 * (run through tsx) when the server itself runs from source (tests, `npm run dev`).
 */
function recorderCommand(): { args: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'recorder.js');
  if (existsSync(bundled)) return { args: [bundled] };
  const source = join(here, 'recorder-main.ts');
  return { args: ['--import', 'tsx', source] };
}

export class RecorderProcess {
  private constructor(
    private readonly child: Child,
    /** Settles when the recorder has finished, with why; a recorder that died says nothing, and that is a failure. */
    readonly ended: Promise<RecorderEnd>,
    private readonly joinedAt: Promise<void>,
  ) {}

  get pid(): number {
    return this.child.pid;
  }

  /** Resolves once the recorder is in the room; rejects if it ends or takes longer than `ms`. */
  joined(ms: number): Promise<void> {
    return Promise.race([
      this.joinedAt,
      new Promise<void>((_r, reject) => setTimeout(() => reject(new Error(`the recorder did not join within ${ms} ms`)), ms).unref()),
    ]);
  }

  /** Asks the recorder to finish its files and leave; resolves when it has. */
  async stop(): Promise<RecorderEnd> {
    if (this.child.running()) this.child.child.stdin?.write('stop\n');
    return this.ended;
  }

  /** Ends it however it is (used when the server closes): end of stdin makes it finish its files. */
  async close(): Promise<void> {
    this.child.child.stdin?.end();
    await Promise.race([this.ended, new Promise((r) => setTimeout(r, 20_000).unref())]);
    await this.child.stop();
  }

  static async start(name: string, config: RecorderConfig, log: Logger, runDir?: string): Promise<RecorderProcess> {
    const { args } = recorderCommand();
    const child = await startChild({
      name,
      executable: process.execPath,
      args,
      ...(runDir ? { runDir } : {}),
      // Under Electron (the desktop app hosting a server), execPath is Electron: run it as Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      // SIGTERM asks it to finish its files (as end of stdin does); the encoders need a moment.
      stopSignals: [
        ['SIGTERM', 0],
        ['SIGKILL', 30_000],
      ],
    });
    child.child.stdin?.on('error', () => undefined);
    child.child.stdin?.write(`${JSON.stringify(config)}\n`);
    let said: RecorderEnd | undefined;
    let onJoined: () => void = () => undefined;
    let onJoinFail: (e: Error) => void = () => undefined;
    const joinedAt = new Promise<void>((resolve, reject) => {
      onJoined = resolve;
      onJoinFail = reject;
    });
    joinedAt.catch(() => undefined);
    const out = createInterface({ input: child.child.stdout! });
    out.on('line', (text) => {
      let msg: z.infer<typeof Said>;
      try {
        msg = Said.parse(JSON.parse(text));
      } catch {
        log.debug({ recorder: name, text }, 'recorder output');
        return;
      }
      if (msg.type === 'joined') onJoined();
      else if (msg.type === 'stopped') said = { reason: msg.reason, partial: msg.partial };
      else log[msg.level]({ recorder: name }, msg.message);
    });
    let errTail = '';
    child.child.stderr?.on('data', (d: Buffer) => (errTail = (errTail + d.toString()).slice(-4_000)));
    const ended = child.exited.then((exit): RecorderEnd => {
      onJoinFail(new Error(`the recorder exited (${exit.code ?? exit.signal}) ${errTail.slice(-500)}`));
      if (said) return said;
      log.warn({ recorder: name, exit, stderr: errTail.slice(-2_000) }, 'recorder ended without finishing');
      return { reason: 'recorder-failed', partial: true };
    });
    return new RecorderProcess(child, ended, joinedAt);
  }
}
