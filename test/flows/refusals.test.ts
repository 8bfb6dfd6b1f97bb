import { expect, it } from 'vitest';
import { encodeActionId } from '../../src/conversation/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, expectNothingChanged, expectPrivateRefusal, flowWorld, replyTexts, textOf, votingRound } from './harness.ts';
import { ideasRound } from '../support/rounds.ts';

const KEPT = 'Det, du skrev, er gemt: åbn formularen igen, så står det der.';

const BROKEN = 'Det kunne jeg ikke bruge: den knap eller formular virker ikke længere – prøv kommandoen igen';

describeEachEngine('refusals in the chat flows', (db) => {
  it('wrong role: a private answer in the reader’s language, and nothing changes', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const { round } = await votingRound(w, [100_000, 200_000]);
    const [ya] = w.youth as [(typeof w.youth)[0]];
    const cases: Array<[string, () => Promise<import('../../src/conversation/index.ts').Outcome>, RegExp]> = [
      [
        'youth opens a new round',
        () => w.chat.command(ya, 'newround'),
        /^Det er kun medarbejdere eller administratorer, der kan gøre det\.$/,
      ],
      ['youth closes voting', () => w.chat.command(ya, 'close'), /kun medarbejdere eller administratorer/],
      ['youth reads the log', () => w.chat.command(ya, 'log'), /kun medarbejdere eller administratorer/],
      ['staff vote', () => w.chat.command(w.staff, 'vote'), /^Det er kun unge, der kan gøre det\.$/],
      ['admin asks for a receipt', () => w.chat.command(w.admin, 'receipt'), /kun unge/],
      ['staff propose', () => w.chat.command(w.staff, 'propose'), /kun unge/],
      // Controls are checked too, not only commands: a youth pressing a staff button they got hold of.
      [
        'youth forges the close button',
        () => w.chat.action(ya, encodeActionId({ flow: 'round', verb: 'closeok', args: [round.id] })),
        /kun medarbejdere eller administratorer/,
      ],
      [
        'youth forges the settings select',
        () => w.chat.action(ya, encodeActionId({ flow: 'round', verb: 'type', args: [round.id] }), undefined, ['ranked']),
        /kun medarbejdere eller administratorer/,
      ],
      ['staff press Vote', () => w.chat.action(w.staff, encodeActionId({ flow: 'ballot', verb: 'open', args: [round.id] })), /kun unge/],
    ];
    for (const [what, act, pattern] of cases) {
      const outcome = await expectNothingChanged(db(), act);
      expect(expectPrivateRefusal(outcome), what).toMatch(pattern);
    }
    expect(await db().prisma.round.findUniqueOrThrow({ where: { id: round.id } })).toMatchObject({
      phase: 'voting',
      ballotType: 'approval',
    });
  });

  it('wrong phase: says which phase the round is in and which it needs', async () => {
    const w = await flowWorld(db(), { youth: 1, locale: 'en' });
    const { round } = await votingRound(w, [100_000]);
    const propose = await expectNothingChanged(db(), () => w.chat.command(w.youth[0]!, 'propose'));
    expect(expectPrivateRefusal(propose)).toBe('That can\'t happen now: the round is in the "voting" phase. It needs ideas.');
    const openVoting = await expectNothingChanged(db(), () => w.chat.command(w.staff, 'openvoting'));
    expectPrivateRefusal(openVoting, /the round is in the "voting" phase/);
    // A button from an earlier phase: the round has moved on since it was shown.
    const edit = await expectNothingChanged(db(), () =>
      w.chat.action(w.staff, encodeActionId({ flow: 'round', verb: 'limits', args: [round.id] })),
    );
    expectPrivateRefusal(edit, /the round is in the "voting" phase/);
    const results = await expectNothingChanged(db(), () => w.chat.command(w.youth[0]!, 'results'));
    expectPrivateRefusal(results, /It needs decided, implementing, or done\./);
  });

  it('a young person cannot see a draft round, so there is nothing to propose to yet', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await w.pulje.rounds.create(
      { personId: w.staff.personId },
      { groupId: w.groupId, title: 'Kladde', amount: 100_000, ballotType: 'approval', rule: 'greedy' },
    );
    const outcome = await expectNothingChanged(db(), () => w.chat.command(w.youth[0]!, 'propose'));
    expect(expectPrivateRefusal(outcome)).toBe('Jeg kan ikke finde en runde, der er i gang.');
    expect(expectPrivateRefusal(await w.chat.command(w.youth[0]!, 'round'))).toBe('Jeg kan ikke finde en runde, der er i gang.');
  });

  it('bad input in forms: a clear private answer, and nothing is saved', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const staff = { personId: w.staff.personId };
    const round = await ideasRound(w.pulje, staff, w.groupId);
    const y = w.youth[0]!;
    const tries: Array<[Record<string, string>, string]> = [
      [
        { title: 'Skatepark', description: 'Rampe', cost: 'mange penge' },
        'Det kunne jeg ikke bruge: skriv pris som et beløb i kroner, fx 2.500',
      ],
      [{ title: 'Skatepark', description: 'Rampe', cost: '0' }, 'Det kunne jeg ikke bruge: skriv pris som et beløb i kroner, fx 2.500'],
      [
        { title: 'Skatepark', description: 'Rampe', cost: '20.000' },
        'Det kunne jeg ikke bruge: prisen (20.000 kr.) er højere end hele puljen (10.000 kr.)',
      ],
      [{ title: '   ', description: 'Rampe', cost: '100' }, 'Det kunne jeg ikke bruge: titel mangler'],
    ];
    for (const [fields, answer] of tries) {
      await w.chat.command(y, 'propose');
      const outcome = await expectNothingChanged(db(), () => w.chat.submit(y, fields));
      // The form is gone here (a chat place whose forms close on submit, like Discord's): what was typed is kept
      // where an input was wrong; a price over the whole pot names no one input, so nothing is kept for it.
      expect(expectPrivateRefusal(outcome)).toBe(answer.includes('hele puljen') ? answer : `${answer}\n\n${KEPT}`);
    }
    // Staff forms too: a round needs an amount in kroner.
    await w.chat.command(w.staff, 'newround');
    const badAmount = await expectNothingChanged(db(), () => w.chat.submit(w.staff, { title: 'Vinter', amount: '10 tusind' }));
    expect(expectPrivateRefusal(badAmount)).toBe(`Det kunne jeg ikke bruge: skriv beløb som et beløb i kroner, fx 2.500\n\n${KEPT}`);
    await w.chat.command(w.staff, 'round');
    const settings = w.chat.last(w.staff);
    await w.chat.click(w.staff, settings, 'Indstillinger');
    await w.chat.click(w.staff, settings, 'Flere indstillinger');
    const badLimit = await expectNothingChanged(db(), () => w.chat.submit(w.staff, { min_picks: '3', max_picks: 'to' }));
    expect(expectPrivateRefusal(badLimit)).toBe(
      `Det kunne jeg ikke bruge: højeste antal valg skal være et helt tal fra 1 til 100000\n\n${KEPT}`,
    );
    // Opened again, the form has what was typed.
    await w.chat.click(w.staff, settings, 'Flere indstillinger');
    expect(w.chat.form(w.staff).inputs.find((i) => i.name === 'max_picks')?.initial).toBe('to');
    await w.chat.click(w.staff, settings, 'Flere indstillinger');
    const crossed = await expectNothingChanged(db(), () => w.chat.submit(w.staff, { min_picks: '3', max_picks: '2' }));
    expectPrivateRefusal(crossed, /mindst 3 valg er flere end højst 2/);
  });

  it('forged, garbled and stale control ids are answered privately and act on nothing', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const { round, proposals } = await votingRound(w, [100_000, 200_000]);
    const voter = w.youth[0]!;
    await w.chat.command(voter, 'vote');
    const ballot = w.chat.last(voter);
    const forged = [
      'ballot:set:not-a-round:1:1', // arguments that do not validate
      encodeActionId({ flow: 'ballot', verb: 'set', args: [round.id, '1', 'maybe'] }),
      encodeActionId({ flow: 'ballot', verb: 'explode', args: [round.id] }), // no such verb
      encodeActionId({ flow: 'ballot', verb: 'set', version: 2, args: [round.id, '1', '1'] }), // another version
      'ballot:set:' + 'x'.repeat(120),
    ];
    for (const id of forged) {
      const outcome = await expectNothingChanged(db(), () => w.chat.action(voter, id, ballot));
      expect(expectPrivateRefusal(outcome)).toBe(BROKEN);
    }
    // Well-formed, but naming a proposal that is not on the ballot, or a round that does not exist.
    const unknown = await expectNothingChanged(db(), () =>
      w.chat.action(voter, encodeActionId({ flow: 'ballot', verb: 'set', args: [round.id, '9', '1'] }), ballot),
    );
    expect(expectPrivateRefusal(unknown)).toBe('Stemmesedlen er ikke gyldig: idé #9 findes ikke eller kan ikke stemmes på');
    const noRound = await expectNothingChanged(db(), () =>
      w.chat.action(voter, encodeActionId({ flow: 'ballot', verb: 'open', args: ['8b0c7a52-4c1e-4f7e-9d55-2f3f7b1c0a11'] })),
    );
    expect(expectPrivateRefusal(noRound)).toBe('Jeg kan ikke finde runden.');
    // A round of another group, pressed in this group's channel.
    const other = await w.pulje.setup.createGroup(
      { personId: w.admin.personId },
      { organisationId: w.organisationId, name: 'Nabo', locale: 'da' },
    );
    const theirs = await w.pulje.rounds.create(
      { personId: w.admin.personId },
      { groupId: other.id, title: 'Nabopuljen', amount: 100_000, ballotType: 'approval', rule: 'greedy' },
    );
    const elsewhere = await expectNothingChanged(db(), () =>
      w.chat.action(w.admin, encodeActionId({ flow: 'round', verb: 'settings', args: [theirs.id] })),
    );
    expect(expectPrivateRefusal(elsewhere)).toBe('Jeg kan ikke finde runden.');
    // Someone else's idea: only its author may take it back.
    const notMine = await expectNothingChanged(db(), () =>
      w.chat.action(w.youth[1]!, encodeActionId({ flow: 'proposal', verb: 'withdrawok', args: [proposals[0]!.id] })),
    );
    expectPrivateRefusal(notMine);
    // A select value the select never offered.
    await w.chat.command(w.staff, 'round');
    const staffRound = w.chat.last(w.staff);
    expect(textOf(staffRound.message)).toContain('Sommerpuljen');
    const badValue = await expectNothingChanged(db(), () =>
      w.chat.action(w.staff, encodeActionId({ flow: 'round', verb: 'type', args: [round.id] }), undefined, ['lottery']),
    );
    expectPrivateRefusal(badValue);
  });

  it('a settings form made for another ballot type is refused once the type has changed', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await w.chat.command(w.staff, 'newround');
    await w.chat.submit(w.staff, { title: 'Sommerpuljen', amount: '10.000' });
    const settings = w.chat.last(w.staff);
    await w.chat.click(w.staff, settings, 'Flere indstillinger');
    const staleForm = w.chat.form(w.staff);
    await w.chat.choose(w.staff, settings, ['cumulative']);
    const outcome = await expectNothingChanged(db(), () =>
      w.chat.send(w.staff, { kind: 'form', formId: staleForm.id, fields: { min_picks: '2', max_picks: '' } }),
    );
    expect(expectPrivateRefusal(outcome)).toBe(BROKEN);
  });

  it('a redelivered event (same idempotency key) acts once', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const staff = { personId: w.staff.personId };
    const round = await ideasRound(w.pulje, staff, w.groupId);
    const y = w.youth[0]!;

    await w.chat.command(y, 'propose');
    const form = w.chat.form(y);
    const fields = { title: 'Skatepark', description: 'Rampe', cost: '2.500' };
    const first = await w.chat.send(y, { kind: 'form', formId: form.id, fields }, undefined, 'form-1');
    const again = await w.chat.send(y, { kind: 'form', formId: form.id, fields }, undefined, 'form-1');
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect(await db().prisma.proposal.count()).toBe(1);

    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    await w.chat.command(y, 'vote');
    const ballot = w.chat.last(y);
    await w.chat.click(y, ballot, '#1', 'pick-1');
    const send = buttonsOf(ballot.message).find((b) => b.label === 'Send stemme')!;
    await w.chat.action(y, send.id, ballot, [], 'send-1');
    const redelivered = await w.chat.action(y, send.id, ballot, [], 'send-1');
    expect(redelivered.duplicate).toBe(true);
    expect(await db().prisma.ballot.findFirstOrThrow()).toMatchObject({ revision: 1 });

    await w.chat.command(w.staff, 'close');
    const confirm = w.chat.last(w.staff);
    const closeOk = buttonsOf(confirm.message).find((b) => b.label === 'Ja, luk og tæl op')!;
    await w.chat.action(w.staff, closeOk.id, confirm, [], 'close-1');
    const closedAgain = await w.chat.action(w.staff, closeOk.id, confirm, [], 'close-1');
    expect(closedAgain.duplicate).toBe(true);
    expect(await db().prisma.result.count()).toBe(1);
    expect(w.chat.messages.filter((m) => m.recipient === null && textOf(m.message).startsWith('Resultat'))).toHaveLength(1);
    // A fresh key for the same button is a new request: refused, since voting is already closed.
    expectPrivateRefusal(
      await expectNothingChanged(db(), () => w.chat.action(w.staff, closeOk.id, confirm, [], 'close-2')),
      /runden er i fasen "besluttet"/,
    );
    expect(replyTexts(await w.chat.command(y, 'receipt'))).toContain('✓ Din stemme er talt med i resultatet.');
  });
});
