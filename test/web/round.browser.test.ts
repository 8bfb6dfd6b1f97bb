import { afterEach, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import type { Logger } from '../../src/conversation/index.ts';
import { createRouter } from '../../src/app.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { requireChromium } from '../support/chromium.ts';
import { tick } from './ux-kit.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * A whole round in the real web chat, in real browsers: the demo group proposes, votes in secret and sees an
 * explained result, each person in their own browser, through the page only (composer, buttons, selects, forms).
 */

const GROUP = 'DEMO: Ungepuljen Nørrebro';
const ROUND = 'Sommerens pulje (demo)';
const STAFF = 'Lene (pædagog, demo)';
const IDEA = {
  title: 'Hængekøjer i gården',
  description: 'Fire hængekøjer mellem træerne, så man kan slappe af efter skole.',
  cost: '9.000',
  category: 'hygge',
};

let browser: Browser | undefined;
let server: WebServer | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  await db?.destroy();
  browser = server = db = undefined;
});

/** Everything that goes wrong out of sight: errors logged by the server or router, page errors, refused API calls. */
const problems: string[] = [];
const logger: Logger = {
  error: (obj, msg) => problems.push(`server: ${msg ?? ''} ${String((obj as { err?: unknown }).err ?? JSON.stringify(obj))}`),
  warn() {},
  info() {},
};

// Every chat message a page ever shows is written down as it appears, so a message that is there only for a
// moment (and replaced or removed after) still counts as seen.
const RECORD_MESSAGES = `
  window.__seen = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType === 1 && n.matches('[data-testid="message"]')) window.__seen.push({ id: n.dataset.messageId, text: n.textContent });
    }
  }).observe(document, { childList: true, subtree: true });
`;

interface Member {
  name: string;
  page: Page;
}

async function signInAs(name: string, viewport: { width: number; height: number }): Promise<Member> {
  const context = await browser!.newContext({ viewport, locale: 'da-DK' });
  // A failure should say what it waited for, well within the test's own time limit.
  context.setDefaultTimeout(15_000);
  await context.addInitScript(RECORD_MESSAGES);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name}: page error ${e.message}`));
  await page.goto(`${server!.url}/`);
  // Not signed in yet: the chat sends the browser to the demo picker.
  await page.waitForURL('**/signin');
  await page.getByRole('button', { name: `Fortsæt som ${name}`, exact: true }).click();
  // The chat opens the group's room by itself.
  await page.getByRole('heading', { level: 1, name: GROUP, exact: true }).waitFor();
  await page.getByTestId('composer-input').waitFor();
  // From here on, no request of the chat's may be refused.
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400)
      problems.push(`${name}: ${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
  });
  return { name, page };
}

/** Types into the composer and sends with Enter, as a member would. */
async function say(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Skriv en besked' }).fill(text);
  await page.keyboard.press('Enter');
}

/** Cards whose heading is exactly `title`. */
const cards = (page: Page, title: string) =>
  page.getByTestId('card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
/** The chat message a card is in. */
const messageOf = (card: Locator) => card.locator('xpath=ancestor::li[@data-testid="message"]');
const press = (card: Locator, label: string) => card.getByRole('button', { name: label, exact: true }).click();
const bodyOf = async (card: Locator) => (await card.locator('p.body').textContent()) ?? '';

/** A card's fields as "label → value" lines, in order. */
async function fieldsOf(card: Locator): Promise<string[]> {
  const labels = await card.locator('dt').allTextContents();
  const values = await card.locator('dd').allTextContents();
  return labels.map((l, i) => `${l} → ${values[i]}`);
}

interface Shown {
  id: string;
  text: string;
}
const SHOWN_NOW = `[...document.querySelectorAll('[data-testid="message"]')].map((n) => ({ id: n.dataset.messageId, text: n.textContent }))`;

/** Every message a page has ever shown (see RECORD_MESSAGES) or shows now, and its whole document as text. */
async function everShown(page: Page): Promise<{ messages: Shown[]; text: string }> {
  const messages = [...((await page.evaluate('window.__seen')) as Shown[]), ...((await page.evaluate(SHOWN_NOW)) as Shown[])];
  return { messages, text: [...messages.map((m) => m.text), await page.content()].join('\n') };
}

const BALLOT = `Din stemmeseddel: ${ROUND}`;
const CAST = 'Tak – din stemme er sendt ✓';
const CHANGED = 'Din stemme er ændret ✓';
const RESULT = `Resultat: ${ROUND}`;

/** Opens the ballot (from the public card, or with a typed command), ticks `picks` and sends it; returns the receipt code. */
async function vote(voter: Member, picks: number[], open: 'button' | string = 'button'): Promise<string> {
  const { page } = voter;
  if (open === 'button') await press(cards(page, `Nu kan I stemme: ${ROUND} 🗳️`), 'Stem');
  else await say(page, open);
  const ballot = cards(page, BALLOT);
  await ballot.waitFor();
  expect(await ballot.count()).toBe(1);
  expect(await bodyOf(ballot)).toContain('Du har ikke stemt endnu.');
  // Only the voter's: marked so on screen, and the new idea is on it.
  expect(await messageOf(ballot).getByTestId('private-badge').textContent()).toBe('Kun synlig for dig');
  // A checklist: every idea by its own checkbox, none ticked yet.
  expect(await ballot.locator('.choice-title').allTextContents()).toEqual([
    '#1 Bålsted og grill i gården',
    '#2 Tur til Tivoli for hele klubben',
    '#3 Musikudstyr til øvelokalet',
    `#4 ${IDEA.title}`,
  ]);
  expect(await ballot.getByRole('checkbox', { checked: true }).count()).toBe(0);
  // The ballot is redrawn in place; each tick waits for it before the next.
  for (const n of picks) await tick(ballot, n);
  expect(await bodyOf(ballot)).toContain(`Du har valgt ${picks.length}.`);
  await press(ballot, 'Send stemme');
  const receipt = cards(page, CAST);
  await receipt.waitFor();
  // The ballot became the receipt: the same private message, not a second one.
  expect(await ballot.count()).toBe(0);
  expect(await messageOf(receipt).getAttribute('data-private')).toBe('true');
  const code = (await receipt.locator('code').textContent())?.trim() ?? '';
  expect(code).toMatch(/\S{4,}/);
  expect(await bodyOf(receipt)).toContain(`Din kvittering er ${code}.`);
  return code;
}

it('a round in the browser: an idea through the form, private ballots on phones, staff close, everyone sees the explained result', async ({
  skip,
}) => {
  const executablePath = requireChromium({ skip });
  problems.length = 0;

  db = await freshDatabase('sqlite');
  const pulje = createPulje({ db });
  expect(await seedDemo(pulje, 'da')).toBe(true);
  const router = createRouter({ defaultLocale: 'da', pulje, logger });
  server = await startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
    router,
    pulje,
    port: 0,
    logger,
  });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });

  const phone = { width: 390, height: 760 };
  const [lene, amina, jonas, sofie, mikkel] = await Promise.all([
    signInAs(STAFF, { width: 1100, height: 800 }),
    signInAs('Amina (demo)', phone),
    signInAs('Jonas (demo)', phone),
    signInAs('Sofie (demo)', phone),
    signInAs('Mikkel (demo)', phone),
  ]);
  const everyone = [lene, amina, jonas, sofie, mikkel];

  // ---- Mikkel proposes an idea through the form ---------------------------------------------------------------
  await say(mikkel.page, '/propose');
  const form = mikkel.page.getByRole('dialog', { name: 'Din idé' });
  await form.waitFor();
  await form.getByLabel('Hvad er din idé? (kort)').fill(IDEA.title);
  await form.getByLabel('Fortæl lidt mere').fill(IDEA.description);
  await form.getByLabel('Hvad koster det? (kr.)').fill(IDEA.cost);
  await form.getByLabel('Kategori (hvis du vil)').fill(IDEA.category);
  await form.getByRole('button', { name: 'Send idé', exact: true }).click();
  const idea = cards(mikkel.page, `#4 ${IDEA.title}`);
  await idea.waitFor();
  expect(await form.isVisible()).toBe(false);
  expect(await bodyOf(idea)).toContain('Tak! Din idé er med som #4.');
  expect(await fieldsOf(idea)).toEqual(['Pris → 9.000 kr.', 'Kategori → hygge']);

  // ---- Lene sets the rule with the settings select and the limits form, then opens voting -----------------------
  await say(lene.page, '/round');
  // The newest: the room's first screen showed the same card when Lene came in.
  const roundCard = cards(lene.page, ROUND).last();
  await roundCard.waitFor();
  expect(await fieldsOf(roundCard)).toContain('Idéer → 4');
  await press(roundCard, 'Indstillinger');
  const settings = cards(lene.page, `Indstillinger: ${ROUND}`);
  await settings.waitFor();
  await settings.getByRole('combobox', { name: 'Vælg, hvordan der tælles op' }).selectOption('greedy-threshold');
  // The card is redrawn in place with the rule chosen.
  await settings
    .getByText('Flest stemmer først, med mindstestøtte: Flest stemmer først, men kun idéer med nok opbakning kan få penge.', {
      exact: true,
    })
    .waitFor();
  await press(settings, 'Flere indstillinger');
  const limits = lene.page.getByRole('dialog', { name: 'Flere indstillinger' });
  await limits.waitFor();
  await limits.getByLabel('Mindst antal stemmer for at få penge').fill('2');
  await limits.getByRole('button', { name: 'Gem', exact: true }).click();
  const saved = settings.filter({ hasText: 'Gemt.' });
  await saved.waitFor();
  expect(await fieldsOf(saved)).toEqual(
    expect.arrayContaining([
      'Sådan tælles der op → Flest stemmer først, med mindstestøtte: Flest stemmer først, men kun idéer med nok opbakning kan få penge.',
      'Grænser → mindst 1 valg · mindst 2 stemmer for at få penge',
    ]),
  );

  await say(lene.page, '/openvoting');
  const openConfirm = cards(lene.page, `Åbn afstemningen i ${ROUND}?`);
  await openConfirm.waitFor();
  expect(await bodyOf(openConfirm)).toContain('Der er 4 idéer med.');
  await press(openConfirm, 'Ja, åbn afstemningen');

  // Everyone sees the announcement, live.
  await Promise.all(
    everyone.map(async ({ page }) => {
      const announced = cards(page, `Nu kan I stemme: ${ROUND} 🗳️`);
      await announced.waitFor();
      expect(await bodyOf(announced)).toContain('Der er 4 idéer og 20.000 kr. at fordele.');
    }),
  );

  // ---- Three young people vote, each in private ---------------------------------------------------------------
  // Tivoli (#2) gets three votes, the hammocks (#4) two, the fire pit (#1) one and the music gear (#3) none.
  const receipts = new Map<Member, string>();
  receipts.set(amina, await vote(amina, [1, 2, 4]));
  receipts.set(jonas, await vote(jonas, [2, 4], '/stem'));
  // Mikkel first picks the music gear, then changes his mind from his receipt: only the changed ballot counts.
  const first = await vote(mikkel, [3]);
  const receipt = cards(mikkel.page, CAST);
  await press(receipt, 'Ret min stemme');
  const again = cards(mikkel.page, BALLOT);
  await again.waitFor();
  expect(await bodyOf(again)).toContain(`Du har allerede stemt (kvittering ${first}).`);
  await tick(again, 3, false);
  await tick(again, 2);
  await press(again, 'Send stemme');
  const changed = cards(mikkel.page, CHANGED);
  await changed.waitFor();
  expect(await fieldsOf(changed)).toEqual(['#2 Tur til Tivoli for hele klubben → 12.000 kr.']);
  // Changing a vote keeps the receipt code.
  expect((await changed.locator('code').textContent())?.trim()).toBe(first);
  receipts.set(mikkel, first);
  expect(await cards(mikkel.page, CAST).count()).toBe(0);

  // Each voter's own receipt lists what they picked.
  expect(await fieldsOf(cards(amina.page, CAST))).toEqual([
    '#1 Bålsted og grill i gården → 4.500 kr.',
    '#2 Tur til Tivoli for hele klubben → 12.000 kr.',
    `#4 ${IDEA.title} → 9.000 kr.`,
  ]);
  expect(await fieldsOf(cards(jonas.page, CAST))).toEqual([
    '#2 Tur til Tivoli for hele klubben → 12.000 kr.',
    `#4 ${IDEA.title} → 9.000 kr.`,
  ]);

  // ---- Lene closes voting, after the confirmation -------------------------------------------------------------
  await say(lene.page, '/luk');
  const closeConfirm = cards(lene.page, `Luk afstemningen i ${ROUND}?`);
  await closeConfirm.waitFor();
  expect(await bodyOf(closeConfirm)).toContain('3 af 4 har stemt.');
  await press(closeConfirm, 'Ja, luk og tæl op');
  await lene.page.getByText(`Afstemningen i ${ROUND} er lukket, og alle kan se resultatet.`).waitFor();

  // ---- Everyone sees the same explained result ------------------------------------------------------------------
  const expectedFields = [
    '✅ #2 Tur til Tivoli for hele klubben → Fik penge: 3 stemmer, koster 12.000 kr.',
    '❌ #1 Bålsted og grill i gården → Ikke nok opbakning: 1 stemme, men der skulle mindst 2 stemmer til',
    '❌ #3 Musikudstyr til øvelokalet → Ingen stemte på idéen',
    `❌ #4 ${IDEA.title} → Ikke plads i budgettet: koster 9.000 kr., men der var kun 8.000 kr. tilbage`,
  ];
  const expectedBody = [
    '3 af 4 stemte.',
    'Der er brugt 12.000 kr. af 20.000 kr., og der er 8.000 kr. tilbage.',
    'Sådan blev der talt op: flest stemmer først, med mindstestøtte.',
  ].join('\n');
  await Promise.all(
    everyone.map(async ({ page }) => {
      const result = cards(page, RESULT);
      await result.waitFor();
      expect(await result.count()).toBe(1);
      expect(await messageOf(result).getAttribute('data-private')).toBe('false');
      expect(await bodyOf(result)).toBe(expectedBody);
      expect(await fieldsOf(result)).toEqual(expectedFields);
      // The page fits the screen, phones included: nothing to scroll sideways for.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    }),
  );

  // ---- No one ever saw anyone else's ballot or receipt ----------------------------------------------------------
  // The result came last, over the same stream; anything sent to the wrong browser before it has arrived by now.
  expect(new Set(receipts.values()).size).toBe(3);
  // A ballot and the receipt it turns into are one private message; a text only a ballot or receipt has.
  const isBallot = (m: Shown) => m.text.includes(BALLOT) || m.text.includes('Din kvittering er ');
  const checkPrivacy = () =>
    Promise.all(
      everyone.map(async (member) => {
        const shown = await everShown(member.page);
        const ballots = new Set(shown.messages.filter(isBallot).map((m) => m.id));
        expect(ballots.size, `${member.name}: ballot messages shown`).toBe(receipts.has(member) ? 1 : 0);
        for (const [voter, code] of receipts) {
          if (voter === member) expect(shown.text, `${member.name} sees their own receipt`).toContain(code);
          else expect(shown.text, `${member.name} must never see ${voter.name}'s receipt`).not.toContain(code);
        }
        if (!receipts.has(member)) {
          for (const text of [BALLOT, CAST, CHANGED, 'Du har valgt', 'Din kvittering'])
            expect(shown.text, `${member.name} never voted`).not.toContain(text);
        }
      }),
    );
  // The recorder does see what is gone again: Amina's ballot, which became her receipt.
  expect((await everShown(amina.page)).messages.some((m) => m.text.includes(BALLOT))).toBe(true);
  expect(await cards(amina.page, BALLOT).count()).toBe(0);
  await checkPrivacy();
  // And after a reload, from the server's history: still only one's own.
  await Promise.all(
    everyone.map(async ({ page }) => {
      await page.reload();
      await cards(page, RESULT).waitFor();
    }),
  );
  await checkPrivacy();

  // After the result, a voter can check with /kvittering that their ballot was counted.
  await say(amina.page, '/kvittering');
  const counted = cards(amina.page, `Din stemme: ${ROUND}`);
  await counted.waitFor();
  expect(await bodyOf(counted)).toContain(`Din kvittering er ${receipts.get(amina)}.`);
  expect(await bodyOf(counted)).toContain('✓ Din stemme er talt med i resultatet.');

  // ---- "What did my vote do?" from the result's button: a private answer, in plain words -----------------------
  await press(cards(amina.page, RESULT), 'Hvad gjorde min stemme?');
  const MINE = `Hvad gjorde din stemme? ${ROUND}`;
  const mine = cards(amina.page, MINE);
  await mine.waitFor();
  expect(await messageOf(mine).getAttribute('data-private')).toBe('true');
  expect(await bodyOf(mine)).toContain('1 af de 3 idéer, du stemte på, fik penge.');
  // Three voters: too few to show counts of votes without giving someone's vote away; money is fine.
  expect(await bodyOf(mine)).toContain('Nogle tal om stemmer er udeladt');
  expect(await fieldsOf(mine)).toEqual([
    '❌ #1 Bålsted og grill i gården → Fik ikke penge: den fik for få stemmer til at nå grænsen på 2 stemmer.',
    '✅ #2 Tur til Tivoli for hele klubben → Fik penge.',
    `❌ #4 ${IDEA.title} → Fik ikke penge: den koster 9.000 kr., men da det blev dens tur, var der kun 8.000 kr. tilbage – 1.000 kr. for lidt. Hvis den havde kostet 1.000 kr. mindre, havde den fået penge.`,
    'Uden din stemme → Det siger vi ikke her, for så kunne man regne ud, hvad andre har stemt.',
  ]);
  // Jonas asks with the Danish command and hears about his own ballot only; nobody else ever sees Amina's.
  await say(jonas.page, '/minstemme');
  const his = cards(jonas.page, MINE);
  await his.waitFor();
  expect(await bodyOf(his)).toContain('1 af de 2 idéer, du stemte på, fik penge.');
  expect((await fieldsOf(his)).map((f) => f.split(' → ')[0])).toEqual([
    '✅ #2 Tur til Tivoli for hele klubben',
    `❌ #4 ${IDEA.title}`,
    'Uden din stemme',
  ]);
  expect(await his.textContent()).not.toContain('Bålsted');
  for (const member of [lene, sofie, mikkel]) expect((await everShown(member.page)).text).not.toContain(MINE);

  expect(problems).toEqual([]);
}, 120_000);
