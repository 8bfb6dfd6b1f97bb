import { expect, it } from 'vitest';
import type { SurfaceLimits } from '../../src/conversation/index.ts';
import { discordLike, slackLike } from '../conversation/surfaces.ts';
import { describeEachEngine } from '../support/databases.ts';
import { buttonsOf, flowWorld, textOf, votingRound, type Chat, type Member, type Shown } from './harness.ts';

// Long, markup-heavy texts: they grow when a surface escapes them, which the fit step must count.
const title = (i: number) => `Idé ${i}: *nye* _bænke_ & <borde> til ~gården~ `.repeat(4).slice(0, 114).trim() + ` ${i}`;
const description = (i: number) => `Idé ${i}: **fed** tekst, @everyone, <script> og [links](x) `.repeat(80).slice(0, 4000);
const COUNT = 40;

/** Presses "next" on a message until there is no next page; returns how many pages there were. */
async function pageThrough(chat: Chat, who: Member, shown: Shown, next: string): Promise<number> {
  let pages = 1;
  while (buttonsOf(shown.message).some((b) => b.label === next)) {
    await chat.click(who, shown, next);
    pages++;
  }
  return pages;
}

describeEachEngine('replies fit the surface', (db) => {
  for (const [surface, limits] of [
    ['Discord', discordLike],
    ['Slack', slackLike],
  ] as Array<[string, Readonly<SurfaceLimits>]>) {
    it(`a round with ${COUNT} long proposals stays within ${surface}-shaped limits, and nothing is dropped`, async () => {
      // Every reply the harness receives is checked with limitViolations; this walks every kind of card.
      const w = await flowWorld(db(), { youth: 4, limits });
      const { chat, staff, youth } = w;
      const costs = Array.from({ length: COUNT }, (_, i) => 20_000 + ((i * 37) % 11) * 30_000);
      const { round, proposals } = await votingRound(
        w,
        costs,
        {},
        Array.from({ length: COUNT }, (_, i) => title(i + 1)),
      );
      for (const p of proposals)
        await db().prisma.proposal.update({ where: { id: p.id }, data: { description: description(p.number), category: 'sport & <leg>' } });

      await chat.command(youth[0]!, 'help');
      await chat.command(staff, 'help');
      await chat.command(staff, 'round');
      await chat.command(youth[0]!, 'proposals');
      const list = chat.last(youth[0]!);
      expect(await pageThrough(chat, youth[0]!, list, 'Næste ▶')).toBe(Math.ceil(COUNT / 5));
      // A 4000-character description is split over messages, never cut.
      await chat.click(youth[0]!, list, /^Vis #40/);
      const shownTexts = chat
        .visibleTo(youth[0]!)
        .slice(-3)
        .map((m) => textOf(m.message))
        .join(' ');
      expect(shownTexts.replace(/\s+/g, ' ')).toContain(description(40).trim().slice(-60).replace(/\s+/g, ' '));

      // Each young person votes across all pages.
      for (const [i, voter] of youth.entries()) {
        await chat.command(voter, 'vote');
        const ballot = chat.last(voter);
        let page = 0;
        for (;;) {
          const pick = buttonsOf(ballot.message).find((b) => /^#\d+$/.test(b.label) && Number(b.label.slice(1)) % 4 === i);
          if (pick) await chat.click(voter, ballot, pick.label);
          if (!buttonsOf(ballot.message).some((b) => b.label === 'Næste ▶')) break;
          await chat.click(voter, ballot, 'Næste ▶');
          page++;
        }
        expect(page).toBe(Math.ceil(COUNT / 10) - 1);
        await chat.click(voter, ballot, 'Send stemme');
        expect(textOf(ballot.message)).toContain('Tak – din stemme er sendt ✓');
        await chat.command(voter, 'receipt');
      }
      await chat.command(staff, 'turnout');
      await chat.click(staff, chat.last(staff), 'Del med gruppen');

      await chat.command(staff, 'close');
      const before = chat.messages.length;
      await chat.click(staff, chat.last(staff), 'Ja, luk og tæl op');
      const result = chat.messages
        .slice(before)
        .filter((m) => m.recipient === null)
        .map((m) => textOf(m.message))
        .join('\n');
      for (const p of proposals) expect(result).toMatch(new RegExp(`[✅❌] #${p.number} Idé ${p.number}:`));
      await chat.command(youth[1]!, 'results');

      await chat.command(staff, 'progress');
      const progress = chat.last(staff);
      await pageThrough(chat, staff, progress, 'Næste ▶');
      await chat.command(staff, 'log');
      await pageThrough(chat, staff, chat.last(staff), 'Næste ▶');
      expect(round.id).toBeTruthy();
    });

    for (const settings of [{ ballotType: 'cumulative', points: 10 }, { ballotType: 'ranked' }] as const) {
      it(`a ${settings.ballotType} ballot with many proposals stays within ${surface}-shaped limits`, async () => {
        const w = await flowWorld(db(), { youth: 1, limits });
        await votingRound(
          w,
          Array.from({ length: 23 }, () => 10_000),
          settings,
          Array.from({ length: 23 }, (_, i) => title(i + 1)),
        );
        const voter = w.youth[0]!;
        await w.chat.command(voter, 'vote');
        const ballot = w.chat.last(voter);
        await w.chat.click(voter, ballot, settings.ballotType === 'cumulative' ? '+ #1' : '#1');
        expect(await pageThrough(w.chat, voter, ballot, 'Næste ▶')).toBe(settings.ballotType === 'cumulative' ? 5 : 3);
        await w.chat.click(voter, ballot, 'Send stemme');
        expect(textOf(ballot.message)).toContain('Tak – din stemme er sendt ✓');
      });
    }
  }
});
