import { afterEach, expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { verifyLogs } from '../../src/db/decision-log.ts';
import { parseStoredChoice } from '../../src/domain/ballot-choice.ts';
import type { ResultPayload } from '../../src/domain/outcome.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { approvalRound, votingRound, world, type World } from './fixtures.ts';

const approve = (roundId: string, ...picks: number[]) => ({ roundId, choice: { type: 'approval', picks } });

describeEachEngine('concurrency', (db, engine) => {
  // PostgreSQL: several clients with their own pools, so requests really contend in the database. SQLite: one
  // client, as the application runs it: better-sqlite3 is synchronous, so a second handle in the same process
  // would block the event loop while it waits for the first one's lock, which then can never commit. Its
  // transactions queue in the client and run one at a time, while plain reads interleave with them.
  let extra: Database[] = [];
  afterEach(async () => {
    await Promise.all(extra.map((d) => d.close()));
    extra = [];
  });
  async function clients(w: World, n = 3): Promise<Pulje[]> {
    if (engine === 'sqlite') return [w.pulje];
    for (let i = 0; i < n; i++) extra.push(await openDatabase(db().url, { poolSize: 5 }));
    return [w.pulje, ...extra.map((d) => createPulje({ db: d, clock: w.clock.now }))];
  }
  const settleAll = <T>(list: Promise<T>[]) => Promise.allSettled(list);
  const refusedWith = (r: PromiseSettledResult<unknown>) =>
    r.status === 'rejected' && r.reason instanceof PuljeError ? r.reason.code : r.status === 'rejected' ? String(r.reason) : null;

  it('100 members casting and then changing at once: none lost, none duplicated, one revision per change', async () => {
    const w = await world(db(), 100);
    const { round } = await votingRound(w, [100_000, 200_000, 300_000]);
    const pool = await clients(w);
    const versionBefore = (await db().prisma.round.findUniqueOrThrow({ where: { id: round.id } })).version;
    const outcomes = await Promise.all(
      w.youth.map(async (y, i) => {
        const p = pool[i % pool.length]!;
        const cast = await p.ballots.cast(y, approve(round.id, 1));
        const changed = await p.ballots.change(y, approve(round.id, 2, 3));
        return { cast, changed };
      }),
    );
    for (const { cast, changed } of outcomes) {
      expect([cast.revision, cast.changed, changed.revision, changed.changed]).toEqual([1, false, 2, true]);
      expect(changed.receiptCode).toBe(cast.receiptCode);
    }
    const rows = await db().prisma.ballot.findMany({ where: { roundId: round.id } });
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.voterId)).size).toBe(100);
    expect(new Set(rows.map((r) => r.receiptCode)).size).toBe(100);
    expect(rows.every((r) => r.revision === 2 && parseStoredChoice(r.choice).type === 'approval')).toBe(true);
    const p2 = (await db().prisma.proposal.findFirstOrThrow({ where: { roundId: round.id, number: 2 } })).id;
    expect(rows.every((r) => JSON.stringify(parseStoredChoice(r.choice)).includes(p2))).toBe(true);
    // Ballots hold the round in voting without writing it (a share lock on PostgreSQL), so they never queue on
    // its row: the round's version is what it was.
    expect((await db().prisma.round.findUniqueOrThrow({ where: { id: round.id } })).version).toBe(versionBefore);
    expect(await w.pulje.ballots.turnout(w.staff, { roundId: round.id })).toMatchObject({ ballots: 100, eligibleVoters: 100 });
  });

  it('the same member casting twice at once gets one ballot with two revisions', async () => {
    const w = await world(db(), 20);
    const { round } = await votingRound(w, [100_000, 200_000]);
    const pool = await clients(w);
    const results = await Promise.all(
      w.youth.flatMap((y, i) => [
        pool[i % pool.length]!.ballots.cast(y, approve(round.id, 1)),
        pool[(i + 1) % pool.length]!.ballots.cast(y, approve(round.id, 2)),
      ]),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(20);
    const rows = await db().prisma.ballot.findMany({ where: { roundId: round.id } });
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.revision === 2)).toBe(true);
  });

  it('ballots racing a close are either counted in the result or refused, never accepted and left out', async () => {
    const w = await world(db(), 100);
    const pool = await clients(w);
    // A race may go the right way by luck; three of them make a wrong ordering very likely to show.
    for (let attempt = 0; attempt < 3; attempt++) await raceClose(w, pool);
    expect((await verifyLogs(db().prisma, [w.groupId]))[0]!.ok).toBe(true);
  });

  async function raceClose(w: World, pool: Pulje[]) {
    const { round, proposals } = await votingRound(w, [100_000, 200_000, 300_000]);
    // Half have voted for #1; in the race they switch to #2, while the other half cast their first ballot for #3.
    const early = w.youth.slice(0, 50);
    const late = w.youth.slice(50);
    const receipts = new Map<string, string>();
    await Promise.all(
      early.map(async (y, i) => receipts.set(y.personId, (await pool[i % pool.length]!.ballots.cast(y, approve(round.id, 1))).receiptCode)),
    );

    let settled = 0;
    let closing: Promise<unknown> | undefined;
    const afterSome = <T>(p: Promise<T>) =>
      p.finally(() => {
        // The close starts once 25 ballots are through; the rest are still in flight or not yet sent.
        if (++settled === 25) closing = pool[pool.length - 1]!.rounds.close(w.staff, { roundId: round.id });
      });
    const changes = early.map((y, i) => afterSome(pool[i % pool.length]!.ballots.change(y, approve(round.id, 2))));
    const casts = late.map((y, i) => afterSome(pool[(i + 1) % pool.length]!.ballots.cast(y, approve(round.id, 3))));
    const [changeResults, castResults] = await Promise.all([settleAll(changes), settleAll(casts)]);
    expect(closing).toBeDefined();
    await closing;

    for (const r of [...changeResults, ...castResults]) expect([null, 'voting_closed']).toContain(refusedWith(r));
    const accepted = [...changeResults, ...castResults].filter((r) => r.status === 'fulfilled').length;
    expect(accepted).toBeGreaterThanOrEqual(25);

    const result = await db().prisma.result.findMany({ where: { roundId: round.id } });
    expect(result).toHaveLength(1);
    const payload = JSON.parse(result[0]!.payload) as ResultPayload;
    const rows = await db().prisma.ballot.findMany({ where: { roundId: round.id } });
    // Every ballot in the database is in the result, and nothing else is.
    expect([...payload.receipts].sort()).toEqual(rows.map((r) => r.receiptCode).sort());
    expect(result[0]!.ballotsCounted).toBe(rows.length);
    // What was counted is what is stored: a change accepted after the count would make these differ.
    const support = (id: string) => rows.filter((r) => JSON.stringify(parseStoredChoice(r.choice)).includes(id)).length;
    for (const p of payload.proposals) expect('voters' in p.explanation ? p.explanation.voters : -1).toBe(support(p.proposalId));

    changeResults.forEach((r, i) => {
      const row = rows.find((b) => b.voterId === early[i]!.personId)!;
      expect(row.receiptCode).toBe(receipts.get(early[i]!.personId));
      expect(row.revision).toBe(r.status === 'fulfilled' ? 2 : 1);
      expect(parseStoredChoice(row.choice)).toEqual({
        type: 'approval',
        approved: [r.status === 'fulfilled' ? proposals[1]!.id : proposals[0]!.id],
      });
    });
    castResults.forEach((r, i) => {
      const row = rows.find((b) => b.voterId === late[i]!.personId);
      if (r.status === 'fulfilled') expect(payload.receipts).toContain(r.value.receiptCode);
      else expect(row).toBeUndefined();
    });

    // After the close, nobody gets in.
    const after = await settleAll(w.youth.slice(0, 10).map((y, i) => pool[i % pool.length]!.ballots.cast(y, approve(round.id, 3))));
    expect(after.map(refusedWith)).toEqual(Array(10).fill('voting_closed'));
  }

  it('of simultaneous closes, exactly one publishes a result', async () => {
    const w = await world(db(), 5);
    const { round } = await votingRound(w, [100_000, 200_000]);
    for (const y of w.youth) await w.pulje.ballots.cast(y, approve(round.id, 2));
    const pool = await clients(w);
    const closes = await settleAll([...pool, ...pool].map((p, i) => p.rounds.close(i % 2 ? w.admin : w.staff, { roundId: round.id })));
    expect(closes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(closes.map(refusedWith).filter((c) => c !== null)).toEqual(Array(closes.length - 1).fill('wrong_phase'));
    expect(await db().prisma.result.count({ where: { roundId: round.id } })).toBe(1);
    const log = await w.pulje.log.read(w.staff, { groupId: w.groupId, roundId: round.id, limit: 500 });
    expect(log.filter((e) => e.kind === 'result')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'phase' && e.data.to === 'decided')).toHaveLength(1);
    expect((await verifyLogs(db().prisma, [w.groupId]))[0]!.ok).toBe(true);
  });

  it('ideas sent at once get distinct numbers, and moderation at the same time keeps the log chain whole', async () => {
    const w = await world(db(), 10);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId));
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    const first = await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'Først', description: 'd', cost: 100 });
    const pool = await clients(w);
    await Promise.all([
      ...w.youth.flatMap((y, i) =>
        [0, 1, 2].map((k) =>
          pool[(i + k) % pool.length]!.proposals.submit(y, { roundId: round.id, title: `Idé ${i}.${k}`, description: 'd', cost: 100 }),
        ),
      ),
      pool[1 % pool.length]!.proposals.hide(w.staff, { proposalId: first.id, reason: 'Dobbelt' }),
      pool[2 % pool.length]!.proposals.setEligibility(w.admin, { proposalId: first.id, eligible: false, note: 'Uden for kommunen' }).catch(
        (e: unknown) => e,
      ),
      pool[3 % pool.length]!.setup.bindConversation(w.staff, { groupId: w.groupId, platform: 'slack', channelId: 'C9' }),
    ]);
    const numbers = (await db().prisma.proposal.findMany({ where: { roundId: round.id }, select: { number: true } }))
      .map((p) => p.number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect((await verifyLogs(db().prisma, [w.groupId]))[0]!.ok).toBe(true);
  });
});
