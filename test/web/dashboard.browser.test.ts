import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardHandler } from '../../adapters/dashboard/app.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { appendLog } from '../../src/db/decision-log.ts';
import type { Logger } from '../../src/conversation/index.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import { requireChromium } from '../support/chromium.ts';
import { FIX, seedDashboard } from '../support/dashboard-fixture.ts';
import { ENGINES_UNDER_TEST, freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * The programme dashboard in Debian's Chromium: sign-in from a one-time link, what each role sees, the charts
 * and the tables beside them, the CSV files, suppressed small counts, and axe-core's WCAG 2.1 AA rules on a phone
 * and a desktop in both languages. Screenshots go to $DASHBOARD_SHOTS when set.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.DASHBOARD_SHOTS;
/** Errors the server logs fail the test that caused them (checked after each test). */
const problems: string[] = [];
const logger: Logger = {
  error: (obj, msg) => problems.push(`${msg ?? ''} ${String((obj as { err?: { stack?: string } }).err?.stack ?? JSON.stringify(obj))}`),
  warn() {},
  info() {},
};
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

for (const engine of ENGINES_UNDER_TEST) {
  describe(`dashboard in a browser [${engine}]`, () => {
    let browser: Browser | undefined;
    let server: WebServer | undefined;
    let db: TestDatabase | undefined;
    let pulje: Pulje;
    let now = new Date('2026-06-01T12:00:00Z');

    beforeEach(async (ctx) => {
      const executablePath = requireChromium(ctx);
      now = new Date('2026-06-01T12:00:00Z');
      db = await freshDatabase(engine);
      await seedDashboard(db);
      pulje = createPulje({ db, clock: () => now });
      server = await startWebServer({
        config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
        router: createRouter({ pulje, defaultLocale: 'da', flows: false }),
        pulje,
        port: 0,
        logger,
      });
      server.mount('/dashboard', dashboardHandler({ pulje, defaultLocale: 'da', secureCookies: false }));
      browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    });
    afterEach(async () => {
      const seen = problems.splice(0);
      await browser?.close();
      await server?.close();
      await db?.destroy();
      browser = server = db = undefined;
      expect(seen).toEqual([]);
    });

    async function signIn(personId: string, viewport = DESKTOP): Promise<Page> {
      const link = await pulje.dashboardAccess.issueLink({ personId });
      const context = await browser!.newContext({ viewport, locale: 'da-DK' });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await page.goto(`${server!.url}/dashboard/signin/${link.token}`);
      await page.getByTestId('signin').click();
      await page.getByRole('heading', { level: 1, name: 'Overblik over ungepuljerne' }).waitFor();
      return page;
    }

    async function axe(page: Page) {
      // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not cover.
      const result = (await page.evaluate(`${AXE}; axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })`)) as {
        violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
      };
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }

    it('signs in from a link once; a used or expired link is refused', async () => {
      const page = await signIn(FIX.mette);
      expect(await page.getByText('Logget ind som Mette').isVisible()).toBe(true);
      const link = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
      const other = await browser!.newPage();
      // Opening the link (as a chat's link preview would) does not use it up.
      await other.goto(`${server!.url}/dashboard/signin/${link.token}`);
      await other.goto(`${server!.url}/dashboard/signin/${link.token}`);
      await other.getByTestId('signin').click();
      await other.getByRole('heading', { level: 1, name: 'Overblik over ungepuljerne' }).waitFor();
      // Used once: a second sign-in with it fails.
      const third = await browser!.newPage();
      await third.goto(`${server!.url}/dashboard/signin/${link.token}`);
      await third.getByTestId('signin').click();
      await third.getByText('Linket er brugt, udløbet eller forkert', { exact: false }).waitFor();
      expect(await third.goto(`${server!.url}/dashboard`).then((r) => r?.status())).toBe(401);
      // Expired: 16 minutes later.
      const late = await pulje.dashboardAccess.issueLink({ personId: FIX.mette });
      now = new Date(now.getTime() + 16 * 60_000);
      await third.goto(`${server!.url}/dashboard/signin/${late.token}`);
      await third.getByTestId('signin').click();
      await third.getByText('Linket er brugt, udløbet eller forkert', { exact: false }).waitFor();
      // "Sign out on every device" ends the other browser's session too.
      await other.getByTestId('signout-all').click();
      await other.getByText('Du er logget ud.').waitFor();
      expect(await other.goto(`${server!.url}/dashboard`).then((r) => r?.status())).toBe(401);
      expect(await page.goto(`${server!.url}/dashboard`).then((r) => r?.status())).toBe(401);
      const again = await signIn(FIX.mette);
      // Signing out ends the session in the database too.
      await again.getByTestId('signout').click();
      await again.getByText('Du er logget ud.').waitFor();
      expect(await again.goto(`${server!.url}/dashboard`).then((r) => r?.status())).toBe(401);
      expect(await db!.prisma.dashboardSession.count({ where: { revokedAt: null } })).toBe(0);
    });

    it("a caseworker sees only their own group, never another organisation's; programme staff their organisation", async () => {
      const mette = await signIn(FIX.mette);
      const body = await mette.locator('main').innerText();
      expect(body).toContain(FIX.names.gA1);
      expect(body).not.toContain(FIX.names.gB1);
      expect(body).not.toContain(FIX.names.gA2);
      const res = await mette.goto(`${server!.url}/dashboard?group=${FIX.gB1}`);
      expect(res?.status()).toBe(404);
      expect(await mette.locator('body').innerText()).not.toContain(FIX.names.gB1);
      const csv = await mette.request.get(`${server!.url}/dashboard/csv/groups`);
      expect(await csv.text()).not.toContain(FIX.names.gB1);
      expect((await mette.request.get(`${server!.url}/dashboard/rounds/${FIX.r3}/pb`)).status()).toBe(404);

      const pia = await signIn(FIX.pia);
      const seen = await pia.getByTestId('table-groups').innerText();
      expect(seen).toContain(FIX.names.gA1);
      expect(seen).toContain(FIX.names.gA2);
      expect(seen).not.toContain(FIX.names.gB1);
      // Programme staff may download a finished round's .pb without being in the group.
      const pb = await pia.request.get(`${server!.url}/dashboard/rounds/${FIX.r1}/pb`);
      expect(pb.status(), await pb.text()).toBe(200);
      expect(await pb.text()).toContain('META');
    });

    it('every chart has its data table and a definition; small counts are suppressed; CSV has the same figures', async () => {
      const page = await signIn(FIX.pia);
      for (const id of ['turnout', 'trend', 'money', 'talk', 'overrides', 'say']) {
        const section = page.getByTestId(`section-${id}`);
        await expect(section.getByTestId('definition').innerText()).resolves.not.toBe('');
        expect(await section.locator('svg[role="img"]').count()).toBeGreaterThan(0);
        expect(await section.locator('table').count()).toBeGreaterThan(0);
      }
      const turnout = page.getByTestId('table-turnout');
      const row = (name: string) => turnout.locator('tr', { has: page.getByRole('rowheader', { name }) });
      await expect(row('Sommerpuljen').innerText()).resolves.toMatch(/87,5/);
      // Ungdomsskolen: 3 of 3 voted, shown as "under 5", no turnout.
      await expect(row('Vinterpuljen').innerText()).resolves.toMatch(/under 5/);
      // Columns after the round: group, started, young members, ballots, turnout.
      await expect(row('Vinterpuljen').locator('td').nth(3).innerText()).resolves.toBe('under 5');
      await expect(row('Vinterpuljen').locator('td').nth(4).innerText()).resolves.toBe('–');
      // The chart's bar label says the same.
      expect(await page.getByTestId('section-turnout').locator('svg').textContent()).toContain('under 5');
      // "Did you have a real say?": the single 5 is never shown.
      const say = await page.getByTestId('table-say').innerText();
      expect(say).toMatch(/5\s+under 5/);

      const rounds = await (await page.request.get(`${server!.url}/dashboard/csv/rounds`)).text();
      const lines = rounds
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      const header = lines[0]!.split(',');
      const r1 = lines.find((l) => l.startsWith('Sommerpuljen,'))!.split(',');
      const r2 = lines.find((l) => l.startsWith('Vinterpuljen,'))!.split(',');
      const at = (row: string[], name: string) => row[header.indexOf(name)];
      expect(at(r1, 'Deltagelse (%)')).toBe('87.5');
      expect(at(r1, 'Brugt (kr.)')).toBe('6500');
      expect(at(r1, 'Svarede 5')).toBe('<5');
      expect(at(r2, 'Stemmesedler')).toBe('<5');
      expect(at(r2, 'Deltagelse (%)')).toBe('');
      const overrides = await (await page.request.get(`${server!.url}/dashboard/csv/overrides`)).text();
      // A reason that looks like a formula is kept from running in a spreadsheet.
      expect(overrides).toContain(`'${FIX.reason}`);
      expect(overrides).not.toMatch(/,=SUM/);
    });

    it('shows how many young people disagree with each decision and per kind, small counts as "under 5"', async () => {
      // Six of Klubben Syd's young members press "I disagree" on the idea found not possible, two on a hidden idea.
      await db!.prisma.$transaction((tx) =>
        appendLog(tx, {
          groupId: FIX.gA1,
          roundId: FIX.r1,
          kind: 'moderation',
          actorId: FIX.mette,
          reason: 'personlige oplysninger',
          data: { proposalId: 'pr-4', to: 'hidden' },
          at: new Date('2026-05-10T10:00:00Z'),
        }),
      );
      const id = async (reason: string) => (await db!.prisma.logEntry.findFirstOrThrow({ where: { reason } })).id;
      for (const i of [1, 2, 3, 4, 5, 6])
        await pulje.decisions.react({ personId: `y-${FIX.gA1}-${i}` }, { decisionId: await id(FIX.reason), disagree: true });
      for (const i of [7, 8])
        await pulje.decisions.react({ personId: `y-${FIX.gA1}-${i}` }, { decisionId: await id('personlige oplysninger'), disagree: true });

      for (const viewport of [PHONE, DESKTOP]) {
        const page = await signIn(FIX.pia, viewport);
        const section = page.getByTestId('section-overrides');
        await expect(section.getByTestId('definition-disagree').innerText()).resolves.toContain('Jeg er uenig');
        const kindRow = (name: string) =>
          page.getByTestId('table-override-kinds').locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
        const header = await page.getByTestId('table-override-kinds').locator('thead').innerText();
        expect(header).toContain('Uenige unge i alt');
        await expect(kindRow('Idé erklæret ikke mulig').innerText()).resolves.toMatch(/1\s+6$/);
        await expect(kindRow('Idé skjult').innerText()).resolves.toMatch(/1\s+under 5$/);
        await expect(kindRow('Afstemning genåbnet').innerText()).resolves.toMatch(/0\s+0$/);
        const reasons = page.getByTestId('table-override-reasons');
        expect(await reasons.locator('thead').innerText()).toContain('Uenige unge');
        await expect(reasons.locator('tr', { hasText: 'koster for meget' }).locator('td').last().innerText()).resolves.toBe('6');
        await expect(reasons.locator('tr', { hasText: 'personlige oplysninger' }).locator('td').last().innerText()).resolves.toBe(
          'under 5',
        );
        expect(await axe(page)).toEqual([]);
        if (SHOTS) {
          await section.scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/dashboard-disagree-${viewport.width}.png`, fullPage: false });
        }
        if (viewport === DESKTOP) {
          await page.getByTestId('language').click();
          await page.getByRole('heading', { level: 1, name: 'Youth budgets dashboard' }).waitFor();
          await expect(page.getByTestId('definition-disagree').innerText()).resolves.toContain('I disagree');
          expect(await page.getByTestId('table-override-kinds').locator('thead').innerText()).toContain('Young people disagreeing, in all');
          expect(await axe(page)).toEqual([]);
        }
      }
      const page = await signIn(FIX.pia);
      const csvOf = async (view: string) => {
        const text = await (await page.request.get(`${server!.url}/dashboard/csv/${view}`)).text();
        const [head, ...rows] = text
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n');
        return { head: head!.split(','), rows: rows.map((r) => r.split(',')) };
      };
      const byDecision = await csvOf('overrides');
      const col = byDecision.head.indexOf('Uenige unge');
      expect(col).toBeGreaterThan(0);
      expect(byDecision.rows.find((r) => r.includes('personlige oplysninger'))?.[col]).toBe('<5');
      expect(byDecision.rows.find((r) => r.some((c) => c.includes('koster for meget')))?.[col]).toBe('6');
      const byKind = await csvOf('override-kinds');
      expect(byKind.head).toEqual(['Slags', 'Antal', 'Uenige unge i alt']);
      expect(byKind.rows).toContainEqual(['ineligible', '1', '6']);
      expect(byKind.rows).toContainEqual(['hidden', '1', '<5']);
      await expect(page.getByTestId('csv-override-kinds').isVisible()).resolves.toBe(true);
    });

    it('passes axe (WCAG 2.1 AA) on a phone and a desktop, in Danish and English, and on the report', async () => {
      for (const [name, viewport] of [
        ['phone', PHONE],
        ['desktop', DESKTOP],
      ] as const) {
        const page = await signIn(FIX.ada, viewport);
        expect(await axe(page)).toEqual([]);
        if (SHOTS) {
          await page.screenshot({ path: `${SHOTS}/dashboard-${name}-da.png`, fullPage: true });
          await page.getByTestId('section-turnout').scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/dashboard-${name}-da-turnout.png` });
          await page.getByTestId('section-say').scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/dashboard-${name}-da-say.png` });
        }
        await page.getByTestId('language').click();
        await page.getByRole('heading', { level: 1, name: 'Youth budgets dashboard' }).waitFor();
        expect(await axe(page)).toEqual([]);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/dashboard-${name}-en.png`, fullPage: true });
        await page.goto(`${server!.url}/dashboard/report?year=2026&lang=en`);
        await page.getByRole('heading', { level: 1, name: 'Annual report 2026' }).waitFor();
        expect(await axe(page)).toEqual([]);
        await page.emulateMedia({ media: 'print' });
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-${name}-print.png`, fullPage: true });
        await page.goto(`${server!.url}/dashboard/lundy/${FIX.r3}`);
        expect(await axe(page)).toEqual([]);
      }
    });

    it('staff assess a round on the Lundy model and see the mean', async () => {
      const page = await signIn(FIX.mette);
      await page.goto(`${server!.url}/dashboard/lundy/${FIX.r1}`);
      await page.getByRole('group', { name: 'Rum' }).getByLabel('2').check();
      await page.getByRole('button', { name: 'Gem vurderingen' }).click();
      await page.getByText('Vurderingen er gemt.').waitFor();
      await page.goto(`${server!.url}/dashboard`);
      const lundy = await page.getByTestId('table-lundy').innerText();
      expect(lundy).toMatch(/Sommerpuljen\s+Klubben Syd\s+1\s+2\s+3\s+5\s+4/);
    });
  });
}
