import { expect, it } from 'vitest';
import { cards, tick, PHONE, press, ROUND, STAFF, say, screenshots, signInAs, demoSession } from './ux-kit.ts';

/**
 * The whole round on a 390×844 phone, for people to look at: a numbered screenshot series in
 * test-output/screenshots/round-phone/ (git-ignored). It checks as it goes that each screen is what it should be.
 */

const open = demoSession();

it('a whole round on a phone, as a screenshot series', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const shot = screenshots('round-phone');

  const signin = await (await browser.newContext({ viewport: PHONE, locale: 'da-DK' })).newPage();
  await signin.goto(`${url}/signin`);
  await shot(signin, 'signin');

  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const lene = await signInAs(browser, url, STAFF, PHONE);
  await shot(amina, 'first-screen');

  await amina.getByTestId('composer-input').fill('/');
  await shot(amina, 'command-hints');
  await amina.getByTestId('composer-input').fill('');

  await say(amina, '/foreslå');
  const form = amina.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill('Ny sofa til hjørnet');
  await form.getByLabel('Fortæl lidt mere').fill('En stor, blød sofa, så flere kan sidde og snakke.');
  await form.getByLabel('Hvad koster det? (kr.)').fill('ca. 3000');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  await form.getByTestId('form-error-cost').waitFor();
  await shot(amina, 'idea-form-error');
  await form.getByLabel('Hvad koster det? (kr.)').fill('3000');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  await cards(amina, '#4 Ny sofa til hjørnet').waitFor();
  await shot(amina, 'idea-sent');

  await say(lene, '/round');
  await cards(lene, ROUND).last().waitFor();
  await shot(lene, 'staff-round');
  await say(lene, '/openvoting');
  await press(cards(lene, `Åbn afstemningen i ${ROUND}?`), 'Ja, åbn afstemningen');
  const announced = cards(amina, `Nu kan I stemme: ${ROUND} 🗳️`);
  await announced.waitFor();
  await shot(amina, 'voting-open');

  await press(announced, 'Stem');
  const ballot = cards(amina, `Din stemmeseddel: ${ROUND}`);
  await ballot.waitFor();
  await shot(amina, 'ballot');
  await tick(ballot, 2);
  await tick(ballot, 4);
  await shot(amina, 'ballot-ticked');
  await press(ballot, 'Send stemme');
  await cards(amina, 'Tak – din stemme er sendt ✓').waitFor();
  await shot(amina, 'receipt');

  await say(lene, '/luk');
  await press(cards(lene, `Luk afstemningen i ${ROUND}?`), 'Ja, luk og tæl op');
  const result = cards(amina, `Resultat: ${ROUND}`);
  await result.waitFor();
  await result.scrollIntoViewIfNeeded();
  await shot(amina, 'result');
  await press(result, 'Hvad gjorde min stemme?');
  await cards(amina, `Hvad gjorde din stemme? ${ROUND}`).waitFor();
  await shot(amina, 'my-ballot');

  await say(lene, '/logbog');
  await lene
    .getByRole('heading', { name: /Beslutningslog/ })
    .first()
    .waitFor();
  await shot(lene, 'staff-log');
  expect(demo.problems).toEqual([]);
}, 90_000);
