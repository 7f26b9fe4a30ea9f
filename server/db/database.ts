import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import type { Logger } from 'pino';
import { MIGRATIONS, type Migration } from './migrations';
import { scalar, type Db } from './statements';

export type { Db } from './statements';

/** Opens (creating if needed) the SQLite file and brings its schema up to date. */
export function openDatabase(file: string, log?: Logger): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL: readers never block the writer; a crash mid-write leaves the last committed state.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db, MIGRATIONS, log);
  return db;
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
