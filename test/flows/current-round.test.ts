import { expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, flowWorld, textOf, votingRound } from './harness.ts';

// "The current round" is never guessed: a group votes on one round at a time unless staff chose otherwise, and a
// command that could mean several rounds asks which one.

describeEachEngine('the right round', (db) => {
  it('opening voting while another round of the group votes is refused, naming that round; staff may run both alongside', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const first = await votingRound(w, [100_000], { title: 'Forårspuljen' });
    const staff = { personId: w.staff.personId };
    const second = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommerpuljen',
      amount: 500_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: second.id });
    await w.pulje.proposals.submit(
      { personId: w.youth[0]!.personId },
      { roundId: second.id, title: 'Bænke', description: 'To bænke.', cost: 200_000 },
    );

    const refused = await w.pulje.rounds.openVoting(staff, { roundId: second.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PuljeError);
    expect((refused as PuljeError).localize('da')).toContain('«Forårspuljen»');
    expect((await w.pulje.rounds.get(staff, { roundId: second.id })).phase).toBe('ideas');

    // The chat command says the same in the staff member's language.
    w.chat.messages.length = 0;
    const asked = await w.chat.command(w.staff, 'openvoting');
    const confirm = w.chat.last(w.staff);
    expect(asked.replies).toHaveLength(1);
    const ok = await w.chat.click(w.staff, confirm, /^Ja/);
    expect(textOf(w.chat.last(w.staff).message)).toContain('«Forårspuljen»');
    expect(ok.duplicate).toBe(false);

    await w.pulje.rounds.openVoting(staff, { roundId: second.id, alongside: true });
    const log = await w.pulje.log.read(staff, { groupId: w.groupId });
    expect(log.find((e) => e.roundId === second.id && e.kind === 'phase' && e.data.to === 'voting')?.data).toMatchObject({
      alongside: [first.round.id],
    });
  });

  it('with two rounds voting, /vote asks which one, naming both, and never opens one silently', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    await votingRound(w, [100_000], { title: 'Forårspuljen' });
    const staff = { personId: w.staff.personId };
    const second = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommerpuljen',
      amount: 500_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: second.id });
    await w.pulje.proposals.submit(
      { personId: w.youth[0]!.personId },
      { roundId: second.id, title: 'Bænke', description: 'To bænke.', cost: 200_000 },
    );
    await w.pulje.rounds.openVoting(staff, { roundId: second.id, alongside: true });

    const voter = w.youth[1]!;
    await w.chat.command(voter, 'vote');
    const which = w.chat.last(voter);
    expect(which.recipient).toBe(voter.key);
    expect(
      buttonsOf(which.message)
        .map((b) => b.label)
        .sort(),
    ).toEqual(['Forårspuljen', 'Sommerpuljen']);
    expect(await db().prisma.ballotDraft.count()).toBe(0);

    await w.chat.click(voter, which, 'Sommerpuljen');
    const ballot = w.chat.last(voter);
    expect(textOf(ballot.message)).toContain('Din stemmeseddel: Sommerpuljen');
    expect(textOf(ballot.message)).toContain('Bænke');
  });
});
