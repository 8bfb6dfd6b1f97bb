import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, expectNothingChanged, type FlowWorld, flowWorld, replyTexts, textOf } from './harness.ts';

async function ideasOpen(w: FlowWorld) {
  const staff = { personId: w.staff.personId };
  const round = await w.pulje.rounds.create(staff, {
    groupId: w.groupId,
    title: 'Sommer',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
  return round;
}

/** The warning before personal data reaches the group, as every surface gets it from the flows. */
describeEachEngine('personal data in ideas', (db) => {
  it('an idea with a phone number is held back with a private warning and nothing saved', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    await ideasOpen(w);
    const author = w.youth[0]!;
    const idea = { title: 'Fodboldturnering', description: 'Skriv til mig på 22 33 44 55 hvis du vil være med.', cost: '2.000' };
    await w.chat.command(author, 'propose');
    const held = await expectNothingChanged(db(), () => w.chat.submit(author, idea));
    // Where the form is gone (Discord's modal) the warning is a private answer with the two ways on.
    expect(replyTexts(held)).toBe(
      'Hov, vent lige: her står vist et telefonnummer, og alle i gruppen vil kunne se det. Ret det, eller send alligevel, hvis det er med vilje.' +
        '\nSend alligevel\nRet idéen',
    );
    expect(held.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
    expect(held.formError).toMatchObject({ fields: { description: 'Her står vist et telefonnummer, og alle i gruppen vil kunne se det' } });
    expect(held.formError?.confirm).toEqual({ field: '_confirm', value: 'personal_data', label: 'Send alligevel' });
    // The idea can also be sent again without it; the web's "send anyway" is in test/web/privacy.browser.test.ts.
    await w.chat.command(author, 'propose');
    await w.chat.submit(author, { ...idea, description: 'Skriv til mig, hvis du vil være med.' });
    expect(await db().prisma.proposal.count()).toBe(1);
  });

  for (const locale of ['da', 'en'] as const) {
    const words =
      locale === 'da'
        ? {
            send: 'Send alligevel',
            fix: 'Ret idéen',
            sent: 'Det er allerede sendt.',
            thanks: 'Tak! Din idé er med som #1.',
            told: 'Ny idé: #1',
          }
        : {
            send: 'Send anyway',
            fix: 'Edit the idea',
            sent: 'That has already been sent.',
            thanks: 'Thanks! Your idea is in as #1.',
            told: 'New idea: #1',
          };

    it(`${locale}: "${words.send}" on the warning sends the kept idea once, and "${words.fix}" opens it filled in`, async () => {
      const w = await flowWorld(db(), { youth: 2, locale });
      await ideasOpen(w);
      const [author, other] = w.youth as [FlowWorld['youth'][0], FlowWorld['youth'][0]];
      const idea = { title: 'Fodboldturnering', description: 'Ring til mig på 22 33 44 55.', cost: '2.000' };
      await w.chat.command(author, 'propose');
      await w.chat.submit(author, idea);
      const warning = w.chat.last(author);
      expect(warning.recipient).toBe(author.key);
      expect(buttonsOf(warning.message).map((b) => b.label)).toEqual([words.send, words.fix]);
      expect(await db().prisma.proposal.count()).toBe(0);

      // "Put it right": the idea form again, filled in with what was typed.
      const reopened = await w.chat.click(author, warning, words.fix);
      expect(reopened.replies.map((r) => r.kind)).toEqual(['form']);
      const form = w.chat.form(author);
      expect(Object.fromEntries(form.inputs.map((i) => [i.name, i.initial]))).toMatchObject(idea);
      // Someone else cannot send another person's warning (the press names the draft; the draft is the author's).
      const forged = await w.chat.action(other, buttonsOf(warning.message)[0]!.id);
      expect(replyTexts(forged)).not.toContain(words.thanks);
      expect(await db().prisma.proposal.count()).toBe(0);

      // "Send anyway": through the same form's checks, as the author; the group hears of the new idea.
      const publicBefore = w.chat.messages.filter((m) => m.recipient === null).length;
      const sent = await w.chat.click(author, warning, words.send);
      expect(replyTexts(sent)).toContain(words.thanks);
      const proposals = await db().prisma.proposal.findMany();
      expect(proposals.map((p) => [p.title, p.description, p.cost])).toEqual([[idea.title, idea.description, 200_000]]);
      const announced = w.chat.messages.filter((m) => m.recipient === null).slice(publicBefore);
      expect(announced.map((m) => textOf(m.message).split('\n')[0])).toEqual([`${words.told} ${idea.title}`]);
      expect(textOf(announced[0]!.message)).not.toContain(author.name);
      expect(await db().prisma.formDraft.count()).toBe(0);

      // A second press changes nothing and says why.
      const again = await w.chat.click(author, warning, words.send);
      expect(replyTexts(again)).toBe(words.sent);
      expect(await db().prisma.proposal.count()).toBe(1);
      expect(w.chat.messages.filter((m) => m.recipient === null).length).toBe(publicBefore + 1);
    });
  }

  it('an edit that adds an e-mail: the same warning, "Ret idéen" opens the edit form, "Send alligevel" changes the idea', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await ideasOpen(w);
    const author = w.youth[0]!;
    await w.chat.command(author, 'propose');
    await w.chat.submit(author, { title: 'Turnering', description: 'Fodbold i hallen.', cost: '500' });
    const thanks = w.chat.messages.filter((m) => m.recipient === author.key).at(-1)!;
    await w.chat.click(author, thanks, 'Ret');
    await w.chat.submit(author, { title: 'Turnering', description: 'Skriv til aya@example.com', cost: '500' });
    const warning = w.chat.last(author);
    expect(buttonsOf(warning.message).map((b) => b.label)).toEqual(['Send alligevel', 'Ret idéen']);
    expect((await db().prisma.proposal.findFirstOrThrow()).description).toBe('Fodbold i hallen.');
    await w.chat.click(author, warning, 'Ret idéen');
    expect(w.chat.form(author).title).toBe('Ret #1');
    expect(w.chat.form(author).inputs.find((i) => i.name === 'description')?.initial).toBe('Skriv til aya@example.com');
    await w.chat.click(author, warning, 'Send alligevel');
    expect((await db().prisma.proposal.findFirstOrThrow()).description).toBe('Skriv til aya@example.com');
  });

  it('two presses of "Send alligevel" at once make one idea', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await ideasOpen(w);
    const author = w.youth[0]!;
    await w.chat.command(author, 'propose');
    await w.chat.submit(author, { title: 'Turnering', description: 'Skriv til aya@example.com', cost: '500' });
    const warning = w.chat.last(author);
    const both = await Promise.all([w.chat.click(author, warning, 'Send alligevel'), w.chat.click(author, warning, 'Send alligevel')]);
    expect(await db().prisma.proposal.count()).toBe(1);
    expect(both.map(replyTexts).filter((t) => t.includes('Tak! Din idé er med som #1.'))).toHaveLength(1);
  });

  it('a warning whose draft was kept anew since sends nothing', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await ideasOpen(w);
    const author = w.youth[0]!;
    await w.chat.command(author, 'propose');
    await w.chat.submit(author, { title: 'Turnering', description: 'Ring på 22 33 44 55', cost: '500' });
    const first = w.chat.last(author);
    // Put right, then refused for the price: the old warning's "send anyway" no longer stands for what is kept.
    await w.chat.click(author, first, 'Ret idéen');
    await w.chat.submit(author, { title: 'Turnering', description: 'Ring på 22 33 44 55', cost: 'ca. 500' });
    const stale = await w.chat.click(author, first, 'Send alligevel');
    expect(replyTexts(stale)).toBe(
      'Den knap virker ikke længere: det, du skrev, er enten sendt, eller også er det ikke gemt mere. Åbn formularen igen, hvis det ikke er sendt.',
    );
    expect(await db().prisma.proposal.count()).toBe(0);
  });
});
