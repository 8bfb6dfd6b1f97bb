import { afterEach, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { WebServer } from '../../adapters/web/server.ts';
import { requireChromium } from '../support/chromium.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';
import { seed, startTestServer } from './harness.ts';

let browser: Browser | undefined;
let server: WebServer | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  await db?.destroy();
});

async function signInAs(base: string, name: string, width = 390): Promise<Page> {
  // A Danish phone: a first visit follows the browser's language (Accept-Language).
  const page = await (await browser!.newContext({ viewport: { width, height: 760 }, locale: 'da-DK' })).newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${base}/`);
  await page.waitForURL('**/signin');
  await page.getByRole('button', { name: `Fortsæt som ${name}` }).click();
  await page.getByTestId('composer-input').waitFor();
  await expect.poll(() => page.getByTestId('room-title').textContent()).toBe('Klubben <Syd>');
  return page;
}

async function say(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Skriv en besked' }).fill(text);
  await page.keyboard.press('Enter');
}

it('a member uses hints, buttons, selects and a form on a phone; others see only what is public, live', async ({ skip }) => {
  const executablePath = requireChromium({ skip });
  db = await freshDatabase('sqlite');
  await seed(db);
  server = await startTestServer(db);
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const ali = await signInAs(server.url, 'Ali <b>x</b>');
  const sara = await signInAs(server.url, 'Sara', 1000);

  // Slash-command hints come from the router's registry, in the member's language.
  // Typed in English, offered by its Danish name (the English one works too).
  await ali.getByTestId('composer-input').fill('/he');
  await expect.poll(() => ali.getByTestId('command-hint').allTextContents()).toEqual(['/hjælp [kommando]Vis hvad jeg kan hjælpe med']);
  await ali.keyboard.press('Tab');
  expect(await ali.getByTestId('composer-input').inputValue()).toBe('/hjælp ');
  await ali.keyboard.press('Enter');
  await ali.getByRole('heading', { name: 'Det kan jeg hjælpe med' }).waitFor();

  // Text written by a member is shown literally, to everyone, as it arrives.
  await say(ali, '<img src=x onerror=alert(1)> hej');
  await sara.getByText('<img src=x onerror=alert(1)> hej').waitFor();
  expect(await sara.locator('img').count()).toBe(0);
  // The /help answer was private to Ali.
  expect(await sara.getByRole('heading', { name: 'Det kan jeg hjælpe med' }).count()).toBe(0);

  // A public card with a button and a select; Sara presses the button and both see the update.
  await say(ali, '/poll');
  await sara.getByRole('heading', { name: 'Poll' }).waitFor();
  await sara.getByTestId('action-select').selectOption('b');
  await sara.getByText('valgt b').waitFor();
  await sara.getByRole('button', { name: 'Ja' }).click();
  await ali.getByRole('heading', { name: 'Ja: 1' }).waitFor();
  await sara.getByRole('heading', { name: 'Ja: 1' }).waitFor();
  expect(await ali.getByText('valgt b').count()).toBe(0);

  // A form opens as a modal dialog; its result is posted for everyone.
  await say(ali, '/idea');
  const dialog = ali.getByRole('dialog', { name: 'Ny idé' });
  await dialog.waitFor();
  await dialog.getByLabel('Titel').fill('Skaterampe');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await sara.getByText('Ali <b>x</b>: Skaterampe').waitFor();
  expect(await dialog.isVisible()).toBe(false);
});
