import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type ClientOptions, type Interaction } from 'discord.js';
import { onTestFinished } from 'vitest';
import { startDiscordStandIn, type DiscordStandIn, type DiscordStandInOptions } from './stand-in.ts';

/*
 * Helpers for tests that drive the real discord.js Client against the stand-in. Everything here waits on events
 * (client events or stand-in records), never on timers.
 */

/** A discord.js Client aimed at the stand-in, with mentions parsing nothing by default (as Pulje configures it). */
export function standInClient(discord: DiscordStandIn, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...options,
    rest: { ...options.rest, api: discord.apiBase },
  });
}

/** Logs in and resolves once the client is ready (READY plus every GUILD_CREATE). */
export async function loginReady(client: Client, discord: DiscordStandIn): Promise<Client<true>> {
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return client as Client<true>;
}

/**
 * For a vitest test: a stand-in and a logged-in, ready client, both shut down when the test ends. The test then
 * also fails if the stand-in recorded a violation or error it did not take (takeViolations / takeErrors).
 */
export async function connectStandIn(
  options: DiscordStandInOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<{ discord: DiscordStandIn; client: Client<true> }> {
  const discord = await startDiscordStandIn(options);
  const client = standInClient(discord, clientOptions);
  onTestFinished(async () => {
    await client.destroy();
    await discord.close();
    discord.assertNoProblems();
  });
  await loginReady(client, discord);
  return { discord, client: client as Client<true> };
}

/**
 * The next `count` interactions the client emits (matching `filter`), in order. The timeout is a safety net
 * that turns a missing event into a clear failure; it is not used to sequence anything.
 */
export function nextInteractions(
  client: Client,
  count: number,
  filter: (i: Interaction) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Interaction[]> {
  return new Promise((resolve, reject) => {
    const seen: Interaction[] = [];
    const timer = setTimeout(() => {
      client.off(Events.InteractionCreate, listener);
      reject(new Error(`discord.js emitted ${seen.length} of ${count} expected interactions within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (i: Interaction): void => {
      if (!filter(i)) return;
      seen.push(i);
      if (seen.length === count) {
        clearTimeout(timer);
        client.off(Events.InteractionCreate, listener);
        resolve(seen);
      }
    };
    client.on(Events.InteractionCreate, listener);
  });
}

export async function nextInteraction(client: Client, filter?: (i: Interaction) => boolean, timeoutMs?: number): Promise<Interaction> {
  const [i] = await nextInteractions(client, 1, filter, timeoutMs);
  return i!;
}

const BARRIER = 'PULJE_STANDIN_BARRIER';
let barriers = 0;

/**
 * Resolves once the client has received a marker dispatched now. The gateway delivers in order, so every dispatch
 * sent before the barrier has reached the client by then: a test can assert that something did NOT arrive.
 */
export function gatewayBarrier(discord: DiscordStandIn, client: Client, timeoutMs = 10_000): Promise<void> {
  const nonce = `${process.pid}-${++barriers}`;
  const seen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(Events.Raw, listener);
      reject(new Error(`the client did not receive the gateway barrier within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (packet: { t?: string; d?: { nonce?: string } }): void => {
      if (packet.t === BARRIER && packet.d?.nonce === nonce) {
        clearTimeout(timer);
        client.off(Events.Raw, listener);
        resolve();
      }
    };
    client.on(Events.Raw, listener);
  });
  discord.dispatch(BARRIER, { nonce });
  return seen;
}
