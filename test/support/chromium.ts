import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Chromium: CI installs it, so there a missing browser fails the test; locally, without
 * it, the test is skipped with the reason.
 */
export function requireChromium(ctx: Pick<TestContext, 'skip'>): string {
  const found = existsSync(CHROMIUM_PATH);
  ctx.skip(!found && !process.env.CI, `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!found) throw new Error(`CI is set but Chromium is missing at ${CHROMIUM_PATH}: the browser test must run in CI`);
  return CHROMIUM_PATH;
}
