import { createHash } from 'node:crypto';

/*
 * HTTP rate limits as Discord describes them (developers/topics/rate-limits):
 * - per-route buckets, counted separately per top-level resource in the path ("major parameter": channel_id,
 *   guild_id, webhook_id + webhook_token) — section "Rate Limits", second paragraph;
 * - a global limit of 50 requests a second per bot — section "Global Rate Limit";
 * - interaction callbacks and interaction webhooks are not bound to the global limit — same section, and
 *   interactions/receiving-and-responding § "Endpoints";
 * - interaction webhooks "share the same rate limit properties as normal webhooks" — receiving-and-responding
 *   § "Followup Messages";
 * - every response carries X-RateLimit-Limit / -Remaining / -Reset / -Reset-After / -Bucket; a 429 also carries
 *   Retry-After, X-RateLimit-Scope and (global only) X-RateLimit-Global, with a body
 *   {message, retry_after, global} — sections "Header Format" and "Exceeding A Rate Limit".
 *
 * Discord publishes no per-route numbers ("rate limits should not be hard coded into your app"). Of the defaults
 * below, 5 per 5 s per channel for messages and 5 per 2 s per webhook are what Discord's headers commonly report;
 * the others are this stand-in's choice. Every one is configurable so a test can reach a limit in a few requests. Windows run on real time (not the stand-in's ManualClock): discord.js
 * sleeps for Reset-After on the real clock, so a frozen window would never reopen.
 *
 * One deviation: Discord's Retry-After header holds whole seconds; the stand-in keeps fractions (as in
 * retry_after) so that tests with 100 ms windows stay fast. discord.js reads either.
 */

export type BucketName =
  | 'message-create'
  | 'message-edit'
  | 'message-delete'
  | 'thread-create'
  | 'dm-open'
  | 'dm-send'
  | 'webhook'
  | 'interaction-callback'
  | 'commands'
  | 'route';

export interface BucketLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in ms (X-RateLimit-Reset-After at the window's start). */
  windowMs: number;
}

export interface RateLimitConfig {
  /** All requests of the bot (Discord: 50 a second); false lifts it. */
  global?: BucketLimit | false;
  /** Per-route buckets; unnamed ones keep their defaults. */
  buckets?: Partial<Record<BucketName, BucketLimit>>;
}

export const DEFAULT_GLOBAL_LIMIT: BucketLimit = { limit: 50, windowMs: 1000 };

/**
 * What each bucket holds, per major parameter:
 * - message-create: POST /channels/{id}/messages (and forum/thread starts with a message), per channel;
 * - message-edit / message-delete: PATCH / DELETE /channels/{id}/messages/{id}, per channel;
 * - thread-create: POST /channels/{id}/threads and …/messages/{id}/threads, per channel;
 * - dm-open: POST /users/@me/channels, per bot;
 * - dm-send: messages into any DM channel, per bot (on top of the DM channel's own message-create bucket), so a
 *   burst of DMs to many people is throttled even though each goes to a different channel;
 * - webhook: every /webhooks/{id}/{token}… route (interaction follow-ups and @original edits included), per
 *   webhook id + token, i.e. per interaction;
 * - interaction-callback: POST /interactions/{id}/{token}/callback, per interaction;
 * - commands: every application-command route, per bot (its paths have no top-level resource);
 * - route: anything else, per method + path template + major parameter.
 */
export const DEFAULT_BUCKETS: Readonly<Record<BucketName, BucketLimit>> = {
  'message-create': { limit: 5, windowMs: 5000 },
  'message-edit': { limit: 5, windowMs: 5000 },
  'message-delete': { limit: 5, windowMs: 1000 },
  'thread-create': { limit: 5, windowMs: 5000 },
  'dm-open': { limit: 5, windowMs: 5000 },
  'dm-send': { limit: 5, windowMs: 5000 },
  webhook: { limit: 5, windowMs: 2000 },
  'interaction-callback': { limit: 5, windowMs: 1000 },
  commands: { limit: 10, windowMs: 10_000 },
  route: { limit: 50, windowMs: 1000 },
};

export type RateLimitScope = 'user' | 'global' | 'shared';

/** One 429 the stand-in answered (real or scripted with rateLimitNext). */
export interface Throttle {
  /** Real time (ms since the epoch) of the refused request. */
  at: number;
  method: string;
  path: string;
  template: string;
  bucket: BucketName | 'global';
  major: string;
  scope: RateLimitScope;
  global: boolean;
  /** Seconds, as in the body's retry_after. */
  retryAfter: number;
  /** True when a test scripted it (rateLimitNext) rather than a bucket running out. */
  scripted: boolean;
}

export interface RouteFacts {
  method: string;
  template: string;
  params: Record<string, string>;
  /** Whether a channel id names a DM channel. */
  isDm(channelId: string): boolean;
  /** Whether a webhook token is an interaction token (those routes are outside the global limit). */
  isInteractionToken(token: string): boolean;
}

interface Window {
  remaining: number;
  resetAt: number;
}

interface BucketRef {
  name: BucketName;
  major: string;
  /** The X-RateLimit-Bucket value: the same for every major parameter (the docs: "non-inclusive of top-level resources"). */
  hash: string;
  key: string;
}

export interface RateVerdict {
  /** Headers for the response (the primary bucket's state after this request). */
  headers: Record<string, string>;
  /** Set when the request is refused with 429. */
  refused?: { body: Record<string, unknown>; throttle: Omit<Throttle, 'at' | 'method' | 'path' | 'template'> };
}

const hashOf = (name: string): string => createHash('sha256').update(`pulje-standin:${name}`).digest('hex').slice(0, 32);
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

export class RateLimiter {
  global: BucketLimit | false;
  readonly buckets: Record<BucketName, BucketLimit>;
  readonly #windows = new Map<string, Window>();
  #globalWindow: Window | undefined;

  constructor(
    config: RateLimitConfig = {},
    private readonly now: () => number = Date.now,
  ) {
    this.global = config.global === undefined ? { ...DEFAULT_GLOBAL_LIMIT } : config.global;
    this.buckets = { ...DEFAULT_BUCKETS, ...config.buckets };
  }

  /** Changes a bucket's limit from now on (open windows are dropped). */
  set(name: BucketName | 'global', limit: BucketLimit | false): void {
    if (name === 'global') {
      this.global = limit;
      this.#globalWindow = undefined;
      return;
    }
    if (limit === false) throw new Error('Discord stand-in: only the global limit can be lifted');
    this.buckets[name] = limit;
    for (const key of [...this.#windows.keys()]) if (key.startsWith(`${name}:`)) this.#windows.delete(key);
  }

  /** The buckets a request counts against, the one whose headers it gets first. */
  bucketsFor(r: RouteFacts): BucketRef[] {
    const { method, template, params } = r;
    const ref = (name: BucketName, major: string, discriminator: string = name): BucketRef => ({
      name,
      major,
      hash: hashOf(discriminator),
      key: `${name}:${discriminator}:${major}`,
    });
    const channel = params.channel_id ?? '';
    if (template === '/interactions/{interaction_id}/{interaction_token}/callback')
      return [ref('interaction-callback', params.interaction_id ?? '')];
    if (template.startsWith('/webhooks/{webhook_id}/{webhook_token}'))
      return [ref('webhook', `${params.webhook_id ?? ''}/${params.webhook_token ?? ''}`)];
    if (template.startsWith('/applications/{application_id}/') && template.includes('/commands')) return [ref('commands', '')];
    if (method === 'POST' && template === '/users/@me/channels') return [ref('dm-open', '')];
    if (method === 'POST' && template === '/channels/{channel_id}/messages') {
      const out = [ref('message-create', channel)];
      if (r.isDm(channel)) out.push(ref('dm-send', ''));
      return out;
    }
    if (method === 'PATCH' && template === '/channels/{channel_id}/messages/{message_id}') return [ref('message-edit', channel)];
    if (method === 'DELETE' && template === '/channels/{channel_id}/messages/{message_id}') return [ref('message-delete', channel)];
    if (
      method === 'POST' &&
      (template === '/channels/{channel_id}/threads' || template === '/channels/{channel_id}/messages/{message_id}/threads')
    )
      return [ref('thread-create', channel)];
    const major = /^\/(channels|guilds)\/\{(channel_id|guild_id)\}/.test(template) ? (params.channel_id ?? params.guild_id ?? '') : '';
    return [ref('route', major, `${method} ${template}`)];
  }

  /** Interaction endpoints are not bound to the global limit (rate-limits § Global Rate Limit). */
  exemptFromGlobal(r: RouteFacts): boolean {
    if (r.template === '/interactions/{interaction_id}/{interaction_token}/callback') return true;
    return r.template.startsWith('/webhooks/{webhook_id}/{webhook_token}') && r.isInteractionToken(r.params.webhook_token ?? '');
  }

  /** Counts the request, or refuses it with what Discord would answer. */
  take(r: RouteFacts): RateVerdict {
    const now = this.now();
    const refs = this.bucketsFor(r);
    const primary = refs[0]!;
    if (this.global && !this.exemptFromGlobal(r)) {
      const g = this.#open('global', this.global, now, true);
      if (g.remaining <= 0) {
        const retryAfter = Number(seconds(g.resetAt - now));
        return {
          // The docs' global 429 example carries only these headers.
          headers: { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
          refused: {
            body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
            throttle: { bucket: 'global', major: '', scope: 'global', global: true, retryAfter, scripted: false },
          },
        };
      }
    }
    for (const ref of refs) {
      const limit = this.buckets[ref.name];
      const w = this.#open(ref.key, limit, now);
      if (w.remaining <= 0) {
        const retryAfter = Number(seconds(w.resetAt - now));
        return {
          headers: { ...this.#headers(ref, limit, w, now), 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' },
          refused: {
            body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
            throttle: { bucket: ref.name, major: ref.major, scope: 'user', global: false, retryAfter, scripted: false },
          },
        };
      }
    }
    if (this.global && !this.exemptFromGlobal(r)) this.#globalWindow!.remaining--;
    for (const ref of refs) this.#windows.get(ref.key)!.remaining--;
    const limit = this.buckets[primary.name];
    return { headers: this.#headers(primary, limit, this.#windows.get(primary.key)!, now) };
  }

  /** Headers for a 429 a test scripted: the primary bucket shown as exhausted until retryAfter. */
  scripted(r: RouteFacts, retryAfter: number, global: boolean): RateVerdict {
    const now = this.now();
    const ref = this.bucketsFor(r)[0]!;
    const limit = this.buckets[ref.name];
    const w: Window = { remaining: 0, resetAt: now + retryAfter * 1000 };
    return {
      headers: {
        ...this.#headers(ref, limit, w, now),
        'retry-after': String(retryAfter),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
      refused: {
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global, ...(global ? {} : { code: 0 }) },
        throttle: {
          bucket: global ? 'global' : ref.name,
          major: ref.major,
          scope: global ? 'global' : 'user',
          global,
          retryAfter,
          scripted: true,
        },
      },
    };
  }

  #open(key: string, limit: BucketLimit, now: number, global = false): Window {
    let w = global ? this.#globalWindow : this.#windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { remaining: limit.limit, resetAt: now + limit.windowMs };
      if (global) this.#globalWindow = w;
      else this.#windows.set(key, w);
    }
    return w;
  }

  #headers(ref: BucketRef, limit: BucketLimit, w: Window, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, w.remaining)),
      'x-ratelimit-reset': (w.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': seconds(w.resetAt - now),
      'x-ratelimit-bucket': ref.hash,
    };
  }
}
