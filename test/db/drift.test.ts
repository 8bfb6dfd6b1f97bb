// The committed migrations, applied in order, build exactly the database prisma/schema.prisma describes. Branches
// that each add a migration are merged by hand; SQLite migrations that rebuild a table (Prisma's "RedefineTables")
// could then silently drop a column another branch added. This compares the migrated catalog with one built
// straight from the schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { adapterFactory } from '../../src/db/connection.ts';
import { migrateTarget } from '../../src/db/database.ts';
import { NO_FILTERS, trackConnections } from '../../src/db/migrations.ts';
import { openSchemaEngine } from '../../src/db/schema-engine.ts';
import { type Engine, deriveSchema, readSchemaSource } from '../../src/db/schema-source.ts';
import { ENGINES_UNDER_TEST } from '../support/databases.ts';

const PG = process.env.TEST_DATABASE_URL ?? '';

/** The SQL that creates the schema's database from nothing, as the schema engine writes it. */
async function createScript(engine: Engine): Promise<string> {
  const to = deriveSchema(readSchemaSource(), engine);
  const tracked = trackConnections(adapterFactory(engine === 'sqlite' ? { engine, url: ':memory:' } : { engine, url: PG }));
  const schemaEngine = await openSchemaEngine('schema.prisma', to, tracked.factory);
  try {
    const diff = await schemaEngine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return diff.stdout ?? '';
  } finally {
    schemaEngine.free();
    await tracked.disposeAll();
  }
}

type Catalog = string[];

function sqliteCatalog(file: string): Catalog {
  const db = new Database(file, { readonly: true });
  try {
    const out: string[] = [];
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('_prisma_migrations', 'sqlite_sequence')")
      .all() as { name: string }[];
    for (const { name } of tables) {
      for (const c of db.pragma(`table_xinfo("${name}")`) as Array<Record<string, unknown>>)
        out.push(`column ${name}.${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
      for (const i of db.pragma(`index_list("${name}")`) as Array<{ name: string; unique: number; origin: string }>) {
        const cols = (db.pragma(`index_info("${i.name}")`) as Array<{ name: string }>).map((x) => x.name).join(',');
        out.push(`index ${name}(${cols}) unique=${i.unique} origin=${i.origin}`);
      }
      for (const f of db.pragma(`foreign_key_list("${name}")`) as Array<Record<string, unknown>>)
        out.push(`fk ${name}.${f.from} -> ${f.table}.${f.to} update=${f.on_update} delete=${f.on_delete}`);
    }
    return out.sort();
  } finally {
    db.close();
  }
}

async function pgCatalog(client: pg.Client, schema: string): Promise<Catalog> {
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = $1 AND table_name <> '_prisma_migrations'`,
    [schema],
  );
  const indexes = await client.query(
    `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations'`,
    [schema],
  );
  const constraints = await client.query(
    `SELECT t.relname AS table, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND t.relname <> '_prisma_migrations'`,
    [schema],
  );
  const types = await client.query(
    `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels FROM pg_type t
     JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 GROUP BY t.typname`,
    [schema],
  );
  // Definitions name their own schema; the two schemas differ only in that.
  const local = (text: unknown) => String(text).replaceAll(`"${schema}".`, '').replaceAll(`${schema}.`, '');
  return [
    ...columns.rows.map(
      (c) => `column ${c.table_name}.${c.column_name} ${c.data_type} null=${c.is_nullable} default=${local(c.column_default)}`,
    ),
    ...indexes.rows.map((i) => `index ${i.tablename} ${local(i.indexdef)}`),
    ...constraints.rows.map((c) => `constraint ${c.table}.${c.conname} ${local(c.def)}`),
    ...types.rows.map((t) => `enum ${t.typname} ${t.labels}`),
  ].sort();
}

describe('the committed migrations build the schema', () => {
  if (ENGINES_UNDER_TEST.includes('sqlite'))
    it('on SQLite', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'pulje-drift-'));
      try {
        const migrated = path.join(dir, 'migrated.db');
        await migrateTarget({ engine: 'sqlite', url: migrated });
        const direct = path.join(dir, 'direct.db');
        const db = new Database(direct);
        db.exec(await createScript('sqlite'));
        db.close();
        const expected = sqliteCatalog(direct);
        expect(expected.length).toBeGreaterThan(50);
        expect(sqliteCatalog(migrated)).toEqual(expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

  if (ENGINES_UNDER_TEST.includes('postgresql'))
    it('on PostgreSQL', async () => {
      const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const migrated = `drift_m_${tag}`;
      const direct = `drift_d_${tag}`;
      const client = new pg.Client({ connectionString: PG });
      await client.connect();
      try {
        await migrateTarget({ engine: 'postgresql', url: PG, schema: migrated });
        await client.query(`CREATE SCHEMA "${direct}"`);
        await client.query(`SET search_path TO "${direct}"`);
        await client.query((await createScript('postgresql')).replaceAll('"public".', ''));
        const expected = await pgCatalog(client, direct);
        expect(expected.length).toBeGreaterThan(50);
        expect(await pgCatalog(client, migrated)).toEqual(expected);
      } finally {
        await client.query(`DROP SCHEMA IF EXISTS "${migrated}" CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS "${direct}" CASCADE`);
        await client.end();
      }
    });
});
