import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { requireChromium } from '../support/chromium.ts';
import { cards, checkbox, type Demo, PHONE, ROUND, STAFF, say, signInAs, startDemo, tick } from './ux-kit.ts';

/** The web ballot is a native checklist that fits a phone and a screen reader. */

let browser: Browser | undefined;
let demo: Demo | undefined;
afterEach(async () => {
  await browser?.close();
  await demo?.close();
  browser = demo = undefined;
});

const BALLOT = `Din stemmeseddel: ${ROUND}`;

/** A demo round of the given type with `extra` more ideas, open for voting; Amina's ballot open on her phone. */
async function ballotOf(ballotType: 'knapsack' | 'cumulative' | 'ranked', extra: number): Promise<Page> {
  demo = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const url = demo.server.url;
  const { people } = (await (await fetch(`${url}/api/demo/people`)).json()) as { people: Array<{ id: string; displayName: string }> };
  const who = (name: string) => ({ personId: people.find((p) => p.displayName === name)!.id });
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const { conversations } = (await amina.evaluate(`fetch('/api/conversations').then((r) => r.json())`)) as {
    conversations: Array<{ groupId: string }>;
  };
  const [round] = await demo.pulje.rounds.list(who(STAFF), { groupId: conversations[0]!.groupId });
  for (let n = 4; n < 4 + extra; n++)
    await demo.pulje.proposals.submit(who('Jonas (demo)'), {
      roundId: round!.id,
      title: `Idé ${n}`,
      description: `Beskrivelse ${n}.`,
      cost: 50_000,
    });
  await demo.pulje.rounds.configure(who(STAFF), { roundId: round!.id, ballotType, ...(ballotType === 'cumulative' ? { points: 5 } : {}) });
  await demo.pulje.rounds.openVoting(who(STAFF), { roundId: round!.id });
  await say(amina, '/stem');
  await cards(amina, BALLOT).waitFor();
  return amina;
}

it('30 ideas on one list, each with title, cost and description by its checkbox; the money used stays in sight', async ({ skip }) => {
  requireChromium({ skip });
  const amina = await ballotOf('knapsack', 27);
  const ballot = cards(amina, BALLOT);
  expect(await ballot.getByRole('checkbox').count()).toBe(30);
  // No pages: nothing to page with.
  expect(await ballot.getByRole('button', { name: /Næste|Forrige/ }).count()).toBe(0);
  const first = await ballot.getByTestId('choice').first().textContent();
  expect(first).toBe('#1 Bålsted og grill i gården4.500 kr. – Et sted at lave mad sammen om aftenen hele sommeren.');
  // The checkbox's accessible name is the idea.
  expect(await checkbox(ballot, 2).count()).toBe(1);

  const summary = ballot.getByTestId('choice-summary');
  await tick(ballot, 2);
  expect(await summary.textContent()).toBe('Du har valgt 1. 12.000 kr. af 20.000 kr. brugt.');
  // Far down the list, the total is still on screen.
  await checkbox(ballot, 30).scrollIntoViewIfNeeded();
  await tick(ballot, 30);
  expect(await summary.textContent()).toBe('Du har valgt 2. 12.500 kr. af 20.000 kr. brugt.');
  const box = (await summary.boundingBox())!;
  const view = (await amina.getByTestId('message-scroll').boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(view.y - 1);
  expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height);
  // Focus stayed on the checkbox just ticked.
  expect(await amina.evaluate(`document.activeElement?.labels?.[0]?.textContent`)).toMatch(/^Idé 30|^#30 /);
  await ballot.getByRole('button', { name: 'Send stemme', exact: true }).click();
  await cards(amina, 'Tak – din stemme er sendt ✓').waitFor();
  expect(demo!.problems).toEqual([]);
});

it('points and ranks: each control is named with its idea, and says where the idea stands', async ({ skip }) => {
  requireChromium({ skip });
  let amina = await ballotOf('cumulative', 0);
  let ballot = cards(amina, BALLOT);
  await ballot.getByRole('button', { name: 'Et point mere: #2 Tur til Tivoli for hele klubben', exact: true }).click();
  await ballot.getByTestId('choice').nth(1).getByText('1 point', { exact: true }).waitFor();
  expect(await ballot.getByTestId('choice-summary').textContent()).toBe('Du har 4 af 5 point tilbage.');
  expect(await ballot.getByRole('button', { name: 'Et point mindre: #1 Bålsted og grill i gården', exact: true }).isDisabled()).toBe(true);
  await browser!.close();
  await demo!.close();

  amina = await ballotOf('ranked', 0);
  ballot = cards(amina, BALLOT);
  await ballot.getByRole('button', { name: 'Sæt som nr. 1: #3 Musikudstyr til øvelokalet', exact: true }).click();
  await ballot.getByRole('button', { name: 'Sæt som nr. 2: #1 Bålsted og grill i gården', exact: true }).click();
  await ballot.getByTestId('choice').first().getByText('Nr. 2', { exact: true }).waitFor();
  expect(await ballot.getByTestId('choice').nth(2).getByText('Nr. 1', { exact: true }).count()).toBe(1);
  expect(await ballot.getByTestId('choice-summary').textContent()).toBe('Din rækkefølge: 1. #3 · 2. #1');
  expect(demo!.problems).toEqual([]);
});
