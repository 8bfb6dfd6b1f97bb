import { existsSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import type { Prisma } from './database.ts';

/** Another process holds the SQLite file: Pulje says so in one line instead of a driver error. */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
  constructor(readonly file: string) {
    super(
      `The SQLite file ${file} is in use by another Pulje process. Stop that one first, or set DATABASE_URL to another file (PostgreSQL for several instances).`,
    );
  }
}

/**
 * Fails fast if another Pulje holds the file. A running Pulje keeps SQLite's exclusive lock (below), which the
 * operating system releases when that process ends in any way, kill -9 included, so the check has no stale
 * state to clean up.
 */
export function assertSqliteFree(file: string): void {
  if (file === ':memory:' || !existsSync(file)) return;
  const probe = new Sqlite(file, { timeout: 250 });
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new DatabaseInUseError(file);
    throw error;
  } finally {
    probe.close();
  }
}

/** Takes SQLite's exclusive lock for as long as this process runs (one writer, one process: SQLite's model). */
export async function holdSqlite(prisma: Prisma): Promise<void> {
  await prisma.$queryRawUnsafe('PRAGMA locking_mode = EXCLUSIVE');
  // The lock is taken by the first write and then kept.
  await prisma.$executeRawUnsafe('BEGIN EXCLUSIVE');
  await prisma.$executeRawUnsafe('COMMIT');
}
