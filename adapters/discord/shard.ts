// Entry point of one shard process, started by discord.js's ShardingManager (adapters/discord/shards.ts); not
// meant to be run by hand. It builds Pulje exactly as src/main.ts does (composePulje) and connects the shard it
// was given (discord.js reads SHARDS and SHARD_COUNT from the environment).
import { parseArgs } from 'node:util';
import { processLogger } from '../../src/core/log.ts';
import { z } from 'zod';
import { loadConfig } from '../../src/config/env.ts';
import { composePulje } from '../../src/app.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { startClient } from './client.ts';
import { discordNotices } from './notices.ts';

const args = z.object({ api: z.url().optional() }).parse(parseArgs({ options: { api: { type: 'string' } }, strict: true }).values);
const config = loadConfig();
const log = processLogger(config.LOG_LEVEL, { app: 'pulje', shard: process.env.SHARDS });
if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');

// The main process has migrated the database already.
const app = await composePulje({ config, logger: log });
const { router, pulje } = app;
// Crisis alerts to staff from messages this shard handles go by Discord DM (the web room is the main process's).
app.alerts.notifier = createNotifier([discordNotices({ token: config.DISCORD_TOKEN, api: args.api, pulje, log })], pulje.notices, log);
const adapter = await startClient({
  token: config.DISCORD_TOKEN,
  router,
  pulje,
  log,
  staffRole: config.DISCORD_STAFF_ROLE,
  defaultLocale: config.PULJE_LOCALE,
  api: args.api,
  messageContent: config.DISCORD_MESSAGE_CONTENT,
});

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'discord shard stopping');
  await adapter.close();
  await app.close();
  await log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// The manager went away without stopping us (it crashed): do not linger as an orphan.
process.on('disconnect', () => void stop('manager gone'));
