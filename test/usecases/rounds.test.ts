import { expect, it } from 'vitest';
import { verifyLogs } from '../../src/db/decision-log.ts';
import { describeEachEngine } from '../support/databases.ts';
import { DAY, approvalRound, expectPuljeError, expectRefusedUnchanged, votingRound, world } from './fixtures.ts';

describeEachEngine('rounds', (db) => {
  it('are created in draft by staff, hidden from young people until ideas open', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { maxPicks: 3 }));
    expect(round).toMatchObject({
      phase: 'draft',
      amount: 1_000_000,
      currency: 'DKK',
      ballotType: 'approval',
      rule: 'greedy',
      completion: 'none',
      maxPicks: 3,
      lockedAt: null,
    });
    await expectPuljeError(w.pulje.rounds.get(w.youth[0]!, { roundId: round.id }), 'not_found');
    expect(await w.pulje.rounds.list(w.youth[0]!, { groupId: w.groupId })).toEqual([]);
    expect((await w.pulje.rounds.list(w.admin, { groupId: w.groupId })).map((r) => r.id)).toEqual([round.id]);
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    expect((await w.pulje.rounds.get(w.youth[0]!, { roundId: round.id })).phase).toBe('ideas');
  });

  it('are created and run only by staff and admins', async () => {
    const w = await world(db(), 1);
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.create(w.youth[0]!, approvalRound(w.groupId)), 'forbidden');
    const round = await w.pulje.rounds.create(w.admin, approvalRound(w.groupId));
    await w.pulje.rounds.openIdeas(w.admin, { roundId: round.id });
    for (const run of [
      () => w.pulje.rounds.openVoting(w.youth[0]!, { roundId: round.id }),
      () => w.pulje.rounds.configure(w.youth[0]!, { roundId: round.id, title: 'Min pulje' }),
      () => w.pulje.rounds.close(w.youth[0]!, { roundId: round.id }),
      () => w.pulje.rounds.extendVoting(w.youth[0]!, { roundId: round.id, reason: 'x', votingDeadline: '2026-12-01T00:00:00Z' }),
    ])
      await expectRefusedUnchanged(db().prisma, run, 'forbidden');
  });

  it('are configured while draft or ideas, logged; the amount cannot drop below a proposal', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { ballotType: 'cumulative', points: 10 }));
    const changed = await w.pulje.rounds.configure(w.staff, { roundId: round.id, ballotType: 'knapsack', maxPicks: 4 });
    expect(changed).toMatchObject({ ballotType: 'knapsack', points: null, maxPicks: 4 });
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'Skatepark', description: 'Ramper', cost: 600_000 });
    const e = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.configure(w.staff, { roundId: round.id, amount: 500_000 }),
      'invalid_input',
    );
    expect(e.localize('da')).toBe('Det kunne jeg ikke bruge: idé #1 koster 6.000 kr., mere end 5.000 kr.');
    await w.pulje.rounds.configure(w.staff, { roundId: round.id, amount: 600_000, title: 'Vinterpuljen' });
    const config = (await w.pulje.log.read(w.staff, { groupId: w.groupId, roundId: round.id })).filter((x) => x.kind === 'config');
    expect(config.map((x) => x.data.action)).toEqual(['round_created', 'round_configured', 'round_configured']);
    expect(config[2]!.data.changed).toEqual({
      title: { from: 'Sommerpuljen', to: 'Vinterpuljen' },
      amount: { from: 1_000_000, to: 600_000 },
    });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.configure(w.staff, { roundId: round.id }), 'invalid_input');
  });

  it('refuse deadlines that have already passed, and a voting deadline before the ideas deadline', async () => {
    const w = await world(db(), 1);
    const past = new Date(w.clock.now().getTime() - DAY).toISOString();
    const e = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { votingDeadline: past })),
      'invalid_input',
    );
    expect(e.details.map((d) => d.key)).toEqual(['issue.deadline_past']);
    expect(e.localize('da')).toMatch(/^Det kunne jeg ikke bruge: fristen .*2026.* er allerede overskredet$/);
    const inTwo = new Date(w.clock.now().getTime() + 2 * DAY).toISOString();
    const inOne = new Date(w.clock.now().getTime() + DAY).toISOString();
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { ideasDeadline: inTwo, votingDeadline: inOne })),
      'invalid_input',
    );
  });

  it('open voting only with something to vote on, and then lock amount, ballot type, limits and rule', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { minPicks: 2 }));
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.openVoting(w.staff, { roundId: round.id }), 'wrong_phase');
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    const none = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.openVoting(w.staff, { roundId: round.id }),
      'invalid_input',
    );
    expect(none.localize('en')).toBe("I couldn't use that: there are no proposals to vote on");
    const p1 = await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'A', description: 'a', cost: 100 });
    await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'B', description: 'b', cost: 100 });
    // An ineligible proposal is not on the ballot, so two picks can no longer be reached.
    await w.pulje.proposals.setEligibility(w.staff, { proposalId: p1.id, eligible: false, note: 'Kræver byggetilladelse' });
    const unreachable = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.openVoting(w.staff, { roundId: round.id }),
      'invalid_input',
    );
    expect(unreachable.details.map((d) => d.key)).toEqual(['issue.min_picks_unreachable']);
    await w.pulje.proposals.setEligibility(w.staff, { proposalId: p1.id, eligible: true });
    const voting = await w.pulje.rounds.openVoting(w.staff, { roundId: round.id });
    expect(voting.phase).toBe('voting');
    expect(voting.lockedAt).toBe(w.clock.now().toISOString());
    const locked = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.configure(w.staff, { roundId: round.id, amount: 5 }),
      'locked',
    );
    expect(locked.localize('da')).toBe('Rundens beløb, stemmesedler og regler kan ikke ændres, efter afstemningen er åbnet.');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.configure(w.staff, { roundId: round.id, title: 'Nyt navn' }),
      'wrong_phase',
    );
  });

  it('need exactly one proposal for a yes/no vote', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, { ballotType: 'yesno', rule: 'yes-no' }));
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'A', description: 'a', cost: 100 });
    const two = await w.pulje.proposals.submit(w.youth[0]!, { roundId: round.id, title: 'B', description: 'b', cost: 100 });
    const e = await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.openVoting(w.staff, { roundId: round.id }), 'invalid_input');
    expect(e.localize('da')).toBe('Det kunne jeg ikke bruge: en ja/nej-afstemning skal have præcis én idé (der er 2)');
    await w.pulje.proposals.withdraw(w.youth[0]!, { proposalId: two.id });
    expect((await w.pulje.rounds.openVoting(w.staff, { roundId: round.id })).phase).toBe('voting');
  });

  it('move through every phase in order, each step logged, and refuse skipping', async () => {
    const w = await world(db(), 2);
    const { round } = await votingRound(w, [100_000]);
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.startImplementation(w.staff, { roundId: round.id }), 'wrong_phase');
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    await w.pulje.rounds.close(w.staff, { roundId: round.id });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.finish(w.staff, { roundId: round.id }), 'wrong_phase');
    await w.pulje.rounds.startImplementation(w.staff, { roundId: round.id });
    expect((await w.pulje.rounds.finish(w.admin, { roundId: round.id })).phase).toBe('done');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.reopenVoting(w.staff, { roundId: round.id, reason: 'fejl' }),
      'wrong_phase',
    );
    const phases = (await w.pulje.log.read(w.staff, { groupId: w.groupId, roundId: round.id }))
      .filter((e) => e.kind === 'phase')
      .map((e) => `${e.data.from}>${e.data.to}`);
    expect(phases).toEqual(['draft>ideas', 'ideas>voting', 'voting>decided', 'decided>implementing', 'implementing>done']);
    expect((await verifyLogs(db().prisma, [w.groupId]))[0]!.ok).toBe(true);
  });

  it('reopen voting after a decision only with a reason, as a logged override, and publish a second result on close', async () => {
    const w = await world(db(), 2);
    const { round } = await votingRound(w, [100_000, 200_000], {
      votingDeadline: new Date(Date.parse('2026-03-01T10:00:00Z') + DAY).toISOString(),
    });
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    const first = await w.pulje.rounds.close(w.staff, { roundId: round.id });
    expect(first.seq).toBe(1);
    const noReason = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.reopenVoting(w.staff, { roundId: round.id, reason: '   ' }),
      'reason_required',
    );
    expect(noReason.localize('en')).toBe('Please give a reason – it is kept in the decision log.');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.reopenVoting(w.youth[0]!, { roundId: round.id, reason: 'vil stemme' }),
      'forbidden',
    );
    // The deadline has passed: reopening needs a new one, or every ballot would be refused.
    w.clock.advance(2 * DAY);
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.reopenVoting(w.staff, { roundId: round.id, reason: 'Systemfejl' }),
      'invalid_input',
    );
    const newDeadline = new Date(w.clock.now().getTime() + DAY).toISOString();
    const reopened = await w.pulje.rounds.reopenVoting(w.staff, {
      roundId: round.id,
      reason: 'Systemfejl i afstemningen',
      votingDeadline: newDeadline,
    });
    expect(reopened).toMatchObject({ phase: 'voting', votingDeadline: newDeadline });
    expect((await w.pulje.results.get(w.youth[0]!, { roundId: round.id })).reopened).toBe(true);
    await w.pulje.ballots.cast(w.youth[1]!, { roundId: round.id, choice: { type: 'approval', picks: [2] } });
    const second = await w.pulje.rounds.close(w.staff, { roundId: round.id });
    expect(second).toMatchObject({ seq: 2, ballotsCounted: 2, reopened: false });
    const override = (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'override');
    expect(override).toHaveLength(1);
    expect(override[0]).toMatchObject({
      reason: 'Systemfejl i afstemningen',
      actorId: w.staff.personId,
      data: { action: 'reopen_voting', from: 'decided', to: 'voting' },
    });
  });

  it('extend the voting deadline only later, with a reason, logged as an override; a passed deadline can be extended', async () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    const w = await world(db(), 1);
    const { round } = await votingRound(w, [100_000], { votingDeadline: new Date(start + DAY).toISOString() });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.extendVoting(w.staff, { roundId: round.id, votingDeadline: new Date(start + 2 * DAY).toISOString() }),
      'reason_required',
    );
    const earlier = await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.rounds.extendVoting(w.staff, { roundId: round.id, reason: 'x', votingDeadline: new Date(start + DAY / 2).toISOString() }),
      'invalid_input',
    );
    expect(earlier.details.map((d) => d.key)).toEqual(['issue.deadline_not_later']);
    w.clock.advance(DAY + 1);
    await expectPuljeError(
      w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } }),
      'voting_closed',
    );
    await w.pulje.rounds.extendVoting(w.staff, {
      roundId: round.id,
      reason: 'Mange var på lejrtur',
      votingDeadline: new Date(start + 3 * DAY).toISOString(),
    });
    expect((await w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } })).revision).toBe(1);
    const override = (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'override');
    expect(override.map((e) => [e.reason, e.data.action])).toEqual([['Mange var på lejrtur', 'extend_voting']]);
  });

  it('are seen only by members of their group', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId));
    const other = await w.pulje.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Unge' },
      admin: { displayName: 'K', platform: 'web', externalId: 'k' },
    });
    await expectPuljeError(w.pulje.rounds.get({ personId: other.admin.id }, { roundId: round.id }), 'not_found');
    await expectPuljeError(w.pulje.rounds.list({ personId: other.admin.id }, { groupId: w.groupId }), 'not_member');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.rounds.openIdeas({ personId: other.admin.id }, { roundId: round.id }),
      'not_found',
    );
  });
});
