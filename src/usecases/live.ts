import type { LiveFeed } from '../db/live.ts';

/** One process only (tests, tools): nobody else to tell. */
export function localFeed(): LiveFeed {
  return { async publish() {}, subscribe: () => () => {}, async close() {} };
}
