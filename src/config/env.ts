import { z } from 'zod';
import { LOCALES } from '../i18n/locale.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], 'true or false').transform((v) => v === 'true' || v === '1' || v === 'yes');

/** At most `limit` requests per `windowMs`; null: no limit. Unset, the web adapter's defaults apply. */
export type RateLimit = { limit: number; windowMs: number } | null;
const WINDOW_MS = { s: 1000, m: 60_000, h: 3600_000 } as const;
const rateLimit = z
  .string()
  .regex(/^(off|[1-9]\d{0,5}\/[1-9]\d{0,3}[smh])$/, 'a limit like 60/1m (requests per window of s, m or h) or off')
  .transform((v): RateLimit => {
    if (v === 'off') return null;
    const [, count, n, unit] = /^(\d+)\/(\d+)([smh])$/.exec(v)!;
    return { limit: Number(count), windowMs: Number(n) * WINDOW_MS[unit as keyof typeof WINDOW_MS] };
  });

/**
 * Every setting Pulje reads, validated once at start-up. Each entry's description is what the one-line error
 * says the variable expects; `.env.example` documents the same list.
 */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'a file:… path (SQLite) or a postgresql://… connection string')
    .optional(),
  // 0: any free port, told in the "Pulje is ready" log line (tests and scripts).
  PORT: z.coerce
    .number('a port number 1–65535 (0: any free port)')
    .int('a port number 1–65535 (0: any free port)')
    .min(0, 'a port number 1–65535 (0: any free port)')
    .max(65535, 'a port number 1–65535 (0: any free port)')
    .default(3000),
  HOST: z.string().min(1, 'a host name or address to listen on').default('127.0.0.1'),
  PULJE_LOCALE: z.enum(LOCALES, 'da or en').default('da'),
  PULJE_DEMO: bool.default(true),
  PULJE_PUBLIC_URL: z.url('an absolute http(s) URL, e.g. https://pulje.example.dk').optional(),
  PULJE_SECRET: z.string().min(32, 'at least 32 random characters (signs invite links)').optional(),
  /**
   * SQLite durability: `full` (default) syncs every commit to disk, so an acknowledged ballot survives an
   * operating-system crash or power loss; `normal` is faster but may lose the last commits on power loss.
   */
  PULJE_SQLITE_SYNC: z.enum(['full', 'normal'], 'full or normal').default('full'),
  /** Diagnostics: count SQL statements (GET /metrics shows them); costs a little CPU per statement. */
  PULJE_COUNT_STATEMENTS: bool.default(false),
  // Off: no rate limits at all (benchmarks that send a town's load from one address); unset or on: as set below.
  PULJE_RATE_LIMITS: z.enum(['on', 'off'], 'on or off').optional(),
  PULJE_RATE_LIMIT_SIGNIN_PERSON: rateLimit.optional(),
  PULJE_RATE_LIMIT_SIGNIN_ADDRESS: rateLimit.optional(),
  PULJE_RATE_LIMIT_INVITES_PERSON: rateLimit.optional(),
  PULJE_RATE_LIMIT_INVITES_ADDRESS: rateLimit.optional(),
  PULJE_RATE_LIMIT_MESSAGES_PERSON: rateLimit.optional(),
  PULJE_RATE_LIMIT_MESSAGES_ADDRESS: rateLimit.optional(),
  // Behind a reverse proxy every request comes from the proxy: the client is the last X-Forwarded-For entry.
  PULJE_TRUST_PROXY: bool.optional(),
  /**
   * Requests answered at once (the web chat's API and sign-in); beyond it a request is refused at once with 503
   * and Retry-After instead of queueing, so the accepted ones keep their speed.
   */
  PULJE_MAX_INFLIGHT: z.coerce.number('a whole number of requests').int('a whole number of requests').min(1, 'at least 1').optional(),
  /**
   * Listening sockets on the web chat's port (SO_REUSEPORT): each accepts one new connection per turn of the event
   * loop, so several keep a burst of new connections from waiting. Default 4 on Node.js 22.12 or later on Linux,
   * else 1 (Node 20 cannot).
   */
  PULJE_LISTEN_SOCKETS: z.coerce
    .number('a whole number of sockets')
    .int('a whole number of sockets')
    .min(1, 'at least 1')
    .max(64, 'at most 64')
    .optional(),
  /**
   * The share of its time the process may spend busy (event-loop utilization over the last quarter second,
   * 0–1) before new web requests are refused with 503 and Retry-After: past it they would only queue. 1 turns
   * it off. Default 0.98 (a web server built without this setting, as the tests build theirs, leaves it off).
   */
  PULJE_MAX_LOOP_UTILIZATION: z.coerce.number('a number from 0.1 to 1').min(0.1, 'at least 0.1').max(1, 'at most 1').default(0.98),
  /**
   * How long a process is trusted to be handling an event it claimed; a claim left by a process that died is
   * taken over after this (PostgreSQL; on SQLite at once at start-up). Milliseconds.
   */
  PULJE_CLAIM_LEASE_MS: z.coerce
    .number('milliseconds')
    .int('milliseconds')
    .min(500, 'at least 500 ms')
    .max(600_000, 'at most 600000 ms (10 minutes)')
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'one of fatal, error, warn, info, debug, trace, silent')
    .default('info'),
  OPENAI_BASE_URL: z.url('an absolute URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1').optional(),
  OPENAI_API_KEY: z.string().min(1, 'an API key').optional(),
  OPENAI_MODEL: z.string().min(1, 'a model name').optional(),
  /** How long one model request may take before it is given up (the SDK retries within MAX_RETRIES). */
  OPENAI_TIMEOUT_MS: z.coerce
    .number('milliseconds, 1000–600000')
    .int('milliseconds, 1000–600000')
    .min(1000, 'milliseconds, 1000–600000')
    .max(600_000, 'milliseconds, 1000–600000')
    .default(20_000),
  OPENAI_MAX_RETRIES: z.coerce
    .number('a whole number 0–5')
    .int('a whole number 0–5')
    .min(0, 'a whole number 0–5')
    .max(5, 'a whole number 0–5')
    .default(2),
  /** Days captured discussion text (and summaries) are kept for summaries; then only counts remain. */
  PULJE_RETENTION_DAYS: z.coerce
    .number('a whole number of days 1–365')
    .int('a whole number of days 1–365')
    .min(1, 'a whole number of days 1–365')
    .max(365, 'a whole number of days 1–365')
    .default(30),
  /** A person who has not used Pulje for this many months gets a pseudonym instead of their name (issue 15). */
  PULJE_INACTIVE_MONTHS: z.coerce
    .number('a whole number of months 1–120')
    .int('a whole number of months 1–120')
    .min(1, 'a whole number of months 1–120')
    .max(120, 'a whole number of months 1–120')
    .default(12),
  /** How long the audit of staff reads of young people's data is kept, in months. */
  PULJE_AUDIT_MONTHS: z.coerce
    .number('a whole number of months 1–120')
    .int('a whole number of months 1–120')
    .min(1, 'a whole number of months 1–120')
    .max(120, 'a whole number of months 1–120')
    .default(24),
  /** Run the scheduled jobs (deadlines, reminders, digests, purge) in this process. */
  PULJE_SCHEDULER: bool.default(true),
  DISCORD_TOKEN: z.string().min(1, 'the bot token from the Discord developer portal').optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'the numeric application id').optional(),
  DISCORD_STAFF_ROLE: z.string().min(1, 'a role name or id').optional(),
  /** Capture messages in bound channels (needs the privileged Message Content intent turned on for the bot). */
  DISCORD_MESSAGE_CONTENT: bool.default(false),
  DISCORD_SHARDS: z.union([z.literal('auto'), z.coerce.number().int().min(1)], 'auto or a whole number of shards').optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'a bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1, 'the signing secret of the Slack app').optional(),
  /** The Web API base, for GovSlack (https://slack-gov.com/api/) and tests; Slack's own by default. */
  SLACK_API_URL: z
    .url('an absolute URL of the Slack Web API ending in /api/, e.g. https://slack-gov.com/api/')
    .regex(/\/api\/$/, 'an absolute URL of the Slack Web API ending in /api/, e.g. https://slack-gov.com/api/')
    .optional(),
  /** OAuth install for several workspaces (/slack/install): the app's client id and secret from its settings. */
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, 'the Client ID from the Slack app settings, like 1234.5678')
    .optional(),
  SLACK_CLIENT_SECRET: z.string().min(1, 'the Client Secret from the Slack app settings').optional(),
  /** Signs the OAuth state; PULJE_SECRET when unset. */
  SLACK_STATE_SECRET: z.string().min(32, 'at least 32 random characters').optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'an app-level token starting with xapp- (Socket Mode)')
    .optional(),
});

/** A model needs a name wherever it is served; a base URL or key without one is a half-done setting. */
const withModelRule = envSchema.superRefine((c, ctx) => {
  if ((c.OPENAI_BASE_URL || c.OPENAI_API_KEY) && !c.OPENAI_MODEL)
    ctx.addIssue({ code: 'custom', path: ['OPENAI_MODEL'], message: 'a model name when OPENAI_BASE_URL or OPENAI_API_KEY is set' });
});

export type Config = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(
      `Config error: ${variable} must be ${expected}${got === undefined ? '' : ` (got ${JSON.stringify(got.length > 40 ? got.slice(0, 40) + '…' : got)})`}`,
    );
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as they do in most .env files. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = withModelRule.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    // Never echo a secret into a log line.
    const secret = /TOKEN|SECRET|KEY/.test(variable);
    throw new ConfigError(variable, issue.message, secret ? undefined : relevant[variable]);
  }
  return parsed.data;
}
