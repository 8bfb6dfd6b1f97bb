import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { DAY, expectRefusedUnchanged, world } from './fixtures.ts';
import { ideasRound } from '../support/rounds.ts';

const approve = (roundId: string, ...picks: number[]) => ({ roundId, choice: { type: 'approval', picks } });

describeEachEngine('decisions', (db) => {
  /** A round with a proposal found not possible and one hidden, then voting reopened after a first result. */
  async function decided() {
    const w = await world(db(), 5);
    const round = await ideasRound(w.pulje, w.staff, w.groupId);
    const ideas = [];
    for (const [i, cost] of [300_000, 200_000, 600_000, 500_000].entries())
      ideas.push(await w.pulje.proposals.submit(w.youth[i]!, { roundId: round.id, title: `Idé ${i + 1}`, description: 'x', cost }));
    await w.pulje.proposals.setEligibility(w.staff, { proposalId: ideas[0]!.id, eligible: false, note: 'Kan ikke bygges.' });
    await w.pulje.proposals.hide(w.staff, { proposalId: ideas[1]!.id, reason: 'Ring til Ung 3 på 22 33 44 55.' });
    await w.pulje.rounds.openVoting(w.staff, { roundId: round.id });
    return { w, round, ideas };
  }

  it('lists a round’s staff decisions for every member, with the reason masked and a hidden idea by number only', async () => {
    const { w, round } = await decided();
    const seen = await w.pulje.decisions.list(w.youth[4]!, { roundId: round.id });
    expect(seen.map((d) => [d.kind, d.proposal, d.by, d.mine, d.disagree])).toEqual([
      ['ineligible', { number: 1, title: 'Idé 1' }, { role: 'staff', name: 'Pædagog Pia' }, null, null],
      ['hidden', { number: 2, title: null }, { role: 'staff', name: 'Pædagog Pia' }, null, null],
    ]);
    expect(seen[0]!.reason).toBe('Kan ikke bygges.');
    expect(seen[1]!.reason).toMatch(/^Ring til Deltager [A-Z] på \[TELEFON\]\.$/);
    // Ordinary steps (opening ideas and voting) and the first result are not overrides.
    const staffView = await w.pulje.decisions.list(w.staff, { roundId: round.id });
    expect(staffView.map((d) => d.disagree)).toEqual([0, 0]);
    expect(staffView.map((d) => d.mine)).toEqual([null, null]);
    // A staff member named in a reason stays named where the cards name staff; by role only, masked too.
    await w.pulje.rounds.extendVoting(w.staff, { roundId: round.id, reason: 'Spørg Pædagog Pia eller Ung 3.', votingDays: 2 });
    const named = (await w.pulje.decisions.list(w.youth[4]!, { roundId: round.id })).at(-1)!;
    expect(named.reason).toMatch(/^Spørg Pædagog Pia eller Deltager [A-Z]\.$/);
    await w.pulje.decisions.setStaffShown(w.staff, { groupId: w.groupId, staffShown: 'role' });
    const byRole = (await w.pulje.decisions.list(w.youth[4]!, { roundId: round.id })).at(-1)!;
    expect(byRole.reason).not.toContain('Pia');
    expect(byRole.by.name).toBeNull();
  });

  it('takes one private disagreement per young person and decision, changeable, counted for staff only', async () => {
    const { w, round } = await decided();
    const [first] = await w.pulje.decisions.list(w.youth[0]!, { roundId: round.id });
    for (const y of [w.youth[0]!, w.youth[0]!, w.youth[1]!]) await w.pulje.decisions.react(y, { decisionId: first!.id, disagree: true });
    expect((await w.pulje.decisions.list(w.staff, { roundId: round.id }))[0]!.disagree).toBe(2);
    const back = await w.pulje.decisions.react(w.youth[1]!, { decisionId: first!.id, disagree: false });
    expect(back.mine).toBeNull();
    expect(back.disagree).toBeNull();
    expect((await w.pulje.decisions.list(w.staff, { roundId: round.id }))[0]!.disagree).toBe(1);
    expect((await w.pulje.decisions.list(w.youth[0]!, { roundId: round.id }))[0]!.mine).toBe('disagree');
    expect((await w.pulje.decisions.list(w.youth[2]!, { roundId: round.id }))[0]!.mine).toBeNull();
    // Changing one's mind again reuses the one row; nothing about reactions goes into the decision log.
    await w.pulje.decisions.react(w.youth[1]!, { decisionId: first!.id, disagree: true });
    expect(await db().prisma.decisionReaction.count()).toBe(2);
    expect(await db().prisma.logEntry.count({ where: { data: { contains: 'disagree' } } })).toBe(0);

    // Staff do not react; outsiders and unknown decisions are not found; nothing changes.
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.decisions.react(w.staff, { decisionId: first!.id, disagree: true }),
      'forbidden',
    );
    const other = await w.pulje.setup.createGroup(w.admin, { organisationId: w.organisationId, name: 'Andre', locale: 'da' });
    const { person: outsider } = await w.pulje.setup.addMember(w.admin, {
      groupId: other.id,
      role: 'youth',
      platform: 'web',
      externalId: 'outsider',
      displayName: 'Olga',
    });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.decisions.react({ personId: outsider.id }, { decisionId: first!.id, disagree: true }),
      'not_found',
    );
    const phase = (await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'phase' } })).id;
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.decisions.react(w.youth[0]!, { decisionId: phase, disagree: true }),
      'not_found',
    );
    await expectRefusedUnchanged(db().prisma, () => w.pulje.decisions.list({ personId: outsider.id }, { roundId: round.id }), 'not_found');
  });

  it('names staff, or shows them by role only as the group chooses (staff only, logged)', async () => {
    const { w, round } = await decided();
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.decisions.setStaffShown(w.youth[0]!, { groupId: w.groupId, staffShown: 'role' }),
      'forbidden',
    );
    expect(await w.pulje.decisions.staffShown(w.youth[0]!, { groupId: w.groupId })).toBe('role_and_name');
    await w.pulje.decisions.setStaffShown(w.staff, { groupId: w.groupId, staffShown: 'role' });
    expect((await w.pulje.decisions.list(w.youth[0]!, { roundId: round.id })).map((d) => d.by)).toEqual([
      { role: 'staff', name: null },
      { role: 'staff', name: null },
    ]);
    const log = await w.pulje.log.read(w.staff, { groupId: w.groupId });
    expect(log.at(-1)).toMatchObject({ kind: 'config', data: { action: 'staff_shown', from: 'role_and_name', to: 'role' } });
  });

  it('finds what a staff action just decided (for the announcement), and a replaced result with what changed', async () => {
    const { w, round, ideas } = await decided();
    const mark = await w.pulje.decisions.mark(w.staff, { groupId: w.groupId });
    await expectRefusedUnchanged(db().prisma, () => w.pulje.decisions.mark(w.youth[0]!, { groupId: w.groupId }), 'forbidden');
    await w.pulje.rounds.extendVoting(w.staff, { roundId: round.id, reason: 'Ferie.', votingDays: 2 });
    const extended = await w.pulje.decisions.since(w.staff, { groupId: w.groupId, afterSeq: mark });
    expect(extended.map((d) => [d.kind, d.votingDeadline])).toEqual([
      ['extended', { from: null, to: new Date(w.clock.now().getTime() + 2 * DAY).toISOString() }],
    ]);
    // Only the acting staff member's own decisions: the admin's are not theirs to announce.
    expect(await w.pulje.decisions.since(w.admin, { groupId: w.groupId, afterSeq: mark })).toEqual([]);

    for (const y of w.youth.slice(0, 3)) await w.pulje.ballots.cast(y, approve(round.id, 3));
    await w.pulje.rounds.close(w.staff, { roundId: round.id });
    const beforeReopen = await w.pulje.decisions.mark(w.staff, { groupId: w.groupId });
    expect(await w.pulje.decisions.since(w.staff, { groupId: w.groupId, afterSeq: mark + 1 })).toEqual([]);
    await w.pulje.rounds.reopenVoting(w.staff, { roundId: round.id, reason: 'Nogle kunne ikke stemme.', votingDays: 1 });
    for (const y of w.youth.slice(1, 5)) await w.pulje.ballots.cast(y, approve(round.id, 4));
    await w.pulje.rounds.close(w.staff, { roundId: round.id });
    const after = await w.pulje.decisions.since(w.staff, { groupId: w.groupId, afterSeq: beforeReopen });
    expect(after.map((d) => d.kind)).toEqual(['reopened', 'result_changed']);
    expect(after[1]).toMatchObject({
      result: { seq: 2, added: [ideas[3]!.number], removed: [ideas[2]!.number] },
      reason: 'Nogle kunne ikke stemme.',
    });
  });
});
