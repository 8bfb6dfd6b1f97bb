import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { expectNothingChanged, flowWorld, replyTexts } from './harness.ts';

/** The warning before personal data reaches the group, as every surface gets it from the flows. */
describeEachEngine('personal data in ideas', (db) => {
  it('an idea with a phone number is held back with a private warning and nothing saved', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const staff = { personId: w.staff.personId };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Sommer',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    const author = w.youth[0]!;
    const idea = { title: 'Fodboldturnering', description: 'Skriv til mig på 22 33 44 55 hvis du vil være med.', cost: '2.000' };
    await w.chat.command(author, 'propose');
    const held = await expectNothingChanged(db(), () => w.chat.submit(author, idea));
    expect(replyTexts(held)).toBe(
      'Hov, vent lige: her står vist et telefonnummer, og alle i gruppen vil kunne se det. Ret det, eller send alligevel, hvis det er med vilje.' +
        '\n\nDet, du skrev, er gemt: åbn formularen igen, så står det der.',
    );
    expect(held.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
    expect(held.formError).toMatchObject({ fields: { description: 'Her står vist et telefonnummer, og alle i gruppen vil kunne se det' } });
    expect(held.formError?.confirm).toEqual({ field: '_confirm', value: 'personal_data', label: 'Send alligevel' });
    // Where forms carry only their own inputs (Discord's modals), the warning is the private answer above and the
    // idea is sent again without it; the web's "send anyway" is in test/web/privacy.browser.test.ts.
    await w.chat.command(author, 'propose');
    await w.chat.submit(author, { ...idea, description: 'Skriv til mig, hvis du vil være med.' });
    expect(await db().prisma.proposal.count()).toBe(1);
  });
});
