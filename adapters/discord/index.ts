import type { Config } from '../../src/config/env.ts';
import { silentLogger, type Logger, type Router } from '../../src/conversation/index.ts';
import type { Engine } from '../../src/db/schema-source.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { startClient, type DiscordAdapter } from './client.ts';
import type { DmPacing } from './direct.ts';
import type { DiscordAckTiming, SettledReport } from './interactions.ts';
import { startShards } from './shards.ts';

export type { DiscordAdapter } from './client.ts';
export { DEFAULT_DM_PACING, type DirectResult, type DmPacing } from './direct.ts';
export { clearGuildCommands, commandDefinitions, registerCommands, type RegisterOptions, type Registered } from './commands.ts';
export { DISCORD_LIMITS } from './limits.ts';
export { discordNotices } from './notices.ts';

export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_STAFF_ROLE' | 'DISCORD_SHARDS' | 'PULJE_LOCALE'> &
  Partial<Pick<Config, 'DISCORD_MESSAGE_CONTENT'>>;

export interface StartDiscordOptions {
  config: DiscordConfig;
  router: Router;
  pulje: Pulje;
  /** The database engine (shard processes warn on SQLite). */
  engine?: Engine;
  logger?: Logger;
  /** Discord's REST API base; only tests set it, to a local stand-in. */
  api?: string;
  /** When slow answers are deferred (see DEFAULT_ACK); tests change it to force either path. */
  ack?: Partial<DiscordAckTiming>;
  /** The clock compared with interactions' creation times (Date.now); a test whose Discord keeps other time sets it. */
  now?: () => number;
  /** How DMs are spaced (see DEFAULT_DM_PACING); tests make it faster. */
  dmPacing?: DmPacing;
  /** Told how each interaction went: tests wait on it, measurements read ackMs. Single-process mode only. */
  onSettled?: (report: SettledReport) => void;
}

/**
 * Starts the Discord adapter: one gateway connection in this process, or, with DISCORD_SHARDS set, a sharding
 * manager with one child process per shard. Nothing happens at import time; resolves once connected.
 */
export async function startDiscord(opts: StartDiscordOptions): Promise<DiscordAdapter> {
  const { config } = opts;
  const log = opts.logger ?? silentLogger;
  const token = config.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is not set');
  // Shard processes start their client directly (shard.ts), so this is always the main process.
  if (config.DISCORD_SHARDS !== undefined) {
    return startShards({
      token,
      shards: config.DISCORD_SHARDS,
      pulje: opts.pulje,
      engine: opts.engine ?? 'postgresql',
      log,
      api: opts.api,
    });
  }
  const { client: _client, ...adapter } = await startClient({
    token,
    router: opts.router,
    pulje: opts.pulje,
    log,
    staffRole: config.DISCORD_STAFF_ROLE,
    defaultLocale: config.PULJE_LOCALE,
    api: opts.api,
    ack: opts.ack,
    now: opts.now,
    dmPacing: opts.dmPacing,
    onSettled: opts.onSettled,
    messageContent: config.DISCORD_MESSAGE_CONTENT,
  });
  return adapter;
}
