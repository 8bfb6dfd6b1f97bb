import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterEach, expect, type TestContext } from 'vitest';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import type { Logger } from '../../src/conversation/index.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import { requireChromium } from '../support/chromium.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

/** Shared pieces of the web-chat UX browser tests: a demo server, signing in, axe, screenshots. */

export const GROUP = 'DEMO: Ungepuljen Nørrebro';
export const ROUND = 'Sommerens pulje (demo)';
export const STAFF = 'Lene (pædagog, demo)';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export interface Demo {
  db: TestDatabase;
  pulje: Pulje;
  server: WebServer;
  problems: string[];
  /** Stops the web server (the database stays), as a crash or deploy would. */
  stop(): Promise<void>;
  /** Starts a new web server on the same port and database, as after a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const problems: string[] = [];
  const logger: Logger = {
    error: (obj, msg) => problems.push(`server: ${msg ?? ''} ${String((obj as { err?: unknown }).err ?? JSON.stringify(obj))}`),
    warn() {},
    info() {},
  };
  const db = await freshDatabase('sqlite');
  const pulje = createPulje({ db });
  expect(await seedDemo(pulje, 'da')).toBe(true);
  const serve = (port: number) =>
    startWebServer({
      config: { HOST: '127.0.0.1', PORT: port, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router: createRouter({ defaultLocale: 'da', pulje, logger }),
      pulje,
      port,
      logger,
    });
  let running = true;
  const demo: Demo = {
    db,
    pulje,
    server: await serve(0),
    problems,
    async stop() {
      running = false;
      await demo.server.close();
    },
    async restart() {
      demo.server = await serve(Number(new URL(demo.server.url).port));
      running = true;
    },
    async close() {
      if (running) await demo.server.close();
      await db.destroy();
    },
  };
  return demo;
}

export async function signInAs(browser: Browser, url: string, name: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'da-DK', timezoneId: 'America/New_York' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForURL('**/signin');
  await page.getByRole('button', { name: `Fortsæt som ${name}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: GROUP, exact: true }).waitFor();
  await page.getByTestId('composer-input').waitFor();
  return page;
}

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not stop.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it is now; returns "rule (impact): target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
  )) as {
    violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function say(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Skriv en besked' }).fill(text);
  await page.keyboard.press('Enter');
}

export const cards = (page: Page, title: string) =>
  page.getByTestId('card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
export const press = (card: Locator, label: string) => card.getByRole('button', { name: label, exact: true }).click();

/** Numbered full-page screenshots into test-output/screenshots/<series>/ (git-ignored). */
export function screenshots(series: string) {
  const dir = join(process.cwd(), 'test-output', 'screenshots', series);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    await page.screenshot({ path: join(dir, `${String(n).padStart(2, '0')}-${name}.png`) });
  };
}

/** An idea's checkbox on a ballot, by its number ("#2 …"). */
export const checkbox = (ballot: Locator, n: number) => ballot.getByRole('checkbox', { name: new RegExp(`^#${n} `) });

/** Ticks (or unticks) idea `n` on the ballot and waits for the redrawn ballot to show it so. */
export async function tick(ballot: Locator, n: number, on = true) {
  await checkbox(ballot, n).click();
  await ballot.getByRole('checkbox', { name: new RegExp(`^#${n} `), checked: on }).waitFor();
}

/**
 * A demo server and a Chromium for each test of the file, closed after it: `const open = demoSession();` at the
 * top, then `const { demo, browser } = await open(skip);` in a test (skipped locally without Chromium).
 */
export function demoSession() {
  let browser: Browser | undefined;
  let demo: Demo | undefined;
  afterEach(async () => {
    await browser?.close();
    await demo?.close();
    browser = demo = undefined;
  });
  return async (skip: TestContext['skip']): Promise<{ demo: Demo; browser: Browser }> => {
    const executablePath = requireChromium({ skip });
    demo = await startDemo();
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    return { demo, browser };
  };
}
