// Developer tool: `npm run db:migration -- <name>` writes a new migration for BOTH engines from the change
// between the schema snapshot (the state of the newest migration) and prisma/schema.prisma. It compares two
// schema files, so it needs no shadow database and no native engine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adapterFactory } from '../src/db/connection.ts';
import { NO_FILTERS, trackConnections } from '../src/db/migrations.ts';
import { openSchemaEngine } from '../src/db/schema-engine.ts';
import { ENGINES, SCHEMA_SNAPSHOT, deriveSchema, migrationsDir, readSchemaSource } from '../src/db/schema-source.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in lower_snake_case>');
  process.exit(2);
}
const source = readSchemaSource();
const previous = existsSync(SCHEMA_SNAPSHOT) ? readFileSync(SCHEMA_SNAPSHOT, 'utf8') : undefined;
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
let wrote = 0;
for (const engine of ENGINES) {
  const to = deriveSchema(source, engine);
  // Diffing two datamodels changes no database, but the PostgreSQL engine connects once at start-up.
  const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const target = engine === 'sqlite' ? { engine, url: ':memory:' } : { engine, url: pgUrl };
  const tracked = trackConnections(adapterFactory(target));
  const schemaEngine = await openSchemaEngine('schema.prisma', to, tracked.factory);
  try {
    const from = previous
      ? { tag: 'schemaDatamodel' as const, files: [{ path: 'previous.prisma', content: deriveSchema(previous, engine) }] }
      : { tag: 'empty' as const };
    const diff = await schemaEngine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = diff.stdout ?? '';
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) continue;
    const dir = path.join(migrationsDir(engine), `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    writeFileSync(path.join(migrationsDir(engine), 'migration_lock.toml'), `provider = "${engine}"\n`);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
    wrote++;
  } finally {
    schemaEngine.free();
    await tracked.disposeAll();
  }
}
if (wrote) writeFileSync(SCHEMA_SNAPSHOT, source);
else console.log('no schema change since the last migration');
