import { expect, it } from 'vitest';
import { seed } from '../../bench/dashboard.ts';
import { type FundedFact, groupOutcome, type ImplementationFact, type RoundFacts, roundOutcome } from '../../src/domain/outcomes.ts';
import { PHASES_FOR } from '../../src/domain/phases.ts';
import type { Database } from '../../src/db/database.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { overrideKindOf } from '../../src/usecases/overrides.ts';
import { describeEachEngine } from '../support/databases.ts';

const KINDS = ['ineligible', 'hidden', 'reopened', 'extended', 'result_changed'] as const;

/**
 * The dashboard's figures counted the slow way, from the raw rows (every idea, ballot, result, answer, update,
 * assessment, log entry and message), through the same pure definitions: what the kept figures (RoundFigures,
 * SayTally, DiscussionDaily/Monthly/Total) and the database's own counting must add up to.
 */
async function fromRawRows(db: Database, period?: { gte: Date; lt: Date }) {
  const p = db.prisma;
  const [groups, rounds, members, ideas, ballots, results, answers, updates, lundy, logs, messages, nudges] = await Promise.all([
    p.group.findMany({ include: { organisation: true } }),
    p.round.findMany({ where: { phase: { not: 'draft' }, ...(period ? { createdAt: period } : {}) } }),
    p.membership.findMany(),
    p.proposal.findMany({ where: { status: { not: 'withdrawn' } } }),
    p.ballot.findMany({ select: { roundId: true } }),
    p.result.findMany(),
    p.sayAnswer.findMany(),
    p.implementationUpdate.findMany(),
    p.lundyAssessment.findMany(),
    p.logEntry.findMany({ where: period ? { at: period } : {} }),
    p.discussionMessage.findMany({ where: period ? { at: period } : {} }),
    p.staffNudge.findMany({ where: period ? { at: period } : {} }),
  ]);
  const groupOf = new Map(groups.map((g) => [g.id, g]));
  const staff = new Set(members.filter((m) => m.role === 'staff' || m.role === 'admin').map((m) => `${m.groupId}:${m.personId}`));
  const facts: RoundFacts[] = rounds
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    .map((r) => {
      const g = groupOf.get(r.groupId)!;
      const mine = ideas.filter((i) => i.roundId === r.id);
      const byYouth = (i: { authorId: string }) => !staff.has(`${r.groupId}:${i.authorId}`);
      const res = results.filter((x) => x.roundId === r.id).sort((a, b) => a.seq - b.seq);
      const decided = (PHASES_FOR.decided as readonly string[]).includes(r.phase) && res.length > 0;
      // A decided round's voters and young members are those when voting closed, as its newest result says.
      const payload = decided
        ? (JSON.parse(res.at(-1)!.payload) as { selected: string[]; ballotsCounted: number; eligibleVoters: number })
        : null;
      const funded: FundedFact[] = mine
        .filter((i) => payload?.selected.includes(i.id))
        .map((i) => ({ id: i.id, cost: i.cost, byYouth: byYouth(i) }));
      const implementation = new Map<string, ImplementationFact>();
      for (const f of funded) {
        const u = updates.filter((x) => x.proposalId === f.id);
        if (!u.length) continue;
        const done = u.filter((x) => x.status === 'done').map((x) => x.at.getTime());
        implementation.set(f.id, {
          spent: u.reduce((a, x) => a + x.spent, 0),
          doneAt: done.length ? new Date(Math.min(...done)) : null,
          cancelled: u.some((x) => x.status === 'cancelled'),
        });
      }
      const say = [1, 2, 3, 4, 5].map((s) => answers.filter((a) => a.roundId === r.id && a.score === s).length);
      const assessed = lundy.filter((l) => l.roundId === r.id);
      const overrides = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<(typeof KINDS)[number], number>;
      for (const e of logs.filter((l) => l.roundId === r.id)) {
        const kind = overrideKindOf(e);
        if (kind && kind !== 'result') overrides[kind]++;
      }
      const first = mine.length ? new Date(Math.min(...mine.map((i) => i.createdAt.getTime()))) : null;
      return {
        roundId: r.id,
        title: r.title,
        groupId: r.groupId,
        groupName: g.name,
        organisationId: g.organisationId,
        organisationName: g.organisation.name,
        phase: r.phase,
        amount: r.amount,
        currency: r.currency,
        createdAt: r.createdAt,
        eligible: payload?.eligibleVoters ?? members.filter((m) => m.groupId === r.groupId && m.role === 'youth').length,
        ballots: payload?.ballotsCounted ?? ballots.filter((b) => b.roundId === r.id).length,
        ideasYouth: mine.filter(byYouth).length,
        ideasStaff: mine.filter((i) => !byYouth(i)).length,
        firstIdeaAt: first,
        decision: decided ? { firstAt: res[0]!.createdAt, funded } : null,
        implementation,
        say: say as RoundFacts['say'],
        lundy: {
          n: assessed.length,
          space: assessed.reduce((a, l) => a + l.space, 0),
          voice: assessed.reduce((a, l) => a + l.voice, 0),
          audience: assessed.reduce((a, l) => a + l.audience, 0),
          influence: assessed.reduce((a, l) => a + l.influence, 0),
        },
        overrides,
      };
    });
  const outcomes = facts.map(roundOutcome);
  const perGroup = groups
    .sort((a, b) => a.name.localeCompare(b.name, 'da') || a.id.localeCompare(b.id))
    .map((g) => {
      const said = messages.filter((m) => m.groupId === g.id);
      const mine = facts.map((f, i) => [f, outcomes[i]!] as const).filter(([f]) => f.groupId === g.id);
      return groupOutcome(
        {
          groupId: g.id,
          groupName: g.name,
          organisationId: g.organisationId,
          organisationName: g.organisation.name,
          youthMessages: said.filter((m) => m.role === 'youth').length,
          staffMessages: said.filter((m) => m.role !== 'youth').length,
          nudges: nudges.filter((n) => n.groupId === g.id).length,
        },
        mine.map(([f]) => f),
        mine.map(([, o]) => o),
      );
    });
  return { rounds: outcomes, perGroup };
}

describeEachEngine('dashboard pre-aggregated figures', (db) => {
  it('add up to the figures counted from the raw rows, first view and later, all time and over periods', async () => {
    await seed(db(), db().engine, { groups: 12, messages: 6000 });
    const p = db().prisma;
    // Less uniform than the bench: withdrawn ideas (one in a decided round, kept out of its figures, one open),
    // a staff idea in an open round, a group with no young members, answers and an update after the decision.
    await p.proposal.updateMany({ where: { id: { in: ['p0_5', 'p5_6'] } }, data: { status: 'withdrawn' } });
    await p.proposal.update({ where: { id: 'p8_3' }, data: { authorId: 's2' } });
    await p.membership.deleteMany({ where: { groupId: 'g3', role: 'youth' } });
    await p.implementationUpdate.create({
      data: {
        id: 'iu-x',
        proposalId: 'p1_2',
        status: 'cancelled',
        progress: 0,
        spent: 5000,
        actorId: 's0',
        at: new Date('2026-04-01T00:00:00Z'),
      },
    });
    const pulje = createPulje({ db: db() });
    const admin = await pulje.outcomes.viewerOf('s0');
    const views = [
      [{}, undefined],
      // Whole months (from the monthly counts) and days (from the daily counts).
      [
        { from: '2026-01-01', to: '2026-03-31' },
        { gte: new Date('2026-01-01T00:00:00Z'), lt: new Date('2026-04-01T00:00:00Z') },
      ],
      [
        { from: '2026-01-10', to: '2026-02-20' },
        { gte: new Date('2026-01-10T00:00:00Z'), lt: new Date('2026-02-21T00:00:00Z') },
      ],
    ] as const;
    // The first view counts and keeps the decided rounds' figures; the second reads them back.
    expect(await p.roundFigures.count()).toBe(0);
    for (const pass of [1, 2])
      for (const [filter, period] of views) {
        const got = await pulje.outcomes.read(admin, filter, 'da', true);
        const want = await fromRawRows(db(), period);
        expect(got.rounds.length, `pass ${pass}`).toBeGreaterThan(0);
        expect(got.rounds, `pass ${pass} ${JSON.stringify(filter)}`).toEqual(want.rounds);
        expect(got.perGroup, `pass ${pass} ${JSON.stringify(filter)}`).toEqual(want.perGroup);
      }
    expect(await p.roundFigures.count()).toBe(24);
  });

  it('are made at start-up for decided rounds that lack them, once', async () => {
    await seed(db(), db().engine, { groups: 4, messages: 400 });
    const pulje = createPulje({ db: db() });
    expect(await pulje.outcomes.keepFigures()).toBe(8);
    expect(await db().prisma.roundFigures.count()).toBe(8);
    // The next start finds them all kept.
    expect(await pulje.outcomes.keepFigures()).toBe(0);
    const admin = await pulje.outcomes.viewerOf('s0');
    expect((await pulje.outcomes.read(admin, {}, 'da', false)).rounds).toEqual((await fromRawRows(db())).rounds);
  });
});
