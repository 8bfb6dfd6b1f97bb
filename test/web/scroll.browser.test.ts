import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { cards, DESKTOP, PHONE, ROUND, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/** You see the answer to what you did; reading further up, you are not moved but told there is something new. */

const open = demoSession();

/** Whether any part of `node` is inside the visible part of the message list. */
async function inView(page: Page, node: Locator): Promise<boolean> {
  const box = await node.boundingBox();
  const view = await page.getByTestId('message-scroll').boundingBox();
  return !!box && !!view && box.y < view.y + view.height && box.y + box.height > view.y;
}
const scrollTop = (page: Page) => page.getByTestId('message-scroll').evaluate((e) => e.scrollTop);
const toTop = (page: Page) => page.getByTestId('message-scroll').evaluate((e) => e.scrollTo(0, 0));

it('a reply scrolls into view when you act; new messages while you read further up show a marker instead', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const url = demo.server.url;
  const amina = await signInAs(browser, url, 'Amina (demo)', PHONE);
  const lene = await signInAs(browser, url, STAFF, DESKTOP);
  // Enough chat that the phone must scroll.
  for (let i = 1; i <= 14; i++) await say(lene, `Besked nummer ${i} fra Lene, så der er noget at scrolle i.`);
  await amina.getByText('Besked nummer 14 fra Lene', { exact: false }).waitFor();
  expect(await amina.getByTestId('message-scroll').evaluate((e) => e.scrollHeight > e.clientHeight * 1.5)).toBe(true);

  // Reading further up, Amina asks for the ideas: the answer comes into view.
  await toTop(amina);
  await say(amina, '/forslag');
  const list = cards(amina, `Idéer: ${ROUND}`);
  await list.waitFor();
  await expect.poll(() => inView(amina, list)).toBe(true);

  // Reading further up again, Lene writes: Amina stays where she is, and the marker appears.
  await toTop(amina);
  expect(await amina.getByTestId('new-messages').isVisible()).toBe(false);
  await say(lene, 'Husk mødet på fredag!');
  const marker = amina.getByRole('button', { name: 'Nye beskeder ↓', exact: true });
  await marker.waitFor();
  expect(await scrollTop(amina)).toBe(0);
  const news = amina.getByTestId('message').filter({ hasText: 'Husk mødet på fredag!' });
  expect(await inView(amina, news)).toBe(false);
  await marker.click();
  await expect.poll(() => inView(amina, news)).toBe(true);
  await marker.waitFor({ state: 'hidden' });

  // At the bottom, a new message simply shows, without a marker.
  await say(lene, 'Og tag en ven med.');
  const more = amina.getByTestId('message').filter({ hasText: 'Og tag en ven med.' });
  await more.waitFor();
  await expect.poll(() => inView(amina, more)).toBe(true);
  expect(await marker.isVisible()).toBe(false);
  expect(demo.problems).toEqual([]);
});
