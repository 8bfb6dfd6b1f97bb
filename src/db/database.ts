import pg from 'pg';
import type { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { adapterFactory, parseDatabaseUrl, type ConnectionTarget } from './connection.ts';
import { applyMigrations } from './migrations.ts';
import { assertSqliteFree, holdSqlite } from './sqlite-lock.ts';
import type { Engine } from './schema-source.ts';

// Both generated clients come from one schema and expose the same model API; the SQLite one names the type.
export type Prisma = SqliteClient;
export type { Prisma as PrismaTypes } from '../generated/sqlite/client.ts';
export type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export interface Database {
  engine: Engine;
  prisma: Prisma;
  close(): Promise<void>;
  /** SQL statements sent so far, when opened with `countStatements` (diagnostics, the HTTP bench). */
  statements?(): number;
  /** With `countStatements`: the statements that took the most time in all, slowest first (diagnostics). */
  costliest?(n: number): Array<{ sql: string; count: number; totalMs: number }>;
}

export interface OpenOptions {
  /** Apply committed migrations first (start-up does; tests use a migrated template). */
  migrate?: boolean;
  poolSize?: number;
  /**
   * SQLite only: refuse to start if another process holds the file, then hold it for as long as this process
   * runs (`npm start`; tests and CLIs share files and leave this off).
   */
  exclusive?: boolean;
  /** Count every SQL statement (Prisma's query events); off by default, it costs CPU on every statement. */
  countStatements?: boolean;
  /** SQLite's `synchronous` (default `full`: an acknowledged commit survives power loss; see PULJE_SQLITE_SYNC). */
  sqliteSync?: 'full' | 'normal';
}

export async function openDatabase(databaseUrl: string | undefined, opts: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  if (opts.exclusive && target.engine === 'sqlite') assertSqliteFree(target.url);
  if (opts.migrate) await migrateTarget(target);
  const adapter = adapterFactory(target, opts.poolSize ? { poolSize: opts.poolSize } : {});
  // Many members vote at once: transactions queue (SQLite has one writer, PostgreSQL locks the round row),
  // so waiting for a turn must not time out after Prisma's default 2 s.
  const transactionOptions = { maxWait: 30_000, timeout: 30_000 };
  // errorFormat 'minimal': Prisma's pretty errors capture and render stack frames on every error, which a busy
  // server pays for (unique violations are expected on every claim race).
  const log = opts.countStatements ? [{ emit: 'event' as const, level: 'query' as const }] : [];
  // Only the engine in use is loaded: each generated client is large, and start-up time counts.
  const prisma =
    target.engine === 'sqlite'
      ? new (await import('../generated/sqlite/client.ts')).PrismaClient({ adapter, transactionOptions, log, errorFormat: 'minimal' })
      : (new (await import('../generated/postgresql/client.ts')).PrismaClient({
          adapter,
          transactionOptions,
          log,
          errorFormat: 'minimal',
        }) as unknown as Prisma);
  let statements = 0;
  const cost = new Map<string, { count: number; totalMs: number }>();
  if (opts.countStatements)
    (prisma as unknown as { $on(e: 'query', f: (e: { query: string; duration: number }) => void): void }).$on('query', (e) => {
      statements++;
      const c = cost.get(e.query) ?? { count: 0, totalMs: 0 };
      c.count++;
      c.totalMs += Number(e.duration);
      if (cost.size < 2000 || cost.has(e.query)) cost.set(e.query, c);
    });
  if (target.engine === 'sqlite') {
    // WAL: readers never wait for the writer; concurrent writers queue on busy_timeout instead of failing.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    // WAL with synchronous=FULL syncs the log on every commit: what was acknowledged is on disk.
    await prisma.$executeRawUnsafe(`PRAGMA synchronous = ${opts.sqliteSync === 'normal' ? 'NORMAL' : 'FULL'}`);
    if (opts.exclusive) await holdSqlite(prisma);
  }
  return {
    engine: target.engine,
    prisma,
    close: () => prisma.$disconnect(),
    ...(opts.countStatements
      ? {
          statements: () => statements,
          costliest: (n: number) =>
            [...cost]
              .sort((a, b) => b[1].totalMs - a[1].totalMs)
              .slice(0, n)
              .map(([sql, c]) => ({ sql: sql.slice(0, 300), count: c.count, totalMs: Math.round(c.totalMs) })),
        }
      : {}),
  };
}

export async function migrateTarget(target: ConnectionTarget): Promise<string[]> {
  if (target.engine === 'postgresql' && target.schema) {
    // Tables are created unqualified (search_path), so the schema itself must exist first.
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
  }
  return applyMigrations(target);
}
