// `npm start`: one process that validates its settings, migrates the database, seeds the demo on first run,
// serves the web chat, and starts the Discord and Slack adapters when their settings are present.
import { existsSync } from 'node:fs';
import { modelFromConfig } from '../adapters/model/openai.ts';
import { Hub } from '../adapters/web/hub.ts';
import { webNotices } from '../adapters/web/notices.ts';
import { startWebServer } from '../adapters/web/server.ts';
import { dashboardHandler } from '../adapters/dashboard/app.ts';
import { composePulje } from './app.ts';
import { processLogger } from './core/log.ts';
import { ConfigError, loadConfig, type Config } from './config/env.ts';
import { DatabaseInUseError } from './db/sqlite-lock.ts';
import { seedDemo } from './demo/seed.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { staffJobs } from './staff/jobs.ts';
import { createNotifier, type NoticeChannel } from './staff/notifier.ts';

function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      // One line naming the variable and what it expects, nothing else.
      process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
}

/** Start-up failures a person can act on are one line on stderr, not a stack trace. */
function stopWithOneLine(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  if (error instanceof DatabaseInUseError) process.stderr.write(`${error.message}\n`);
  else if (code === 'EADDRINUSE') {
    process.stderr.write(`Port ${config.PORT} on ${config.HOST} is already in use (another Pulje?). Stop that process or set PORT.\n`);
  } else throw error;
  process.exit(1);
}

const config = readConfig();
const log = processLogger(config.LOG_LEVEL, { app: 'pulje' });
// The optional language model (OPENAI_*): without it, summaries and sparring use their offline fallbacks.
const model = modelFromConfig(config, log);
const app = await composePulje({ config, logger: log, migrate: true, exclusive: true, model }).catch(stopWithOneLine);
log.info(
  model ? { model: model.model, baseURL: config.OPENAI_BASE_URL ?? 'OpenAI' } : {},
  model ? 'language model configured' : 'no language model (summaries and sparring work offline)',
);
const { db, pulje, router } = app;

// The SQLite file is this process's alone (it holds the lock): events a previous run claimed and never finished
// were cut off by its end, and can be taken over at once instead of after their lease.
if (db.engine === 'sqlite') {
  const abandoned = await pulje.events.abandonClaims();
  if (abandoned) log.info({ abandoned }, 'events left unfinished by the previous run can be retried');
}

if (config.PULJE_DEMO && (await seedDemo(pulje, config.PULJE_LOCALE))) {
  log.info('seeded the demo organisation, group, people and round (PULJE_DEMO=false turns this off)');
}

const metrics = () => ({ dbStatements: db.statements?.() ?? null, costliestStatements: db.costliest?.(5) ?? null });
const hub = new Hub();
const web = await startWebServer({ config, router, pulje, logger: log, metrics, hub }).catch(stopWithOneLine);
// The programme dashboard on the same server and port (issue 14).
web.mount(
  '/dashboard',
  dashboardHandler({ pulje, defaultLocale: config.PULJE_LOCALE, secureCookies: config.PULJE_PUBLIC_URL?.startsWith('https:') ?? false }),
);
// Platform adapters start only when their settings are present; the web chat always runs. Loaded only when
// configured: a platform library costs start-up time and memory for nothing otherwise.
const discord = config.DISCORD_TOKEN
  ? await (await import('../adapters/discord/index.ts')).startDiscord({ config, router, pulje, engine: db.engine, logger: log })
  : undefined;
if (!discord) log.info('Discord adapter off (set DISCORD_TOKEN to start it)');
// Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP mode on this server's POST /slack/events.
const slack =
  (config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) ||
  (config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET && config.SLACK_SIGNING_SECRET)
    ? await (await import('../adapters/slack/index.ts'))
        .startSlack({ config, router, pulje, logger: log, mount: web.mount })
        .catch((error: unknown) => {
          // A refused token or a missing setting: one line, like a configuration error.
          if ((error as Error).name !== 'SlackStartError') throw error;
          process.stderr.write(`${(error as Error).message}\n`);
          process.exit(1);
        })
    : undefined;
if (!slack)
  log.info(
    'Slack adapter off (set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET)',
  );

// Pulje's own notices (results at deadlines, reminders, digests) go out through every surface that runs.
const channels: NoticeChannel[] = [webNotices({ pulje, hub })];
if (config.DISCORD_TOKEN)
  channels.push((await import('../adapters/discord/index.ts')).discordNotices({ token: config.DISCORD_TOKEN, pulje, log }));
if (slack) channels.push(slack.notices);
const notifier = createNotifier(channels, pulje.notices, log);
// Crisis alerts to staff go out the same way, privately.
app.alerts.notifier = notifier;
const scheduler = config.PULJE_SCHEDULER
  ? createScheduler({ jobs: staffJobs({ pulje, notifier, log }), leases: pulje.jobRuns, log })
  : undefined;
await scheduler?.start();
if (!scheduler) log.info('scheduled jobs off here (PULJE_SCHEDULER=false)');
log.info({ url: web.url, pid: process.pid }, 'Pulje is ready');

// Handled-event keys only need to outlive platforms' redeliveries (seconds to hours); keep a week, prune daily.
const DAY = 24 * 60 * 60 * 1000;
const pruneHandledEvents = () =>
  pulje.events.prune(new Date(Date.now() - 7 * DAY)).then(
    (n) => log.debug({ pruned: n }, 'pruned handled-event keys'),
    (e: unknown) => log.warn({ err: e }, 'pruning handled-event keys failed'),
  );
void pruneHandledEvents();
// The dashboard's kept figures of decided rounds, made now if any are missing (after an upgrade) rather than by
// the first person to look; otherwise three reads.
void pulje.outcomes.keepFigures().then(
  (n) => (n ? log.info({ rounds: n }, 'kept the dashboard figures of decided rounds') : undefined),
  (e: unknown) => log.warn({ err: e }, 'keeping the dashboard figures failed (the dashboard counts them when asked)'),
);
const pruneTimer = setInterval(pruneHandledEvents, DAY);
pruneTimer.unref();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  // Whatever happens below (a log that cannot be written because stdout is gone, an adapter that hangs), the
  // process ends: a hard stop after 15 s, and exit in `finally`.
  setTimeout(() => process.exit(1), 15_000).unref();
  let code = 0;
  try {
    log.info({ signal }, 'shutting down');
    clearInterval(pruneTimer);
    await scheduler?.stop();
    // Stop taking new requests and let acknowledged ones finish, then close the database.
    await Promise.all([web.close(), discord?.close(), slack?.close()]);
    await app.close();
    log.info('stopped');
  } catch (error) {
    code = 1;
    process.stderr.write(`shutdown failed: ${String(error)}\n`);
  } finally {
    await log.flush();
    process.exit(code);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
