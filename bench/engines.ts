// A throw-away migrated database per engine for a benchmark: an SQLite file in a temporary folder, or a fresh
// schema on the PostgreSQL server (TEST_DATABASE_URL, else the local one), dropped afterwards. PostgreSQL that
// cannot be reached is reported as skipped, not an error: the bench still prints the SQLite figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, migrateTarget, openDatabase } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';

export const DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';

export interface Skipped {
  engine: Engine;
  skipped: true;
  reason: string;
}

export async function onSqlite<T>(name: string, run: (db: Database) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `pulje-bench-${name}-`));
  const file = path.join(dir, 'bench.db');
  try {
    await migrateTarget({ engine: 'sqlite', url: file });
    const db = await openDatabase(`file:${file}`);
    try {
      return await run(db);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function onPostgres<T>(name: string, run: (db: Database) => Promise<T>): Promise<T | Skipped> {
  const base = process.env.TEST_DATABASE_URL || DEFAULT_PG;
  const shown = base.replace(/\/\/([^@/]*)@/, '//…@');
  const probe = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
  } catch (error) {
    return { engine: 'postgresql', skipped: true, reason: `PostgreSQL at ${shown} is not reachable: ${(error as Error).message}` };
  } finally {
    await probe.end().catch(() => {});
  }
  const schema = `bench_${name}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await migrateTarget({ engine: 'postgresql', url: base, schema });
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  const db = await openDatabase(u.toString());
  try {
    return await run(db);
  } finally {
    await db.close();
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}
