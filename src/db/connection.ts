import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Engine } from './schema-source.ts';
import { serialiseSqlite } from './sqlite-serial.ts';

/** Where the embedded default lives when DATABASE_URL is unset. */
export const DEFAULT_SQLITE_FILE = './data/pulje.db';

export interface ConnectionTarget {
  engine: Engine;
  /** SQLite: file path. PostgreSQL: connection string without Prisma's `schema` parameter. */
  url: string;
  /** PostgreSQL schema (Prisma's `?schema=` convention); defaults to `public`. */
  schema?: string;
}

/** `undefined`/`file:` → SQLite file; `postgres(ql)://` → PostgreSQL. */
export function parseDatabaseUrl(databaseUrl: string | undefined): ConnectionTarget {
  if (!databaseUrl) return { engine: 'sqlite', url: DEFAULT_SQLITE_FILE };
  if (databaseUrl.startsWith('file:')) return { engine: 'sqlite', url: databaseUrl.slice('file:'.length) };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const u = new URL(databaseUrl);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    return schema ? { engine: 'postgresql', url: u.toString(), schema } : { engine: 'postgresql', url: u.toString() };
  }
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${databaseUrl.split(':')[0]}:…")`);
}

export function adapterFactory(target: ConnectionTarget, opts: { poolSize?: number } = {}): SqlMigrationAwareDriverAdapterFactory {
  if (target.engine === 'sqlite') {
    if (target.url !== ':memory:') mkdirSync(path.dirname(path.resolve(target.url)), { recursive: true });
    // WAL lets readers go on while one writer commits; busy_timeout makes concurrent writers queue instead of failing.
    return serialiseSqlite(new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 }));
  }
  const schema = target.schema ?? 'public';
  return new PrismaPg(
    {
      connectionString: target.url,
      max: opts.poolSize ?? 10,
      // Unqualified names (migrations, raw SQL) resolve in the chosen schema too.
      options: `-c search_path="${schema.replace(/"/g, '')}"`,
    },
    { schema },
  );
}
