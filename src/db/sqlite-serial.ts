import type { Database as Sqlite } from 'better-sqlite3';
import { reusePreparedStatements } from './sqlite-statements.ts';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/** A FIFO lock: whoever asked first goes first. */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

/**
 * Prisma's better-sqlite3 adapter shares one connection between interactive transactions and plain queries, and
 * only transactions wait for each other: a plain write issued while someone's transaction is open runs inside
 * it and is rolled back with it. Here every plain statement waits its turn behind open transactions too.
 */
export function serialiseSqlite(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    // The adapter keeps its better-sqlite3 connection as `client`: its statements are prepared once (see there).
    const client = (adapter as unknown as { client?: Sqlite }).client;
    if (client) reusePreparedStatements(client);
    const lock = new Lock();
    const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
      const release = await lock.acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    };
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q: SqlQuery) => exclusive(() => adapter.queryRaw(q)),
      executeRaw: (q: SqlQuery) => exclusive(() => adapter.executeRaw(q)),
      executeScript: (s: string) => exclusive(() => adapter.executeScript(s)),
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
      dispose: () => adapter.dispose(),
      async startTransaction(isolationLevel) {
        const release = await lock.acquire();
        let tx: Transaction;
        try {
          tx = await adapter.startTransaction(isolationLevel);
        } catch (e) {
          release();
          throw e;
        }
        // The lock is held until the transaction ends, whichever way it ends.
        const end = (fn: () => Promise<void>) => async () => {
          try {
            await fn();
          } finally {
            release();
          }
        };
        return Object.assign(Object.create(tx) as Transaction, { commit: end(() => tx.commit()), rollback: end(() => tx.rollback()) });
      },
    };
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}
