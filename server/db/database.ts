import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import Database from 'libsql';
import pg from 'pg';
import type { Logger } from 'pino';
import { MIGRATIONS, migratePostgres, migrateSqlite } from './migrations';
import type { Schema } from './schema';

export { migrateSqlite as migrate, schemaVersion } from './migrations';

/** Where durable state lives: a SQLite file on this machine (the default), or a PostgreSQL shared by several instances. */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export type { SqliteHandle } from './migrations';

interface Scope {
  tx: Transaction<Schema>;
  afterCommit: (() => Promise<void> | void)[];
}

/** PostgreSQL's "could not serialize access": the transaction lost a race and is run again. */
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';
const TRANSACTION_ATTEMPTS = 5;

/**
 * The database, through one query builder whichever engine holds it. Stores read `q`, which is the
 * open transaction when called inside `transaction()` (tracked per async call chain), else the
 * pool: a route wraps several store calls in a transaction without handing a handle to each.
 */
export class Db {
  private readonly scope = new AsyncLocalStorage<Scope>();

  constructor(
    readonly dialect: DatabaseTarget['kind'],
    private readonly root: Kysely<Schema>,
    private readonly closeEngine: () => Promise<void>,
  ) {}

  get q(): Kysely<Schema> {
    return this.scope.getStore()?.tx ?? this.root;
  }

  get inTransaction(): boolean {
    return this.scope.getStore() !== undefined;
  }

  /**
   * Runs fn in one transaction (nested calls join the outer one). On PostgreSQL it is SERIALIZABLE,
   * so a check-then-write (the last admin, the first setup) holds against another instance doing
   * the same at once; a lost race is retried from the start, so fn must only touch the database
   * (and register what follows the commit with afterCommit).
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return fn();
    for (let attempt = 1; ; attempt++) {
      const afterCommit: Scope['afterCommit'] = [];
      try {
        const begin = this.root.transaction();
        const result = await (this.dialect === 'postgres' ? begin.setIsolationLevel('serializable') : begin).execute((tx) =>
          this.scope.run({ tx, afterCommit }, fn),
        );
        for (const run of afterCommit) await run();
        return result;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if ((code !== SERIALIZATION_FAILURE && code !== DEADLOCK) || attempt >= TRANSACTION_ATTEMPTS) throw err;
      }
    }
  }

  /** Runs fn once the current transaction commits (at once outside one): cache invalidation must follow the data. */
  async afterCommit(fn: () => Promise<void> | void): Promise<void> {
    const s = this.scope.getStore();
    if (s) s.afterCommit.push(fn);
    else await fn();
  }

  async ping(): Promise<boolean> {
    try {
      const r = await sql<{ one: number }>`SELECT 1 AS one`.execute(this.root);
      return Number(r.rows[0]?.one) === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.root.destroy();
    await this.closeEngine();
  }
}

/**
 * Makes the file (and its folder) private to this user before SQLite touches it: the database holds
 * password hashes, session hashes and room keys. SQLite gives its -wal and -shm files the database
 * file's mode, so one chmod covers all three. An existing file is tightened too (it may have been
 * created 0644 by an older version or by hand).
 */
function privateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  if (process.platform !== 'win32') chmodSync(file, 0o600);
}

/** Opens (creating if needed) the SQLite file and brings its schema up to date. */
export function openSqlite(file: string, log?: Logger): Db {
  privateFile(file);
  const handle = new Database(file);
  // WAL: readers never block the writer; a crash mid-write leaves the last committed state.
  handle.exec('PRAGMA journal_mode = WAL');
  handle.exec('PRAGMA synchronous = NORMAL');
  handle.exec('PRAGMA foreign_keys = ON');
  handle.exec('PRAGMA busy_timeout = 5000');
  migrateSqlite(handle, MIGRATIONS, log);
  // Kysely's SQLite dialect takes a better-sqlite3-shaped handle, which libsql's N-API module is.
  const kysely = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: handle as unknown as ConstructorParameters<typeof SqliteDialect>[0]['database'] }),
  });
  return new Db('sqlite', kysely, async () => undefined);
}

/** BIGINT (int8) columns hold milliseconds and counts, well inside a double: read them as numbers, not strings. */
const INT8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A pool on DATABASE_URL; migrations run under an advisory lock so instances starting together take turns. */
export async function openPostgres(url: string, log?: Logger): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; without a listener it would crash the process.
  pool.on('error', (err) => log?.warn({ err }, 'database connection lost; the pool reconnects'));
  try {
    await migratePostgres(pool, MIGRATIONS, log);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  // Kysely's destroy() ends the pool it was given.
  return new Db('postgres', kysely, async () => undefined);
}

export function openDatabase(target: DatabaseTarget, log?: Logger): Promise<Db> {
  return target.kind === 'sqlite' ? Promise.resolve(openSqlite(target.file, log)) : openPostgres(target.url, log);
}

/**
 * A consistent copy of a live SQLite database into a new 0600 file, without writing to the source:
 * it is opened read-only (libsql ignores better-sqlite3's `readonly` option; SQLite's URI mode=ro
 * holds) and never migrated, so a backup taken with a newer server binary cannot upgrade the running one.
 */
export function backupDatabase(source: string, target: string): void {
  if (!existsSync(source)) throw Object.assign(new Error(`no database at ${source}`), { code: 'DB_MISSING' });
  const out = resolve(target);
  // VACUUM INTO accepts an empty file and keeps its mode; 'wx' refuses to overwrite anything.
  closeSync(openSync(out, 'wx', 0o600));
  const db = new Database(`${pathToFileURL(resolve(source)).href}?mode=ro`);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(out);
  } finally {
    db.close();
  }
  if (process.platform !== 'win32') chmodSync(out, 0o600);
}

/**
 * libpq's environment for a connection URL: pg_dump and pg_restore get the password this way,
 * never on their command line (every local user can read /proc/<pid>/cmdline).
 */
export function libpqEnvironment(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {};
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (name) env.PGDATABASE = name;
  for (const [k, v] of u.searchParams) {
    if (k === 'host') env.PGHOST = v;
    if (k === 'sslmode') env.PGSSLMODE = v;
  }
  return env;
}

/** Runs a libpq tool with the URL's connection in its environment; rejects with its stderr on failure. */
export function runLibpqTool(tool: string, args: string[], url: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = {};
    // Only what the tool needs: no stray PG* variable of the shell may point it elsewhere.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
    const child = spawn(tool, args, { env: { ...env, ...libpqEnvironment(url) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', (err) =>
      reject(Object.assign(new Error(`${tool} could not run: ${err.message} (install postgresql-client)`), { code: 'DB_TOOL_MISSING' })),
    );
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(Object.assign(new Error(`${tool} failed: ${stderr.trim()}`), { code: 'DB_BACKUP_FAILED' })),
    );
  });
}

/**
 * A consistent snapshot of a live PostgreSQL database (pg_dump runs in one repeatable-read
 * transaction) into a new 0600 file in pg_dump's custom format; restore it with pg_restore.
 */
export async function backupPostgres(url: string, target: string): Promise<void> {
  const out = resolve(target);
  closeSync(openSync(out, 'wx', 0o600));
  try {
    await runLibpqTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`], url);
  } catch (err) {
    rmSync(out, { force: true });
    throw err;
  }
  if (process.platform !== 'win32') chmodSync(out, 0o600);
}
