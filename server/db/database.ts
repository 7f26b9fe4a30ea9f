import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import type { Logger } from 'pino';
import { MIGRATIONS, type Migration } from './migrations';
import { scalar, type Db } from './statements';

export type { Db } from './statements';

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
export function openDatabase(file: string, log?: Logger): Db {
  privateFile(file);
  const db = new Database(file);
  // WAL: readers never block the writer; a crash mid-write leaves the last committed state.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db, MIGRATIONS, log);
  return db;
}

/**
 * A consistent copy of a live database into a new 0600 file, without writing to the source: it is
 * opened read-only (libsql ignores better-sqlite3's `readonly` option; SQLite's URI mode=ro holds)
 * and never migrated, so a backup taken with a newer server binary cannot upgrade the running one.
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

export function schemaVersion(db: Db): number {
  return Number(scalar(db, 'PRAGMA user_version'));
}

export function migrate(db: Db, migrations: readonly Migration[], log?: Logger): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    // A newer server wrote this file: refusing beats silently misreading it.
    throw new Error(`database schema version ${current} is newer than this server knows (${latest}); upgrade the server`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    })();
    log?.info({ version: m.version, migration: m.name }, 'database migrated');
  }
}
