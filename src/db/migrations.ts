import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { adapterFactory, type ConnectionTarget } from './connection.ts';
import { deriveSchema, migrationsDir, readSchemaSource, type Engine } from './schema-source.ts';

/** Wraps a factory so every connection the schema engine opens can be closed afterwards. */
export function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const remember = async (p: Promise<SqlDriverAdapter>) => {
    const adapter = await p;
    opened.push(adapter);
    return adapter;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => remember(factory.connect()),
    connectToShadowDb: () => remember(factory.connectToShadowDb()),
  };
  return {
    factory: wrapped,
    disposeAll: async () => {
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** The committed migrations of one engine, in the shape the schema engine reads (like `prisma migrate deploy`). */
export function loadMigrationList(engine: Engine): MigrationList {
  const baseDir = migrationsDir(engine);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Names of the migrations the database records as applied; empty when it has no migration table yet. */
async function appliedNames(target: ConnectionTarget): Promise<Set<string>> {
  const sql = 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (target.engine === 'sqlite') {
    if (target.url === ':memory:' || !existsSync(target.url)) return new Set();
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(target.url, { readonly: true, timeout: 2000 });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      return new Set(
        table
          ? db
              .prepare(sql)
              .all()
              .map((r) => (r as { migration_name: string }).migration_name)
          : [],
      );
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const schema = (target.schema ?? 'public').replace(/"/g, '');
  const client = new pg.Client({ connectionString: target.url, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    const exists = await client.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'",
      [schema],
    );
    if (!exists.rowCount) return new Set();
    return new Set((await client.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name));
  } finally {
    await client.end();
  }
}

/**
 * Applies every committed migration not yet applied; a second call is a no-op. Returns the names applied. When
 * the database already has them all (every restart but the first after an upgrade), the schema engine is not
 * loaded at all: it is a large WebAssembly module that costs start-up time and memory for nothing then.
 */
export async function applyMigrations(target: ConnectionTarget): Promise<string[]> {
  const applied = await appliedNames(target).catch(() => new Set<string>());
  const committed = loadMigrationList(target.engine).migrationDirectories.map((d) => d.path);
  if (committed.length && committed.every((name) => applied.has(name))) return [];
  const schemaText = deriveSchema(readSchemaSource(), target.engine);
  const tracked = trackConnections(adapterFactory(target, { poolSize: 1 }));
  const { openSchemaEngine } = await import('./schema-engine.ts');
  const engine = await openSchemaEngine('schema.prisma', schemaText, tracked.factory);
  try {
    const out = await engine.applyMigrations({ migrationsList: loadMigrationList(target.engine), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
    // Freeing the engine does not close what it opened; an open SQLite handle would lock out the app.
    await tracked.disposeAll();
  }
}
