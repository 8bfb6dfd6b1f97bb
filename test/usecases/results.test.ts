import { expect, it } from 'vitest';
import { parsePb } from '../../src/pabulib/parse.ts';
import { pbMethod, pbToTallyInput } from '../../src/pabulib/convert.ts';
import { tally } from '../../src/tally/tally.ts';
import { describeEachEngine } from '../support/databases.ts';
import { expectPuljeError, expectRefusedUnchanged, votingRound, world } from './fixtures.ts';

const approve = (roundId: string, ...picks: number[]) => ({ roundId, choice: { type: 'approval', picks } });

describeEachEngine('results', (db) => {
  /** Support #2: 3, #1: 2, #3: 1. Greedy with 10.000 kr.: #2 (5.000) and #1 (4.000) fit, #3 (3.000) does not. */
  async function decided() {
    const w = await world(db(), 4);
    const { round, proposals } = await votingRound(w, [400_000, 500_000, 300_000]);
    await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 1, 2));
    await w.pulje.ballots.cast(w.youth[1]!, approve(round.id, 2, 3));
    await w.pulje.ballots.cast(w.youth[2]!, approve(round.id, 2, 1));
    const result = await w.pulje.rounds.close(w.staff, { roundId: round.id });
    return { w, round, proposals, result };
  }

  it('are published on close: funded proposals, explanations with support numbers, receipts, no identities', async () => {
    const { w, round, proposals, result } = await decided();
    expect(result).toMatchObject({
      seq: 1,
      rule: 'greedy',
      budget: 1_000_000,
      totalCost: 900_000,
      ballotsCounted: 3,
      eligibleVoters: 4,
      locale: 'da',
      reopened: false,
    });
    expect(result.selected).toEqual([proposals[1]!.id, proposals[0]!.id]);
    expect(
      result.proposals.map((p) => [
        p.number,
        p.selected,
        p.explanation.outcome,
        'support' in p.explanation ? p.explanation.support : null,
        p.text,
      ]),
    ).toEqual([
      [1, true, 'funded', 2, 'Fik penge: 2 stemmer, koster 4.000 kr.'],
      [2, true, 'funded', 3, 'Fik penge: 3 stemmer, koster 5.000 kr.'],
      [3, false, 'did_not_fit', 1, 'Ikke plads i budgettet: koster 3.000 kr., men der var kun 1.000 kr. tilbage'],
    ]);
    const receipts = await db().prisma.ballot.findMany({ select: { receiptCode: true } });
    expect(result.receipts).toEqual(receipts.map((r) => r.receiptCode).sort());
    // The stored result names no voter: no person ids, names or ballot ids.
    const stored = (await db().prisma.result.findFirstOrThrow()).payload;
    const people = await db().prisma.person.findMany();
    const ballots = await db().prisma.ballot.findMany();
    for (const secret of [...people.flatMap((p) => [p.id, p.displayName]), ...ballots.map((b) => b.id)])
      expect(stored).not.toContain(secret);
    // Members read it in their language, or the one they ask for.
    const en = await w.pulje.results.get(w.youth[3]!, { roundId: round.id, locale: 'en' });
    expect(en.proposals[2]!.text).toBe('Did not fit: costs DKK 3,000, but only DKK 1,000 was left');
    const log = (await w.pulje.log.read(w.staff, { groupId: w.groupId, roundId: round.id })).filter((e) => e.kind === 'result');
    expect(log).toHaveLength(1);
    expect(log[0]!.data).toMatchObject({ seq: 1, totalCost: 900_000, ballotsCounted: 3, selected: result.selected });
  });

  it('are not there before close, and are only for members', async () => {
    const w = await world(db(), 1);
    const { round } = await votingRound(w, [100_000]);
    await expectPuljeError(w.pulje.results.get(w.youth[0]!, { roundId: round.id }), 'not_found');
    const other = await w.pulje.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Unge' },
      admin: { displayName: 'K', platform: 'web', externalId: 'k' },
    });
    await w.pulje.rounds.close(w.staff, { roundId: round.id });
    await expectPuljeError(w.pulje.results.get({ personId: other.admin.id }, { roundId: round.id }), 'not_found');
  });

  it('export to pabulib without names, accounts or receipts, and the file counts to the same decision', async () => {
    const { w, round, result } = await decided();
    await expectPuljeError(w.pulje.results.exportPb(w.youth[0]!, { roundId: round.id }), 'forbidden');
    const { filename, text } = await w.pulje.results.exportPb(w.staff, { roundId: round.id });
    expect(filename).toMatch(/\.pb$/);
    const election = parsePb(text);
    expect(election.meta.get('vote_type')).toBe('approval');
    expect(election.meta.get('budget')).toBe('10000');
    expect(election.meta.get('num_votes')).toBe('3');
    expect(election.votes.rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    for (const secret of [...result.receipts, ...(await db().prisma.person.findMany()).flatMap((p) => [p.id, p.displayName]), 'discord'])
      expect(text).not.toContain(secret);
    // Re-counting the exported file with its own rule funds the same proposals (by number).
    const recount = tally(pbToTallyInput(election), pbMethod(election)!);
    expect(recount.selected).toEqual(['2', '1']);
  });

  it('export knapsack, cumulative, ranked and yes/no rounds so that they read back the same', async () => {
    const w = await world(db(), 3);
    const rounds = [
      {
        extra: { ballotType: 'knapsack' },
        costs: [600_000, 500_000, 300_050],
        choices: [
          { type: 'knapsack', picks: [2, 3] },
          { type: 'knapsack', picks: [2, 3] },
          { type: 'knapsack', picks: [3] },
        ],
      },
      {
        extra: { ballotType: 'cumulative', points: 5 },
        costs: [600_000, 500_000, 300_000],
        choices: [
          { type: 'cumulative', points: [{ proposal: 1, points: 5 }] },
          {
            type: 'cumulative',
            points: [
              { proposal: 2, points: 2 },
              { proposal: 3, points: 3 },
            ],
          },
          { type: 'cumulative', points: [{ proposal: 3, points: 1 }] },
        ],
      },
      {
        extra: { ballotType: 'ranked', maxPicks: 2 },
        costs: [600_000, 500_000, 300_000],
        choices: [
          { type: 'ranked', ranking: [3, 1] },
          { type: 'ranked', ranking: [1, 2] },
          { type: 'ranked', ranking: [3, 2] },
        ],
      },
    ];
    const exported: string[] = [];
    for (const { extra, costs, choices } of rounds) {
      const { round } = await votingRound(w, costs, extra);
      exported.push(round.id);
      for (const [i, choice] of choices.entries()) await w.pulje.ballots.cast(w.youth[i]!, { roundId: round.id, choice });
      const result = await w.pulje.rounds.close(w.staff, { roundId: round.id });
      const election = parsePb((await w.pulje.results.exportPb(w.staff, { roundId: round.id })).text);
      // Supports differ, so the file's tie-break (project order) cannot change the outcome.
      const recount = tally(pbToTallyInput(election), pbMethod(election)!);
      const numbers = result.selected.map((id) => String(result.proposals.find((p) => p.proposalId === id)!.number));
      expect(recount.selected, String(extra.ballotType)).toEqual(numbers);
      // Support per project as the file says it equals what the result explained.
      expect(recount.explanations.map((e) => e.support)).toEqual(
        result.proposals.map((p) => ('support' in p.explanation ? p.explanation.support : -1)),
      );
    }
    // Øre that do not make whole kroner: the knapsack round was written in øre.
    const knapsackFile = parsePb((await w.pulje.results.exportPb(w.staff, { roundId: exported[0]! })).text);
    expect(knapsackFile.meta.get('budget')).toBe('1000000');
    expect(knapsackFile.meta.get('max_sum_cost')).toBe('1000000');

    const yesno = await votingRound(w, [100_000], { ballotType: 'yesno', rule: 'yes-no' });
    for (const [i, vote] of (['yes', 'no', 'yes'] as const).entries())
      await w.pulje.ballots.cast(w.youth[i]!, { roundId: yesno.round.id, choice: { type: 'yesno', vote } });
    expect((await w.pulje.rounds.close(w.staff, { roundId: yesno.round.id })).selected).toEqual([yesno.proposals[0]!.id]);
    const file = parsePb((await w.pulje.results.exportPb(w.staff, { roundId: yesno.round.id })).text);
    expect(file.votes.rows.map((r) => r[1]).sort()).toEqual(['', '1', '1']);
    expect(file.projects.rows[0]).toContain('1');
  });

  it('export only decided rounds', async () => {
    const w = await world(db(), 1);
    const { round } = await votingRound(w, [100_000]);
    await expectPuljeError(w.pulje.results.exportPb(w.staff, { roundId: round.id }), 'wrong_phase');
  });

  it('explain each voter’s own ballot against the result, from their own ballot and the public result only', async () => {
    const { w, round, proposals } = await decided();
    // Ung 0 voted #1 and #2: both funded. Four young members, three voted: a small group, so no vote counts.
    const mine = await w.pulje.results.myBallot(w.youth[0]!, { roundId: round.id });
    expect(mine).toMatchObject({ counted: true, seq: 1, otherBallots: 2, smallGroup: true, currency: 'DKK' });
    expect(mine.picks.map((p) => [p.number, p.funded, p.exact, p.reason])).toEqual([
      [1, true, false, { kind: 'funded', stage: 'greedy', unit: 'votes' }],
      [2, true, false, { kind: 'funded', stage: 'greedy', unit: 'votes' }],
    ]);
    expect(mine.receiptCode).toBe((await db().prisma.ballot.findFirstOrThrow({ where: { voterId: w.youth[0]!.personId } })).receiptCode);
    // Nothing in it identifies another voter: no person ids, names, ballot ids or other receipt codes.
    const text = JSON.stringify(mine);
    const others = await db().prisma.ballot.findMany({ where: { voterId: { not: w.youth[0]!.personId } } });
    const people = await db().prisma.person.findMany({ where: { id: { not: w.youth[0]!.personId } } });
    for (const secret of [...others.flatMap((b) => [b.id, b.receiptCode]), ...people.flatMap((p) => [p.id, p.displayName])])
      expect(text).not.toContain(secret);
    expect(mine.picks.map((p) => p.proposalId)).toEqual([proposals[0]!.id, proposals[1]!.id]);
    // No ballot, no explanation; staff have none; while voting is reopened the ballot may change, so not then.
    await expectPuljeError(w.pulje.results.myBallot(w.youth[3]!, { roundId: round.id }), 'not_found');
    await expectPuljeError(w.pulje.results.myBallot(w.staff, { roundId: round.id }), 'not_found');
    await w.pulje.rounds.reopenVoting(w.staff, { roundId: round.id, reason: 'Fejl' });
    await expectPuljeError(w.pulje.results.myBallot(w.youth[0]!, { roundId: round.id }), 'wrong_phase');
  });
});

describeEachEngine('implementation', (db) => {
  it('is recorded by staff for funded proposals only, summed, and logged', async () => {
    const w = await world(db(), 2);
    const { round, proposals } = await votingRound(w, [400_000, 700_000]);
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.staff, { proposalId: proposals[0]!.id, status: 'planned', progress: 0 }),
      'wrong_phase',
    );
    await w.pulje.ballots.cast(w.youth[0]!, approve(round.id, 1));
    await w.pulje.rounds.close(w.staff, { roundId: round.id });
    const notFunded = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.staff, { proposalId: proposals[1]!.id, status: 'planned', progress: 0 }),
      'invalid_input',
    );
    expect(notFunded.localize('en')).toBe("I couldn't use that: proposal #2 was not funded");
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.youth[0]!, { proposalId: proposals[0]!.id, status: 'planned', progress: 0 }),
      'forbidden',
    );
    const noNote = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.staff, { proposalId: proposals[0]!.id, status: 'in_progress', progress: 10, spent: 50_000 }),
      'invalid_input',
    );
    expect(noNote.localize('da')).toBe('Det kunne jeg ikke bruge: note mangler');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.staff, { proposalId: proposals[0]!.id, status: 'in_progress', progress: 101 }),
      'invalid_input',
    );

    await w.pulje.implementation.record(w.staff, {
      proposalId: proposals[0]!.id,
      status: 'in_progress',
      progress: 30,
      spent: 150_000,
      note: 'Materialer købt',
    });
    await w.pulje.rounds.startImplementation(w.staff, { roundId: round.id });
    w.clock.advance(1000);
    const latest = await w.pulje.implementation.record(w.admin, {
      proposalId: proposals[0]!.id,
      status: 'done',
      progress: 100,
      spent: 200_000,
      note: 'Bygget',
    });
    expect(latest).toMatchObject({ number: 1, status: 'done', progress: 100, spent: 350_000, cost: 400_000 });
    expect(latest.updates.map((u) => [u.status, u.spent, u.note])).toEqual([
      ['in_progress', 150_000, 'Materialer købt'],
      ['done', 200_000, 'Bygget'],
    ]);
    expect(await w.pulje.implementation.progress(w.youth[1]!, { roundId: round.id })).toEqual([latest]);
    const log = (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'implementation');
    expect(log.map((e) => [e.data.status, e.data.spent, e.reason])).toEqual([
      ['in_progress', 150_000, 'Materialer købt'],
      ['done', 200_000, 'Bygget'],
    ]);
    await w.pulje.rounds.finish(w.staff, { roundId: round.id });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.implementation.record(w.staff, { proposalId: proposals[0]!.id, status: 'done', progress: 100 }),
      'wrong_phase',
    );
    expect((await w.pulje.implementation.progress(w.youth[1]!, { roundId: round.id }))[0]!.status).toBe('done');
  });
});

describeEachEngine('decision log', (db) => {
  it('is read and verified by staff and admins only', async () => {
    const w = await world(db(), 1);
    await expectPuljeError(w.pulje.log.read(w.youth[0]!, { groupId: w.groupId }), 'forbidden');
    await expectPuljeError(w.pulje.log.verify(w.youth[0]!, { groupId: w.groupId }), 'forbidden');
    const page = await w.pulje.log.read(w.admin, { groupId: w.groupId, limit: 2 });
    expect(page.map((e) => e.seq)).toEqual([1, 2]);
    expect((await w.pulje.log.read(w.admin, { groupId: w.groupId, afterSeq: 2 }))[0]!.seq).toBe(3);
    expect(page[1]).toMatchObject({ kind: 'config', actorName: null, data: { action: 'member_added', role: 'admin' } });
    expect(await w.pulje.log.verify(w.staff, { groupId: w.groupId })).toMatchObject({ ok: true, entries: 4 });
  });
});
