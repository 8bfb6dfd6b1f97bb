import { expect, it } from 'vitest';
import { cards, GROUP, PHONE, ROUND, signInAs, demoSession } from './ux-kit.ts';

/** Language per person: the browser's on a first visit, /sprog and the menu after, remembered. */

const open = demoSession();

it('a first visit follows Accept-Language; /sprog en and the menu switch and are remembered; Danish hints show Danish names', async ({
  skip,
}) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;

  // Jonas's phone is in English.
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
  const jonas = await context.newPage();
  await jonas.goto(`${url}/`);
  await jonas.waitForURL('**/signin');
  await jonas.getByRole('button', { name: 'Fortsæt som Jonas (demo)', exact: true }).click();
  await jonas.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await jonas.getByRole('textbox', { name: 'Write a message' }).waitFor();
  expect(await jonas.evaluate('document.documentElement.lang')).toBe('en');
  // The first screen speaks to him in English too.
  await cards(jonas, ROUND).getByRole('button', { name: 'Share an idea', exact: true }).waitFor();

  // Amina's is Danish: the hints offer the Danish names.
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  await amina.getByRole('textbox', { name: 'Skriv en besked' }).fill('/st');
  const hints = amina.getByTestId('command-hint');
  await hints.first().waitFor();
  expect(await hints.evaluateAll((els) => els.map((e) => e.getAttribute('data-command')))).toContain('vote');
  expect(await hints.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\/stem/)]));
  await amina.getByRole('textbox', { name: 'Skriv en besked' }).fill('/sprog en');
  await amina.keyboard.press('Escape');
  await amina.keyboard.press('Enter');
  await amina.getByRole('textbox', { name: 'Write a message' }).waitFor();
  await amina.getByText("Done – I'll speak English with you from now on.").waitFor();
  // Remembered: a new visit stays English.
  await amina.reload();
  await amina.getByRole('textbox', { name: 'Write a message' }).waitFor();

  // The menu switches back.
  await amina.getByTestId('menu-toggle').click();
  await amina.getByLabel('Language').selectOption('da');
  await amina.getByRole('textbox', { name: 'Skriv en besked' }).waitFor();
  await amina.reload();
  await amina.getByRole('textbox', { name: 'Skriv en besked' }).waitFor();
  expect(demo.problems).toEqual([]);
});
