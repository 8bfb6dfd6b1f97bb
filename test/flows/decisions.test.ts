import { expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, expectPrivateRefusal, flowWorld, replyTexts, textOf, type FlowWorld, type Member } from './harness.ts';
import { ideasRound as openIdeasRound } from '../support/rounds.ts';

/**
 * Staff decisions in the open, through the chat: each override is announced publicly the moment it is made
 * (what, who, why), young people say privately that they disagree (once, changeable), staff see only how many,
 * /decisions lists them, and the group may choose to show staff by role only.
 */

const TEXT = {
  da: {
    ineligibleTitle: 'Idé #1 kan ikke lade sig gøre',
    ineligibleWhat: 'De voksne har vurderet, at #1 "Klatrevæg" ikke kan lade sig gøre, så det er ikke med på listen.',
    who: 'Hvem besluttede det\nPia Pædagog (medarbejder)',
    whyIneligible: 'Hvorfor\nVæggen er for høj til lokalet.',
    mineOn: 'Du har sagt, at du er uenig.',
    mineOff: 'Du er ikke markeret som uenig.',
    hiddenTitle: 'En idé er skjult',
    hiddenWhat: 'De voksne har skjult idé #2. Hvad der stod i den, vises ikke her.',
    hideReason: 'Der stod Cems telefonnummer 22 33 44 55 i teksten.',
    hiddenWhy: /Hvorfor\nDer stod Deltager [A-Z]\S* telefonnummer \[TELEFON\] i teksten\./,
    youthIntro: 'Her er de gange, de voksne har truffet en beslutning i runden',
    youDisagree: 'Du er uenig.',
    staffCounts: ['1 ung er uenig.', 'Ingen er uenige.'],
    roleOnly: 'Medarbejdere vises kun med deres rolle, ikke navn.',
    extendedTitle: 'Mere tid til at stemme: Sommerpuljen',
    byRole: 'Hvem besluttede det\nEn medarbejder',
    deadline: /Frist: 8\. apr\. 2030, 12\.00/,
    reopenedTitle: 'Afstemningen er åbnet igen: Sommerpuljen',
    noDeadline: 'Der er ingen frist: de voksne lukker afstemningen.',
    changedTitle: 'Resultatet er ændret: Sommerpuljen',
    changed: ['Fik penge nu: #4.', 'Fik ikke penge længere: #3.'],
    whyReopen: 'Hvorfor\nTo kunne ikke logge ind.',
    youthOnly: /kun unge/,
  },
  en: {
    ineligibleTitle: 'Idea #1 is not possible',
    ineligibleWhat: 'Staff have decided that #1 "Klatrevæg" is not possible, so it is not on the list.',
    who: 'Who decided\nPia Pædagog (staff member)',
    whyIneligible: 'Why\nVæggen er for høj til lokalet.',
    mineOn: 'You said you disagree.',
    mineOff: 'You are not marked as disagreeing.',
    hiddenTitle: 'An idea has been hidden',
    hiddenWhat: 'Staff have hidden idea #2. What it said is not shown here.',
    hideReason: 'It had Cem’s phone number 22 33 44 55 in it.',
    hiddenWhy: /Why\nIt had Participant [A-Z]\S* phone number \[PHONE\] in it\./,
    youthIntro: 'Here are the times staff made a decision in the round',
    youDisagree: 'You disagree.',
    staffCounts: ['1 young person disagrees.', 'Nobody disagrees.'],
    roleOnly: 'Staff are shown by their role only, not their name.',
    extendedTitle: 'More time to vote: Sommerpuljen',
    byRole: 'Who decided\nA staff member',
    deadline: /Deadline: 8 Apr 2030, 12:00/,
    reopenedTitle: 'Voting is open again: Sommerpuljen',
    noDeadline: 'There is no deadline: staff will close voting.',
    changedTitle: 'The result has changed: Sommerpuljen',
    changed: ['Got money now: #4.', 'No longer got money: #3.'],
    whyReopen: 'Why\nTwo could not sign in.',
    youthOnly: /young people/,
  },
} as const;

async function ideasRound(w: FlowWorld) {
  const staff = { personId: w.staff.personId };
  const round = await openIdeasRound(w.pulje, staff, w.groupId);
  for (const [i, [title, cost]] of (
    [
      ['Klatrevæg', 300_000],
      ['Grill', 200_000],
      ['Skatepark', 600_000],
      ['Filmaften', 500_000],
    ] as const
  ).entries()) {
    await w.pulje.proposals.submit({ personId: w.youth[i]!.personId }, { roundId: round.id, title, description: `${title}, tak.`, cost });
  }
  return round;
}

describeEachEngine('staff decisions in the open', (db) => {
  for (const locale of ['da', 'en'] as const) {
    it(`announces each override with who and why, takes private disagreement, and lists them (${locale})`, async () => {
      const x = TEXT[locale];
      const tr = translator(locale);
      const w = await flowWorld(db(), { locale, youth: 5 });
      const [aya, bo, cem, dina] = w.youth as [Member, Member, Member, Member];
      const round = await ideasRound(w);

      // Not possible: a public card at once, with who and why, and the button to disagree.
      await w.chat.command(w.staff, 'proposals', '1');
      await w.chat.click(w.staff, w.chat.last(w.staff), tr('flow.proposal.ineligible'));
      const noted = await w.chat.submit(w.staff, { note: 'Væggen er for høj til lokalet.' });
      expect(noted.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['public']);
      const ineligible = w.chat.lastPublic();
      for (const line of [x.ineligibleTitle, x.ineligibleWhat, x.who, x.whyIneligible]) expect(textOf(ineligible.message)).toContain(line);
      expect(buttonsOf(ineligible.message).map((b) => b.label)).toEqual([tr('flow.decision.disagree')]);

      // Disagreeing is private and counted once per person, however often pressed; it can be taken back.
      const pressed = await w.chat.click(aya, ineligible, tr('flow.decision.disagree'));
      expect(pressed.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['private']);
      expect(textOf(w.chat.last(aya).message)).toContain(x.mineOn);
      await w.chat.click(aya, ineligible, tr('flow.decision.disagree'));
      await w.chat.click(bo, ineligible, tr('flow.decision.disagree'));
      const boCard = w.chat.last(bo);
      await w.chat.click(bo, boCard, tr('flow.decision.undo'));
      expect(textOf(boCard.message)).toContain(x.mineOff);
      const reactions = await db().prisma.decisionReaction.findMany({ orderBy: { createdAt: 'asc' } });
      expect(reactions.map((r) => [r.personId, r.withdrawnAt === null])).toEqual([
        [aya.personId, true],
        [bo.personId, false],
      ]);
      // Nobody else sees who reacted; staff may not react.
      for (const other of [cem, w.staff]) expect(w.chat.transcript(other)).not.toContain(x.mineOn);
      expectPrivateRefusal(await w.chat.click(w.staff, ineligible, tr('flow.decision.disagree')), x.youthOnly);

      // Hidden: that something was hidden, and why with personal data masked, not what.
      await w.chat.command(w.staff, 'proposals', '2');
      await w.chat.click(w.staff, w.chat.last(w.staff), tr('flow.proposal.hide'));
      const hid = await w.chat.submit(w.staff, { reason: x.hideReason });
      expect(hid.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['private', 'public']);
      const hidden = textOf(w.chat.lastPublic().message);
      for (const line of [x.hiddenTitle, x.hiddenWhat]) expect(hidden).toContain(line);
      expect(hidden).toMatch(x.hiddenWhy);
      for (const secret of ['Grill', 'Cem', '22 33 44 55']) expect(hidden).not.toContain(secret);
      // The log keeps the staff member's words as written.
      expect((await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'moderation' } })).reason).toBe(x.hideReason);

      // /decisions: young people see their own reaction and can change it from the list.
      await w.chat.command(aya, 'beslutninger');
      const list = w.chat.last(aya);
      expect(list.recipient).toBe(aya.key);
      expect(textOf(list.message)).toContain(x.youthIntro);
      expect(textOf(list.message)).toContain(x.youDisagree);
      expect(buttonsOf(list.message).map((b) => b.label)).toEqual([
        tr('flow.decision.list_undo', { n: '1' }),
        tr('flow.decision.list_disagree', { n: '2' }),
      ]);
      await w.chat.click(aya, list, tr('flow.decision.list_disagree', { n: '2' }));
      expect(buttonsOf(list.message).map((b) => b.label)).toEqual([
        tr('flow.decision.list_undo', { n: '1' }),
        tr('flow.decision.list_undo', { n: '2' }),
      ]);
      await w.chat.click(aya, list, tr('flow.decision.list_undo', { n: '2' }));

      // Staff see how many disagree (never who), and may show staff by role only from now on.
      await w.chat.command(w.staff, 'decisions');
      const staffList = w.chat.last(w.staff);
      const staffText = textOf(staffList.message);
      for (const line of x.staffCounts) expect(staffText).toContain(line);
      expect(staffText).not.toContain(aya.name);
      await w.chat.click(w.staff, staffList, tr('flow.decision.show_role_only'));
      expect(textOf(staffList.message)).toContain(x.roleOnly);
      expect(await db().prisma.group.findUniqueOrThrow({ where: { id: w.groupId } })).toMatchObject({ staffShown: 'role' });

      // Voting, then more time: announced with the new deadline, staff now by role only.
      await w.pulje.rounds.openVoting({ personId: w.staff.personId }, { roundId: round.id });
      for (const y of [aya, bo, cem])
        await w.pulje.ballots.cast({ personId: y.personId }, { roundId: round.id, choice: { type: 'approval', picks: [3] } });
      await w.chat.command(w.staff, 'extend');
      await w.chat.submit(w.staff, { reason: 'Ferien kom i vejen.', deadline: '8.4.2030 12:00' });
      const extended = textOf(w.chat.lastPublic().message);
      expect(extended).toContain(x.extendedTitle);
      expect(extended).toMatch(x.deadline);
      expect(extended).toContain(x.byRole);
      expect(extended).not.toContain('Pia');

      // Closed, then reopened with a reason: announced with a Vote button; the new result is announced as a change.
      await w.chat.command(w.staff, 'close');
      await w.chat.click(w.staff, w.chat.last(w.staff), tr('flow.confirm.close_yes'));
      await w.chat.command(w.staff, 'reopen');
      await w.chat.submit(w.staff, { reason: locale === 'da' ? 'To kunne ikke logge ind.' : 'Two could not sign in.', days: '' });
      const reopened = w.chat.lastPublic();
      for (const line of [x.reopenedTitle, x.noDeadline, x.whyReopen]) expect(textOf(reopened.message)).toContain(line);
      expect(buttonsOf(reopened.message).map((b) => b.label)).toEqual([tr('flow.vote.button'), tr('flow.decision.disagree')]);
      for (const y of [bo, cem, dina, w.youth[4]!])
        await w.pulje.ballots.cast({ personId: y.personId }, { roundId: round.id, choice: { type: 'approval', picks: [4] } });
      await w.chat.command(w.staff, 'close');
      const closed = await w.chat.click(w.staff, w.chat.last(w.staff), tr('flow.confirm.close_yes'));
      expect(closed.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['update', 'public', 'public', 'retire']);
      const changed = textOf(w.chat.lastPublic().message);
      for (const line of [x.changedTitle, ...x.changed, x.whyReopen]) expect(changed).toContain(line);

      // Everything is in the round's list, oldest first.
      const all = await w.pulje.decisions.list({ personId: aya.personId }, { roundId: round.id });
      expect(all.map((d) => d.kind)).toEqual(['ineligible', 'hidden', 'extended', 'reopened', 'result_changed']);
      expect(all.map((d) => d.mine)).toEqual(['disagree', null, null, null, null]);
      expect(all.every((d) => d.disagree === null && d.by.name === null)).toBe(true);
      expect(replyTexts(await w.chat.command(bo, 'decisions'))).toContain(tr('flow.decision.list_disagree', { n: '5' }));
    });
  }
});
