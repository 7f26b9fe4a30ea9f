import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeTcpPort } from '@server/lib/free-port';
import { startOwned, until, type OwnedProcess } from './process';

export interface TeamProcess {
  url: string;
  port: number;
  dataDir: string;
  process: OwnedProcess;
  /**
   * The first-run code this instance prints on a fresh database. Waits for the line: /readyz can
   * answer (database and SFU up) a moment before the start-up finishes and prints it.
   */
  setupCode(): Promise<string>;
  /** SIGTERM: a graceful stop (streams closed, database closed). */
  stop(): Promise<void>;
  /** SIGKILL, now: whatever the process was doing is cut off. */
  kill(): Promise<void>;
}

export interface TeamProcessOptions {
  /** Settings as the operator gives them (DATABASE_URL, REDIS_URL, LIVEKIT_*...). */
  env: NodeJS.ProcessEnv;
  dataDir?: string;
  /** Restart on the same port (a load balancer's backend keeps its address). */
  port?: number;
}

/**
 * One team server instance as an operator runs it: its own process (`parley-server` from source
 * through tsx), configured by environment variables, ready once /readyz answers.
 */
export async function startTeamProcess(opts: TeamProcessOptions): Promise<TeamProcess> {
  const port = opts.port ?? (await freeTcpPort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-team-'));
  const proc = startOwned(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'server/cli.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...opts.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await until(
    `team server on ${port}`,
    proc,
    async () => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).ok,
    180_000,
  );
  return {
    url,
    port,
    dataDir,
    process: proc,
    async setupCode() {
      const printed = (): string | undefined => {
        for (const line of proc.log().reverse()) {
          try {
            const code = (JSON.parse(line) as { setupCode?: unknown }).setupCode;
            if (typeof code === 'string') return code;
          } catch {
            // not a JSON log line
          }
        }
        return undefined;
      };
      await until('first-run setup code', proc, async () => printed() !== undefined, 60_000);
      return printed()!;
    },
    stop: () => proc.stop('SIGTERM', 10_000),
    async kill() {
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
  };
}
