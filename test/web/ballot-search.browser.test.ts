import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  axeViolations,
  cards,
  checkbox,
  type Demo,
  demoSession,
  DESKTOP,
  PHONE,
  ROUND,
  STAFF,
  say,
  screenshots,
  signInAs,
} from './ux-kit.ts';

/** A ballot of more than 100 ideas is still one native checklist on the web, with a search box above it. */

const open = demoSession();
const BALLOT = `Din stemmeseddel: ${ROUND}`;
const CAFE = 57;

/** The demo round with 140 ideas (one of them a "Café"), open for voting (approval: up to 3); Amina's ballot open. */
async function longBallot(
  demo: Demo,
  browser: Browser,
  viewport: { width: number; height: number },
  ballotType: 'approval' | 'cumulative' = 'approval',
): Promise<Page> {
  const url = demo.server.url;
  const { people } = (await (await fetch(`${url}/api/demo/people`)).json()) as { people: Array<{ id: string; displayName: string }> };
  const who = (name: string) => ({ personId: people.find((p) => p.displayName === name)!.id });
  const amina = await signInAs(browser, url, 'Amina (demo)', viewport);
  const { conversations } = (await amina.evaluate(`fetch('/api/conversations').then((r) => r.json())`)) as {
    conversations: Array<{ groupId: string }>;
  };
  const [round] = await demo.pulje.rounds.list(who(STAFF), { groupId: conversations[0]!.groupId });
  for (let n = 4; n <= 140; n++)
    await demo.pulje.proposals.submit(who('Jonas (demo)'), {
      roundId: round!.id,
      ...(n === CAFE
        ? { title: 'Café-aften med brætspil', description: 'En hyggelig aften i klubben med kage og spil.' }
        : { title: `Idé ${n}`, description: `Beskrivelse ${n}.` }),
      cost: 5_000,
    });
  await demo.pulje.rounds.configure(
    who(STAFF),
    ballotType === 'approval' ? { roundId: round!.id, ballotType, maxPicks: 3 } : { roundId: round!.id, ballotType, points: 5 },
  );
  await demo.pulje.rounds.openVoting(who(STAFF), { roundId: round!.id });
  await say(amina, '/stem');
  await cards(amina, BALLOT).waitFor();
  return amina;
}

for (const [device, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  it(`140 ideas on a ${device}: the search filters, a pick made while searching is kept when the search is cleared, and Send records it`, async ({
    skip,
  }) => {
    const { demo, browser } = await open(skip);
    const shot = screenshots(`ballot-search-${device}`);
    const amina = await longBallot(demo, browser, viewport);
    const ballot = cards(amina, BALLOT);
    const search = ballot.getByRole('searchbox', { name: 'Søg i idéerne', exact: true });
    const count = ballot.getByTestId('choice-count');
    const visible = () => ballot.getByRole('checkbox').count();

    // Every idea with its own checkbox, no pages.
    expect(await visible()).toBe(140);
    expect(await ballot.getByRole('button', { name: /Næste|Forrige/ }).count()).toBe(0);
    expect(await count.textContent()).toBe('Alle 140 idéer');
    // The count is read out as it changes, and the search box says which list it filters.
    expect(await count.getAttribute('role')).toBe('status');
    expect(await search.getAttribute('aria-controls')).toBe(await ballot.getByRole('list').getAttribute('id'));
    expect(await axeViolations(amina)).toEqual([]);
    await shot(amina, 'ballot');

    // Typed as one would on a phone: no accent, lower case.
    await search.click();
    await amina.keyboard.type('cafe');
    expect(await count.textContent()).toBe('1 af 140 idéer');
    expect(await visible()).toBe(1);
    expect(await checkbox(ballot, CAFE).count()).toBe(1);
    // Found by a word of its description too, and by its number.
    await search.fill('KAGE');
    expect(await visible()).toBe(1);
    await search.fill('#7');
    expect(await ballot.getByRole('checkbox').first().getAttribute('data-action-id')).toMatch(/:7:1$/);
    expect(await count.textContent()).toBe('1 af 140 idéer');
    await search.fill('skateboardrampe');
    expect(await count.textContent()).toBe('Ingen af de 140 idéer passer. Prøv et andet ord.');
    expect(await visible()).toBe(0);
    await search.fill('café');
    expect(await axeViolations(amina)).toEqual([]);
    await shot(amina, 'searched');

    // By keyboard: from the search box to the idea found, ticked with the space bar.
    await search.focus();
    await amina.keyboard.press('Tab');
    await amina.keyboard.press('Tab');
    expect(await amina.evaluate(`document.activeElement?.labels?.[0]?.textContent`)).toMatch(/^#57 Café-aften med brætspil/);
    await amina.keyboard.press('Space');
    await ballot.getByRole('checkbox', { name: /^#57 /, checked: true }).waitFor();
    // The redrawn ballot keeps the search, the filter and the keyboard where they were.
    expect(await search.inputValue()).toBe('café');
    expect(await visible()).toBe(1);
    expect(await amina.evaluate(`document.activeElement?.labels?.[0]?.textContent`)).toMatch(/^#57 Café-aften/);
    expect(await ballot.getByTestId('choice-summary').textContent()).toBe('Du har valgt 1.');

    // Searching for something else: the idea already picked stays in sight, and the count says why.
    await search.fill('idé 12');
    expect(await count.textContent()).toBe('12 af 140 idéer. Dem, du har valgt, vises også.');
    expect(await checkbox(ballot, CAFE).isChecked()).toBe(true);
    expect(await visible()).toBe(13);
    await shot(amina, 'kept');

    // Cleared: the whole list again, the pick still ticked.
    await ballot.getByRole('button', { name: 'Ryd', exact: true }).click();
    expect(await search.inputValue()).toBe('');
    expect(await amina.evaluate(`document.activeElement?.getAttribute('type')`)).toBe('search');
    expect(await visible()).toBe(140);
    expect(await count.textContent()).toBe('Alle 140 idéer');
    expect(await checkbox(ballot, CAFE).isChecked()).toBe(true);
    expect(await ballot.getByRole('checkbox', { checked: true }).count()).toBe(1);
    expect(await ballot.getByTestId('choice-summary').textContent()).toBe('Du har valgt 1.');
    expect(await axeViolations(amina)).toEqual([]);
    await shot(amina, 'cleared');
    // Far down the list, the search box is still at hand, and the total with it.
    await checkbox(ballot, 120).scrollIntoViewIfNeeded();
    const box = (await search.boundingBox())!;
    const view = (await amina.getByTestId('message-scroll').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(view.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height);
    await shot(amina, 'scrolled');

    await ballot.getByRole('button', { name: 'Send stemme', exact: true }).click();
    await cards(amina, 'Tak – din stemme er sendt ✓').waitFor();
    await shot(amina, 'sent');
    const people = await demo.pulje.webChat.demoPeople();
    const me = people.find((p) => p.displayName === 'Amina (demo)')!;
    const [round] = await demo.pulje.rounds.list({ personId: me.id }, { groupId: (await demo.pulje.webChat.rooms(me.id))[0]!.groupId });
    const mine = await demo.pulje.ballots.mine({ personId: me.id }, { roundId: round!.id });
    expect(mine?.items.map((i) => i.number)).toEqual([CAFE]);
    expect(demo.problems).toEqual([]);
  });
}

it('points on 140 ideas: the idea given points stays in sight while searching for others, its buttons keep the keyboard', async ({
  skip,
}) => {
  const { demo, browser } = await open(skip);
  const shot = screenshots('ballot-search-points');
  const amina = await longBallot(demo, browser, PHONE, 'cumulative');
  const ballot = cards(amina, BALLOT);
  const search = ballot.getByRole('searchbox', { name: 'Søg i idéerne', exact: true });
  await search.fill('CAFÉ');
  const more = ballot.getByRole('button', { name: 'Et point mere: #57 Café-aften med brætspil', exact: true });
  await more.focus();
  await amina.keyboard.press('Enter');
  await ballot.getByTestId('choice').filter({ hasText: 'Café-aften' }).getByText('1 point', { exact: true }).waitFor();
  expect(await ballot.getByTestId('choice-summary').textContent()).toBe('Du har 4 af 5 point tilbage.');
  expect(await amina.evaluate(`document.activeElement?.getAttribute('aria-label')`)).toBe('Et point mere: #57 Café-aften med brætspil');
  await search.fill('#9');
  expect(await ballot.getByTestId('choice').count()).toBe(140);
  expect(await ballot.getByTestId('choice').filter({ visible: true }).allTextContents()).toEqual([
    expect.stringMatching(/^#9 Idé 9/),
    expect.stringMatching(/^#57 Café-aften med brætspil.*1 point/),
  ]);
  expect(await ballot.getByTestId('choice-count').textContent()).toBe('1 af 140 idéer. Dem, du har valgt, vises også.');
  expect(await axeViolations(amina)).toEqual([]);
  await shot(amina, 'kept');
  expect(demo.problems).toEqual([]);
});
