import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { cards, DESKTOP, PHONE, ROUND, STAFF, signInAs, demoSession } from './ux-kit.ts';

/** A first screen that says what is going on, and new ideas told to the group without naming who had them. */

const open = demoSession();

async function fieldsOf(card: Locator): Promise<string[]> {
  const labels = await card.locator('dt').allTextContents();
  const values = await card.locator('dd').allTextContents();
  return labels.map((l, i) => `${l} → ${values[i]}`);
}
const primary = (card: Locator) => card.locator('button[data-style="primary"]').allTextContents();

it('the first screen shows the round, its phase, deadline, idea count and one next step; new ideas are announced', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;

  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const first = cards(amina, ROUND);
  await first.waitFor();
  expect(await amina.getByText('Ingen beskeder endnu.').isVisible()).toBe(false);
  expect(await fieldsOf(first)).toEqual(expect.arrayContaining(['Fase → Idéer', 'Idéer → 3']));
  expect(await primary(first)).toEqual(['Kom med en idé']);
  // Coming back adds nothing new.
  await amina.reload();
  await first.waitFor();
  expect(await cards(amina, ROUND).count()).toBe(1);

  // Amina's idea is told to everyone, without her name.
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);
  await first.getByRole('button', { name: 'Kom med en idé', exact: true }).click();
  const form = amina.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill('Filmaften hver fredag');
  await form.getByLabel('Fortæl lidt mere').fill('Popcorn og en film på storskærm.');
  await form.getByLabel('Hvad koster det? (kr.)').fill('1.500');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  const news = cards(jonas, 'Ny idé: #4 Filmaften hver fredag');
  await news.waitFor();
  expect(await news.locator('xpath=ancestor::li[@data-testid="message"]').getAttribute('data-private')).toBe('false');
  expect(await news.textContent()).not.toContain('Amina');
  expect(await news.textContent()).toContain('1.500 kr.');

  // Voting with a deadline: someone new to the room sees it, and "Stem" as the one next step.
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  const { people } = (await (await fetch(`${url}/api/demo/people`)).json()) as { people: Array<{ id: string; displayName: string }> };
  const staff = { personId: people.find((p) => p.displayName === STAFF)!.id };
  const { conversations } = (await lene.evaluate(`fetch('/api/conversations').then((r) => r.json())`)) as {
    conversations: Array<{ groupId: string }>;
  };
  const [round] = await demo.pulje.rounds.list(staff, { groupId: conversations[0]!.groupId });
  await demo.pulje.rounds.configure(staff, { roundId: round!.id, votingDeadline: '2030-06-01T18:00:00+02:00' });
  await demo.pulje.rounds.openVoting(staff, { roundId: round!.id });
  const sofie = await signInAs(browser, url, 'Sofie (demo)', PHONE);
  const hers = cards(sofie, ROUND);
  await hers.waitFor();
  expect(await fieldsOf(hers)).toEqual(
    expect.arrayContaining(['Fase → Afstemning', 'Idéer → 4', 'Frist for at stemme → 1. jun. 2030, 18.00']),
  );
  expect(await primary(hers)).toEqual(['Stem']);
  expect(demo.problems).toEqual([]);
});
