import { describe, expect, it, onTestFinished } from 'vitest';
import { ENGINES_UNDER_TEST, freshDatabase } from '../support/databases.ts';
import { startPulje } from '../support/process.ts';
import { readEvents, seed, signIn } from './harness.ts';

// Several Pulje processes on one PostgreSQL database: a browser on one sees what was said through another.

if (ENGINES_UNDER_TEST.includes('postgresql')) {
  describe('web chat on two instances [postgresql]', () => {
    it('a message sent through one instance reaches a browser listening on the other, live', async () => {
      const db = await freshDatabase('postgresql');
      await seed(db);
      await db.close();
      const env = { DATABASE_URL: db.url, PULJE_DEMO: 'true' };
      const a = await startPulje(env);
      const b = await startPulje(env);
      onTestFinished(async () => {
        await Promise.all([a.stop(), b.stop()]);
        await db.destroy();
      });
      const sara = await signIn(b.url, 'sara');
      const room = sara.conversations.find((c) => c.groupId === 'g1')!.id;
      // Opened on B only after the stream is established, so the live path (not the replay) must carry it.
      const stream = await readEvents(`${b.url}/api/conversations/${room}/events`, sara.token, (events) =>
        events.some((e) => e.data?.text === 'Hej fra A'),
      );
      const ali = await signIn(a.url, 'ali');
      expect((await ali.api.post(`/api/conversations/${room}/messages`, { text: 'Hej fra A' })).status).toBe(200);
      const events = await stream.done;
      expect(events.find((e) => e.data?.text === 'Hej fra A')).toMatchObject({
        event: 'message',
        data: { authorId: 'ali', private: false },
      });
    });
  });
}
