import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { DAY, approvalRound, expectPuljeError, expectRefusedUnchanged, world } from './fixtures.ts';

describeEachEngine('proposals', (db) => {
  async function ideasRound(extra: Record<string, unknown> = {}) {
    const w = await world(db(), 2);
    const round = await w.pulje.rounds.create(w.staff, approvalRound(w.groupId, extra));
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    return { w, round };
  }
  const idea = (roundId: string, extra: Record<string, unknown> = {}) => ({
    roundId,
    title: 'Skatepark',
    description: 'Ramper ved hallen',
    cost: 400_000,
    ...extra,
  });

  it('come from young people in the ideas phase, numbered #1, #2 …', async () => {
    const { w, round } = await ideasRound();
    const a = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { category: 'Sport' }));
    const b = await w.pulje.proposals.submit(w.youth[1]!, idea(round.id, { title: 'Musikrum' }));
    expect([a.number, b.number]).toEqual([1, 2]);
    expect(a).toMatchObject({ status: 'submitted', mine: true, category: 'Sport', cost: 400_000 });
    expect(a.author).toBeUndefined();
    // Staff are sparring partners, not proposers.
    const e = await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.staff, idea(round.id)), 'forbidden');
    expect(e.localize('en')).toBe('Only young people can do that.');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.admin, idea(round.id)), 'forbidden');
    // Staff see who wrote what; young people see ideas.
    const seenByStaff = await w.pulje.proposals.list(w.staff, { roundId: round.id });
    expect(seenByStaff.map((p) => p.author?.displayName)).toEqual(['Ung 0', 'Ung 1']);
    const seenByYouth = await w.pulje.proposals.list(w.youth[0]!, { roundId: round.id });
    expect(seenByYouth.map((p) => [p.number, p.mine, p.author])).toEqual([
      [1, true, undefined],
      [2, false, undefined],
    ]);
  });

  it('cost more than nothing and at most the whole pot', async () => {
    const { w, round } = await ideasRound();
    const e = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { cost: 1_000_001 })),
      'invalid_input',
    );
    expect(e.localize('da')).toBe('Det kunne jeg ikke bruge: prisen (10.000,01 kr.) er højere end hele puljen (10.000 kr.)');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { cost: 0 })), 'invalid_input');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { cost: 100.5 })),
      'invalid_input',
    );
    expect((await w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { cost: 1_000_000 }))).cost).toBe(1_000_000);
  });

  it('are not taken outside the ideas phase or after the ideas deadline', async () => {
    const w = await world(db(), 1);
    const round = await w.pulje.rounds.create(
      w.staff,
      approvalRound(w.groupId, { ideasDeadline: new Date(w.clock.now().getTime() + DAY).toISOString() }),
    );
    // A draft is invisible to young people.
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id)), 'not_found');
    await w.pulje.rounds.openIdeas(w.staff, { roundId: round.id });
    await w.pulje.proposals.submit(w.youth[0]!, idea(round.id));
    w.clock.advance(DAY);
    const late = await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id)), 'invalid_input');
    expect(late.details.map((d) => d.key)).toEqual(['issue.ideas_deadline_passed']);
    await w.pulje.rounds.openVoting(w.staff, { roundId: round.id });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.submit(w.youth[0]!, idea(round.id)), 'wrong_phase');
  });

  it('are edited and withdrawn by their author only, until voting opens', async () => {
    const { w, round } = await ideasRound();
    const p = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { category: 'Sport' }));
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.edit(w.youth[1]!, { proposalId: p.id, title: 'Mit' }), 'not_author');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.edit(w.staff, { proposalId: p.id, title: 'Bedre titel' }),
      'not_author',
    );
    const edited = await w.pulje.proposals.edit(w.youth[0]!, {
      proposalId: p.id,
      title: '  Skatepark ved hallen ',
      cost: 450_000,
      category: null,
    });
    expect(edited).toMatchObject({ title: 'Skatepark ved hallen', cost: 450_000, category: null, description: 'Ramper ved hallen' });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.edit(w.youth[0]!, { proposalId: p.id, cost: 2_000_000 }),
      'invalid_input',
    );
    const q = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id));
    await w.pulje.rounds.openVoting(w.staff, { roundId: round.id });
    const locked = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.edit(w.youth[0]!, { proposalId: p.id, title: 'Sent' }),
      'locked',
    );
    expect(locked.localize('da')).toBe('Idéerne kan ikke ændres, efter afstemningen er åbnet.');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.withdraw(w.youth[0]!, { proposalId: q.id }), 'locked');
  });

  it('once withdrawn stay withdrawn and show only to their author and staff', async () => {
    const { w, round } = await ideasRound();
    const p = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id));
    expect((await w.pulje.proposals.withdraw(w.youth[0]!, { proposalId: p.id })).status).toBe('withdrawn');
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.withdraw(w.youth[0]!, { proposalId: p.id }), 'invalid_input');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.edit(w.youth[0]!, { proposalId: p.id, title: 'igen' }),
      'invalid_input',
    );
    expect(await w.pulje.proposals.list(w.youth[1]!, { roundId: round.id })).toEqual([]);
    await expectPuljeError(w.pulje.proposals.get(w.youth[1]!, { proposalId: p.id }), 'not_found');
    expect((await w.pulje.proposals.get(w.youth[0]!, { proposalId: p.id })).status).toBe('withdrawn');
    expect((await w.pulje.proposals.list(w.staff, { roundId: round.id })).map((x) => x.status)).toEqual(['withdrawn']);
  });

  it("are hidden and shown again by staff with a reason, logged as moderation without the young person's text", async () => {
    const { w, round } = await ideasRound();
    const p = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id, { title: 'Noget grimt' }));
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.hide(w.staff, { proposalId: p.id }), 'reason_required');
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.hide(w.youth[1]!, { proposalId: p.id, reason: 'grimt' }),
      'forbidden',
    );
    const hidden = await w.pulje.proposals.hide(w.staff, { proposalId: p.id, reason: 'Personfølsomme oplysninger' });
    expect(hidden).toMatchObject({ status: 'hidden', statusNote: 'Personfølsomme oplysninger' });
    expect(await w.pulje.proposals.list(w.youth[1]!, { roundId: round.id })).toEqual([]);
    // The author still sees it, and why.
    expect(await w.pulje.proposals.get(w.youth[0]!, { proposalId: p.id })).toMatchObject({
      status: 'hidden',
      statusNote: 'Personfølsomme oplysninger',
    });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.proposals.hide(w.staff, { proposalId: p.id, reason: 'igen' }), 'invalid_input');
    // Hidden proposals are not on the ballot.
    await expectRefusedUnchanged(db().prisma, () => w.pulje.rounds.openVoting(w.staff, { roundId: round.id }), 'invalid_input');
    const shown = await w.pulje.proposals.unhide(w.admin, { proposalId: p.id, reason: 'Rettet af forfatteren' });
    expect(shown).toMatchObject({ status: 'submitted', statusNote: null });
    const log = (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'moderation');
    expect(log.map((e) => [e.reason, e.data.from, e.data.to])).toEqual([
      ['Personfølsomme oplysninger', 'submitted', 'hidden'],
      ['Rettet af forfatteren', 'hidden', 'submitted'],
    ]);
    expect(JSON.stringify(log)).not.toContain('Noget grimt');
  });

  it('are marked not feasible by staff with a note everyone reads, logged as eligibility, and left off the ballot', async () => {
    const { w, round } = await ideasRound();
    const p = await w.pulje.proposals.submit(w.youth[0]!, idea(round.id));
    const q = await w.pulje.proposals.submit(w.youth[1]!, idea(round.id, { title: 'Musikrum' }));
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.setEligibility(w.staff, { proposalId: p.id, eligible: false, note: '' }),
      'reason_required',
    );
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.setEligibility(w.youth[1]!, { proposalId: p.id, eligible: false, note: 'nej' }),
      'forbidden',
    );
    await w.pulje.proposals.setEligibility(w.staff, { proposalId: p.id, eligible: false, note: 'Grunden ejes af staten' });
    expect(await w.pulje.proposals.get(w.youth[1]!, { proposalId: p.id })).toMatchObject({
      status: 'ineligible',
      statusNote: 'Grunden ejes af staten',
    });
    // Marking it eligible again when it already is changes nothing and logs nothing.
    const entries = async () => (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'eligibility');
    expect(await entries()).toHaveLength(1);
    expect((await w.pulje.proposals.setEligibility(w.staff, { proposalId: q.id, eligible: true })).status).toBe('submitted');
    expect(await entries()).toHaveLength(1);
    await w.pulje.rounds.openVoting(w.staff, { roundId: round.id });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.proposals.setEligibility(w.staff, { proposalId: p.id, eligible: true }),
      'locked',
    );
    const e = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } }),
      'ballot_invalid',
    );
    expect(e.localize('da')).toBe('Stemmesedlen er ikke gyldig: idé #1 findes ikke eller kan ikke stemmes på');
    expect((await w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [2] } })).revision).toBe(1);
  });
});
