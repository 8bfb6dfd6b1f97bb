import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type REST } from 'discord.js';
import { fitMessage, type Logger, type MessageBody, type Router } from '../../src/conversation/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { sendDirect, type DirectResult } from './direct.ts';
import { DEFAULT_ACK, interactionListener, type AckTiming, type SettledReport } from './interactions.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { captureMessages, messageIntents } from './messages.ts';
import { NO_MENTIONS } from './render.ts';

/** How long close() waits for interactions being answered; Discord's tokens last 15 minutes, people do not wait that long. */
const CLOSE_GRACE_MS = 10_000;

export interface DiscordAdapter {
  /** Logs out (or stops the shards) and lets acknowledged interactions finish sending. */
  close(): Promise<void>;
  /**
   * Sends a message to a person's Discord DMs (a reminder, a notice). 'unknown': no Discord account is known for
   * them; 'closed': they do not take DMs from the server, so tell them some other way. Works from any process.
   */
  direct(personId: string, body: MessageBody): Promise<DirectResult | 'unknown'>;
}

export interface ClientOptions {
  token: string;
  router: Router;
  pulje: Pulje;
  log: Logger;
  staffRole: string | undefined;
  defaultLocale: Locale;
  /** Discord's REST API base (the gateway address comes from it); only tests set it, to a local stand-in. */
  api?: string | undefined;
  ack?: Partial<AckTiming> | undefined;
  onSettled?: ((report: SettledReport) => void) | undefined;
  /** DISCORD_MESSAGE_CONTENT: capture messages in bound channels (messages.ts). */
  messageContent?: boolean | undefined;
}

export function directSender(rest: REST, pulje: Pulje, log: Logger): DiscordAdapter['direct'] {
  return async (personId, body) => {
    const userId = await pulje.directory.accountOf(personId, 'discord');
    if (!userId) return 'unknown';
    return sendDirect(rest, userId, fitMessage(body, DISCORD_LIMITS), log);
  };
}

/**
 * One gateway connection (one shard, or all of a small bot). Interactions arrive whether or not any intent asks
 * for them; Guilds keeps channels, threads and roles cached (thread parents, staff role names). No privileged
 * intents: Pulje never reads members' messages.
 */
export async function startClient(opts: ClientOptions): Promise<DiscordAdapter & { client: Client<true> }> {
  const { log } = opts;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, ...messageIntents(opts.messageContent ?? false)],
    allowedMentions: NO_MENTIONS,
    ...(opts.api ? { rest: { api: opts.api } } : {}),
  });
  const listener = interactionListener({
    router: opts.router,
    log,
    staffRole: opts.staffRole,
    defaultLocale: opts.defaultLocale,
    ack: { ...DEFAULT_ACK, ...opts.ack },
    ...(opts.onSettled ? { onSettled: opts.onSettled } : {}),
  });
  client.on(Events.InteractionCreate, listener);
  if (opts.messageContent) captureMessages(client, { router: opts.router, log, defaultLocale: opts.defaultLocale });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord: client error'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord: gateway connection lost, reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord: gateway connection resumed'));
  // Only for close codes discord.js will not retry (a revoked token, disallowed intents): needs a person.
  client.on(Events.ShardDisconnect, (event, shard) =>
    log.error({ shard, code: event.code }, 'discord: gateway connection closed for good'),
  );

  // The first query opens the pool and readies the query engine: better now than inside someone's 3 s.
  await opts.pulje.directory.person({ platform: 'discord', externalId: 'warm-up' });
  const abort = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: abort.signal });
  // Aborted below when login fails: that rejection is expected and must not go unhandled.
  ready.catch(() => {});
  try {
    await client.login(opts.token);
    await ready;
  } catch (error) {
    abort.abort();
    await client.destroy();
    throw error;
  }
  const live = client as Client<true>;
  log.info({ user: live.user.id, guilds: live.guilds.cache.size, shards: live.shard?.ids ?? [0] }, 'discord: connected');
  return {
    client: live,
    direct: directSender(client.rest, opts.pulje, log),
    async close() {
      // Answers in progress still need the token (channel posts, DMs), so the client goes last.
      await listener.drain(CLOSE_GRACE_MS);
      await client.destroy();
    },
  };
}
