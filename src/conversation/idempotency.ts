import type { IdempotencyStore } from './ports.ts';

/** Handled-event claims in memory: for tests and single-process tools (the database's are `pulje.events`). */
export function memoryIdempotencyStore(): IdempotencyStore {
  const seen = new Set<string>();
  return {
    async claim(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
}
