import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, expectPrivateRefusal, flowWorld, replyTexts, textOf, votingRound } from './harness.ts';

describeEachEngine('dashboard in chat', (db) => {
  it('/dashboard gives staff a private one-time link; young people are refused', async () => {
    const w = await flowWorld(db());
    const answer = await w.chat.command(w.staff, 'dashboard');
    const shown = w.chat.last(w.staff);
    expect(shown.recipient).toBe(w.staff.key);
    const text = replyTexts(answer);
    const token = /\/dashboard\/signin\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(text).toContain('15 minutter');
    // The link in chat is the one the database knows (by its hash), and it signs in once.
    const session = await w.pulje.dashboardAccess.redeem(token);
    expect(session?.personId).toBe(w.staff.personId);
    expect(await w.pulje.dashboardAccess.redeem(token)).toBeNull();
    // The Danish alias.
    expect(replyTexts(await w.chat.command(w.admin, 'overblik'))).toMatch(/\/dashboard\/signin\//);
    expectPrivateRefusal(await w.chat.command(w.youth[0]!, 'dashboard'));
    expect(await db().prisma.dashboardLink.count()).toBe(2);
  });

  it('an admin adds programme staff with /programme and hands on their link; they see every group of the organisation', async () => {
    const w = await flowWorld(db());
    expectPrivateRefusal(await w.chat.command(w.staff, 'programme', 'Pia Programleder'));
    const text = replyTexts(await w.chat.command(w.admin, 'programme', 'Pia Programleder'));
    expect(text).toContain('Pia Programleder er tilføjet som programansvarlig');
    const token = /\/dashboard\/signin\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    const session = await w.pulje.dashboardAccess.redeem(token);
    const viewer = await w.pulje.dashboardAccess.viewer(session!.token);
    expect(viewer).toMatchObject({ displayName: 'Pia Programleder', scope: 'organisations', organisationIds: [w.organisationId] });
    // Both groups of the organisation (Ungerådet and Andre), though she is in neither.
    expect(viewer!.groupIds).toHaveLength(2);
    expect(await db().prisma.membership.count({ where: { personId: session!.personId } })).toBe(0);

    // Her session ends after 12 hours; she is in no chat, so the admin gets her a new link the same way: the same
    // person (her grants and her answers stay hers), not a second Pia.
    const again = replyTexts(await w.chat.command(w.admin, 'programme', 'pia programleder'));
    expect(again).toContain('Nyt link til Pia Programleder');
    const second = await w.pulje.dashboardAccess.redeem(/\/dashboard\/signin\/([A-Za-z0-9_-]{43})/.exec(again)?.[1]);
    expect(second!.personId).toBe(session!.personId);
    expect(await db().prisma.programmeStaff.count()).toBe(1);
  });

  it('after the result a young voter is asked once, privately, "did you have a real say?"', async () => {
    const w = await flowWorld(db(), { youth: 3 });
    const { round } = await votingRound(w, [100_000, 200_000]);
    for (const y of w.youth.slice(0, 2))
      await w.pulje.ballots.cast({ personId: y.personId }, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    await w.pulje.rounds.close({ personId: w.staff.personId }, { roundId: round.id });

    const voter = w.youth[0]!;
    await w.chat.command(voter, 'myballot');
    const asked = w.chat.last(voter);
    expect(asked.recipient).toBe(voter.key);
    expect(textOf(asked.message)).toContain('Havde du reelt noget at skulle have sagt?');
    expect(buttonsOf(asked.message).map((b) => b.label)).toEqual(['1', '2', '3', '4', '5']);
    expect(replyTexts(await w.chat.click(voter, asked, '4'))).toBe('Tak! Du svarede 4.');
    expect(await db().prisma.sayTally.findMany({ select: { score: true, n: true } })).toEqual([{ score: 4, n: 1 }]);
    // Asked once: not again, and a second press of the old card changes nothing.
    await w.chat.command(voter, 'myballot');
    expect(textOf(w.chat.last(voter).message)).not.toContain('Havde du reelt noget');
    expectPrivateRefusal(await w.chat.click(voter, asked, '5'));
    expect(await db().prisma.sayAnswer.count()).toBe(1);
    // Someone who did not vote is not asked; staff are not asked.
    await w.chat.command(w.youth[2]!, 'results');
    expect(textOf(w.chat.last(w.youth[2]!).message)).not.toContain('Havde du reelt noget');
    await w.chat.command(w.staff, 'results');
    expect(textOf(w.chat.last(w.staff).message)).not.toContain('Havde du reelt noget');
  });
});
