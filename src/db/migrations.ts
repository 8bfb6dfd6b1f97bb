import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { adapterFactory, type ConnectionTarget } from './connection.ts';
import { openSchemaEngine } from './schema-engine.ts';
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

/** Applies every committed migration not yet applied; a second call is a no-op. Returns the names applied. */
export async function applyMigrations(target: ConnectionTarget): Promise<string[]> {
  const schemaText = deriveSchema(readSchemaSource(), target.engine);
  const tracked = trackConnections(adapterFactory(target, { poolSize: 1 }));
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
