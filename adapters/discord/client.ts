import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { fitMessage, type Logger, type MessageBody, type Router } from '../../src/conversation/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { DEFAULT_DM_PACING, DirectMessages, dmRest, type DirectResult, type DmPacing } from './direct.ts';
import { DEFAULT_ACK, interactionListener, type DiscordAckTiming, type SettledReport } from './interactions.ts';
import { isSnowflake } from './inbound.ts';
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
  ack?: Partial<DiscordAckTiming> | undefined;
  /** The clock compared with interactions' creation times; Date.now unless a test runs Discord's on another. */
  now?: (() => number) | undefined;
  onSettled?: ((report: SettledReport) => void) | undefined;
  /** DISCORD_MESSAGE_CONTENT: capture messages in bound channels (messages.ts). */
  messageContent?: boolean | undefined;
  /** How DMs (receipts, reminders) are spaced; DEFAULT_DM_PACING unless a test needs it faster. */
  dmPacing?: DmPacing | undefined;
}

export function directSender(dms: DirectMessages, pulje: Pulje): DiscordAdapter['direct'] {
  return async (personId, body) => {
    const userId = await pulje.directory.accountOf(personId, 'discord');
    if (!userId) return 'unknown';
    return dms.send(userId, fitMessage(body, DISCORD_LIMITS));
  };
}

/** DISCORD_STAFF_ROLE, if it is a role id; a name is refused (loudly), since anyone who manages roles can copy one. */
function staffRoleId(configured: string | undefined, log: Logger): string | undefined {
  const value = configured?.trim();
  if (!value) return undefined;
  if (isSnowflake(value)) return value;
  log.error(
    { DISCORD_STAFF_ROLE: value },
    'discord: DISCORD_STAFF_ROLE must be a role id (Developer Mode → right-click the role → Copy Role ID); role names are not used',
  );
  return undefined;
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
  const dms = new DirectMessages(dmRest(opts.token, opts.api), log, opts.dmPacing ?? DEFAULT_DM_PACING);
  const listener = interactionListener({
    router: opts.router,
    log,
    staffRole: staffRoleId(opts.staffRole, log),
    defaultLocale: opts.defaultLocale,
    ack: { ...DEFAULT_ACK, ...opts.ack },
    now: opts.now ?? Date.now,
    dms,
    cards: opts.pulje.publicCards,
    ...(opts.onSettled ? { onSettled: opts.onSettled } : {}),
  });
  client.on(Events.InteractionCreate, listener);
  if (opts.messageContent) captureMessages(client, { router: opts.router, log, defaultLocale: opts.defaultLocale, dms });
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
    direct: directSender(dms, opts.pulje),
    async close() {
      // Answers in progress still need the token (channel posts, DMs), so the client goes last.
      await listener.drain(CLOSE_GRACE_MS);
      await client.destroy();
    },
  };
}
