import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitError, REST, Routes } from 'discord.js';
import type { FittedMessage, Logger } from '../../src/conversation/index.ts';
import { CANNOT_DM, discordCode } from './errors.ts';
import { isEmpty, renderMessage } from './render.ts';

/** 'closed': the person does not take DMs from this server (Discord 50007). */
export type DirectResult = 'sent' | 'closed' | 'failed';

export interface DmPacing {
  /** Least time between two DM requests (opening a DM channel, sending into one). */
  intervalMs: number;
  /** How often one request is tried again after a 429 before the DM counts as failed. */
  retries: number;
}

/**
 * Discord publishes no DM limit, but sending many DMs quickly is what spam bots do, and its per-route buckets are
 * per DM channel, so discord.js alone would send one to every member at once. One a second keeps a reminder to a
 * group of 30 within half a minute and never looks like a burst.
 */
export const DEFAULT_DM_PACING: DmPacing = { intervalMs: 1000, retries: 3 };

/**
 * Direct messages over REST alone, so they work in any process (a shard, or the sharding manager, which has no
 * gateway connection). Sent one at a time, `intervalMs` apart, whoever asks (receipts, reminders); after a 429 the
 * next request waits as long as Discord said, whichever DM channel it is for. Copies carry no buttons: a DM is
 * bound to no group, so they would not work.
 */
export class DirectMessages {
  readonly #rest: REST;
  #queue: Promise<unknown> = Promise.resolve();
  /** performance.now() before which no DM request may go out. */
  #nextAt = 0;
  /** DM channel per user (Discord returns the same one each time): saves a request per DM. */
  readonly #channels = new Map<string, string>();

  /** `rest` must be constructed by `dmRest` (rate limits reach this class instead of being waited out inside). */
  constructor(
    rest: REST,
    private readonly log: Logger,
    private readonly pacing: DmPacing = DEFAULT_DM_PACING,
  ) {
    this.#rest = rest;
  }

  /** `controls`: keep the buttons (Pulje's notices, whose controls need only the person: a reminder's opt-out). */
  send(userId: string, messages: readonly FittedMessage[], opts: { controls?: boolean } = {}): Promise<DirectResult> {
    const turn = this.#queue.then(() => this.#deliver(userId, messages, opts.controls ?? false));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #deliver(userId: string, messages: readonly FittedMessage[], controls: boolean): Promise<DirectResult> {
    try {
      const channelId = await this.#channel(userId);
      for (const message of messages) {
        const { content, embeds, components } = renderMessage(message, { controls });
        if (isEmpty({ content, embeds, components, allowedMentions: { parse: [] } })) continue;
        await this.#paced(() =>
          this.#rest.post(Routes.channelMessages(channelId), {
            body: { ...(content ? { content } : {}), embeds, components, allowed_mentions: { parse: [] } },
          }),
        );
      }
      return 'sent';
    } catch (error) {
      if (discordCode(error) === CANNOT_DM) return 'closed';
      this.log.warn({ err: error, userId }, 'discord: could not send a direct message');
      return 'failed';
    }
  }

  async #channel(userId: string): Promise<string> {
    const known = this.#channels.get(userId);
    if (known) return known;
    const dm = (await this.#paced(() => this.#rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))) as { id: string };
    if (this.#channels.size >= 10_000) this.#channels.delete(this.#channels.keys().next().value!);
    this.#channels.set(userId, dm.id);
    return dm.id;
  }

  async #paced<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const wait = this.#nextAt - performance.now();
      if (wait > 0) await sleep(wait);
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof RateLimitError) || attempt >= this.pacing.retries) throw error;
        this.log.info({ retryAfterMs: error.retryAfter, route: error.route }, 'discord: DMs rate-limited; holding them back');
        this.#nextAt = performance.now() + Math.max(this.pacing.intervalMs, error.retryAfter);
      } finally {
        // Counted from the answer, so requests reach Discord spaced however long each took on the way.
        this.#nextAt = Math.max(this.#nextAt, performance.now() + this.pacing.intervalMs);
      }
    }
  }
}

/** A REST client for DMs: on a rate limit it throws instead of waiting, so DirectMessages holds every DM back. */
export function dmRest(token: string, api: string | undefined): REST {
  return new REST({ ...(api ? { api } : {}), rejectOnRateLimit: () => true }).setToken(token);
}
