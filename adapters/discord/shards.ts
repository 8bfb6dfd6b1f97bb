import { once } from 'node:events';
import { REST, Routes, ShardingManager } from 'discord.js';
import type { Logger } from '../../src/conversation/index.ts';
import { childEntry } from '../../src/core/paths.ts';
import type { Engine } from '../../src/db/schema-source.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { directSender, type DiscordAdapter } from './client.ts';
import { DirectMessages, dmRest } from './direct.ts';

export const SHARD_ENTRY = childEntry('discord-shard', 'adapters/discord/shard.ts');
const MANAGER_ENV = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN'] as const;

export interface ShardsOptions {
  token: string;
  /** A number, or 'auto' for what Discord recommends for the bot's servers. */
  shards: number | 'auto';
  pulje: Pulje;
  engine: Engine;
  log: Logger;
  api?: string | undefined;
}

/**
 * Runs the adapter under discord.js's ShardingManager: one child process per shard, each with its own gateway
 * connection, database pool and router (adapters/discord/shard.ts). They share nothing but the database, which
 * holds all state (idempotency claims, ballot drafts), so any shard can serve any interaction.
 */
export async function startShards(opts: ShardsOptions): Promise<DiscordAdapter> {
  const rest = new REST(opts.api ? { api: opts.api } : {}).setToken(opts.token);
  // discord.js's own 'auto' asks discord.com directly; asking through `rest` honours the configured API base.
  const total = opts.shards === 'auto' ? ((await rest.get(Routes.gatewayBot())) as { shards: number }).shards : opts.shards;
  if (opts.engine === 'sqlite') {
    opts.log.warn(
      { shards: total },
      'discord: shard processes share one SQLite file and wait on each other; use PostgreSQL with DISCORD_SHARDS',
    );
  }
  // The manager writes SHARDING_MANAGER(_MODE) and the token into this process's environment, which each shard
  // copies when spawned. Once they are, ours is put back rather than handing the token to every other child
  // process this one starts.
  const saved = Object.fromEntries(MANAGER_ENV.map((k) => [k, process.env[k]]));
  const manager = new ShardingManager(SHARD_ENTRY.file, {
    token: opts.token,
    totalShards: total,
    // Shards run what the main process runs: the compiled bundle, or TypeScript in tests.
    execArgv: SHARD_ENTRY.execArgv,
    shardArgs: opts.api ? ['--api', opts.api] : [],
    respawn: true,
  });
  manager.on('shardCreate', (shard) => {
    opts.log.info({ shard: shard.id, of: total }, 'discord: shard starting');
    shard.on('death', () => opts.log.warn({ shard: shard.id }, 'discord: shard process exited'));
  });
  try {
    await manager.spawn({ amount: total, timeout: 60_000 });
  } catch (error) {
    await stop(manager);
    throw error;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return {
    direct: directSender(new DirectMessages(dmRest(opts.token, opts.api), opts.log), opts.pulje),
    close: () => stop(manager),
  };
}

/** Asks every shard to finish (SIGTERM: it closes its client and database) and waits until each has exited. */
async function stop(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      shard.kill();
      await exited;
    }),
  );
}
