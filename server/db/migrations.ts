import type pg from 'pg';
import type { Logger } from 'pino';
import type Database from 'libsql';

/** An open libsql connection (the migrations run on it before Kysely takes over). */
export type SqliteHandle = InstanceType<typeof Database>;

/**
 * Versioned schema migrations, applied in order inside one transaction each, the same schema in
 * both engines: `sqlite` for the embedded file, `postgres` for a shared PostgreSQL (BIGINT where
 * SQLite's INTEGER holds milliseconds). Never edit a shipped migration: append a new one, with both
 * texts. SQLite records the last applied version in `PRAGMA user_version`, PostgreSQL in the
 * `schema_version` table. Times are integer milliseconds since the epoch (UTC); booleans are 0/1.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, rooms and meeting history',
    sqlite: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
      CREATE INDEX sessions_by_user ON sessions(user_id);
      CREATE TABLE invites (
        code_hash   TEXT PRIMARY KEY,
        role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        created_by  TEXT NOT NULL REFERENCES users(id),
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_by     TEXT REFERENCES users(id),
        used_at     INTEGER
      );
      CREATE TABLE rooms (
        name             TEXT PRIMARY KEY,
        title            TEXT NOT NULL,
        owner_id         TEXT NOT NULL REFERENCES users(id),
        lobby            INTEGER NOT NULL,
        allow_guests     INTEGER NOT NULL,
        locked           INTEGER NOT NULL,
        max_participants INTEGER,
        e2ee             TEXT NOT NULL CHECK (e2ee IN ('off', 'room-key', 'passphrase')),
        e2ee_key         TEXT,
        created_at       INTEGER NOT NULL
      );
      CREATE TABLE meetings (
        id          TEXT PRIMARY KEY,
        room_name   TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER
      );
      CREATE INDEX meetings_by_start ON meetings(started_at);
      CREATE INDEX meetings_by_room ON meetings(room_name, started_at);
      CREATE TABLE attendance (
        meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        participant_sid TEXT NOT NULL,
        identity        TEXT NOT NULL,
        user_id         TEXT,
        display_name    TEXT NOT NULL,
        role            TEXT NOT NULL,
        joined_at       INTEGER NOT NULL,
        left_at         INTEGER,
        PRIMARY KEY (meeting_id, participant_sid)
      );
      CREATE TABLE webhook_events (
        id           TEXT PRIMARY KEY,
        received_at  INTEGER NOT NULL
      );
      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        disabled      BIGINT NOT NULL DEFAULT 0,
        created_at    BIGINT NOT NULL
      );
      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  TEXT NOT NULL UNIQUE,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL,
        revoked_at  BIGINT
      );
      CREATE INDEX sessions_by_user ON sessions(user_id);
      CREATE TABLE invites (
        code_hash   TEXT PRIMARY KEY,
        role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        created_by  TEXT NOT NULL REFERENCES users(id),
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL,
        used_by     TEXT REFERENCES users(id),
        used_at     BIGINT
      );
      CREATE TABLE rooms (
        name             TEXT PRIMARY KEY,
        title            TEXT NOT NULL,
        owner_id         TEXT NOT NULL REFERENCES users(id),
        lobby            BIGINT NOT NULL,
        allow_guests     BIGINT NOT NULL,
        locked           BIGINT NOT NULL,
        max_participants BIGINT,
        e2ee             TEXT NOT NULL CHECK (e2ee IN ('off', 'room-key', 'passphrase')),
        e2ee_key         TEXT,
        created_at       BIGINT NOT NULL
      );
      CREATE TABLE meetings (
        id          TEXT PRIMARY KEY,
        room_name   TEXT NOT NULL,
        started_at  BIGINT NOT NULL,
        ended_at    BIGINT
      );
      CREATE INDEX meetings_by_start ON meetings(started_at);
      CREATE INDEX meetings_by_room ON meetings(room_name, started_at);
      CREATE TABLE attendance (
        meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        participant_sid TEXT NOT NULL,
        identity        TEXT NOT NULL,
        user_id         TEXT,
        display_name    TEXT NOT NULL,
        role            TEXT NOT NULL,
        joined_at       BIGINT NOT NULL,
        left_at         BIGINT,
        PRIMARY KEY (meeting_id, participant_sid)
      );
      CREATE TABLE webhook_events (
        id           TEXT PRIMARY KEY,
        received_at  BIGINT NOT NULL
      );
      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'sliding sessions, revocable invites and guest links, guest screen share',
    sqlite: `
      ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
      ALTER TABLE sessions ADD COLUMN max_expires_at INTEGER;
      ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
      ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
      UPDATE sessions SET last_used_at = created_at, max_expires_at = expires_at;
      ALTER TABLE invites ADD COLUMN id TEXT;
      ALTER TABLE invites ADD COLUMN revoked_at INTEGER;
      UPDATE invites SET id = lower(hex(randomblob(12)));
      CREATE UNIQUE INDEX invites_by_id ON invites(id);
      CREATE INDEX invites_by_created ON invites(created_at);
      ALTER TABLE rooms ADD COLUMN guests_can_share INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX rooms_by_owner ON rooms(owner_id, created_at);
      CREATE TABLE guest_links (
        id           TEXT PRIMARY KEY,
        room_name    TEXT NOT NULL REFERENCES rooms(name) ON DELETE CASCADE,
        secret_hash  TEXT NOT NULL,
        label        TEXT NOT NULL DEFAULT '',
        created_by   TEXT NOT NULL REFERENCES users(id),
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        max_uses     INTEGER NOT NULL,
        uses         INTEGER NOT NULL DEFAULT 0,
        revoked_at   INTEGER
      );
      CREATE INDEX guest_links_by_room ON guest_links(room_name, created_at);
      DELETE FROM settings WHERE key = 'guest-link-key';
    `,
    postgres: `
      ALTER TABLE sessions ADD COLUMN last_used_at BIGINT;
      ALTER TABLE sessions ADD COLUMN max_expires_at BIGINT;
      ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
      ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
      UPDATE sessions SET last_used_at = created_at, max_expires_at = expires_at;
      ALTER TABLE invites ADD COLUMN id TEXT;
      ALTER TABLE invites ADD COLUMN revoked_at BIGINT;
      UPDATE invites SET id = substr(md5(random()::text || code_hash), 1, 24);
      CREATE UNIQUE INDEX invites_by_id ON invites(id);
      CREATE INDEX invites_by_created ON invites(created_at);
      ALTER TABLE rooms ADD COLUMN guests_can_share BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX rooms_by_owner ON rooms(owner_id, created_at);
      CREATE TABLE guest_links (
        id           TEXT PRIMARY KEY,
        room_name    TEXT NOT NULL REFERENCES rooms(name) ON DELETE CASCADE,
        secret_hash  TEXT NOT NULL,
        label        TEXT NOT NULL DEFAULT '',
        created_by   TEXT NOT NULL REFERENCES users(id),
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL,
        max_uses     BIGINT NOT NULL,
        uses         BIGINT NOT NULL DEFAULT 0,
        revoked_at   BIGINT
      );
      CREATE INDEX guest_links_by_room ON guest_links(room_name, created_at);
      DELETE FROM settings WHERE key = 'guest-link-key';
    `,
  },
  {
    version: 3,
    name: 'recordings, and the room option that allows them',
    sqlite: `
      ALTER TABLE rooms ADD COLUMN allow_recording INTEGER NOT NULL DEFAULT 1;
      CREATE TABLE recordings (
        id             TEXT PRIMARY KEY,
        room_name      TEXT NOT NULL,
        meeting_id     TEXT,
        started_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
        started_at     INTEGER NOT NULL,
        ended_at       INTEGER,
        status         TEXT NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed')),
        partial        INTEGER NOT NULL DEFAULT 0,
        end_reason     TEXT,
        duration_ms    INTEGER,
        size_bytes     INTEGER,
        storage        TEXT NOT NULL CHECK (storage IN ('local', 's3')),
        storage_key    TEXT
      );
      CREATE INDEX recordings_by_start ON recordings(started_at);
      CREATE INDEX recordings_by_room ON recordings(room_name, started_at);
      -- At most one recording per room at a time: two concurrent starts cannot both insert.
      CREATE UNIQUE INDEX recordings_one_active ON recordings(room_name) WHERE status = 'recording';
    `,
    postgres: `
      ALTER TABLE rooms ADD COLUMN allow_recording BIGINT NOT NULL DEFAULT 1;
      CREATE TABLE recordings (
        id             TEXT PRIMARY KEY,
        room_name      TEXT NOT NULL,
        meeting_id     TEXT,
        started_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
        started_at     BIGINT NOT NULL,
        ended_at       BIGINT,
        status         TEXT NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed')),
        partial        BIGINT NOT NULL DEFAULT 0,
        end_reason     TEXT,
        duration_ms    BIGINT,
        size_bytes     BIGINT,
        storage        TEXT NOT NULL CHECK (storage IN ('local', 's3')),
        storage_key    TEXT
      );
      CREATE INDEX recordings_by_start ON recordings(started_at);
      CREATE INDEX recordings_by_room ON recordings(room_name, started_at);
      -- At most one recording per room at a time: two concurrent starts cannot both insert.
      CREATE UNIQUE INDEX recordings_one_active ON recordings(room_name) WHERE status = 'recording';
    `,
  },
  {
    version: 4,
    name: 'rooms: direct (peer-to-peer) two-person calls, on by default',
    sqlite: `ALTER TABLE rooms ADD COLUMN direct_calls INTEGER NOT NULL DEFAULT 1;`,
    postgres: `ALTER TABLE rooms ADD COLUMN direct_calls BIGINT NOT NULL DEFAULT 1;`,
  },
];

export function schemaVersion(db: SqliteHandle): number {
  return Number((db.prepare('PRAGMA user_version').raw(true).get() as unknown[] | undefined)?.[0] ?? 0);
}

function refuseNewer(current: number, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  // A newer server wrote this database: refusing beats silently misreading it.
  if (current > latest)
    throw new Error(`database schema version ${current} is newer than this server knows (${latest}); upgrade the server`);
}

export function migrateSqlite(db: SqliteHandle, migrations: readonly Migration[], log?: Logger): void {
  const current = schemaVersion(db);
  refuseNewer(current, migrations);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      db.exec(`PRAGMA user_version = ${m.version}`);
    })();
    log?.info({ version: m.version, migration: m.name }, 'database migrated');
  }
}

/** Any fixed number: instances starting together wait on it, so only one applies a migration. */
const MIGRATION_LOCK = 7_305_821;

export async function postgresSchemaVersion(pool: pg.Pool): Promise<number> {
  try {
    const r = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_version');
    return Number(r.rows[0]?.version ?? 0);
  } catch (err) {
    // 42P01: no schema_version table yet (a new database).
    if ((err as { code?: string }).code === '42P01') return 0;
    throw err;
  }
}

export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[], log?: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    for (const m of migrations) {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const r = await client.query<{ version: number }>('SELECT max(version) AS version FROM schema_version');
        const current = Number(r.rows[0]?.version ?? 0);
        refuseNewer(current, migrations);
        if (m.version <= current) {
          await client.query('COMMIT');
          continue;
        }
        // No parameters: the simple protocol runs every statement of the text.
        await client.query(m.postgres);
        await client.query('DELETE FROM schema_version');
        await client.query(`INSERT INTO schema_version (version) VALUES (${m.version})`);
        await client.query('COMMIT');
        log?.info({ version: m.version, migration: m.name }, 'database migrated');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    client.release();
  }
}
