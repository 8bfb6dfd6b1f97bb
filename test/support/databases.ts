import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { migrateTarget, openDatabase, type Database } from '../../src/db/database.ts';
import type { Engine } from '../../src/db/schema-source.ts';

/** SQLite always; PostgreSQL whenever TEST_DATABASE_URL is set (CI sets it and fails if it is missing). */
export const ENGINES_UNDER_TEST: Engine[] = ['sqlite', ...(process.env.TEST_DATABASE_URL ? (['postgresql'] as const) : [])];

let sqliteTemplate: Promise<string> | undefined;

/** One migrated SQLite file per worker; each test gets a copy, which is far quicker than migrating again. */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pulje-tpl-')), 'template.db');
    await migrateTarget({ engine: 'sqlite', url: file });
    return file;
  })();
  return sqliteTemplate;
}

export interface TestDatabase extends Database {
  url: string;
  /** Closes and throws the database away. */
  destroy(): Promise<void>;
}

/** A new, migrated, empty database that no other test sees. */
export async function freshDatabase(engine: Engine, opts: { poolSize?: number; countStatements?: boolean } = {}): Promise<TestDatabase> {
  const counting = opts.countStatements ? { countStatements: true } : {};
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'pulje-test-'));
    const file = path.join(dir, 'pulje.db');
    copyFileSync(await migratedSqliteTemplate(), file);
    const url = `file:${file}`;
    const db = await openDatabase(url, counting);
    return {
      ...db,
      url,
      destroy: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  // Every connection to this schema, from this process or a child it starts, carries the schema's name, so that
  // destroy() can find the ones still open.
  u.searchParams.set('application_name', schema);
  const url = u.toString();
  await migrateTarget({ engine: 'postgresql', url: base, schema });
  const db = await openDatabase(url, { ...counting, ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  return {
    ...db,
    url,
    destroy: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await dropSchema(client, schema);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Drops a test's schema. A connection that outlived its process's close (a child process's backend still finishing
 * a statement) can hold a lock the drop needs and deadlock it (seen once in CI), so those are ended first, and a drop
 * chosen as a deadlock's victim is tried again.
 */
async function dropSchema(client: pg.Client, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [
      schema,
    ]);
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '40P01' || attempt >= 5) throw e;
    }
  }
}

/**
 * Runs a suite once per engine under test, with a fresh database for every test:
 * `describeEachEngine('ballots', (db) => { it('…', async () => { db().prisma … }) })`.
 */
export function describeEachEngine(name: string, suite: (db: () => TestDatabase, engine: Engine) => void): void {
  for (const engine of ENGINES_UNDER_TEST) {
    describe(`${name} [${engine}]`, () => {
      let current: TestDatabase | undefined;
      beforeEach(async () => {
        current = await freshDatabase(engine);
      });
      afterEach(async () => {
        await current?.destroy();
        current = undefined;
      });
      suite(() => {
        if (!current) throw new Error('no database: use db() inside a test');
        return current;
      }, engine);
    });
  }
}
