import type { Role, User } from '@contracts/api';
import type { Db } from './database';
import type { Schema } from './schema';

type UserRow = Schema['users'];

export interface UserRecord extends User {
  passwordHash: string;
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: Number(r.disabled) === 1,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    passwordHash: r.password_hash,
  };
}

/** Strips the hash: the only shape that leaves the server. */
export function publicUser(u: UserRecord): User {
  const { passwordHash: _hash, ...user } = u;
  return user;
}

export class UserStore {
  /** `changed` runs after every write to an existing user commits, so caches of signed-in users drop them. */
  constructor(
    private readonly db: Db,
    private readonly changed: () => Promise<void> = async () => undefined,
  ) {}

  async count(): Promise<number> {
    const r = await this.db.q
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async countActiveAdmins(): Promise<number> {
    const r = await this.db.q
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async byId(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async byUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.q.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.q.selectFrom('users').selectAll().orderBy('username').execute()).map(toRecord);
  }

  /** The enabled admins' ids (the hosts of every room). */
  async activeAdminIds(): Promise<string[]> {
    const rows = await this.db.q.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
    return rows.map((r) => r.id);
  }

  /** Throws a unique-constraint error when the username is taken (callers map it to 409). */
  async insert(u: { id: string; username: string; displayName: string; passwordHash: string; role: Role; now: number }): Promise<void> {
    await this.db.q
      .insertInto('users')
      .values({
        id: u.id,
        username: u.username,
        display_name: u.displayName,
        password_hash: u.passwordHash,
        role: u.role,
        disabled: 0,
        created_at: u.now,
      })
      .execute();
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db.q.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    await this.db.afterCommit(this.changed);
  }

  async update(id: string, patch: { role?: Role | undefined; disabled?: boolean | undefined }): Promise<void> {
    const set: Partial<UserRow> = {};
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (Object.keys(set).length) await this.db.q.updateTable('users').set(set).where('id', '=', id).execute();
    await this.db.afterCommit(this.changed);
  }
}
