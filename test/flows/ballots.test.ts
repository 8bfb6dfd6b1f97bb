import { expect, it } from 'vitest';
import { createRouter } from '../../src/app.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import {
  buttonsOf,
  expectNothingChanged,
  flowWorld,
  replyTexts,
  textOf,
  votingRound,
  type FlowWorld,
  type Member,
  type Shown,
} from './harness.ts';

/** Opens the ballot with /vote; returns the private ballot message. */
async function openBallot(w: FlowWorld, voter: Member): Promise<Shown> {
  const outcome = await w.chat.command(voter, 'vote');
  expect(outcome.replies.map((r) => (r.kind === 'send' ? r.visibility : r.kind))).toEqual(['private']);
  const ballot = w.chat.last(voter);
  expect(ballot.recipient).toBe(voter.key);
  return ballot;
}

async function draftOf(db: () => TestDatabase, voter: Member) {
  const row = await db().prisma.ballotDraft.findFirst({ where: { voterId: voter.personId } });
  return row ? JSON.parse(row.choice) : null;
}

async function castChoice(db: () => TestDatabase, voter: Member) {
  const ballot = await db().prisma.ballot.findFirst({ where: { voterId: voter.personId } });
  return ballot ? { ...JSON.parse(ballot.choice), receiptCode: ballot.receiptCode, revision: ballot.revision } : null;
}

const ids = (proposals: { id: string }[], ...numbers: number[]) => numbers.map((n) => proposals[n - 1]!.id);

describeEachEngine('the private ballot', (db) => {
  it('approval: toggles within the most picks allowed, shows the limits, and casts what was ticked', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const { proposals } = await votingRound(w, [100_000, 200_000, 300_000], { maxPicks: 2 });
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(textOf(ballot.message)).toContain('Vælg mindst 1 og højst 2.');
    // Sending an empty ballot: what is wrong is shown on the ballot, and nothing is cast.
    await expectNothingChanged(db(), () => w.chat.click(voter, ballot, 'Send stemme'));
    expect(textOf(ballot.message)).toContain('⚠️ Stemmesedlen er ikke gyldig: vælg mindst 1');
    await w.chat.click(voter, ballot, '#1');
    await w.chat.click(voter, ballot, '#2');
    expect(textOf(ballot.message)).toContain('Du har valgt 2.');
    // A third pick is refused on the ballot itself, and nothing changes.
    const refused = await expectNothingChanged(db(), () => w.chat.click(voter, ballot, '#3'));
    expect(refused.replies.map((r) => r.kind)).toEqual(['update']);
    expect(textOf(ballot.message)).toContain('Du kan højst vælge 2. Fravælg et andet først.');
    expect(await draftOf(db, voter)).toEqual({ type: 'approval', picks: [1, 2] });
    await w.chat.click(voter, ballot, '✓ #1');
    await w.chat.click(voter, ballot, '#3');
    expect(await draftOf(db, voter)).toEqual({ type: 'approval', picks: [2, 3] });
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ type: 'approval', approved: ids(proposals, 2, 3), revision: 1 });
    // The draft stays, reading as the ballot sent (the next ballot card starts from it), until voting closes.
    expect(await draftOf(db, voter)).toEqual({ type: 'approval', picks: [2, 3] });
  });

  it('knapsack: keeps a running total against the money and refuses a pick that would go over', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const { proposals } = await votingRound(w, [400_000, 250_000, 500_000], { ballotType: 'knapsack' });
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(textOf(ballot.message)).toContain('0 kr. af 10.000 kr. brugt.');
    await w.chat.click(voter, ballot, '#1');
    expect(textOf(ballot.message)).toContain('4.000 kr. af 10.000 kr. brugt.');
    await w.chat.click(voter, ballot, '#2');
    expect(textOf(ballot.message)).toContain('6.500 kr. af 10.000 kr. brugt.');
    await expectNothingChanged(db(), () => w.chat.click(voter, ballot, '#3'));
    expect(textOf(ballot.message)).toContain('#3 koster 5.000 kr., men du har kun 3.500 kr. tilbage. Fravælg noget andet først.');
    expect(textOf(ballot.message)).toContain('6.500 kr. af 10.000 kr. brugt.');
    // Un-picking makes room.
    await w.chat.click(voter, ballot, '✓ #2');
    await w.chat.click(voter, ballot, '#3');
    expect(textOf(ballot.message)).toContain('9.000 kr. af 10.000 kr. brugt.');
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ type: 'knapsack', approved: ids(proposals, 1, 3) });
  });

  it('cumulative: plus and minus per proposal with the points left shown, and no more than the points there are', async () => {
    const w = await flowWorld(db(), { youth: 1, locale: 'en' });
    const { proposals } = await votingRound(w, [100_000, 100_000, 100_000], { ballotType: 'cumulative', points: 3 });
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(textOf(ballot.message)).toContain('You have 3 of 3 points left.');
    // Minus is off until a proposal has points.
    expect(buttonsOf(ballot.message).find((b) => b.label === '− #1')?.disabled).toBe(true);
    await w.chat.click(voter, ballot, '+ #1');
    await w.chat.click(voter, ballot, '+ #1');
    await w.chat.click(voter, ballot, '+ #2');
    expect(textOf(ballot.message)).toContain('You have 0 of 3 points left.');
    await expectNothingChanged(db(), () => w.chat.click(voter, ballot, '+ #3'));
    expect(textOf(ballot.message)).toContain('You have no points left. Take a point from another idea first.');
    await w.chat.click(voter, ballot, '− #1');
    await w.chat.click(voter, ballot, '+ #3');
    expect(textOf(ballot.message)).toContain('You have 0 of 3 points left.');
    await w.chat.click(voter, ballot, 'Send vote');
    expect(await castChoice(db, voter)).toMatchObject({
      type: 'cumulative',
      points: [
        [proposals[0]!.id, 1],
        [proposals[1]!.id, 1],
        [proposals[2]!.id, 1],
      ],
    });
  });

  it('yes/no: Yes, No or Blank on the one proposal, and nothing is sent before a choice', async () => {
    const w = await flowWorld(db(), { youth: 3 });
    const { round } = await votingRound(w, [500_000], { ballotType: 'yesno', rule: 'yes-no' });
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(textOf(ballot.message)).toContain('Stemmer du ja eller nej til idéen?');
    await expectNothingChanged(db(), () => w.chat.click(voter, ballot, 'Send stemme'));
    expect(textOf(ballot.message)).toContain('Vælg ja, nej eller blank først.');
    await w.chat.click(voter, ballot, 'Ja');
    expect(buttonsOf(ballot.message).map((b) => b.label)).toContain('✓ Ja');
    await w.chat.click(voter, ballot, 'Nej');
    expect(buttonsOf(ballot.message).map((b) => b.label)).toEqual(expect.arrayContaining(['Ja', '✓ Nej', 'Blank']));
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ type: 'yesno', vote: 'no' });
    for (const [i, vote] of [
      [1, 'Ja'],
      [2, 'Blank'],
    ] as const) {
      const b = await openBallot(w, w.youth[i]!);
      await w.chat.click(w.youth[i]!, b, vote);
      await w.chat.click(w.youth[i]!, b, 'Send stemme');
    }
    await w.pulje.rounds.close({ personId: w.staff.personId }, { roundId: round.id });
    expect(replyTexts(await w.chat.command(voter, 'results'))).toMatch(/Ikke vedtaget: 1 ja, 1 nej/);
  });

  it('ranked: picks 1st, 2nd, 3rd in order, with undo', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const { proposals } = await votingRound(w, [100_000, 100_000, 100_000], { ballotType: 'ranked' });
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(textOf(ballot.message)).toContain('Du har ikke valgt nogen endnu.');
    await w.chat.click(voter, ballot, '#3');
    await w.chat.click(voter, ballot, '#1');
    expect(textOf(ballot.message)).toContain('Din rækkefølge: 1. #3 · 2. #1');
    // A ranked proposal's button shows its place and cannot be pressed again.
    expect(buttonsOf(ballot.message).find((b) => b.label === '1. #3')?.disabled).toBe(true);
    await w.chat.click(voter, ballot, '↩ Fortryd sidste');
    expect(textOf(ballot.message)).toContain('Din rækkefølge: 1. #3');
    await w.chat.click(voter, ballot, '#2');
    await w.chat.click(voter, ballot, '#1');
    expect(textOf(ballot.message)).toContain('Din rækkefølge: 1. #3 · 2. #2 · 3. #1');
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ type: 'ranked', ranking: ids(proposals, 3, 2, 1) });
  });

  it('change vote: the ballot opens again filled in with the current vote; the receipt stays the same', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const { proposals } = await votingRound(w, [100_000, 200_000, 300_000]);
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    await w.chat.click(voter, ballot, '#1');
    await w.chat.click(voter, ballot, 'Send stemme');
    const first = await castChoice(db, voter);
    expect(textOf(ballot.message)).toContain(first.receiptCode);

    // From the receipt: "Change my vote" turns it back into the ballot, ticked as cast.
    await w.chat.click(voter, ballot, 'Ret min stemme');
    expect(buttonsOf(ballot.message).map((b) => b.label)).toEqual(expect.arrayContaining(['✓ #1', '#2', '#3']));
    expect(textOf(ballot.message)).toContain(`Du har allerede stemt (kvittering ${first.receiptCode})`);
    await w.chat.click(voter, ballot, '#2');
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(textOf(ballot.message)).toContain('Din stemme er ændret ✓');
    expect(await castChoice(db, voter)).toMatchObject({ approved: ids(proposals, 1, 2), receiptCode: first.receiptCode, revision: 2 });

    // /vote again also starts from the vote as cast.
    const again = await openBallot(w, voter);
    expect(buttonsOf(again.message).map((b) => b.label)).toEqual(expect.arrayContaining(['✓ #1', '✓ #2', '#3']));

    // /receipt shows the current ballot and the code, to the voter alone.
    const receipt = await w.chat.command(voter, 'receipt');
    expect(receipt.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
    expect(replyTexts(receipt)).toContain(first.receiptCode);
    expect(replyTexts(receipt)).toContain('#1 Idé 1');
    expect(replyTexts(receipt)).toContain('#2 Idé 2');
    expect(replyTexts(receipt)).toContain('Du kan ændre din stemme, indtil afstemningen lukker.');
  });

  it('pages through many proposals and keeps a pick on the page where it was made', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const { proposals } = await votingRound(
      w,
      Array.from({ length: 12 }, () => 50_000),
    );
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    expect(buttonsOf(ballot.message).map((b) => b.label)).toContain('#10');
    expect(buttonsOf(ballot.message).map((b) => b.label)).not.toContain('#11');
    expect(textOf(ballot.message)).toContain('Side 1 af 2');
    await w.chat.click(voter, ballot, 'Næste ▶');
    await w.chat.click(voter, ballot, '#12');
    expect(textOf(ballot.message)).toContain('Side 2 af 2');
    expect(buttonsOf(ballot.message).map((b) => b.label)).toContain('✓ #12');
    await w.chat.click(voter, ballot, '◀ Forrige');
    await w.chat.click(voter, ballot, '#1');
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ approved: ids(proposals, 1, 12) });
  });

  it('keeps the draft in the database: another process continues the ballot, and clicks at once are all kept', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const { proposals } = await votingRound(w, [100_000, 100_000, 100_000, 100_000]);
    const voter = w.youth[0]!;
    const first = w.router;
    const second = createRouter({ defaultLocale: 'da', pulje: w.pulje });
    const ballot = await openBallot(w, voter);
    await w.chat.click(voter, ballot, '#1');
    w.chat.router = second;
    await w.chat.click(voter, ballot, '#2');
    expect(buttonsOf(ballot.message).map((b) => b.label)).toEqual(expect.arrayContaining(['✓ #1', '✓ #2']));
    // Two clicks handled by two processes at the same time: neither is lost.
    const [a, b] = [buttonsOf(ballot.message).find((x) => x.label === '#3')!, buttonsOf(ballot.message).find((x) => x.label === '#4')!];
    w.chat.router = first;
    const one = w.chat.action(voter, a.id, ballot);
    w.chat.router = second;
    const two = w.chat.action(voter, b.id, ballot);
    await Promise.all([one, two]);
    expect((await draftOf(db, voter)).picks.sort()).toEqual([1, 2, 3, 4]);
    await w.chat.click(voter, ballot, 'Send stemme');
    expect(await castChoice(db, voter)).toMatchObject({ approved: ids(proposals, 1, 2, 3, 4) });
  });

  it('forgets unsent drafts when voting closes, and an old ballot card then says voting is closed', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    await votingRound(w, [100_000, 200_000]);
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    await w.chat.click(voter, ballot, '#1');
    expect(await db().prisma.ballotDraft.count()).toBe(1);
    await w.chat.command(w.staff, 'close');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'Ja, luk og tæl op');
    expect(await db().prisma.ballotDraft.count()).toBe(0);
    const late = await expectNothingChanged(db(), () => w.chat.click(voter, ballot, '#2'));
    // They never sent it: the truth is that they did not vote.
    expect(replyTexts(late)).toBe('Afstemningen er lukket, og du nåede ikke at stemme denne gang.');
    expect(late.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
  });

  it('an old ballot control after close tells someone who voted that their ballot, by its receipt, was counted', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    await votingRound(w, [100_000, 200_000]);
    const voter = w.youth[0]!;
    const ballot = await openBallot(w, voter);
    await w.chat.click(voter, ballot, '#1');
    await w.chat.click(voter, w.chat.last(voter), 'Send stemme');
    const code = (await db().prisma.ballot.findFirstOrThrow()).receiptCode;
    // A second copy of the ballot, opened before the close, is pressed after it.
    const stale = await openBallot(w, voter);
    await w.chat.command(w.staff, 'close');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'Ja, luk og tæl op');
    const late = await expectNothingChanged(db(), () => w.chat.click(voter, stale, '#2'));
    expect(replyTexts(late)).toBe(`Afstemningen er lukket. Din stemme med kvittering ${code} er talt med.`);
    expect(replyTexts(late)).not.toContain('ikke talt med');
  });
});
