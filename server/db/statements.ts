import type Database from 'libsql';

/** An open libsql database (better-sqlite3's API). */
export type Db = InstanceType<typeof Database>;

declare const _db: Db;
/** A statement taking positional parameters, as every store passes them. */
export type Statement = ReturnType<typeof _db.prepare<unknown[]>>;

// One cache per open database. Keyed by the database object, so a closed and dropped database takes
// its statements with it.
const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * `db.prepare(sql)`, once per database and SQL text. Preparing (parsing and planning) costs more than
 * running the point queries of a request, and every authenticated request runs some; libsql resets
 * a statement on each get/run/all, so a cached one holds no read snapshot between uses.
 * Only for constant SQL: a text built from request data (e.g. an IN list per row count) would grow
 * the cache without bound; prepare those with `db.prepare`.
 */
export function prepared(db: Db, sql: string, mode: 'rows' | 'raw' = 'rows'): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  // Raw mode is a property of the statement, so raw and row statements for one text are cached apart.
  const key = mode === 'raw' ? `raw\0${sql}` : sql;
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    if (mode === 'raw') stmt.raw(true);
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * The first column of the first row, or undefined. libsql's pluck() and pragma({simple}) do not
 * apply to get() (they return the whole row), so scalars go through raw mode.
 */
export function scalar(db: Db, sql: string, ...args: unknown[]): unknown {
  const row = prepared(db, sql, 'raw').get(...args) as unknown[] | undefined;
  return row?.[0];
}
