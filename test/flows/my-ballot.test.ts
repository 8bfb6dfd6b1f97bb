import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { expectPrivateRefusal, flowWorld, replyTexts, textOf, votingRound, type FlowWorld } from './harness.ts';

/**
 * "What did my vote do?" through the chat: the button on the public result, /myballot and /minstemme, the
 * receipt's button; always private to the one who asks, in their language, with the small-group rule visible.
 */

const TEXT = {
  da: {
    button: 'Hvad gjorde min stemme?',
    title: 'Hvad gjorde din stemme? Sommerpuljen',
    summary: '1 af de 2 idéer, du stemte på, fik penge.',
    also: 'Andre idéer, der også fik penge: #2 Idé 2.',
    funded: ['✅ #1 Idé 1', 'Fik penge. Den fik 5 stemmer.'],
    notFunded: [
      '❌ #3 Idé 3',
      'Fik ikke penge: den koster 2.000 kr., men da det blev dens tur, var der kun 1.000 kr. tilbage – 1.000 kr. for lidt. ' +
        'Med 2 stemmer mere havde den fået penge. Hvis den havde kostet 1.000 kr. mindre, havde den fået penge.',
    ],
    without: ['Uden din stemme', 'Resultatet var blevet det samme.'],
    footer: 'Kun du kan se det her. Det bygger kun på det offentlige resultat og din egen stemme.',
    none: 'Du stemte ikke i denne runde, så der er ingen stemme at forklare.',
    staffOnly: /kun unge/,
    hidden: 'Nogle tal om stemmer er udeladt',
    smallFunded: 'Fik penge.',
    smallWithout: 'Det siger vi ikke her, for så kunne man regne ud, hvad andre har stemt.',
  },
  en: {
    button: 'What did my vote do?',
    title: 'What did your vote do? Sommerpuljen',
    summary: '1 of the 2 ideas you voted for got money.',
    also: 'Other ideas that got money too: #2 Idé 2.',
    funded: ['✅ #1 Idé 1', 'Got money. It had 5 votes.'],
    notFunded: [
      '❌ #3 Idé 3',
      'No money: it costs DKK 2,000, but when its turn came, only DKK 1,000 was left – DKK 1,000 too little. ' +
        'With 2 more votes it would have got money. If it had cost DKK 1,000 less, it would have got money.',
    ],
    without: ['Without your vote', 'The result would have been the same.'],
    footer: 'Only you can see this. It is based only on the public result and your own vote.',
    none: 'You didn’t vote in this round, so there is no vote to explain.',
    staffOnly: /young people/,
    hidden: 'Some numbers about votes are left out',
    smallFunded: 'Got money.',
    smallWithout: 'We don’t say that here, because then you could work out how others voted.',
  },
} as const;

/** Ballots by proposal number, cast through the use case; the round is then closed through the chat. */
async function voteAndClose(w: FlowWorld, picks: number[][], costs: number[]) {
  const { round } = await votingRound(w, costs);
  for (const [i, numbers] of picks.entries()) {
    await w.pulje.ballots.cast({ personId: w.youth[i]!.personId }, { roundId: round.id, choice: { type: 'approval', picks: numbers } });
  }
  await w.chat.command(w.staff, 'close');
  await w.chat.click(w.staff, w.chat.last(w.staff), /^(Ja, luk og tæl op|Yes, close and count)$/);
  return { round, result: w.chat.lastPublic() };
}

describeEachEngine('"what did my vote do?" in the chat', (db) => {
  for (const locale of ['da', 'en'] as const) {
    it(`explains each voter's own ballot, privately, from the result's button and the command (${locale})`, async () => {
      const x = TEXT[locale];
      const w = await flowWorld(db(), { locale, youth: 7 });
      // #1 5 votes, #2 4, #3 2: #1 (6.000) and #2 (3.000) are funded, #3 (2.000) finds 1.000 kr. left.
      const { result } = await voteAndClose(w, [[1, 3], [1, 2], [1, 2, 3], [1], [1, 2], [2]], [600_000, 300_000, 200_000]);
      const [aya, bo, gustav] = [w.youth[0]!, w.youth[1]!, w.youth[6]!];

      // The public result offers the question to everyone; pressing it answers privately.
      const pressed = await w.chat.click(aya, result, x.button);
      expect(pressed.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['private']);
      const card = w.chat.last(aya);
      expect(card.recipient).toBe(aya.key);
      const text = textOf(card.message);
      for (const line of [x.title, x.summary, x.also, ...x.funded, ...x.notFunded, ...x.without, x.footer]) expect(text).toContain(line);
      // Nothing withheld here: seven in the group, and the others were split on each idea.
      expect(text).not.toContain(x.hidden);
      expect(text).not.toMatch(/\{\w+\}/);
      for (const other of [bo, w.staff, w.admin]) expect(w.chat.transcript(other)).not.toContain(x.title);

      // The same through the command and its Danish alias.
      expect(replyTexts(await w.chat.command(aya, 'myballot'))).toBe(text);
      expect(replyTexts(await w.chat.command(aya, 'minstemme'))).toBe(text);
      // Another voter hears about their own ballot only.
      const theirs = replyTexts(await w.chat.command(bo, 'myballot'));
      expect(theirs).toContain(locale === 'da' ? '2 af de 2 idéer, du stemte på, fik penge.' : '2 of the 2 ideas you voted for got money.');
      expect(theirs).not.toContain('#3');

      // Someone who did not vote is told so; staff do not vote, so the button is not for them.
      expect(replyTexts(await w.chat.click(gustav, result, x.button))).toBe(x.none);
      expectPrivateRefusal(await w.chat.click(w.staff, result, x.button), x.staffOnly);
      expect(replyTexts(await w.chat.command(aya, 'receipt'))).toContain(x.button);
    });

    it(`in a small group it gives the reasons but no numbers about votes, and says why (${locale})`, async () => {
      const x = TEXT[locale];
      const w = await flowWorld(db(), { locale, youth: 3 });
      const { result } = await voteAndClose(w, [[1, 3], [1, 2], [1]], [600_000, 300_000, 200_000]);
      await w.chat.click(w.youth[0]!, result, x.button);
      const text = textOf(w.chat.last(w.youth[0]!).message);
      expect(text).toContain(x.hidden);
      expect(text).toContain(x.smallFunded);
      expect(text).toContain(x.smallWithout);
      // The public result says "3 votes"; the personal one does not repeat any count of votes.
      expect(text).not.toMatch(/\d+ (stemme|stemmer|votes?)\b/);
    });
  }
});
