import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { axeViolations, cards, DESKTOP, PHONE, press, ROUND, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/**
 * WCAG 2.1 A/AA (and axe's best-practice rules) on every screen of a round, on a phone and a desktop, and a
 * ballot cast with the keyboard alone.
 */

const open = demoSession();

const BALLOT = `Din stemmeseddel: ${ROUND}`;

/** The staff member's and the group's ids, as the demo picker and the room list tell them. */
async function ids(url: string, page: Page) {
  const people = (await (await fetch(`${url}/api/demo/people`)).json()) as { people: Array<{ id: string; displayName: string }> };
  const staff = people.people.find((p) => p.displayName === STAFF)!;
  const { conversations } = (await page.evaluate(`fetch('/api/conversations').then((r) => r.json())`)) as {
    conversations: Array<{ groupId: string }>;
  };
  return { staff: { personId: staff.id }, groupId: conversations[0]!.groupId };
}

async function expectClean(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

for (const ballotType of ['approval', 'knapsack', 'cumulative', 'ranked'] as const) {
  it(`axe finds nothing on sign-in, chat, idea form, ${ballotType} ballot, result and log, phone and desktop`, async ({ skip }) => {
    const { demo, browser } = await open(skip);
    const url = demo.server.url;

    // Sign-in page, both sizes.
    for (const viewport of [PHONE, DESKTOP]) {
      const ctx = await browser.newContext({ viewport, locale: 'da-DK' });
      const p = await ctx.newPage();
      await p.goto(`${url}/signin`);
      await expectClean(p, `sign-in ${viewport.width}`);
      await ctx.close();
    }

    const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
    const lene = await signInAs(browser, url, STAFF, DESKTOP);
    await expectClean(amina, 'chat, phone');
    await expectClean(lene, 'chat, desktop');

    // The idea form, open.
    await say(amina, '/propose');
    await amina.getByRole('dialog', { name: 'Din idé' }).waitFor();
    await expectClean(amina, 'idea form, phone');
    await amina.getByRole('button', { name: 'Annullér', exact: true }).click();

    // The round gets this ballot type and voting opens.
    const { staff, groupId } = await ids(url, lene);
    const [round] = await demo.pulje.rounds.list(staff, { groupId });
    await demo.pulje.rounds.configure(staff, { roundId: round!.id, ballotType, ...(ballotType === 'cumulative' ? { points: 5 } : {}) });
    await demo.pulje.rounds.openVoting(staff, { roundId: round!.id });

    // The ballot, on both sizes (Lene may not vote: Amina's, then Jonas on a desktop).
    await say(amina, '/stem');
    await cards(amina, BALLOT).waitFor();
    await expectClean(amina, `${ballotType} ballot, phone`);
    const jonas = await signInAs(browser, url, 'Jonas (demo)', DESKTOP);
    await say(jonas, '/stem');
    await cards(jonas, BALLOT).waitFor();
    await expectClean(jonas, `${ballotType} ballot, desktop`);

    // Result and log.
    await say(lene, '/luk');
    await press(cards(lene, `Luk afstemningen i ${ROUND}?`), 'Ja, luk og tæl op');
    await cards(lene, `Resultat: ${ROUND}`).waitFor();
    await cards(amina, `Resultat: ${ROUND}`).waitFor();
    await expectClean(amina, 'result, phone');
    await expectClean(lene, 'result, desktop');
    await say(lene, '/logbog');
    await lene
      .getByRole('heading', { name: /Logbog|Beslutningslog/ })
      .first()
      .waitFor();
    await expectClean(lene, 'log, desktop');
    await lene.setViewportSize(PHONE);
    await expectClean(lene, 'log, phone');

    expect(demo.problems).toEqual([]);
  }, 120_000);
}

/** The focused element's accessible name, near enough: its label's text for a checkbox, else its own text. */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const a = document.activeElement; return ((a?.labels?.[0] ?? a)?.textContent ?? '').trim(); })()`,
  ) as Promise<string>;

/** Presses Tab until the focused element's name matches (at most 120 times); fails otherwise. */
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (typeof name === 'string' ? now === name : name.test(now)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

it('a young person votes with the keyboard alone, and focus stays on what they toggled', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  const { staff, groupId } = await ids(url, lene);
  const [round] = await demo.pulje.rounds.list(staff, { groupId });
  await demo.pulje.rounds.openVoting(staff, { roundId: round!.id });

  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  // The room opens with the keyboard in the composer.
  expect(await amina.evaluate('document.activeElement?.id')).toBe('composer-input');
  await amina.keyboard.type('/stem');
  await amina.keyboard.press('Escape');
  await amina.keyboard.press('Enter');
  const ballot = cards(amina, BALLOT);
  await ballot.waitFor();
  await tabTo(amina, /^#2 /);
  await amina.keyboard.press('Space');
  await ballot.getByRole('checkbox', { name: /^#2 /, checked: true }).waitFor();
  // Redrawn, and the keyboard is still on the idea just ticked.
  expect(await focused(amina)).toMatch(/^#2 Tur til Tivoli/);
  await amina.keyboard.press('Tab');
  expect(await focused(amina)).toMatch(/^#3 Musikudstyr/);
  await amina.keyboard.press('Space');
  await ballot.getByRole('checkbox', { name: /^#3 /, checked: true }).waitFor();
  expect(await focused(amina)).toMatch(/^#3 /);
  await tabTo(amina, 'Send stemme');
  await amina.keyboard.press('Enter');
  await cards(amina, 'Tak – din stemme er sendt ✓').waitFor();
  expect(demo.problems).toEqual([]);
});
