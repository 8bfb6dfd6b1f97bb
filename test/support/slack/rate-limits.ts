import type { Clock } from './clock.ts';

/**
 * Slack's Web API rate limits, "applied on a per API method per workspace/team per app basis"
 * (https://docs.slack.dev/apis/web-api/rate-limits, "Overview"): Tier 1 1+ per minute, Tier 2 20+, Tier 3 50+,
 * Tier 4 100+; a special tier for chat.postMessage, "generally one message per second per channel" with short
 * bursts allowed. A call over the limit answers HTTP 429 with a `Retry-After` header in seconds
 * (same page, "Responding to rate limiting conditions").
 *
 * The stand-in enforces the floor of each tier ("20+" → 20) in a sliding window, so an app that stays within
 * the documented floor never sees a 429 and one that exceeds it does. Tiers per method are from each method's
 * reference page (docs.slack.dev/reference/methods/<method>, "Rate limits").
 */
export type Tier = 1 | 2 | 3 | 4 | 'special';

export const METHOD_TIERS: Record<string, Tier> = {
  'auth.test': 'special',
  'chat.postMessage': 'special',
  'chat.postEphemeral': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.getPermalink': 'special',
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
  'conversations.open': 3,
  'conversations.info': 3,
  'conversations.members': 4,
  'users.info': 4,
  'usergroups.users.list': 2,
  'oauth.v2.access': 'special',
  'apps.connections.open': 1,
};

export const TIER_PER_MINUTE: Record<1 | 2 | 3 | 4, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

export interface BucketRule {
  /** Calls allowed in the window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Per-method overrides, e.g. `{ 'chat.update': { limit: 1, windowMs: 1000 } }` to provoke a 429 in a test. */
  methods?: Record<string, BucketRule>;
  /**
   * chat.postMessage per channel. Slack: about one a second with short bursts; the stand-in allows `limit`
   * posts per channel in any `windowMs` (default 3 in 1 s: a burst of three, then one a second).
   */
  postMessagePerChannel?: BucketRule;
  /** Special-tier methods other than chat.postMessage are not documented with a number; the stand-in uses this (default Tier 4). */
  special?: BucketRule;
  /** false: no automatic limits at all (scripted 429s still apply). */
  enabled?: boolean;
}

export interface RateLimitDecision {
  limited: boolean;
  /** Whole seconds until a call would be accepted (Slack sends integers). */
  retryAfterSeconds: number;
  bucket: string;
}

/** Sliding-window buckets keyed by app × team × method (and channel for chat.postMessage). */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RateLimitOptions = {},
  ) {}

  rule(method: string): BucketRule | undefined {
    const override = this.options.methods?.[method];
    if (override) return override;
    // apps.connections.open is Tier 1, but Slack itself asks clients to reconnect (disconnect: refresh_requested),
    // so its floor of 1 a minute would refuse Slack's own protocol: limited only when configured.
    if (method === 'apps.connections.open') return undefined;
    const tier = METHOD_TIERS[method];
    if (tier === undefined) return undefined;
    if (tier === 'special') {
      return method === 'chat.postMessage' ? undefined : (this.options.special ?? { limit: TIER_PER_MINUTE[4], windowMs: 60_000 });
    }
    return { limit: TIER_PER_MINUTE[tier], windowMs: 60_000 };
  }

  /** Records the call if it is allowed; a limited call is not counted (Slack did not perform it). */
  take(teamId: string, method: string, channel?: string): RateLimitDecision {
    if (this.options.enabled === false) return { limited: false, retryAfterSeconds: 0, bucket: '' };
    const checks: Array<[string, BucketRule]> = [];
    const rule = this.rule(method);
    if (rule) checks.push([`${teamId}:${method}`, rule]);
    if (method === 'chat.postMessage' && channel) {
      checks.push([`${teamId}:${method}:${channel}`, this.options.postMessagePerChannel ?? { limit: 3, windowMs: 1000 }]);
    }
    const now = this.clock.now();
    for (const [key, r] of checks) {
      const hits = (this.#hits.get(key) ?? []).filter((t) => t > now - r.windowMs);
      this.#hits.set(key, hits);
      if (hits.length >= r.limit) {
        const oldest = hits[0] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + r.windowMs - now) / 1000));
        return { limited: true, retryAfterSeconds, bucket: key };
      }
    }
    for (const [key] of checks) this.#hits.get(key)?.push(now);
    return { limited: false, retryAfterSeconds: 0, bucket: checks[0]?.[0] ?? '' };
  }
}
