import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freeTcpPort } from '@server/lib/free-port';
import { randomSecret } from '@server/lib/crypto';
import { startOwned, until, type OwnedProcess } from './process';

export interface TestPostgres {
  port: number;
  /** A fresh, empty database on this server; its postgres:// URL (with the password). */
  createDatabase(name?: string): Promise<string>;
  process: OwnedProcess;
  stop(): Promise<void>;
}

/** Debian installs each major version's server programs under /usr/lib/postgresql/<major>/bin, off PATH. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : undefined;
}

/**
 * PostgreSQL refuses to run as root. As root (CI), its programs run as Debian's unprivileged
 * `postgres` account (the postgresql package creates it), its folder owned by that account; the
 * process is spawned with that uid directly rather than through runuser, so that the signals that
 * stop it reach the postmaster itself and none outlives the test.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** initdb in a temp dir, then the server on a free loopback port with a password; stop() removes it all. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: sudo apt-get install -y postgresql');
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const data = join(dir, 'data');
  const password = randomSecret(18);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'parley', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-sync'],
    { stdio: 'pipe', cwd: dir, ...user },
  );
  rmSync(pwfile);
  const port = await freeTcpPort();
  // fsync off: these servers live for one test run; a crash of the team server (what the tests
  // kill) loses nothing either way, since every commit reaches the OS before it is acknowledged.
  const proc = startOwned(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=100',
      '-c',
      'log_min_messages=warning',
    ],
    { cwd: dir, ...user },
  );
  const admin = (database = 'postgres') => `postgres://parley:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await until('postgres', proc, async () => {
    const c = new pg.Client({ connectionString: admin() });
    try {
      await c.connect();
      return true;
    } finally {
      await c.end().catch(() => undefined);
    }
  });
  let n = 0;
  return {
    port,
    process: proc,
    async createDatabase(name = `parley_${process.pid}_${++n}`) {
      const c = new pg.Client({ connectionString: admin() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return admin(name);
    },
    async stop() {
      // SIGINT: PostgreSQL's "fast" shutdown (SIGTERM waits for clients to leave).
      await proc.stop('SIGINT', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
