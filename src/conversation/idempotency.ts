import { AlreadyHandled } from '../core/errors.ts';
import type { IdempotencyStore } from './ports.ts';

/** Handled-event claims in memory: for tests and single-process tools (the database's are `pulje.events`). */
export function memoryIdempotencyStore(): IdempotencyStore {
  const seen = new Map<string, 'claimed' | 'done'>();
  return {
    async claim(key) {
      const state = seen.get(key);
      if (state) return state === 'done' ? 'duplicate' : 'busy';
      seen.set(key, 'claimed');
      return 'claimed';
    },
    async within(key, run, _known, mode) {
      const result = await run();
      // 'with-answer': the surface keeps the record (see ClaimMode).
      if (mode === 'with-answer') return result;
      if (mode === 'with-change' && seen.get(key) === 'done') throw new AlreadyHandled(key);
      seen.set(key, 'done');
      return result;
    },
    async complete(key, mode) {
      if (mode === 'with-answer') return true;
      if (mode === 'with-change' && seen.get(key) === 'done') return false;
      seen.set(key, 'done');
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
    async handled(key) {
      return seen.get(key) === 'done';
    },
  };
}
