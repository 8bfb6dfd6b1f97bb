import { expect, it } from 'vitest';
import { replyTexts } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { staffWorld, talk } from '../staff/harness.ts';

// Staff reads are audited (issue 15 item 3): who, what and why, for every read of young people's data; admins
// see the audit with /audit; ballots are readable by nobody.

describeEachEngine('staff reads are audited', (db) => {
  it('members, messages, ideas and exports read by staff are logged; young people reading ideas are not; admins see it all', async () => {
    const w = await staffWorld(db());
    const staff = { personId: w.staff.personId };
    const [aya, jonas] = w.youth as [(typeof w.youth)[0], (typeof w.youth)[0]];
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommer',
      amount: 500_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    await w.pulje.proposals.submit(
      { personId: aya.personId },
      { roundId: round.id, title: 'Bænke', description: 'Tre bænke', cost: 300_000 },
    );
    await talk(w, [
      [aya, 'Bænke er bedst'],
      [jonas, 'Enig'],
    ]);
    const audited = () => db().prisma.accessAudit.findMany({ orderBy: { at: 'asc' } });

    // A young person reading the ideas is not a staff read.
    await w.chat.command(aya, 'proposals');
    expect(await audited()).toHaveLength(0);

    await w.chat.command(w.staff, 'proposals');
    await w.chat.command(w.staff, 'summary');
    await w.chat.command(w.staff, 'sparring', 'Én taler hele tiden');
    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    await w.pulje.ballots.cast({ personId: aya.personId }, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    await w.pulje.ballots.cast({ personId: jonas.personId }, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    await w.pulje.rounds.close(staff, { roundId: round.id });
    const pb = await w.pulje.results.exportPb(staff, { roundId: round.id });

    const rows = await audited();
    const kinds = new Set(rows.map((r) => r.what));
    for (const what of ['ideas', 'messages', 'members', 'export']) expect(kinds, what).toContain(what);
    expect(rows.every((r) => r.readerId === w.staff.personId && r.why.length > 0)).toBe(true);
    expect(rows.find((r) => r.what === 'messages')!.why).toBe('/summary');
    expect(rows.find((r) => r.what === 'members')!.why).toBe('/sparring');

    // Ballots: the export has the counted choices only, under anonymous numbers, without names or receipt codes.
    const receipts = (await db().prisma.ballot.findMany()).map((b) => b.receiptCode);
    for (const secret of [...receipts, 'Aya', 'Jonas']) expect(pb.text).not.toContain(secret);

    // Admins see the audit; staff and young people do not.
    expect(replyTexts(await w.chat.command(w.staff, 'audit'))).toMatch(/administrator/i);
    expect(replyTexts(await w.chat.command(aya, 'audit'))).toMatch(/administrator/i);
    const seen = replyTexts(await w.chat.command(w.admin, 'audit'));
    expect(seen).toContain('Hvem har læst unges oplysninger');
    expect(seen).toContain('Pia Pædagog');
    expect(seen).toContain('pabulib export');
    expect(seen).toContain('Stemmer kan ingen læse');
    // Reading the audit is itself a read, noted like the others.
    expect((await audited()).at(-1)).toMatchObject({ what: 'audit', readerId: w.admin.personId });
  });
});
