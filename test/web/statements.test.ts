import { afterEach, describe, expect, it } from 'vitest';
import type { WebServer } from '../../adapters/web/server.ts';
import { ENGINES_UNDER_TEST, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { cardButtons, signIn, startBallotServer } from './harness.ts';

const buttons = cardButtons;

/** The tables a statement reads or writes, as Prisma's query log names them (both engines' quoting). */
const table = (sql: string) =>
  /^\s*COMMIT/i.test(sql)
    ? 'COMMIT'
    : (/(?:FROM|INTO|UPDATE)\s+(?:[`"]main[`"]\.|[`"]t_[^`"]+[`"]\.)?[`"](\w+)[`"]/i.exec(sql)?.[1] ?? sql.slice(0, 20));

// What one ballot asks the database, step by step (issue 8: resolve actor, membership and round once per request).
// Counts, not timings: each assertion fails if a read that the request already made is made again.
for (const engine of ENGINES_UNDER_TEST) {
  describe(`a web ballot's SQL statements [${engine}]`, () => {
    let db: TestDatabase | undefined;
    let web: WebServer | undefined;
    afterEach(async () => {
      await web?.close();
      await db?.destroy();
    });

    it('reads the membership, the round and the ballot only with the room, writes each key with its change, and checks for a repeat only when a control is gone', async () => {
      db = await freshDatabase(engine, { countStatements: true });
      const log: string[] = [];
      (db.prisma as unknown as { $on(e: 'query', f: (e: { query: string }) => void): void }).$on('query', (e) => log.push(e.query));
      const started = await startBallotServer(db, 2, 4);
      web = started.web;
      const { youth } = started;
      const { api, conversations } = await signIn(web.url, youth[0]!.personId);
      const room = conversations[0]!.id;
      const step = async (call: () => Promise<any>) => {
        log.length = 0;
        const res = await call();
        expect(res.status).toBe(200);
        return { body: res.body, tables: log.map(table), sql: [...log] };
      };
      const count = (tables: string[], name: string) => tables.filter((t) => t === name).length;

      const vote = await step(() => api.post(`/api/conversations/${room}/messages`, { text: '/vote', idempotencyKey: 'v1' }));
      const card = vote.body.messages.find((m: any) => buttons(m).some((b) => b.id.startsWith('ballot:set')));
      const pick = await step(() =>
        api.post(`/api/conversations/${room}/actions`, {
          messageId: card.id,
          actionId: buttons(card).find((b) => b.id.startsWith('ballot:set'))!.id,
          idempotencyKey: 'p1',
        }),
      );
      const picked = pick.body.messages.find((m: any) => m.id === card.id);
      const submit = buttons(picked).find((b) => b.id.startsWith('ballot:submit'))!.id;
      const send = await step(() =>
        api.post(`/api/conversations/${room}/actions`, { messageId: card.id, actionId: submit, idempotencyKey: 's1' }),
      );
      expect(await db.prisma.ballot.count()).toBe(1);

      for (const s of [vote, pick, send]) {
        // The room query (person, room and role in one statement) is the only read of the membership, and of
        // the round: it reads the rounds voting now, with the voter's ballot and draft, for the click.
        expect(count(s.tables, 'Membership')).toBe(0);
        expect(count(s.tables, 'Round')).toBe(0);
        // Activity is noted in batches on a timer of its own, never in a request (see directory.seen).
        expect(s.sql.filter((q) => /^\s*UPDATE\s+\S*[`"]Person[`"]/i.test(q))).toEqual([]);
      }
      // Send holds the round in voting in the ballot's own statement (INSERT … SELECT from the round).
      expect(send.tables.filter((t) => t === 'Ballot')).toHaveLength(1);
      // Send: the room (with the round and ballot), the key, the ballot, COMMIT, the card. The draft is kept: it
      // reads as the ballot now.
      expect(send.tables).toEqual(['Conversation', 'ProcessedEvent', 'Ballot', 'COMMIT', 'WebMessage']);
      // The pick: the room, the key, the draft, COMMIT, the card.
      expect(pick.tables).toEqual(['Conversation', 'ProcessedEvent', 'BallotDraft', 'COMMIT', 'WebMessage']);
      expect([vote, pick, send].map((s) => count(s.tables, 'Ballot'))).toEqual([0, 0, 1]);
      // Each click's key is written once: with its change, in the same commit (no claim first, no completion).
      for (const s of [pick, send]) expect(count(s.tables, 'ProcessedEvent')).toBe(1);
      expect(count(vote.tables, 'ProcessedEvent')).toBe(0);
      for (const s of [pick, send]) expect(s.tables.filter((t) => t === 'COMMIT')).toHaveLength(1);
      // The card pressed is read with the room: a press names the web message table once, in its update.
      for (const s of [pick, send]) expect(count(s.tables, 'WebMessage')).toBe(1);
      // The /vote writes no draft (none is stored yet); the pick creates it, and Send leaves it as it is.
      expect([vote, pick, send].map((s) => count(s.tables, 'BallotDraft'))).toEqual([0, 1, 0]);
      // The /vote: the room, the key, and the typed command stored with its answer (the ballot card) in one
      // statement; and, the round's first ballot in this process, its ideas with their authors, kept while voting
      // (they are frozen).
      // Its key is the command's own id, made from the key, in that same statement: a handler that changed nothing
      // has no key of its own to write.
      expect(vote.tables).toEqual(['Conversation', 'Proposal', 'Person', 'WebMessage']);
      expect(vote.body.messages.map((m: any) => m.author)).toEqual(['member', 'pulje']);
      // 12 in all, COMMITs counted (89 at first, then 37, 31, 26, 21, 20, 15, 14), and the ideas' two reads here.
      expect(vote.tables.length + pick.tables.length + send.tables.length).toBe(14);

      // The repeat of Send whose button is gone now is still a duplicate, not an unknown control.
      const again = await step(() =>
        api.post(`/api/conversations/${room}/actions`, { messageId: card.id, actionId: submit, idempotencyKey: 's1' }),
      );
      expect(again.body).toEqual({ duplicate: true, messages: [], forms: [] });
      expect(await db.prisma.ballot.count()).toBe(1);
      // The card read with the room is only the reader's own or a public one: another voter cannot press it.
      const other = await signIn(web.url, youth[1]!.personId);
      const foreign = await other.api.post(`/api/conversations/${room}/actions`, {
        messageId: card.id,
        actionId: submit,
        idempotencyKey: 'x1',
      });
      expect([foreign.status, foreign.body.error?.code]).toEqual([400, 'unknown_control']);
      expect(await db.prisma.ballot.count()).toBe(1);
      // The costliest statements (the bench's diagnostics) are SQL without values, slowest in all first.
      const costliest = db.costliest!(3);
      expect(costliest).toHaveLength(3);
      expect(costliest[0]!.totalMs).toBeGreaterThanOrEqual(costliest[2]!.totalMs);
      expect(JSON.stringify(costliest)).not.toContain(youth[0]!.personId);
    });
  });
}
