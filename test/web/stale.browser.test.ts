import { expect, it } from 'vitest';
import { cards, checkbox, DESKTOP, tick, PHONE, press, ROUND, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/** Controls that no longer apply say so truthfully, and public cards of a finished phase lose their buttons. */

const open = demoSession();

const ANNOUNCED = `Nu kan I stemme: ${ROUND} 🗳️`;

it('after close, the voting card has no buttons, and an old ballot tells the voter their receipt was counted', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);

  await say(lene, '/openvoting');
  await press(cards(lene, `Åbn afstemningen i ${ROUND}?`), 'Ja, åbn afstemningen');
  await cards(amina, ANNOUNCED).waitFor();
  await press(cards(amina, ANNOUNCED), 'Stem');
  const ballot = cards(amina, `Din stemmeseddel: ${ROUND}`);
  await tick(ballot, 1);
  await press(ballot, 'Send stemme');
  const receipt = cards(amina, 'Tak – din stemme er sendt ✓');
  const code = (await receipt.locator('code').textContent())?.trim();
  // A second ballot, opened before the close, stays on her screen.
  await say(amina, '/stem');
  const stale = cards(amina, `Din stemmeseddel: ${ROUND}`);
  await stale.waitFor();
  await press(cards(jonas, ANNOUNCED), 'Stem');
  const unsent = cards(jonas, `Din stemmeseddel: ${ROUND}`);
  await unsent.waitFor();

  await say(lene, '/luk');
  await press(cards(lene, `Luk afstemningen i ${ROUND}?`), 'Ja, luk og tæl op');
  await cards(amina, `Resultat: ${ROUND}`).waitFor();

  // The public voting card, for everyone and live: no buttons, and it says why.
  for (const page of [lene, amina, jonas]) {
    const card = cards(page, ANNOUNCED);
    await card.getByText('Afstemningen er lukket. Resultatet står længere nede.').waitFor();
    expect(await card.getByRole('button').count()).toBe(0);
  }
  // Jonas never sent his: the ballot still open on his phone says he did not vote.
  await checkbox(unsent, 2).click();
  await jonas.getByText('Afstemningen er lukket, og du nåede ikke at stemme denne gang.').waitFor();
  // Amina's old ballot copy: the truth about her vote, with her receipt code.
  await checkbox(stale, 2).click();
  await amina.getByText(`Afstemningen er lukket. Din stemme med kvittering ${code} er talt med.`).waitFor();
  expect(await amina.getByText('ikke talt med').count()).toBe(0);
  // After a reload the voting card still has no buttons (it was changed where it is kept, not only on screen).
  await jonas.reload();
  await cards(jonas, `Resultat: ${ROUND}`).waitFor();
  expect(await cards(jonas, ANNOUNCED).getByRole('button').count()).toBe(0);
  expect(demo.problems).toEqual([]);
});
