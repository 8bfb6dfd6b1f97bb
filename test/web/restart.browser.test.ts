import { expect, it } from 'vitest';
import { DESKTOP, PHONE, STAFF, say, signInAs, demoSession } from './ux-kit.ts';

/** A server restart strands no one: the session survives, the live stream comes back and catches up, errors are Danish. */

const open = demoSession();

it('while the server is down, errors are in Danish with what to do; after the restart the stream catches up', async ({ skip }) => {
  const { demo, browser } = await open(skip);
  const amina = await signInAs(browser, demo.server.url, 'Amina (demo)', PHONE);
  await say(amina, 'før genstart');
  await amina.getByTestId('message').filter({ hasText: 'før genstart' }).waitFor();

  await demo.stop();
  const offline = amina.getByTestId('offline');
  await offline.waitFor();
  expect(await offline.textContent()).toBe('Forbindelsen er afbrudt. Pulje prøver selv igen – tjek dit internet, hvis det varer ved.');

  // Sending while it is down: said in Danish, with what to do, and what was typed stays in the composer.
  await say(amina, 'er der nogen?');
  await amina.getByText('Pulje kan ikke nås lige nu, så det blev ikke sendt. Tjek dit internet og prøv igen om lidt.').waitFor();
  expect(await amina.getByTestId('composer-input').inputValue()).toBe('er der nogen?');
  expect(await amina.content()).not.toContain('Failed to fetch');

  await demo.restart();
  // Someone writes right after the restart, perhaps before Amina's stream is back: she sees it either way.
  const lene = await signInAs(browser, demo.server.url, STAFF, DESKTOP);
  await say(lene, 'velkommen tilbage');
  await amina.getByTestId('message').filter({ hasText: 'velkommen tilbage' }).waitFor({ timeout: 40_000 });
  await offline.waitFor({ state: 'hidden' });
  // Still signed in (the session key outlived the restart), and sending works again.
  await amina.keyboard.press('Enter');
  await amina.getByTestId('message').filter({ hasText: 'er der nogen?' }).waitFor();
  await lene.getByTestId('message').filter({ hasText: 'er der nogen?' }).waitFor();
  expect(demo.problems).toEqual([]);
}, 90_000);
