import { prepared, scalar, type Db } from './statements';

/** Small server-wide values (signing keys) that must survive restarts. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    return scalar(this.db, 'SELECT value FROM settings WHERE key = ?', key) as string | undefined;
  }

  /** Returns the stored value, creating it with make() the first time. */
  getOrCreate(key: string, make: () => string): string {
    prepared(this.db, 'INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, make());
    return this.get(key)!;
  }
}
