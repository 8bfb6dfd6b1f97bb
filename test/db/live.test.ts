import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/connection.ts';
import { type LiveNotice, openLiveFeed } from '../../src/db/live.ts';
import { ENGINES_UNDER_TEST, freshDatabase } from '../support/databases.ts';

// Live updates across processes: what one Pulje process changes, the others hear about (PostgreSQL LISTEN/NOTIFY;
// SQLite allows one process, so there is nobody else to tell).

if (ENGINES_UNDER_TEST.includes('postgresql')) {
  describe('live feed [postgresql]', () => {
    it('carries a notice to the other processes on the same database, not back to the sender, nor to another schema', async () => {
      const db = await freshDatabase('postgresql');
      const other = await freshDatabase('postgresql');
      const a = await openLiveFeed(parseDatabaseUrl(db.url));
      const b = await openLiveFeed(parseDatabaseUrl(db.url));
      const elsewhere = await openLiveFeed(parseDatabaseUrl(other.url));
      try {
        const heard: Record<string, LiveNotice[]> = { a: [], b: [], elsewhere: [] };
        const got = new Promise<void>((resolve) => {
          b.subscribe((n) => {
            heard.b!.push(n);
            resolve();
          });
        });
        a.subscribe((n) => heard.a!.push(n));
        elsewhere.subscribe((n) => heard.elsewhere!.push(n));
        const notice: LiveNotice = { kind: 'web-message', conversationId: 'c1', messageId: 'm1' };
        await a.publish(notice);
        await got;
        // A round trip through the database after the notice: anything A or the other schema would hear has arrived.
        const synced = new Promise<void>((resolve) => a.subscribe((n) => n.conversationId === 'sync' && resolve()));
        await b.publish({ kind: 'web-message', conversationId: 'sync', messageId: 'sync' });
        await synced;
        expect(heard.b).toEqual([notice]);
        expect(heard.a!.filter((n) => n.conversationId !== 'sync')).toEqual([]);
        expect(heard.elsewhere).toEqual([]);
      } finally {
        await Promise.all([a.close(), b.close(), elsewhere.close()]);
        await Promise.all([db.destroy(), other.destroy()]);
      }
    });
  });
}
