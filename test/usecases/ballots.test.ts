import { expect, it } from 'vitest';
import { loadRoundForVoter } from '../../src/usecases/context.ts';
import { describeEachEngine } from '../support/databases.ts';
import { DAY, approvalRound, expectPuljeError, expectRefusedUnchanged, votingRound, world } from './fixtures.ts';

const approve = (roundId: string, ...picks: number[]) => ({ roundId, choice: { type: 'approval', picks } });

describeEachEngine('ballots', (db) => {
  it('are cast by young members, changed with a new revision under the same receipt, and confirmed only to the voter', async () => {
    const w = await world(db(), 3);
    const { round } = await votingRound(w, [100_000, 200_000, 300_000]);
    const castAt = w.clock.now();
    const first = await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 1, 3));
    expect(first).toMatchObject({ roundId: round.id, revision: 1, changed: false });
    w.clock.advance(60_000);
    expect(first.receiptCode).toMatch(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
    const second = await w.pulje.ballots.change(w.youth[0]!, approve(round.id, 2));
    expect(second).toMatchObject({ revision: 2, changed: true, receiptCode: first.receiptCode });
    const third = await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 2, 1));
    expect(third.revision).toBe(3);
    // The ballot is written by one raw statement (INSERT … SELECT from the round): the typed read sees it as a
    // typed write would have stored it, and on SQLite its dates are stored as the rest of the database's are.
    const row = await db().prisma.ballot.findFirstOrThrow({ where: { roundId: round.id } });
    expect([row.createdAt.getTime(), row.updatedAt.getTime(), row.revision]).toEqual([castAt.getTime(), castAt.getTime() + 60_000, 3]);
    expect(third.updatedAt).toBe(row.updatedAt.toISOString());
    if (db().engine === 'sqlite') {
      const stored = await db().prisma.$queryRaw<Array<{ t: string; n: number | bigint; tail: string }>>`
        SELECT typeof(x) AS "t", length(x) AS "n", substr(x, -6) AS "tail"
          FROM (SELECT b."createdAt" AS x FROM "Ballot" b UNION ALL SELECT b."updatedAt" FROM "Ballot" b
                UNION ALL SELECT r."createdAt" FROM "Round" r WHERE r."id" = ${round.id})`;
      expect(stored.map((x) => [x.t, Number(x.n), x.tail])).toEqual(Array(3).fill(['text', 29, '+00:00']));
    }
    const mine = await w.pulje.ballots.confirm(w.youth[0]!, { roundId: round.id });
    expect(mine).toMatchObject({ receiptCode: first.receiptCode, revision: 3, choice: { type: 'approval', picks: [1, 2] }, counted: null });
    expect(mine.items.map((i) => [i.number, i.title, i.cost])).toEqual([
      [1, 'Idé 1', 100_000],
      [2, 'Idé 2', 200_000],
    ]);
    // Nobody else has a ballot to confirm, and there is no way to ask for someone else's.
    await expectPuljeError(w.pulje.ballots.confirm(w.youth[1]!, { roundId: round.id }), 'not_found');
    await expectPuljeError(w.pulje.ballots.confirm(w.staff, { roundId: round.id }), 'not_found');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.change(w.youth[1]!, approve(round.id, 1)), 'not_found');
    expect(await db().prisma.ballot.count()).toBe(1);
  });

  it('in progress: the own ballot exactly as confirm shows it, and the draft, read together; a cast leaves the draft as it is', async () => {
    const w = await world(db(), 2);
    const { round } = await votingRound(w, [100_000, 200_000, 300_000]);
    const [a, b] = [w.youth[0]!, w.youth[1]!];
    expect(await w.pulje.ballots.inProgress(a, { roundId: round.id })).toEqual({ cast: null, draft: null });
    expect(await w.pulje.drafts.put(round.id, a.personId, { type: 'approval', picks: [3] }, null)).toBe(true);
    expect(await w.pulje.ballots.inProgress(a, { roundId: round.id })).toEqual({
      cast: null,
      draft: { choice: { type: 'approval', picks: [3] }, version: 1 },
    });
    // Another voter's draft is not theirs to see.
    expect((await w.pulje.ballots.inProgress(b, { roundId: round.id })).draft).toBeNull();
    w.clock.advance(1234);
    await w.pulje.ballots.cast(a, approve(round.id, 1, 3));
    w.clock.advance(1000);
    await w.pulje.ballots.change(a, approve(round.id, 2));
    const now = await w.pulje.ballots.inProgress(a, { roundId: round.id });
    // Dates, revision and items as the typed read gives them, on either engine.
    expect(now.cast).toEqual(await w.pulje.ballots.confirm(a, { roundId: round.id }));
    expect(now.cast!.castAt).not.toBe(now.cast!.updatedAt);
    // Casting leaves the draft it was filled in from (the ballot flow's, which then reads as the ballot).
    expect(now.draft).toEqual({ choice: { type: 'approval', picks: [3] }, version: 1 });
    await expectPuljeError(w.pulje.ballots.inProgress({ personId: 'nobody' }, { roundId: round.id }), 'not_found');
  });

  it("a round read with the voter's ballot and draft is the round exactly as the typed read gives it", async () => {
    const w = await world(db(), 1);
    // A voting round has its lock date and limits; a draft one (staff only) leaves them empty.
    const { round } = await votingRound(w, [100_000], {
      maxPicks: 1,
      votingDeadline: new Date(w.clock.now().getTime() + DAY).toISOString(),
    });
    const draft = await w.pulje.rounds.create(w.staff, {
      groupId: w.groupId,
      title: 'Næste',
      amount: 50_000,
      ballotType: 'yesno',
      rule: 'yes-no',
    });
    for (const [who, id] of [
      [w.youth[0]!, round.id],
      [w.staff, draft.id],
    ] as const) {
      const read = await loadRoundForVoter(db().prisma, who, id);
      expect(read.round).toEqual(await db().prisma.round.findUnique({ where: { id } }));
      expect(read.voter).toEqual({ ballot: null, draft: null });
    }
    // As loadRound: a draft round does not exist for young people, nor any round for outsiders.
    await expectPuljeError(loadRoundForVoter(db().prisma, w.youth[0]!, draft.id), 'not_found');
    await expectPuljeError(loadRoundForVoter(db().prisma, { personId: 'nobody' }, round.id), 'not_found');
  });

  it('are not cast by staff or admins: they do not decide', async () => {
    const w = await world(db(), 1);
    const { round } = await votingRound(w, [100_000]);
    for (const who of [w.staff, w.admin]) {
      const e = await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(who, approve(round.id, 1)), 'forbidden');
      expect(e.localize('da')).toBe('Det er kun unge, der kan gøre det.');
    }
  });

  it('count turnout for every member without saying who voted', async () => {
    const w = await world(db(), 4);
    const { round } = await votingRound(w, [100_000]);
    await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 1));
    await w.pulje.ballots.cast(w.youth[2]!, approve(round.id, 1));
    await w.pulje.ballots.cast(w.youth[2]!, approve(round.id, 1));
    for (const who of [w.youth[1]!, w.staff]) {
      expect(await w.pulje.ballots.turnout(who, { roundId: round.id })).toEqual({
        roundId: round.id,
        phase: 'voting',
        ballots: 2,
        eligibleVoters: 4,
      });
    }
  });

  it('are refused before voting opens, after the deadline and after close, and never counted', async () => {
    const w = await world(db(), 2);
    const ideas = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId));
    await w.pulje.rounds.openIdeas(w.staff, { roundId: ideas.id });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(w.youth[0]!, approve(ideas.id, 1)), 'wrong_phase');

    const deadline = new Date(w.clock.now().getTime() + DAY);
    const { round } = await votingRound(w, [100_000], { votingDeadline: deadline.toISOString() });
    await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 1));
    w.clock.set(deadline);
    const late = await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(w.youth[1]!, approve(round.id, 1)), 'voting_closed');
    expect(late.localize('da')).toBe('Afstemningen er lukket, så det, du sendte nu, kom ikke med.');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.change(w.youth[0]!, approve(round.id, 1)), 'voting_closed');
    const result = await w.pulje.rounds.close(w.staff, { roundId: round.id });
    expect(result.ballotsCounted).toBe(1);
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(w.youth[1]!, approve(round.id, 1)), 'voting_closed');
    // Closed phases say voting_closed even for a ballot that would be invalid.
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(w.youth[1]!, approve(round.id, 9)), 'voting_closed');
    expect(await w.pulje.ballots.confirm(w.youth[0]!, { roundId: round.id })).toMatchObject({ counted: true });
  });

  it("follow the round's ballot type: knapsack, cumulative, ranked and yes/no", async () => {
    const w = await world(db(), 2);
    const knapsack = await votingRound(w, [600_000, 500_000, 300_000], { ballotType: 'knapsack' });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.ballots.cast(w.youth[0]!, { roundId: knapsack.round.id, choice: { type: 'knapsack', picks: [1, 2] } }),
      'ballot_invalid',
    );
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: knapsack.round.id, choice: { type: 'knapsack', picks: [1, 3] } });

    const cumulative = await votingRound(w, [100_000, 200_000], { ballotType: 'cumulative', points: 5 });
    await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.ballots.cast(w.youth[0]!, {
          roundId: cumulative.round.id,
          choice: { type: 'cumulative', points: [{ proposal: 1, points: 6 }] },
        }),
      'ballot_invalid',
    );
    await w.pulje.ballots.cast(w.youth[0]!, {
      roundId: cumulative.round.id,
      choice: {
        type: 'cumulative',
        points: [
          { proposal: 2, points: 3 },
          { proposal: 1, points: 2 },
        ],
      },
    });
    expect((await w.pulje.ballots.confirm(w.youth[0]!, { roundId: cumulative.round.id })).items.map((i) => [i.number, i.points])).toEqual([
      [1, 2],
      [2, 3],
    ]);

    const ranked = await votingRound(w, [100_000, 200_000, 300_000], { ballotType: 'ranked', maxPicks: 2 });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.ballots.cast(w.youth[0]!, { roundId: ranked.round.id, choice: { type: 'ranked', ranking: [3, 3] } }),
      'ballot_invalid',
    );
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: ranked.round.id, choice: { type: 'ranked', ranking: [3, 1] } });
    expect((await w.pulje.ballots.confirm(w.youth[0]!, { roundId: ranked.round.id })).items.map((i) => [i.number, i.rank])).toEqual([
      [3, 1],
      [1, 2],
    ]);

    const yesno = await votingRound(w, [100_000], { ballotType: 'yesno', rule: 'yes-no' });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.ballots.cast(w.youth[0]!, approve(yesno.round.id, 1)), 'ballot_invalid');
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: yesno.round.id, choice: { type: 'yesno', vote: 'yes' } });
    await w.pulje.ballots.cast(w.youth[1]!, { roundId: yesno.round.id, choice: { type: 'yesno', vote: 'no' } });
    const tie = await w.pulje.rounds.close(w.staff, { roundId: yesno.round.id });
    expect(tie.selected).toEqual([]);
    expect(tie.proposals[0]!.text).toBe('Ikke vedtaget: 1 ja, 1 nej (50 % ja), der skulle over 50 % ja til');
  });
});
