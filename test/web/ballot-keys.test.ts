import { afterEach, describe, expect, it } from 'vitest';
import type { WebServer } from '../../adapters/web/server.ts';
import { ENGINES_UNDER_TEST, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { cardButtons, signIn, startBallotServer } from './harness.ts';

const buttons = cardButtons;

// A ballot click's key is written by the click's own change, in its commit (no claim first): a repeat must
// still change nothing, even where the change is a toggle that a second run would undo.
for (const engine of ENGINES_UNDER_TEST) {
  describe(`ballot clicks keyed with their change [${engine}]`, () => {
    let db: TestDatabase | undefined;
    let web: WebServer | undefined;
    afterEach(async () => {
      await web?.close();
      await db?.destroy();
    });

    it('a repeated press is a duplicate and does not add again; the same press sent twice at once acts once', async () => {
      db = await freshDatabase(engine);
      // Points: a press of + is not idempotent (pressed twice, two points), unlike an approval's on/off.
      const started = await startBallotServer(db, 1, 4, { ballotType: 'cumulative', maxPicks: null, points: 5 });
      web = started.web;
      const { youth, round, pulje } = started;
      const roundId = round.id;
      const voter = youth[0]!.personId;
      const { api, conversations } = await signIn(web.url, voter);
      const room = conversations[0]!.id;
      const vote = await api.post(`/api/conversations/${room}/messages`, { text: '/vote', idempotencyKey: 'v1' });
      const card = vote.body.messages.find((m: any) => buttons(m).some((b) => b.id.startsWith('ballot:pts')));
      const [first, second] = buttons(card).filter((b) => b.id.startsWith('ballot:pts') && b.id.includes('up'));
      const picks = async () => (await pulje.drafts.get(roundId, voter))?.choice;
      const press = (actionId: string, idempotencyKey: string) =>
        api.post(`/api/conversations/${room}/actions`, { messageId: card.id, actionId, idempotencyKey });

      expect((await press(first!.id, 'p1')).body.duplicate).toBe(false);
      const after = await picks();
      expect(after).toMatchObject({ type: 'cumulative', points: [{ points: 1 }] });
      // The phone did not see the answer and sends the same press again: it would add a second point if it ran.
      expect((await press(first!.id, 'p1')).body).toMatchObject({ duplicate: true, messages: [] });
      expect(await picks()).toEqual(after);
      expect(await db.prisma.processedEvent.count({ where: { key: { endsWith: `${voter}:p1` } } })).toBe(1);

      // Two tries of one press at once (a retry while the first still runs): one acts, one is a duplicate.
      const both = await Promise.all([press(second!.id, 'p2'), press(second!.id, 'p2')]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(both.map((r) => r.body.duplicate).sort()).toEqual([false, true]);
      expect((await picks()) as unknown).toMatchObject({ points: [{ points: 1 }, { points: 1 }] });
      const draft = await db.prisma.ballotDraft.findFirstOrThrow({ where: { roundId, voterId: voter } });
      expect(draft.version).toBe(2);

      // The /vote that opened the ballot, sent again late: a fresh /vote would start the draft again, but the repeat
      // changes nothing the first try did not, even though that try changed nothing and left no key of its own.
      expect((await api.post(`/api/conversations/${room}/messages`, { text: '/vote', idempotencyKey: 'v1' })).body).toEqual({
        duplicate: true,
        messages: [],
        forms: [],
      });
      expect(await db.prisma.ballotDraft.findFirstOrThrow({ where: { roundId, voterId: voter } })).toEqual(draft);
    });

    it('a typed message sent again with its key is stored and answered once; without a key or with another, it is new', async () => {
      db = await freshDatabase(engine);
      const started = await startBallotServer(db, 2, 2);
      web = started.web;
      const voter = started.youth[0]!.personId;
      const { api, conversations } = await signIn(web.url, voter);
      const room = conversations[0]!.id;
      const mine = () => db!.prisma.webMessage.count({ where: { author: 'member', authorId: voter } });
      const say = (text: string, idempotencyKey?: string) =>
        api.post(`/api/conversations/${room}/messages`, { text, ...(idempotencyKey ? { idempotencyKey } : {}) });

      const first = await say('Hej alle sammen', 'm1');
      expect([first.status, first.body.duplicate, first.body.messages.map((m: any) => m.text)]).toEqual([200, false, ['Hej alle sammen']]);
      // The phone lost the answer and sends it again: the group sees the message once.
      const again = await say('Hej alle sammen', 'm1');
      expect([again.status, again.body]).toEqual([200, { duplicate: true, messages: [], forms: [] }]);
      expect(await mine()).toBe(1);
      // A command sent again (its echo is the member's own): the command's answer comes once, and the echo too.
      const answers = () => db!.prisma.webMessage.count({ where: { author: 'pulje', recipientId: voter } });
      const answered = await answers();
      const vote = await say('/vote', 'v1');
      expect(vote.body.messages.map((m: any) => m.author)).toEqual(['member', 'pulje']);
      expect((await say('/vote', 'v1')).body).toEqual({ duplicate: true, messages: [], forms: [] });
      expect([await mine(), await answers()]).toEqual([2, answered + 1]);
      // Its key is its command's id, stored with the answer in one statement: no key of its own, so a crash can
      // never keep the key without the answer.
      expect(await db.prisma.processedEvent.count({ where: { key: { contains: 'v1' } } })).toBe(0);
      // Sent twice at once: one is answered, the other is the duplicate, and the answer is stored once.
      const both = await Promise.all([say('/vote', 'v2'), say('/vote', 'v2')]);
      expect(both.map((r) => r.body.duplicate).sort()).toEqual([false, true]);
      expect([await mine(), await answers()]).toEqual([3, answered + 2]);
      // The same words as a new message (a new key, or none) are a new message.
      expect((await say('Hej alle sammen', 'm2')).body.duplicate).toBe(false);
      expect((await say('Hej alle sammen')).body.duplicate).toBe(false);
      expect(await mine()).toBe(5);
      // The key is the sender's own: another member's same key is their own message.
      const other = await signIn(web.url, started.youth[1]!.personId);
      expect((await other.api.post(`/api/conversations/${room}/messages`, { text: 'Hej', idempotencyKey: 'm1' })).body.duplicate).toBe(
        false,
      );
      expect(await db.prisma.webMessage.count({ where: { author: 'member' } })).toBe(6);
      // A key is the sender's in every room (the router's is too): used again in their other group's room, it is
      // that same request, so nothing is stored there.
      const org = (await db.prisma.group.findUniqueOrThrow({ where: { id: started.groupId } })).organisationId;
      const second = await started.pulje.setup.createGroup(started.admin, { organisationId: org, name: 'Anden gruppe' });
      await started.pulje.setup.addMember(started.admin, { groupId: second.id, role: 'youth', platform: 'web', externalId: 'v0' });
      const rooms = (await api.get('/api/conversations')).body.conversations as Array<{ id: string }>;
      const elsewhere = rooms.find((r) => r.id !== room)!;
      const reused = await api.post(`/api/conversations/${elsewhere.id}/messages`, { text: 'Hej', idempotencyKey: 'm1' });
      expect([reused.status, reused.body]).toEqual([200, { duplicate: true, messages: [], forms: [] }]);
      // The same for a command, whose echo waits for its answer: neither is stored there.
      const command = await api.post(`/api/conversations/${elsewhere.id}/messages`, { text: '/vote', idempotencyKey: 'v1' });
      expect([command.status, command.body]).toEqual([200, { duplicate: true, messages: [], forms: [] }]);
      expect(await db.prisma.webMessage.count({ where: { conversationId: elsewhere.id } })).toBe(0);
    });
  });
}
