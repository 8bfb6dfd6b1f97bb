import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFactory, parseDatabaseUrl } from '../../src/db/connection.ts';
import { migrateTarget, openDatabase } from '../../src/db/database.ts';
import { loadMigrationList } from '../../src/db/migrations.ts';
import { ENGINES, deriveSchema, readSchemaSource } from '../../src/db/schema-source.ts';
import { describeEachEngine } from '../support/databases.ts';

describe('database url', () => {
  it('defaults to the embedded SQLite file', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ engine: 'sqlite', url: './data/pulje.db' });
  });
  it("reads file: and postgresql:// urls, with Prisma's schema parameter", () => {
    expect(parseDatabaseUrl('file:/tmp/x.db')).toEqual({ engine: 'sqlite', url: '/tmp/x.db' });
    expect(parseDatabaseUrl('postgresql://u@h:5432/db?schema=s1')).toEqual({
      engine: 'postgresql',
      url: 'postgresql://u@h:5432/db',
      schema: 's1',
    });
  });
  it('refuses other engines', () => {
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/DATABASE_URL/);
  });
});

describe('schema source', () => {
  it('derives both engines from one file, differing only in provider and output', () => {
    const src = readSchemaSource();
    const lite = deriveSchema(src, 'sqlite').split('\n');
    const pg = deriveSchema(src, 'postgresql').split('\n');
    const differing = lite.filter((line, i) => line !== pg[i]);
    expect(differing).toHaveLength(2);
    expect(pg.join('\n')).toContain('provider = "postgresql"');
  });
  it('has a committed migration history for each engine', () => {
    for (const engine of ENGINES) expect(loadMigrationList(engine).migrationDirectories.length).toBeGreaterThan(0);
  });
});

describe('migrations on a new SQLite file', () => {
  it('creates the file, applies every migration once, and a second run applies nothing', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pulje-mig-')), 'nested', 'pulje.db');
    const first = await migrateTarget({ engine: 'sqlite', url: file });
    expect(first).toEqual(loadMigrationList('sqlite').migrationDirectories.map((d) => d.path));
    expect(await migrateTarget({ engine: 'sqlite', url: file })).toEqual([]);
    const db = await openDatabase(`file:${file}`);
    await db.prisma.organisation.create({ data: { id: 'o1', name: 'Roskilde' } });
    expect(await db.prisma.organisation.count()).toBe(1);
    await db.close();
  });
});

describeEachEngine('migrated database', (db) => {
  it('records the applied migrations like prisma migrate deploy', async () => {
    const rows = await db().prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations');
    // Without ORDER BY, PostgreSQL returns rows in whatever order its heap holds them; the names sort by time.
    expect(rows.map((r) => r.migration_name).sort()).toEqual(loadMigrationList(db().engine).migrationDirectories.map((d) => d.path));
  });
  it('enforces one ballot per member per round', async () => {
    const p = db().prisma;
    await p.organisation.create({ data: { id: 'o', name: 'O' } });
    await p.group.create({ data: { id: 'g', organisationId: 'o', name: 'G' } });
    await p.person.create({ data: { id: 'p', organisationId: 'o', displayName: 'P' } });
    await p.round.create({
      data: { id: 'r', groupId: 'g', title: 'R', amount: 100, ballotType: 'approval', rule: 'greedy', createdById: 'p' },
    });
    await p.ballot.create({ data: { id: 'b1', roundId: 'r', voterId: 'p', choice: '[]', receiptCode: 'A' } });
    await expect(p.ballot.create({ data: { id: 'b2', roundId: 'r', voterId: 'p', choice: '[]', receiptCode: 'B' } })).rejects.toThrow();
  });
});

describeEachEngine('plain writes beside an open transaction', (db) => {
  it('are never swept into it and rolled back with it', async () => {
    // Straight on the driver adapter the app's Prisma client uses, so the order of statements is exact.
    const adapter = await adapterFactory(parseDatabaseUrl(db().url)).connect();
    const insert = (id: string) => ({
      sql: `INSERT INTO "Organisation" ("id", "name", "createdAt") VALUES ('${id}', '${id}', CURRENT_TIMESTAMP)`,
      args: [],
      argTypes: [],
    });
    try {
      const tx = await adapter.startTransaction();
      await tx.executeRaw(insert('in-tx'));
      const plain = adapter.executeRaw(insert('plain'));
      // Prisma's client sends ROLLBACK itself, then tells the adapter the transaction is over.
      await tx.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] });
      await tx.rollback();
      await plain;
    } finally {
      await adapter.dispose();
    }
    expect((await db().prisma.organisation.findMany()).map((o) => o.id)).toEqual(['plain']);
  });
});
