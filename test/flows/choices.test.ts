import { expect, it } from 'vitest';
import { WEB_LIMITS } from '../../adapters/web/limits.ts';
import { describeEachEngine } from '../support/databases.ts';
import { flowWorld, votingRound } from './harness.ts';

// The longest title an idea may have (120), with letters that take two or more bytes, and a long description.
const title = (i: number) => `Idé ${i}: æblekage, øl-fri café & ✨ `.repeat(6).slice(0, 114).trim() + ` ${i}`;
const description = (i: number) => `Idé ${i}: en lang beskrivelse med æøå og emoji 🎉 `.repeat(100).slice(0, 4000);

describeEachEngine('the web ballot as one list', (db) => {
  it(`${WEB_LIMITS.choiceItems} ideas with the longest titles are one native list with a search box, small enough to send after every tick`, async () => {
    const count = WEB_LIMITS.choiceItems!;
    expect(count).toBe(300);
    const w = await flowWorld(db(), { youth: 1, limits: WEB_LIMITS });
    const { proposals } = await votingRound(
      w,
      Array.from({ length: count }, (_, i) => 123_456_700 + i),
      { amount: 2_000_000_000, ballotType: 'cumulative', points: 10 },
      Array.from({ length: count }, (_, i) => title(i + 1)),
    );
    for (const p of proposals) await db().prisma.proposal.update({ where: { id: p.id }, data: { description: description(p.number) } });
    // Points: two buttons per idea, the largest ballot there is.
    await w.chat.command(w.youth[0]!, 'vote');
    const ballot = w.chat.last(w.youth[0]!).message;
    const [card] = ballot.cards;
    expect(card!.choices?.items).toHaveLength(count);
    expect(card!.choices!.search).toBe(true);
    expect(card!.choices!.items.at(-1)!.title).toBe(`#300 ${title(300)}`);
    // What the web stores and sends for the card, every time it changes: about 180 KB.
    const bytes = Buffer.byteLength(JSON.stringify(ballot));
    expect(bytes).toBeGreaterThan(150_000);
    expect(bytes).toBeLessThan(200_000);
    // A press is answered with the same list, one point more (the list's button and the page's are one control).
    const more = card!.choices!.items[0]!.buttons.find((b) => b.label === 'Et point mere')!;
    expect(card!.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])).find((b) => b.label === '+ #1')!.id).toBe(more.id);
    await w.chat.click(w.youth[0]!, w.chat.last(w.youth[0]!), '+ #1');
    const after = w.chat.last(w.youth[0]!).message.cards[0]!.choices!;
    expect(after.items[0]!.state).toBe('1 point');
    expect(after.items[0]!.chosen).toBe(true);
    expect(after.items.filter((i) => i.chosen)).toHaveLength(1);
  }, 120_000);
});
