import pg from 'pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.ts';
import { adapterFactory, parseDatabaseUrl, type ConnectionTarget } from './connection.ts';
import { applyMigrations } from './migrations.ts';
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
}

export async function openDatabase(databaseUrl: string | undefined, opts: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  if (opts.migrate) await migrateTarget(target);
  const adapter = adapterFactory(target, opts.poolSize ? { poolSize: opts.poolSize } : {});
  // Many members vote at once: transactions queue (SQLite has one writer, PostgreSQL locks the round row),
  // so waiting for a turn must not time out after Prisma's default 2 s.
  const transactionOptions = { maxWait: 30_000, timeout: 30_000 };
  const prisma =
    target.engine === 'sqlite'
      ? new SqliteClient({ adapter, transactionOptions })
      : (new PostgresClient({ adapter, transactionOptions }) as unknown as Prisma);
  if (target.engine === 'sqlite') {
    // WAL: readers never wait for the writer; concurrent writers queue on busy_timeout instead of failing.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
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
