import { expect, it } from 'vitest';
import { cards, PHONE, say, signInAs, demoSession } from './ux-kit.ts';

/** Personal data is not posted by accident: a private, friendly warning first, then edit or send anyway. */

const open = demoSession();

it('a phone number or e-mail in a chat message gets a private warning; edit or send anyway', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);

  await say(amina, 'ring til mig på 22 33 44 55');
  const warning = amina.getByTestId('send-warning');
  await warning.waitFor();
  expect(await warning.textContent()).toContain(
    'Hov, vent lige: din besked ser ud til at indeholde et telefonnummer, og alle i gruppen vil kunne se den.',
  );
  // Nothing was posted; the text is still hers to change.
  expect(await amina.getByTestId('composer-input').inputValue()).toBe('ring til mig på 22 33 44 55');
  expect(await amina.getByTestId('message').filter({ hasText: '22 33 44 55' }).count()).toBe(0);
  await warning.getByRole('button', { name: 'Ret beskeden', exact: true }).click();
  await warning.waitFor({ state: 'hidden' });
  await say(amina, 'skriv til mig, hvis I vil være med');
  await jonas.getByTestId('message').filter({ hasText: 'skriv til mig, hvis I vil være med' }).waitFor();

  await say(amina, 'min mail er amina@example.com');
  await warning.waitFor();
  expect(await warning.textContent()).toContain('en e-mailadresse');
  await warning.getByRole('button', { name: 'Send alligevel', exact: true }).click();
  await jonas.getByTestId('message').filter({ hasText: 'min mail er amina@example.com' }).waitFor();
  expect(await jonas.getByTestId('message').filter({ hasText: '22 33 44 55' }).count()).toBe(0);
  expect(demo.problems).toEqual([]);
});

it('an idea with an address in it: warned inside the form, next to the text; sent anyway on purpose', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);
  await say(amina, '/propose');
  const form = amina.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill('Grillfest');
  await form.getByLabel('Fortæl lidt mere').fill('Hjemme hos mig på Nørrebrogade 12, 2200 København.');
  await form.getByLabel('Hvad koster det? (kr.)').fill('800');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  const note = form.getByTestId('form-error-description');
  await note.waitFor();
  expect(await note.textContent()).toBe('Her står vist en adresse, og alle i gruppen vil kunne se det');
  // Nobody else heard of it yet.
  expect(await cards(jonas, 'Ny idé: #4 Grillfest').count()).toBe(0);
  await form.getByRole('button', { name: 'Send alligevel', exact: true }).click();
  await cards(jonas, 'Ny idé: #4 Grillfest').waitFor();
  // Jonas may hear of it (the live stream) before Amina's answer closes her form: wait for that, not a moment.
  await form.waitFor({ state: 'hidden' });
  expect(demo.problems).toEqual([]);
});
