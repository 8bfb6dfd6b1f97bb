import type { Config } from './config/env.ts';
import { type ConversationDirectory, type Logger, Router, registerHelp } from './conversation/index.ts';
import { parseDatabaseUrl } from './db/connection.ts';
import { type Database, openDatabase } from './db/database.ts';
import { openLiveFeed } from './db/live.ts';
import { registerFlows } from './flows/index.ts';
import { type AlertLine, createSafeguard } from './flows/safeguarding.ts';
import type { Locale } from './i18n/index.ts';
import { createPulje, type Pulje } from './usecases/index.ts';
import { registerStaff } from './staff/flows.ts';
import type { ModelClient } from './staff/model.ts';
import { loadPrompts, type Prompts } from './staff/prompts.ts';

export interface RouterOptions {
  pulje: Pulje;
  defaultLocale: Locale;
  logger?: Logger;
  /** Register every youth and staff flow (default); false: only /help, for adapter tests. */
  flows?: boolean;
  /** Replaces the use cases' directory (tests that need a failing one). */
  directory?: ConversationDirectory;
  /** The staff side's model and prompts; without a model every staff feature uses its offline fallback. */
  staff?: {
    prompts?: Prompts;
    model?: ModelClient | undefined;
    pseudonymSecret?: string | undefined;
    now?: () => Date;
    dashboardBase?: string | undefined;
  };
  /**
   * Where crisis alerts to staff go (filled in once the surfaces run: the notifier needs them all). Without it the
   * young person still gets the private answer and the signal is recorded, but no staff member is told.
   */
  alerts?: AlertLine;
  /** PULJE_PUBLIC_URL, for /mydata links on platforms other than the web chat. */
  publicUrl?: string | undefined;
}

/**
 * The conversation layer on the use cases: the directory (who is who, where), the handled-event claims, /help,
 * and every flow. The one place flows are wired to the router, so the conversation layer never imports them.
 */
export function createRouter(opts: RouterOptions): Router {
  const router = new Router({
    directory: opts.directory ?? opts.pulje.directory,
    idempotency: opts.pulje.events,
    formDrafts: opts.pulje.formDrafts,
    defaultLocale: opts.defaultLocale,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  registerHelp(router);
  if (opts.flows !== false) {
    const safeguard = createSafeguard({
      pulje: opts.pulje,
      alerts: opts.alerts ?? { notifier: undefined },
      model: opts.staff?.model,
      pseudonymSecret: opts.staff?.pseudonymSecret,
      ...(opts.logger ? { log: opts.logger } : {}),
      ...(opts.staff?.now ? { now: opts.staff.now } : {}),
    });
    registerFlows(router, opts.pulje, { safeguard, publicUrl: opts.publicUrl });
    registerStaff(router, {
      pulje: opts.pulje,
      prompts: opts.staff?.prompts ?? loadPrompts(),
      model: opts.staff?.model,
      pseudonymSecret: opts.staff?.pseudonymSecret,
      ...(opts.logger ? { log: opts.logger } : {}),
      ...(opts.staff?.now ? { now: opts.staff.now } : {}),
      dashboardBase: opts.staff?.dashboardBase,
      safeguard,
    });
  }
  return router;
}

export interface App {
  config: Config;
  db: Database;
  pulje: Pulje;
  router: Router;
  prompts: Prompts;
  /** Set `alerts.notifier` once the surfaces run: crisis alerts to staff go through it. */
  alerts: AlertLine;
  close(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** Apply migrations first (the main process; shard children and CLIs find them applied). */
  migrate?: boolean;
  /** Hold the SQLite file for this process alone (`npm start`). */
  exclusive?: boolean;
  /** The language model (the composition root builds it from OPENAI_* with adapters/model). */
  model?: ModelClient | undefined;
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
    retentionDays: config.PULJE_RETENTION_DAYS,
    inactiveMonths: config.PULJE_INACTIVE_MONTHS,
    auditMonths: config.PULJE_AUDIT_MONTHS,
    ...(config.PULJE_CLAIM_LEASE_MS ? { claimLeaseMs: config.PULJE_CLAIM_LEASE_MS } : {}),
  });
  // Prompts are read and checked now: a broken template stops start-up, not someone's /summary.
  const prompts = loadPrompts();
  const alerts: AlertLine = { notifier: undefined };
  const router = createRouter({
    pulje,
    defaultLocale: config.PULJE_LOCALE,
    logger: opts.logger,
    alerts,
    publicUrl: config.PULJE_PUBLIC_URL,
    staff: {
      prompts,
      model: opts.model,
      pseudonymSecret: config.PULJE_SECRET,
      dashboardBase: config.PULJE_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
    },
  });
  return {
    config,
    db,
    pulje,
    router,
    prompts,
    alerts,
    async close() {
      await live.close();
      await pulje.directory.flushSeen();
      await db.close();
    },
  };
}
