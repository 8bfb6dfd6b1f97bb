import type { Config } from './config/env.ts';
import { type ConversationDirectory, type Logger, Router, registerHelp } from './conversation/index.ts';
import { parseDatabaseUrl } from './db/connection.ts';
import { type Database, openDatabase } from './db/database.ts';
import { openLiveFeed } from './db/live.ts';
import { registerFlows } from './flows/index.ts';
import type { Locale } from './i18n/index.ts';
import { createPulje, type Pulje } from './usecases/index.ts';

export interface RouterOptions {
  pulje: Pulje;
  defaultLocale: Locale;
  logger?: Logger;
  /** Register every youth and staff flow (default); false: only /help, for adapter tests. */
  flows?: boolean;
  /** Replaces the use cases' directory (tests that need a failing one). */
  directory?: ConversationDirectory;
}

/**
 * The conversation layer on the use cases: the directory (who is who, where), the handled-event claims, /help,
 * and every flow. The one place flows are wired to the router, so the conversation layer never imports them.
 */
export function createRouter(opts: RouterOptions): Router {
  const router = new Router({
    directory: opts.directory ?? opts.pulje.directory,
    idempotency: opts.pulje.events,
    defaultLocale: opts.defaultLocale,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  registerHelp(router);
  if (opts.flows !== false) registerFlows(router, opts.pulje);
  return router;
}

export interface App {
  config: Config;
  db: Database;
  pulje: Pulje;
  router: Router;
  close(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** Apply migrations first (the main process; shard children and CLIs find them applied). */
  migrate?: boolean;
  /** Hold the SQLite file for this process alone (`npm start`). */
  exclusive?: boolean;
}

/**
 * Builds Pulje from its settings: the database, the use cases and the router with every flow. `npm start`,
 * Discord's shard processes and the CLIs that need the router all build it here, the same way.
 */
export async function composePulje(opts: ComposeOptions): Promise<App> {
  const { config } = opts;
  const db = await openDatabase(config.DATABASE_URL, {
    migrate: opts.migrate ?? false,
    exclusive: opts.exclusive ?? false,
    countStatements: config.PULJE_COUNT_STATEMENTS,
    sqliteSync: config.PULJE_SQLITE_SYNC,
  });
  const target = parseDatabaseUrl(config.DATABASE_URL);
  opts.logger.info({ engine: target.engine, database: target.engine === 'sqlite' ? target.url : 'postgresql' }, 'database ready');
  const live = await openLiveFeed(target, opts.logger);
  const pulje = createPulje({
    db,
    defaultLocale: config.PULJE_LOCALE,
    live,
    ...(config.PULJE_CLAIM_LEASE_MS ? { claimLeaseMs: config.PULJE_CLAIM_LEASE_MS } : {}),
  });
  const router = createRouter({ pulje, defaultLocale: config.PULJE_LOCALE, logger: opts.logger });
  return {
    config,
    db,
    pulje,
    router,
    async close() {
      await live.close();
      await db.close();
    },
  };
}
