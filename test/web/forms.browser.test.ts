import { expect, it } from 'vitest';
import { cards, DESKTOP, PHONE, press, ROUND, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/** Forms keep what was typed, and say what is wrong next to the input it is about, inside the form. */

const open = demoSession();

it('a price the form cannot read keeps the form open with every value and the error next to the price', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const amina = await signInAs(browser, demo.server.url, 'Amina (demo)', PHONE);

  await say(amina, '/propose');
  const form = amina.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill('Ny sofa');
  await form.getByLabel('Fortæl lidt mere').fill('En stor sofa til hjørnet, hvor alle kan sidde.');
  await form.getByLabel('Hvad koster det? (kr.)').fill('ca. 3000');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();

  // Still open, everything kept, the price marked and described by its own error.
  const cost = form.getByLabel('Hvad koster det? (kr.)');
  await expect.poll(() => cost.getAttribute('aria-invalid')).toBe('true');
  expect(await form.isVisible()).toBe(true);
  expect(await cost.inputValue()).toBe('ca. 3000');
  expect(await form.getByLabel('Hvad er din idé? (kort)').inputValue()).toBe('Ny sofa');
  expect(await form.getByLabel('Fortæl lidt mere').inputValue()).toBe('En stor sofa til hjørnet, hvor alle kan sidde.');
  const error = form.getByTestId('form-error-cost');
  expect(await error.textContent()).toMatch(/^Skriv .* som et beløb i kroner, fx 2\.500$/);
  expect(await cost.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
  expect(await form.getByLabel('Hvad er din idé? (kort)').getAttribute('aria-invalid')).toBeNull();
  // The keyboard is put where the mistake is, and nothing was posted in the chat about it.
  expect(await amina.evaluate('document.activeElement?.name')).toBe('cost');
  expect(await amina.getByTestId('message').filter({ hasText: 'beløb i kroner' }).count()).toBe(0);

  await cost.fill('3000');
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  await cards(amina, '#4 Ny sofa').waitFor();
  expect(await form.isVisible()).toBe(false);
  expect(demo.problems).toEqual([]);
});

it('a form closed without sending comes back with what was typed', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const amina = await signInAs(browser, demo.server.url, 'Amina (demo)', PHONE);
  await say(amina, '/propose');
  const form = amina.getByRole('dialog', { name: 'Din idé' });
  await form.getByLabel('Hvad er din idé? (kort)').fill('Bordtennisbord');
  await form.getByRole('button', { name: 'Annullér', exact: true }).click();
  await form.waitFor({ state: 'hidden' });
  await say(amina, '/propose');
  await form.waitFor();
  expect(await form.getByLabel('Hvad er din idé? (kort)').inputValue()).toBe('Bordtennisbord');
});

it("the staff's limits form shows a wrong number next to its input and keeps the others", async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const lene = await signInAs(browser, demo.server.url, STAFF, DESKTOP);
  await say(lene, '/round');
  await press(cards(lene, ROUND).last(), 'Indstillinger');
  const settings = cards(lene, `Indstillinger: ${ROUND}`);
  await press(settings, 'Flere indstillinger');
  const limits = lene.getByRole('dialog', { name: 'Flere indstillinger' });
  const inputs = limits.getByRole('textbox');
  const names = await inputs.evaluateAll((els) => els.map((e) => e.getAttribute('name') ?? ''));
  expect(names.length).toBeGreaterThan(1);
  await limits.locator(`[name="${names[0]}"]`).fill('mange');
  await limits.locator(`[name="${names[1]}"]`).fill('2');
  await limits.getByRole('button', { name: 'Gem', exact: true }).click();
  await expect.poll(() => limits.locator(`[name="${names[0]}"]`).getAttribute('aria-invalid')).toBe('true');
  expect(await limits.getByTestId(`form-error-${names[0]}`).textContent()).toMatch(/skal være et helt tal fra 1 til/);
  expect(await limits.locator(`[name="${names[1]}"]`).inputValue()).toBe('2');
});
