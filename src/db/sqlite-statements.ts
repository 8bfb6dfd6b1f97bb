import type { Database as Sqlite, Statement } from 'better-sqlite3';

/**
 * Prisma's better-sqlite3 adapter prepares every statement it runs, every time (`client.prepare(sql).bind(args)`),
 * and preparing is a large share of a busy server's CPU. Prisma's SQL for one query shape is always the same
 * text, so prepared statements can be kept and reused: this replaces the connection's `prepare` with one that
 * answers from a bounded cache. better-sqlite3 binds parameters to a statement for good, so `bind(args)` here
 * returns a light view that passes `args` at each run instead; everything the adapter calls on a statement
 * (`reader`, `columns()`, `run()`, `raw().all()`) behaves as on a freshly prepared one.
 */
export function reusePreparedStatements(db: Sqlite, max = 500): { size(): number; prepared(): number } {
  const cache = new Map<string, Statement>();
  let prepared = 0;
  const original = db.prepare.bind(db);
  const prepare = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (stmt) {
      // Most recently used last, so the oldest goes first when the cache is full.
      cache.delete(sql);
      cache.set(sql, stmt);
      return stmt;
    }
    stmt = original(sql);
    prepared++;
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(sql, stmt);
    return stmt;
  };
  // A statement's columns never change; the adapter asks for them on every read.
  const columnsOf = new WeakMap<Statement, ReturnType<Statement['columns']>>();
  const columns = (stmt: Statement) => {
    let c = columnsOf.get(stmt);
    if (!c) columnsOf.set(stmt, (c = stmt.columns()));
    return c;
  };
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    const stmt = prepare(sql);
    return {
      reader: stmt.reader,
      bind: (args: unknown[]) => ({
        reader: stmt.reader,
        columns: () => columns(stmt),
        run: () => stmt.run(...args),
        raw: () => ({ all: () => stmt.raw(true).all(...args) }),
        all: () => stmt.raw(false).all(...args),
        get: () => stmt.raw(false).get(...args),
      }),
      run: (...args: unknown[]) => stmt.run(...args),
      all: (...args: unknown[]) => stmt.raw(false).all(...args),
      get: (...args: unknown[]) => stmt.raw(false).get(...args),
      columns: () => stmt.columns(),
      raw: (on = true) => stmt.raw(on),
    };
  };
  return { size: () => cache.size, prepared: () => prepared };
}
