import { isIPv4 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { MemoryStore, type RateLimitInfo, rateLimiter } from 'hono-rate-limiter';
import type { RateLimit } from '../../src/config/env.ts';
import type { WebConfig, WebEnv } from './context.ts';
import { errorResponse, refuse } from './errors.ts';

/**
 * When nothing is set: a youth club is often one address behind NAT, where a whole group signs in or votes in
 * the same minute, so per address is generous; one person is never that fast, so per person is tighter.
 */
export const RATE_LIMIT_DEFAULTS = {
  PULJE_RATE_LIMIT_SIGNIN_PERSON: { limit: 10, windowMs: 60_000 },
  PULJE_RATE_LIMIT_SIGNIN_ADDRESS: { limit: 60, windowMs: 60_000 },
  PULJE_RATE_LIMIT_INVITES_PERSON: { limit: 30, windowMs: 60_000 },
  PULJE_RATE_LIMIT_INVITES_ADDRESS: { limit: 120, windowMs: 60_000 },
  PULJE_RATE_LIMIT_MESSAGES_PERSON: { limit: 60, windowMs: 60_000 },
  PULJE_RATE_LIMIT_MESSAGES_ADDRESS: { limit: 600, windowMs: 60_000 },
} satisfies Record<string, RateLimit>;

/** sign-in: POST /signin, POST /api/session; invites: POST /api/invites, GET /invite/:token; messages: posting, pressing, submitting. */
export type RateRule = 'signin' | 'invites' | 'messages';
type Setting = keyof typeof RATE_LIMIT_DEFAULTS;

export interface RateLimits {
  /** Counts every request by the address it comes from; place it first, before any work is done. */
  byAddress(rule: RateRule): MiddlewareHandler<WebEnv>;
  /** Counts requests by `c.var.personId`; place it where the person is known (requests naming nobody pass). */
  byPerson(rule: RateRule): MiddlewareHandler<WebEnv>;
  close(): void;
}

/**
 * The address a request counts against. Behind a reverse proxy (PULJE_TRUST_PROXY) the socket is the proxy's,
 * and the client is the last X-Forwarded-For entry (the one the proxy itself added). IPv6 counts by /64: one
 * household or club network has a whole /64, as one IPv4 address is shared behind NAT.
 */
export function clientAddress(c: Context<WebEnv>, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  const address = forwarded || (c.env?.incoming ? getConnInfo(c).remote.address : undefined) || 'unknown';
  return addressKey(address);
}

export function addressKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (isIPv4(plain) || !plain.includes(':')) return plain;
  const [head = '', tail] = plain.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Rate limits with hono-rate-limiter (maintained, no dependencies): its key function and handler take the
 * request's context, so per-person keys and answers in the person's language need no hand-written limiter.
 * A fixed window per key, in a memory store that drops every key idle for a whole window: memory is bounded by
 * the keys seen in the last two windows (and per-address limits run first, so one address cannot mint keys
 * faster than its own limit). One store per rule and kind, shared by the rule's routes. The 429 answer is ours:
 * the error contract's JSON in the language the request has so far, with Retry-After in seconds.
 */
export function createRateLimits(config: WebConfig): RateLimits {
  const stores: MemoryStore<WebEnv>[] = [];
  const limiter = (setting: Setting, kind: 'address' | 'person'): MiddlewareHandler<WebEnv> => {
    const value =
      config.PULJE_RATE_LIMITS === 'off' ? null : config[setting] === undefined ? RATE_LIMIT_DEFAULTS[setting] : config[setting];
    if (!value) return async (_c, next) => next();
    const store = new MemoryStore<WebEnv>();
    stores.push(store);
    // Several limiters may run on one request: each keeps its own numbers.
    const property = `rateLimit:${setting}`;
    return rateLimiter<WebEnv>({
      windowMs: value.windowMs,
      limit: value.limit,
      store,
      standardHeaders: false,
      requestPropertyName: property,
      requestStorePropertyName: `${property}:store`,
      skip: (c) => kind === 'person' && !c.var.personId,
      keyGenerator: (c) => (kind === 'person' ? c.var.personId! : clientAddress(c, config.PULJE_TRUST_PROXY ?? false)),
      handler: (c) => {
        const info = c.get(property as never) as RateLimitInfo;
        const seconds = Math.max(1, Math.ceil(((info.resetTime?.getTime() ?? Date.now() + value.windowMs) - Date.now()) / 1000));
        return errorResponse(c, refuse(c, 429, 'rate_limited', 'web.error.rate_limited', { seconds }), { 'retry-after': String(seconds) });
      },
    });
  };
  const rules: Record<RateRule, { address: MiddlewareHandler<WebEnv>; person: MiddlewareHandler<WebEnv> }> = {
    signin: { address: limiter('PULJE_RATE_LIMIT_SIGNIN_ADDRESS', 'address'), person: limiter('PULJE_RATE_LIMIT_SIGNIN_PERSON', 'person') },
    invites: {
      address: limiter('PULJE_RATE_LIMIT_INVITES_ADDRESS', 'address'),
      person: limiter('PULJE_RATE_LIMIT_INVITES_PERSON', 'person'),
    },
    messages: {
      address: limiter('PULJE_RATE_LIMIT_MESSAGES_ADDRESS', 'address'),
      person: limiter('PULJE_RATE_LIMIT_MESSAGES_PERSON', 'person'),
    },
  };
  return {
    byAddress: (rule) => rules[rule].address,
    byPerson: (rule) => rules[rule].person,
    close: () => {
      for (const store of stores) store.shutdown();
    },
  };
}
