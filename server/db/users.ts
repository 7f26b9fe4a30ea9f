import type { Role, User } from '@contracts/api';
import { prepared, scalar, type Db } from './statements';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  disabled: number;
  created_at: number;
}

export interface UserRecord extends User {
  passwordHash: string;
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    createdAt: new Date(r.created_at).toISOString(),
    passwordHash: r.password_hash,
  };
}

/** Strips the hash: the only shape that leaves the server. */
export function publicUser(u: UserRecord): User {
  const { passwordHash: _hash, ...user } = u;
  return user;
}

export class UserStore {
  /** `changed` runs after every write to an existing user, so caches of signed-in users drop them. */
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  count(): number {
    return Number(scalar(this.db, 'SELECT count(*) FROM users'));
  }

  countActiveAdmins(): number {
    return Number(scalar(this.db, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"));
  }

  byId(id: string): UserRecord | undefined {
    const row = prepared(this.db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toRecord(row);
  }

  byUsername(username: string): UserRecord | undefined {
    const row = prepared(this.db, 'SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toRecord(row);
  }

  list(): UserRecord[] {
    return (prepared(this.db, 'SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toRecord);
  }

  /** Throws a SQLite constraint error when the username is taken (callers map it to 409). */
  insert(u: { id: string; username: string; displayName: string; passwordHash: string; role: Role; now: number }): void {
    prepared(
      this.db,
      'INSERT INTO users (id, username, display_name, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)',
    ).run(u.id, u.username, u.displayName, u.passwordHash, u.role, u.now);
  }

  setPassword(id: string, passwordHash: string): void {
    prepared(this.db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
    this.changed();
  }

  update(id: string, patch: { role?: Role | undefined; disabled?: boolean | undefined }): void {
    if (patch.role !== undefined) prepared(this.db, 'UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
    if (patch.disabled !== undefined) prepared(this.db, 'UPDATE users SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id);
    this.changed();
  }
}
