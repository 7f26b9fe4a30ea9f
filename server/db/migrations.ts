/**
 * Versioned schema migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: append a new one. `PRAGMA user_version` records the last applied version.
 * Times are integer milliseconds since the epoch (UTC); booleans are 0/1.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, rooms and meeting history',
    sql: `
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
  },
  {
    version: 2,
    name: 'sliding sessions, revocable invites and guest links, guest screen share',
    sql: `
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
  },
];
