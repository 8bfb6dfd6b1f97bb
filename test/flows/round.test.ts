import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, flowWorld, replyTexts, textOf, type Member } from './harness.ts';

const TEXT = {
  da: {
    createRound: { title: 'Sommerpuljen', amount: '10.000' },
    openIdeas: 'Åbn for idéer',
    ideasAnnounced: /Ny runde: Sommerpuljen[\s\S]*10\.000 kr\. i puljen/,
    shareIdea: 'Kom med en idé',
    thanks: 'Tak! Din idé er med som #1.',
    ideas: [
      { title: 'Skatepark', description: 'En lille rampe ved klubben.', cost: '4.000', category: 'sport' },
      { title: 'Filmaften', description: 'Popcorn og lærred.', cost: '1.500' },
      { title: 'Nye bænke', description: 'Til gården.', cost: '6.000' },
    ],
    openVotingYes: 'Ja, åbn afstemningen',
    votingAnnounced: /Nu kan I stemme: Sommerpuljen[\s\S]*Der er 3 idéer og 10\.000 kr\./,
    vote: 'Stem',
    ballotTitle: 'Din stemmeseddel: Sommerpuljen',
    send: 'Send stemme',
    thanksVote: 'Tak – din stemme er sendt ✓',
    turnout: '3 af 3 har stemt indtil nu.',
    closeYes: 'Ja, luk og tæl op',
    result: [
      'Resultat: Sommerpuljen',
      '3 af 3 stemte.',
      'Der er brugt 5.500 kr. af 10.000 kr., og der er 4.500 kr. tilbage.',
      '✅ #1 Skatepark',
      'Fik penge: 3 stemmer, koster 4.000 kr.',
      '✅ #2 Filmaften',
      '❌ #3 Nye bænke',
      'Ikke plads i budgettet: koster 6.000 kr., men der var kun 4.500 kr. tilbage',
    ],
    counted: '✓ Din stemme er talt med i resultatet.',
  },
  en: {
    createRound: { title: 'Summer pot', amount: '10,000' },
    openIdeas: 'Open for ideas',
    ideasAnnounced: /New round: Summer pot[\s\S]*There is DKK 10,000 in the pot/,
    shareIdea: 'Share an idea',
    thanks: 'Thanks! Your idea is in as #1.',
    ideas: [
      { title: 'Skate park', description: 'A small ramp by the club.', cost: '4,000', category: 'sport' },
      { title: 'Film night', description: 'Popcorn and a screen.', cost: '1500' },
      { title: 'New benches', description: 'For the yard.', cost: '6,000' },
    ],
    openVotingYes: 'Yes, open voting',
    votingAnnounced: /Time to vote: Summer pot[\s\S]*There are 3 ideas and DKK 10,000 to share\./,
    vote: 'Vote',
    ballotTitle: 'Your ballot: Summer pot',
    send: 'Send vote',
    thanksVote: 'Thanks – your vote is in ✓',
    turnout: '3 of 3 have voted so far.',
    closeYes: 'Yes, close and count',
    result: [
      'Result: Summer pot',
      '3 of 3 voted.',
      'DKK 5,500 of DKK 10,000 is spent, and DKK 4,500 is left.',
      '✅ #1 Skate park',
      'Funded: 3 votes, costs DKK 4,000',
      '✅ #2 Film night',
      '❌ #3 New benches',
      'Did not fit: costs DKK 6,000, but only DKK 4,500 was left',
    ],
    counted: '✓ Your vote is counted in the result.',
  },
} as const;

describeEachEngine('a whole round through the chat', (db) => {
  for (const locale of ['da', 'en'] as const) {
    it(`runs from a new round to an explained result, every ballot private to its voter (${locale})`, async () => {
      const x = TEXT[locale];
      const w = await flowWorld(db(), { locale, youth: 3 });
      const { chat, staff, youth } = w;
      const everyone: Member[] = [staff, w.admin, ...youth];

      // Staff create the round with a form; the set-up card is theirs alone.
      await chat.command(staff, 'newround');
      const created = await chat.submit(staff, x.createRound);
      expect(created.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
      const settings = chat.last(staff);
      expect(settings.recipient).toBe(staff.key);
      const round = await db().prisma.round.findFirstOrThrow();
      expect(round).toMatchObject({
        title: x.createRound.title,
        amount: 1_000_000,
        ballotType: 'approval',
        rule: 'greedy',
        phase: 'draft',
      });

      // Opening for ideas is announced to everyone, in the group's language.
      await chat.click(staff, settings, x.openIdeas);
      const ideasCard = chat.lastPublic();
      expect(textOf(ideasCard.message)).toMatch(x.ideasAnnounced);

      // Young people propose through the form: from the public card's button, and with the command.
      await chat.click(youth[0]!, ideasCard, x.shareIdea);
      const first = await chat.submit(youth[0]!, x.ideas[0]);
      expect(replyTexts(first)).toContain(x.thanks);
      for (const i of [1, 2]) {
        await chat.command(youth[i]!, 'propose');
        await chat.submit(youth[i]!, x.ideas[i]!);
      }
      const proposals = await db().prisma.proposal.findMany({ orderBy: { number: 'asc' } });
      expect(proposals.map((p) => [p.number, p.title, p.cost, p.category])).toEqual([
        [1, x.ideas[0].title, 400_000, 'sport'],
        [2, x.ideas[1].title, 150_000, null],
        [3, x.ideas[2].title, 600_000, null],
      ]);
      // Nobody else saw who proposed what.
      for (const other of [youth[1]!, youth[2]!]) expect(chat.transcript(other)).not.toContain(x.thanks);

      // Opening voting asks first, then announces it with a Vote button.
      await chat.command(staff, 'openvoting');
      await chat.click(staff, chat.last(staff), x.openVotingYes);
      const votingCard = chat.lastPublic();
      expect(textOf(votingCard.message)).toMatch(x.votingAnnounced);

      // Three young people vote privately: #1 and #2 / #1 / #1, #2 and #3.
      const picks = [[1, 2], [1], [1, 2, 3]];
      const receipts: string[] = [];
      for (const [i, voter] of youth.entries()) {
        const opened = await chat.click(voter, votingCard, x.vote);
        expect(opened.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['private']);
        const ballot = chat.last(voter);
        expect(ballot.recipient).toBe(voter.key);
        expect(textOf(ballot.message)).toContain(x.ballotTitle);
        for (const n of picks[i]!) {
          const toggled = await chat.click(voter, ballot, `#${n}`);
          expect(toggled.replies.map((r) => r.kind)).toEqual(['update']);
          expect(buttonsOf(ballot.message).find((b) => b.label === `✓ #${n}`)).toBeDefined();
        }
        const sent = await chat.click(voter, ballot, x.send);
        expect(sent.replies.map((r) => r.kind)).toEqual(['update']);
        expect(textOf(ballot.message)).toContain(x.thanksVote);
        const code = (await db().prisma.ballot.findFirstOrThrow({ where: { voterId: voter.personId } })).receiptCode;
        expect(textOf(ballot.message)).toContain(code);
        receipts.push(code);
      }
      // Each ballot and receipt was shown to its voter only.
      for (const [i, voter] of youth.entries()) {
        for (const other of everyone.filter((m) => m !== voter)) expect(chat.transcript(other)).not.toContain(receipts[i]!);
      }
      for (const message of chat.messages.filter(
        (m) => textOf(m.message).includes(x.ballotTitle) || textOf(m.message).includes(x.thanksVote),
      )) {
        expect(youth.map((y) => y.key)).toContain(message.recipient);
      }
      // Each voter's draft stays, reading as the ballot sent, until voting closes.
      expect(await db().prisma.ballotDraft.count()).toBe(receipts.length);

      const turnout = await chat.command(staff, 'turnout');
      expect(replyTexts(turnout)).toContain(x.turnout);

      // Staff close voting: everyone sees the result, explained proposal by proposal.
      await chat.command(staff, 'close');
      await chat.click(staff, chat.last(staff), x.closeYes);
      expect(await db().prisma.ballotDraft.count()).toBe(0);
      const result = chat.lastPublic();
      const resultText = textOf(result.message);
      for (const line of x.result) expect(resultText).toContain(line);
      for (const member of everyone) expect(chat.visibleTo(member)).toContain(result);
      // Funded first, in the order chosen, then the rest.
      expect(resultText.indexOf('#1')).toBeLessThan(resultText.indexOf('#2'));
      expect(resultText.indexOf('#2')).toBeLessThan(resultText.indexOf('#3'));

      // Anyone can see the result again, and each voter that their ballot was counted.
      expect(replyTexts(await chat.command(youth[1]!, 'results'))).toContain(x.result[1]);
      const receipt = await chat.command(youth[0]!, 'receipt');
      expect(replyTexts(receipt)).toContain(receipts[0]);
      expect(replyTexts(receipt)).toContain(x.counted);
    });
  }
});
