import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { cards, PHONE, ROUND, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/** Words a young person understands: kroner, Danish time and Danish messages, their own name, no spoofed titles. */

const open = demoSession();

async function people(url: string) {
  const { people } = (await (await fetch(`${url}/api/demo/people`)).json()) as { people: Array<{ id: string; displayName: string }> };
  return (name: string) => ({ personId: people.find((p) => p.displayName === name)!.id });
}

async function propose(page: Page, fields: { title: string; description: string; cost: string }) {
  await say(page, '/propose');
  const form = page.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill(fields.title);
  await form.getByLabel('Fortæl lidt mere').fill(fields.description);
  await form.getByLabel('Hvad koster det? (kr.)').fill(fields.cost);
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  return form;
}

it('kroner, Danish time, Danish errors, the name on a phone, no bidi tricks, long lists collapsed', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;

  const signin = await (await browser.newContext({ viewport: PHONE, locale: 'da-DK' })).newPage();
  await signin.goto(`${url}/signin`);
  expect(await signin.getByText('DEMO: Ungepuljen Nørrebro (medarbejder)').count()).toBe(1);
  expect(await signin.getByText('DEMO: Ungepuljen Nørrebro (ung)').count()).toBe(4);

  // The phone is set to New York time; the chat shows the group's (Danish) time.
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  expect(await amina.getByTestId('me').isVisible()).toBe(true);
  expect(await amina.getByTestId('me').textContent()).toBe('Du er Amina (demo)');
  await say(amina, 'hej');
  const time = amina.getByTestId('message').last().locator('time');
  await time.waitFor();
  const at = new Date((await time.getAttribute('datetime'))!);
  const danish = at.toLocaleTimeString('da', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' });
  expect(await time.textContent()).toBe(danish);

  // "0.001" is not 1 kr., and too much money is said in kroner.
  let form = await propose(amina, { title: 'Lille ting', description: 'Noget småt.', cost: '0.001' });
  const costError = form.getByTestId('form-error-cost');
  await costError.waitFor();
  expect(await costError.textContent()).toContain('som et beløb i kroner');
  await form.getByLabel('Hvad koster det? (kr.)').fill('99999999999');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  await expect.poll(() => costError.textContent()).toBe('Pris må højst være 21.474.836 kr.');
  await form.getByRole('button', { name: 'Annullér', exact: true }).click();

  // A title with a right-to-left override is shown as typed, without the hidden reversal.
  form = await propose(amina, { title: 'Gratis \u202Eslik\u202C til alle', description: 'Slik.', cost: '500' });
  const idea = cards(amina, '#4 Gratis slik til alle');
  await idea.waitFor();
  expect(await idea.textContent()).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);

  // A message the API cannot take is explained in Danish, not in zod's English.
  const tooLong = (await amina.evaluate(`fetch('/api/conversations/' + location.hash.slice(3) + '/messages', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(5000) }) }).then((r) => r.json())`)) as {
    error: { message: string };
  };
  expect(tooLong.error.message).not.toMatch(/Too big|expected/);
  expect(tooLong.error.message).toMatch(/højst/);

  // Nine ideas: the result shows five and "Vis alle (9)"; "Fik penge" says what "Finansieret" did not.
  const who = await people(url);
  const staff = who(STAFF);
  const [round] = await demo.pulje.rounds.list(staff, { groupId: await groupOf(amina) });
  for (const n of [5, 6, 7, 8, 9])
    await demo.pulje.proposals.submit(who('Jonas (demo)'), {
      roundId: round!.id,
      title: `Idé nummer ${n}`,
      description: 'Til listen.',
      cost: 10_000,
    });
  await demo.pulje.rounds.openVoting(staff, { roundId: round!.id });
  await demo.pulje.ballots.cast(who('Sofie (demo)'), { roundId: round!.id, choice: { type: 'approval', picks: [1] } });
  await demo.pulje.rounds.close(staff, { roundId: round!.id });
  await say(amina, '/resultat');
  const result = cards(amina, `Resultat: ${ROUND}`);
  await result.waitFor();
  expect(await result.locator('dt:visible').count()).toBe(5);
  expect(await result.textContent()).toContain('Fik penge: 1 stemme');
  await result.getByRole('button', { name: 'Vis alle (9)', exact: true }).click();
  expect(await result.locator('dt:visible').count()).toBe(9);
  expect(demo.problems).toEqual([]);
});

async function groupOf(page: Page): Promise<string> {
  const { conversations } = (await page.evaluate(`fetch('/api/conversations').then((r) => r.json())`)) as {
    conversations: Array<{ groupId: string }>;
  };
  return conversations[0]!.groupId;
}
