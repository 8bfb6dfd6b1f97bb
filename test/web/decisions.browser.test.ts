import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { axeViolations, cards, DESKTOP, PHONE, press, ROUND, screenshots, signInAs, STAFF, demoSession } from './ux-kit.ts';

/**
 * Staff decisions in the open, in the real web chat in Chromium: a pedagogue rules an idea not possible or hides
 * one, with a reason holding a phone number; every member's page shows the public card with who decided and the
 * reason masked; a young person on a phone opens /beslutninger, presses "Jeg er uenig" and gets a confirmation
 * only she sees; the staff's count goes up. Once in Danish, once in English. axe on the card and the list.
 */

const open = demoSession();

const PHONE_NUMBER = '22 33 44 55';
/** The chat message a card is in. */
const messageOf = (card: Locator) => card.locator('xpath=ancestor::li[@data-testid="message"]');
/** A card's fields as "label → value" lines, in order. */
async function fieldsOf(card: Locator): Promise<string[]> {
  const labels = await card.locator('dt').allTextContents();
  const values = await card.locator('dd').allTextContents();
  return labels.map((l, i) => `${l} → ${values[i]}`);
}
/** Writes in the composer and sends, whatever the page's language. */
async function write(page: Page, text: string) {
  await page.getByTestId('composer-input').fill(text);
  // The command hints close first, so that Enter sends what was written.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
}
/** The whole page as text: what a member could read anywhere on it. */
const pageText = async (page: Page) => (await page.locator('body').textContent()) ?? '';

/** The staff member opens an idea's card from the list of ideas and uses one of its staff buttons with a reason. */
async function staffDecides(
  shot: (page: Page, name: string) => Promise<void>,
  lene: Page,
  t: { list: string; ideaTitle: string; button: string; form: string; field: string; submit: string },
  reason: string,
) {
  await write(lene, t.list);
  const idea = cards(lene, t.ideaTitle).last();
  await idea.waitFor();
  await shot(lene, 'staff-idea-desktop');
  await press(idea, t.button);
  const form = lene.getByRole('dialog', { name: t.form });
  await form.getByLabel(t.field).fill(reason);
  await form.getByRole('button', { name: t.submit, exact: true }).click();
  await form.waitFor({ state: 'hidden' });
}

it('Danish: an idea ruled not possible is announced to all, masked; a young person disagrees privately on her phone', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const shot = screenshots('decisions-da');
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);

  await staffDecides(
    shot,
    lene,
    {
      list: '/forslag 2',
      ideaTitle: '#2 Tur til Tivoli for hele klubben',
      button: 'Kan ikke lade sig gøre',
      form: '#2 kan ikke lade sig gøre',
      field: 'Hvorfor kan det ikke lade sig gøre?',
      submit: 'Gem',
    },
    `Klubbens bus er udlejet hele sommeren, spørg Lene på ${PHONE_NUMBER}`,
  );

  // Every member's page: the public card, who decided, the reason with the phone number masked.
  const TITLE = 'Idé #2 kan ikke lade sig gøre';
  for (const page of [lene, amina, jonas]) {
    const card = cards(page, TITLE);
    await card.waitFor();
    expect(await messageOf(card).getAttribute('data-private')).toBe('false');
    const fields = await fieldsOf(card);
    expect(fields[0]).toBe(`Hvem besluttede det → ${STAFF} (administrator)`);
    // The staff member stays named (the card names her anyway); the phone number is masked.
    expect(fields[1]).toBe('Hvorfor → Klubbens bus er udlejet hele sommeren, spørg Lene på [TELEFON]');
    expect(await card.textContent()).not.toContain(PHONE_NUMBER);
  }
  // Nowhere on the young people's pages is the number.
  for (const page of [amina, jonas]) expect(await pageText(page)).not.toContain(PHONE_NUMBER);
  const aminaCard = cards(amina, TITLE);
  await aminaCard.scrollIntoViewIfNeeded();
  await shot(amina, 'public-card-phone');
  expect(await axeViolations(amina)).toEqual([]);

  // Staff: nobody disagrees yet.
  await write(lene, '/beslutninger');
  const staffList = cards(lene, `Beslutninger: ${ROUND}`).last();
  await staffList.getByText('Ingen er uenige.').waitFor();

  // Amina opens the list on her phone and says she disagrees.
  await write(amina, '/beslutninger');
  const list = cards(amina, `Beslutninger: ${ROUND}`).last();
  await list.waitFor();
  expect(await messageOf(list).getAttribute('data-private')).toBe('true');
  await list.scrollIntoViewIfNeeded();
  await shot(amina, 'list-phone');
  expect(await axeViolations(amina)).toEqual([]);
  // Each decision in the list is "Nr. 1 · <when> · <who>", and its button says which one.
  expect(await list.locator('dt').first().textContent()).toMatch(
    new RegExp(`^Nr\\. 1 · .+ · ${STAFF.replace(/[()]/g, '\\$&')} \\(administrator\\)$`),
  );
  await press(list, 'Jeg er uenig i nr. 1');
  await list.getByText('Du er uenig.').waitFor();
  await list.getByRole('button', { name: 'Træk uenighed i nr. 1 tilbage', exact: true }).waitFor();
  await shot(amina, 'list-after-phone');

  // Only she sees it: neither Jonas nor the staff member has it anywhere on the page.
  expect(await pageText(jonas)).not.toContain('Du er uenig');
  expect(await pageText(lene)).not.toContain('Du er uenig');
  expect(await cards(jonas, `Beslutninger: ${ROUND}`).count()).toBe(0);

  // The staff's count goes up (their list, asked again).
  await write(lene, '/beslutninger');
  await cards(lene, `Beslutninger: ${ROUND}`).last().getByText('1 ung er uenig.').waitFor();
  await shot(lene, 'staff-list-desktop');
  expect(await axeViolations(lene)).toEqual([]);
  expect(await cards(lene, `Beslutninger: ${ROUND}`).last().textContent()).not.toContain('Amina');
  expect(demo.problems).toEqual([]);
});

it('English: a hidden idea is announced without what it said; "I disagree" on the card is answered privately', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const shot = screenshots('decisions-en');
  // A group that speaks English: its public cards are in English.
  await demo.db.prisma.group.updateMany({ data: { locale: 'en' } });
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const jonas = await signInAs(browser, url, 'Jonas (demo)', PHONE);
  // Amina with /language, the staff member from the menu.
  await write(amina, '/language en');
  await amina.getByRole('textbox', { name: 'Write a message' }).waitFor();
  await lene.getByLabel('Sprog').selectOption('en');
  await lene.getByRole('textbox', { name: 'Write a message' }).waitFor();

  await staffDecides(
    shot,
    lene,
    {
      list: '/proposals 3',
      ideaTitle: '#3 Musikudstyr til øvelokalet',
      button: 'Hide',
      form: 'Hide #3',
      field: 'Why should the idea be hidden?',
      submit: 'Hide',
    },
    `It had a phone number in it: ${PHONE_NUMBER}`,
  );

  const TITLE = 'An idea has been hidden';
  for (const page of [lene, amina, jonas]) {
    const card = cards(page, TITLE);
    await card.waitFor();
    expect(await messageOf(card).getAttribute('data-private')).toBe('false');
    const fields = await fieldsOf(card);
    expect(fields[0]).toBe(`Who decided → ${STAFF} (admin)`);
    expect(fields[1]).toMatch(/^Why → It had a phone number in it: \[(PHONE|TELEFON)\]/);
    expect(await card.textContent()).toContain('Staff have hidden idea #3. What it said is not shown here.');
    expect(await card.textContent()).not.toContain('Musikudstyr');
    expect(await card.textContent()).not.toContain(PHONE_NUMBER);
  }
  for (const page of [amina, jonas]) {
    expect(await pageText(page)).not.toContain(PHONE_NUMBER);
    expect(await pageText(page)).not.toContain('Musikudstyr');
  }
  const card = cards(amina, TITLE);
  await card.scrollIntoViewIfNeeded();
  await shot(amina, 'public-card-phone');
  expect(await axeViolations(amina)).toEqual([]);

  await write(amina, '/decisions');
  const list = cards(amina, `Decisions: ${ROUND}`).last();
  await list.waitFor();
  expect(await list.locator('dt').first().textContent()).toMatch(/^No\. 1 · /);
  await list.getByRole('button', { name: 'I disagree with no. 1', exact: true }).waitFor();
  await list.scrollIntoViewIfNeeded();
  await shot(amina, 'list-phone');
  expect(await axeViolations(amina)).toEqual([]);

  // "I disagree" on the public card: the answer is private, and the card everyone sees stays as it was.
  await press(card, 'I disagree');
  const mine = cards(amina, 'What you think of the decision').last();
  await mine.getByText('You said you disagree.', { exact: false }).waitFor();
  expect(await messageOf(mine).getAttribute('data-private')).toBe('true');
  await mine.scrollIntoViewIfNeeded();
  await shot(amina, 'confirmation-phone');
  expect(await axeViolations(amina)).toEqual([]);
  expect(await cards(jonas, 'What you think of the decision').count()).toBe(0);
  expect(await cards(lene, 'What you think of the decision').count()).toBe(0);
  expect(await pageText(jonas)).not.toContain('You said you disagree');

  await write(lene, '/decisions');
  await cards(lene, `Decisions: ${ROUND}`).last().getByText('1 young person disagrees.').waitFor();
  await shot(lene, 'staff-list-desktop');
  expect(await axeViolations(lene)).toEqual([]);
  expect(demo.problems).toEqual([]);
});
