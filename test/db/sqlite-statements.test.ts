import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

// SQLite statements are prepared once and reused: Prisma's adapter would prepare each one on every call.

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
  vi.restoreAllMocks();
});

describe('SQLite prepared statements', () => {
  it('prepares a repeated query once, and answers every run with its own parameters', async () => {
    const prepare = vi.spyOn(Sqlite.prototype, 'prepare');
    db = await freshDatabase('sqlite');
    await db.prisma.organisation.create({ data: { id: 'o1', name: 'Roskilde' } });
    await db.prisma.organisation.create({ data: { id: 'o2', name: 'Ballerup' } });
    const before = prepare.mock.calls.length;
    const names: (string | undefined)[] = [];
    for (let i = 0; i < 50; i++) names.push((await db.prisma.organisation.findUnique({ where: { id: i % 2 ? 'o2' : 'o1' } }))?.name);
    expect(prepare.mock.calls.length - before).toBeLessThanOrEqual(1);
    expect(names.slice(0, 4)).toEqual(['Roskilde', 'Ballerup', 'Roskilde', 'Ballerup']);
    // Writes and transactions through the same cache keep their meaning.
    await db.prisma.$transaction(async (tx) => {
      await tx.organisation.update({ where: { id: 'o1' }, data: { name: 'Roskilde Kommune' } });
      await tx.organisation.update({ where: { id: 'o2' }, data: { name: 'Ballerup Kommune' } });
    });
    expect((await db.prisma.organisation.findMany({ orderBy: { id: 'asc' } })).map((o) => o.name)).toEqual([
      'Roskilde Kommune',
      'Ballerup Kommune',
    ]);
  });
});

describe('SQLite durability', () => {
  it('syncs every commit (synchronous=FULL) unless told otherwise', async () => {
    db = await freshDatabase('sqlite');
    expect(await db.prisma.$queryRawUnsafe('PRAGMA synchronous')).toEqual([{ synchronous: 2n }]);
    const { openDatabase } = await import('../../src/db/database.ts');
    const relaxed = await openDatabase(db.url, { sqliteSync: 'normal' });
    try {
      expect(await relaxed.prisma.$queryRawUnsafe('PRAGMA synchronous')).toEqual([{ synchronous: 1n }]);
    } finally {
      await relaxed.close();
    }
  });
});
