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
}

export async function openDatabase(databaseUrl: string | undefined, opts: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  if (opts.exclusive && target.engine === 'sqlite') assertSqliteFree(target.url);
  if (opts.migrate) await migrateTarget(target);
  const adapter = adapterFactory(target, opts.poolSize ? { poolSize: opts.poolSize } : {});
  // Many members vote at once: transactions queue (SQLite has one writer, PostgreSQL locks the round row),
  // so waiting for a turn must not time out after Prisma's default 2 s.
  const transactionOptions = { maxWait: 30_000, timeout: 30_000 };
  // Only the engine in use is loaded: each generated client is large, and start-up time counts.
  const prisma =
    target.engine === 'sqlite'
      ? new (await import('../generated/sqlite/client.ts')).PrismaClient({ adapter, transactionOptions })
      : (new (await import('../generated/postgresql/client.ts')).PrismaClient({ adapter, transactionOptions }) as unknown as Prisma);
  if (target.engine === 'sqlite') {
    // WAL: readers never wait for the writer; concurrent writers queue on busy_timeout instead of failing.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    if (opts.exclusive) await holdSqlite(prisma);
  }
  return { engine: target.engine, prisma, close: () => prisma.$disconnect() };
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
