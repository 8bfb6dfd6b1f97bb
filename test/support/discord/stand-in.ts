import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock.ts';
import { DiscordHttpError, invalidFormBody } from './errors.ts';
import { ChannelKind, makeGuild, makeMember, makeRole, makeUser, THREAD_TYPES, type GuildFixture, type UserObject } from './factories.ts';
import { FakeGateway, Intent, type GatewaySession, type GatewayStats, type PrivilegedIntentName } from './gateway.ts';
import * as sim from './interactions.ts';
import {
  SETTABLE_FLAGS,
  checkAutocompleteLimits,
  checkFlags,
  checkMentions,
  checkMessageLimits,
  checkModalLimits,
  type MentionStrictness,
} from './limits.ts';
import { toPermissionBits, type PermissionInput } from './permissions.ts';
import { CommandPermissionType, type CommandPermission } from './command-access.ts';
import { checkCommand, checkCommandSet, type CommandCheckContext } from './commands.ts';
import { DEFAULT_RULES, type StandInRules } from './rules.ts';
import { RateLimiter, type BucketLimit, type BucketName, type RateLimitConfig, type RouteFacts, type Throttle } from './ratelimits.ts';
import { buildRoutes, guildObject, hidesContent, type Handler } from './rest.ts';
import { DiscordSpec, defaultSpecPath, type SchemaIssue, type SpecRoute } from './spec.ts';
import {
  Store,
  type CallbackAttempt,
  type InteractionEdit,
  type InteractionRecord,
  type InteractionResponse,
  type RegisteredCommand,
  type StoredMessage,
  type UploadedFile,
} from './state.ts';
import { Waiters } from './waiters.ts';

export interface DiscordStandInOptions {
  /** The bot token clients must log in with (REST Authorization and gateway IDENTIFY). */
  token?: string;
  /** The bot user; a fresh one named "pulje" unless given. */
  bot?: UserObject;
  /** Defaults to the bot user's id, as for applications created since 2020. */
  applicationId?: string;
  /** Guilds the bot is in. Default: one guild with #generelt and one member besides its owner. */
  guilds?: GuildFixture[];
  /** Users known outside any guild (for DMs and user lookups). */
  users?: UserObject[];
  /** Ids of users whose DMs are closed: sending to them answers 403 {code: 50007}. */
  closedDms?: string[];
  /** Extra permissions for the bot, as a managed role in every guild (on top of @everyone). */
  botPermissions?: PermissionInput;
  /** Stand-in time for deadlines, token lifetimes and timestamps; the system clock unless given (see ManualClock). */
  clock?: Clock;
  /** First callback later than this after the interaction's creation (its snowflake time) gets 404 {code: 10062}. Discord: 3000. */
  interactionDeadlineMs?: number;
  /** Webhook edits and follow-ups are accepted this long after the interaction's creation. Discord: 15 minutes. */
  webhookLifetimeMs?: number;
  /** HELLO's heartbeat_interval. Discord uses about 41 s; tests that watch heartbeats set it low. */
  heartbeatIntervalMs?: number;
  /** List guilds as unavailable in READY and then send GUILD_CREATE for each (default); false: READY with no guilds. */
  sendGuilds?: boolean;
  /** Who must set allowed_mentions that parse nothing: see MentionStrictness. Default 'user-text'. */
  mentionStrictness?: MentionStrictness;
  /** The OpenAPI spec file; DISCORD_OPENAPI_SPEC, else the copy in test/fixtures/discord/openapi.json. */
  specPath?: string;
  /** Safety-net timeout for the waitFor… helpers (they wait on events, this only bounds a broken test). */
  waitTimeoutMs?: number;
  /**
   * Per-route buckets and the global limit (see ratelimits.ts for what each bucket holds and its default).
   * Tests that want to reach a limit quickly set e.g. `{ buckets: { 'dm-send': { limit: 2, windowMs: 200 } } }`.
   */
  rateLimits?: RateLimitConfig;
  /** The clock rate-limit windows run on: real time unless given (discord.js waits on the real clock). */
  rateLimitClock?: Clock;
  /** Stricter rules, all on unless switched off (see rules.ts: only for adapter defects still to be fixed). */
  rules?: Partial<StandInRules>;
  /** Application command creates allowed per scope per day. Discord: 200. */
  dailyCommandCreates?: number;
  /**
   * Privileged intents enabled for the app in the Developer Portal (events/gateway § Privileged Intents). None by
   * default, as for a new app: IDENTIFY asking for one that is not enabled is closed with 4014.
   */
  privilegedIntents?: PrivilegedIntentName[];
  /** Gateway events a client may send per connection per window. Discord: 120 per 60 s. */
  gatewaySendLimit?: { limit: number; windowMs: number };
  /** Global commands registered before the test (as by an earlier deploy); validated like a bulk overwrite. */
  commands?: Array<Record<string, unknown>>;
  /** Installation contexts the app supports (0 guild install, 1 user install); global commands may use only these. Default [0]. */
  integrationTypes?: number[];
}

export interface RecordedRequest {
  /** On the stand-in's clock (a ManualClock if one is given). */
  at: number;
  /** Real time (ms since the epoch), for asserting how requests were spread out. */
  realAt: number;
  method: string;
  /** Path below /api/v10, decoded as routed (e.g. /webhooks/1/tok/messages/@original). */
  path: string;
  /** The spec's template for it, when there is one. */
  template?: string;
  query: string;
  /** The JSON body (for multipart: payload_json). */
  body: unknown;
  /** Files of a multipart request. */
  files: UploadedFile[];
  status: number;
  response: unknown;
  /** The rate-limit headers it was answered with (lower-case names). */
  rateLimit?: Record<string, string>;
}

export interface Violation {
  at: number;
  method: string;
  path: string;
  template: string;
  /**
   * schema: the OpenAPI request schema; limits: Discord's documented limits; mentions: the allowed_mentions policy;
   * commands: application-commands' documented rules; json: unparsable body.
   */
  sources: Array<'schema' | 'limits' | 'mentions' | 'commands' | 'json'>;
  issues: SchemaIssue[];
  body: unknown;
}

export interface StandInError {
  at: number;
  /** route: not a Discord route; unimplemented: a Discord route the stand-in lacks; auth; gateway; handler: the stand-in crashed. */
  kind: 'route' | 'unimplemented' | 'auth' | 'gateway' | 'handler';
  message: string;
  detail?: unknown;
}

export type RoutePattern = string | RegExp | ((method: string, path: string, template: string) => boolean);

export interface RateLimitOptions {
  /** Seconds, as in Discord's retry_after (fractions allowed so tests stay fast). */
  retryAfter: number;
  global?: boolean;
  /** How many matching requests to refuse (default 1). */
  times?: number;
}

export interface AcknowledgedInteraction extends InteractionRecord {
  response: InteractionResponse;
}

/** Starts a fake Discord (REST + gateway) on 127.0.0.1 and a random port. */
export async function startDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
  const standIn = new DiscordStandIn(options);
  await standIn.listen();
  return standIn;
}

export class DiscordStandIn {
  readonly token: string;
  readonly bot: UserObject;
  readonly applicationId: string;
  readonly clock: Clock;
  readonly spec: DiscordSpec;
  readonly store: Store;
  readonly gateway: FakeGateway;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests refused with 50035 because of their body. */
  readonly violations: Violation[] = [];
  /** Things that should never happen in a passing test: unknown routes, auth failures, stand-in crashes. */
  readonly errors: StandInError[] = [];
  mentionStrictness: MentionStrictness;
  readonly interactionDeadlineMs: number;
  readonly webhookLifetimeMs: number;
  readonly rules: StandInRules;
  readonly integrationTypes: readonly number[];
  /** Bits of the privileged intents enabled for the app (see enablePrivilegedIntents). */
  privilegedIntents: number;

  readonly #server: Server;
  readonly #routes: Map<string, Handler>;
  readonly #waiters: Waiters;
  readonly #rateLimits: Array<{ pattern: RoutePattern; opts: RateLimitOptions; left: number }> = [];
  /** Per-route buckets and the global limit. */
  readonly limiter: RateLimiter;
  /** Every 429 answered (bucket exhausted or scripted), in order. discord.js retries them itself. */
  readonly throttles: Throttle[] = [];
  readonly #rateLimitClock: Clock;
  readonly #sendGuilds: boolean;
  #port = 0;
  #defaultUser: UserObject;
  #seed: Array<Record<string, unknown>> | undefined;

  constructor(options: DiscordStandInOptions = {}) {
    this.token = options.token ?? 'standin-bot-token';
    this.bot = options.bot ?? makeUser({ username: 'pulje', globalName: 'Pulje', bot: true });
    this.applicationId = options.applicationId ?? this.bot.id;
    this.clock = options.clock ?? systemClock;
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
    this.webhookLifetimeMs = options.webhookLifetimeMs ?? 15 * 60_000;
    this.mentionStrictness = options.mentionStrictness ?? 'user-text';
    this.rules = { ...DEFAULT_RULES, ...options.rules };
    this.integrationTypes = options.integrationTypes ?? [0];
    this.privilegedIntents = (options.privilegedIntents ?? []).reduce((bits, name) => bits | Intent[name], 0);
    this.#sendGuilds = options.sendGuilds ?? true;
    this.spec = DiscordSpec.load(options.specPath ?? defaultSpecPath());
    this.store = new Store(this.clock, this.bot, this.applicationId);
    this.#waiters = new Waiters(options.waitTimeoutMs ?? 10_000, () => this.#summary());
    this.#rateLimitClock = options.rateLimitClock ?? systemClock;
    this.limiter = new RateLimiter(options.rateLimits, () => this.#rateLimitClock.now());

    let guilds = options.guilds;
    if (!guilds) {
      const member = makeUser({ username: 'ung1', globalName: 'Ung Et' });
      guilds = [makeGuild({ name: 'Pulje test', members: [makeMember(member)] })];
    }
    const botRoleBits = options.botPermissions === undefined ? undefined : toPermissionBits(options.botPermissions);
    for (const g of guilds) {
      if (botRoleBits !== undefined && !g.members.some((m) => m.user.id === this.bot.id)) {
        const role = makeRole({ name: this.bot.username, permissions: botRoleBits, position: g.roles.length });
        role.managed = true;
        role.tags = { bot_id: this.bot.id };
        g.roles.push(role);
        g.members.push(makeMember(this.bot, { roles: [role] }));
      }
      this.store.addGuild(g);
    }
    for (const u of options.users ?? []) this.store.users.set(u.id, u);
    for (const id of options.closedDms ?? []) this.store.closedDms.add(id);
    const first = guilds[0];
    this.#seed = options.commands;
    this.#defaultUser =
      first?.members.find((m) => m.user.id !== this.bot.id && m.user.id !== first.ownerId)?.user ??
      first?.members.find((m) => m.user.id !== this.bot.id)?.user ??
      makeUser({ username: 'ung' });
    this.store.users.set(this.#defaultUser.id, this.#defaultUser);

    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      now: () => this.clock.now(),
      readyPayload: (session) => this.#readyPayload(session),
      enabledPrivilegedIntents: () => this.privilegedIntents,
      sendLimit: options.gatewaySendLimit ?? { limit: 120, windowMs: 60_000 },
      afterReady: (session) =>
        this.#sendGuilds ? [...this.store.guilds.values()].map((g) => ({ t: 'GUILD_CREATE', d: this.#guildCreate(g, session) })) : [],
      requestGuildMembers: (d) => this.#membersChunk(d),
      recordError: (kind, message, detail) => this.#error(kind === 'gateway' ? 'gateway' : 'handler', message, detail),
      notify: () => this.#waiters.notify(),
    });
    this.#routes = buildRoutes({
      store: this.store,
      clock: this.clock,
      gatewayUrl: () => this.gatewayUrl,
      interactionDeadlineMs: this.interactionDeadlineMs,
      webhookLifetimeMs: this.webhookLifetimeMs,
      privilegedIntents: () => this.privilegedIntents,
      applicationFlags: () => this.applicationFlags,
      dailyCommandCreates: options.dailyCommandCreates ?? 200,
      announce: (t, channelId, d, opts) => this.#announce(t, channelId, d, opts?.message),
    });
    if (this.#seed) this.seedCommands(this.#seed);
    for (const key of this.#routes.keys()) {
      const [method, template] = key.split(' ') as [string, string];
      if (!this.spec.routes.some((r) => r.method === method && r.template === template)) {
        throw new Error(`Discord stand-in: handler ${key} matches no operation in the OpenAPI spec`);
      }
    }
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        this.#error('handler', `${req.method ?? '?'} ${req.url ?? '?'} crashed the stand-in: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.gateway.attach(this.#server);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    // The callback schema takes a few hundred ms to compile; do it now rather than inside a 3-second window.
    this.spec.warm([this.spec.bodyKey('POST', '/interactions/{interaction_id}/{interaction_token}/callback')!]);
  }

  get port(): number {
    return this.#port;
  }

  /** What to pass as `rest: { api }` to discord.js (it appends /v10 itself). */
  get apiBase(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  get stats(): GatewayStats {
    return this.gateway.stats;
  }

  get guilds(): GuildFixture[] {
    return [...this.store.guilds.values()];
  }

  get defaultGuild(): GuildFixture {
    const g = this.guilds[0];
    if (!g) throw new Error('Discord stand-in: no guilds');
    return g;
  }

  /** The default guild's first text channel. */
  get defaultChannelId(): string {
    const c = this.defaultGuild.channels.find((x) => x.type === ChannelKind.GuildText);
    if (!c) throw new Error('Discord stand-in: the default guild has no text channel');
    return c.id;
  }

  /** Who acts when a send… call names no user: the default guild's first member who is neither bot nor owner. */
  get defaultUser(): UserObject {
    return this.#defaultUser;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ── acting as users ───────────────────────────────────────────────────────────────────────────────────────

  /** A user runs a slash command; returns the interaction's record at once (use waitForResponse for the answer). */
  sendSlashCommand(opts: sim.SlashCommandOptions): InteractionRecord {
    return sim.slashCommand(this.#deps(), opts);
  }

  /** A user types in an option with autocomplete (interaction type 4); the bot answers with callback type 8. */
  sendAutocomplete(opts: sim.AutocompleteOptions): InteractionRecord {
    return sim.autocomplete(this.#deps(), opts);
  }

  /** A user clicks a button on a message the bot posted. */
  sendButton(opts: sim.ComponentOptions): InteractionRecord {
    return sim.button(this.#deps(), opts);
  }

  /** A user picks values in a select menu on a message the bot posted. */
  sendSelect(opts: sim.SelectOptions): InteractionRecord {
    return sim.select(this.#deps(), opts);
  }

  /** The user who got a modal fills it in and submits it. */
  sendModalSubmit(opts: sim.ModalSubmitOptions): InteractionRecord {
    return sim.modalSubmit(this.#deps(), opts);
  }

  /** Delivers an interaction again, same id and token (Discord can deliver twice; the bot must answer once). */
  redeliver(interactionId: string): InteractionRecord {
    const record = this.interaction(interactionId);
    this.#deliver(record);
    return record;
  }

  /**
   * Another process (a second replica or shard that also got the event) acknowledges the interaction first, by
   * default with a deferral (type 5): the bot's own callback then gets 400 {code: 40060}, while edits and
   * follow-ups with the token keep working for the rest of the 15 minutes. Goes through the same callback rules
   * (deadline, type, flags) without an HTTP request; the attempt is marked `elsewhere`.
   */
  acknowledgeElsewhere(interactionId: string, body: { type: number; data?: Record<string, unknown> } = { type: 5 }): InteractionRecord {
    const record = this.interaction(interactionId);
    const template = '/interactions/{interaction_id}/{interaction_token}/callback';
    const route = this.spec.routes.find((r) => r.method === 'POST' && r.template === template)!;
    const issues = this.#check(route, body);
    if (issues.length) throw new Error(`Discord stand-in: acknowledgeElsewhere: invalid body: ${issues.map((i) => i.message).join('; ')}`);
    try {
      this.#routes.get(`POST ${template}`)!({
        method: 'POST',
        path: template,
        template,
        params: { interaction_id: record.id, interaction_token: record.token },
        query: new URLSearchParams(),
        body,
        files: [],
        headers: {},
      });
    } finally {
      const last = record.attempts.at(-1);
      if (last) last.elsewhere = true;
      this.#waiters.notify();
    }
    return record;
  }

  /** A user writes a message (MESSAGE_CREATE, subject to the client's intents; content only with MESSAGE_CONTENT, in DMs or when the bot is mentioned). */
  sendUserMessage(opts: { content: string; user?: UserObject; channelId?: string; guildId?: string | null }): StoredMessage {
    const user = opts.user ?? this.#defaultUser;
    this.store.users.set(user.id, user);
    let channelId = opts.channelId;
    if (!channelId) channelId = opts.guildId === null ? this.store.dmChannelFor(user).id : this.defaultChannelId;
    if (!this.store.channels.has(channelId)) throw new Error(`Discord stand-in: no channel ${channelId}`);
    const m = this.store.newMessage({ channelId, body: { content: opts.content }, via: 'user', author: user });
    this.markUserText(opts.content);
    const channel = this.store.channels.get(channelId)!;
    if (THREAD_TYPES.has(channel.type)) channel.message_count = Number(channel.message_count ?? 0) + 1;
    this.#announce('MESSAGE_CREATE', channelId, this.store.apiMessage(m), m);
    return m;
  }

  /**
   * Someone with Manage Messages (or the author) deletes a message in the Discord app: it is gone for REST
   * (10008 on read, edit, delete) and MESSAGE_DELETE goes out.
   */
  deleteMessage(messageId: string): void {
    const m = this.store.messages.get(messageId);
    if (!m || m.deleted) throw new Error(`Discord stand-in: no message ${messageId} to delete`);
    m.deleted = true;
    this.#announce('MESSAGE_DELETE', m.channelId, { id: m.id, channel_id: m.channelId, ...(m.guildId ? { guild_id: m.guildId } : {}) });
  }

  /** Declares text as user-written, so messages carrying it must have safe allowed_mentions. */
  markUserText(text: string): void {
    this.store.userTexts.add(text);
  }

  setDmsClosed(userId: string, closed = true): void {
    if (closed) this.store.closedDms.add(userId);
    else this.store.closedDms.delete(userId);
  }

  addUser(user: UserObject): UserObject {
    this.store.users.set(user.id, user);
    return user;
  }

  /**
   * The bot loses permissions in a channel (a member overwrite for the bot; the denied bits are added to any it
   * has) — as an admin would set in the channel's settings. Connected clients get CHANNEL_UPDATE. Threads take
   * their parent's permissions, so deny on the parent.
   */
  denyBotPermissions(channelId: string, permissions: PermissionInput): void {
    this.#botOverwrite(channelId, (o) => {
      const bits = toPermissionBits(permissions);
      return { allow: BigInt(o.allow) & ~bits, deny: BigInt(o.deny) | bits };
    });
  }

  /** The bot gets permissions in a channel explicitly (and loses a deny of them). */
  allowBotPermissions(channelId: string, permissions: PermissionInput): void {
    this.#botOverwrite(channelId, (o) => {
      const bits = toPermissionBits(permissions);
      return { allow: BigInt(o.allow) | bits, deny: BigInt(o.deny) & ~bits };
    });
  }

  /** Removes the bot's own overwrite from a channel. */
  clearBotOverwrite(channelId: string): void {
    this.#botOverwrite(channelId, () => undefined);
  }

  /** The bot's permissions in a channel as Discord computes them (guild roles and overwrites). */
  botPermissions(channelId: string): bigint {
    return this.store.channelPermissions(channelId, this.bot.id);
  }

  #botOverwrite(channelId: string, change: (o: { allow: string; deny: string }) => { allow: bigint; deny: bigint } | undefined): void {
    const channel = this.store.channels.get(channelId);
    if (!channel?.guild_id) throw new Error(`Discord stand-in: no guild channel ${channelId}`);
    if (THREAD_TYPES.has(channel.type))
      throw new Error(`Discord stand-in: ${channelId} is a thread; threads take their parent's permissions`);
    const list = (channel.permission_overwrites ??= []);
    const i = list.findIndex((o) => o.type === 1 && o.id === this.bot.id);
    const next = change(list[i] ?? { allow: '0', deny: '0' });
    if (i >= 0) list.splice(i, 1);
    if (next) list.push({ id: this.bot.id, type: 1, allow: next.allow.toString(), deny: next.deny.toString() });
    if (this.gateway.sessions.some((x) => x.resumable)) {
      this.gateway.dispatch('CHANNEL_UPDATE', (session: GatewaySession) =>
        (session.intents & Intent.Guilds) === 0 ? undefined : this.store.apiChannel(channel),
      );
    }
  }

  /** Adds a guild now; connected clients get GUILD_CREATE. */
  addGuild(guild: GuildFixture): GuildFixture {
    this.store.addGuild(guild);
    if (this.gateway.sessions.some((s) => s.resumable))
      this.gateway.dispatch('GUILD_CREATE', (s: GatewaySession) => this.#guildCreate(guild, s));
    return guild;
  }

  /** Sends any dispatch to connected clients, for events the helpers do not cover. */
  dispatch(t: string, d: unknown): number {
    return this.gateway.dispatch(t, d);
  }

  /**
   * The application's flags: the *_LIMITED intent flags for each privileged intent enabled (resources/application
   * § Application Flags; the bot is in fewer than 100 servers).
   */
  get applicationFlags(): number {
    let flags = 0;
    if (this.privilegedIntents & Intent.GuildPresences) flags |= 1 << 13;
    if (this.privilegedIntents & Intent.GuildMembers) flags |= 1 << 15;
    if (this.privilegedIntents & Intent.MessageContent) flags |= 1 << 19;
    return flags;
  }

  /** Toggles privileged intents in the "Developer Portal" from now on (sessions already open keep theirs). */
  enablePrivilegedIntents(names: PrivilegedIntentName[], enabled = true): void {
    const bits = names.reduce((b, n) => b | Intent[n], 0);
    this.privilegedIntents = enabled ? this.privilegedIntents | bits : this.privilegedIntents & ~bits;
  }

  // ── commands, as set up outside the bot ───────────────────────────────────────────────────────────────────

  /**
   * Commands registered before the test (by an earlier deploy): validated like a bulk overwrite (PUT) of that
   * scope and stored, without a request. Throws, naming the problems, on a body Discord would refuse.
   */
  seedCommands(bodies: Array<Record<string, unknown>>, opts: { guildId?: string } = {}): RegisteredCommand[] {
    const template = opts.guildId ? '/applications/{application_id}/guilds/{guild_id}/commands' : '/applications/{application_id}/commands';
    const route = this.spec.routes.find((r) => r.method === 'PUT' && r.template === template)!;
    const issues = this.#check(route, bodies);
    if (issues.length)
      throw new Error(
        `Discord stand-in: seedCommands: Discord would refuse these commands: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const reply = this.#routes.get(`PUT ${template}`)!({
      method: 'PUT',
      path: template,
      template,
      params: { application_id: this.applicationId, ...(opts.guildId ? { guild_id: opts.guildId } : {}) },
      query: new URLSearchParams(),
      body: bodies,
      files: [],
      headers: {},
    });
    return reply.body as RegisteredCommand[];
  }

  /**
   * What an admin sets in Server Settings → Integrations → the app: overwrites for one command (its id) or for all
   * of the app's commands ('app'). Replaces that target's overwrites in the guild, as Discord's edit does, and
   * sends APPLICATION_COMMAND_PERMISSIONS_UPDATE to connected clients.
   */
  setCommandPermissions(
    target: RegisteredCommand | string | 'app',
    permissions: Array<{ id: string; type: CommandPermission['type'] | 'role' | 'user' | 'channel'; permission: boolean }>,
    opts: { guildId?: string } = {},
  ): void {
    const guildId = opts.guildId ?? (typeof target === 'object' && target.guild_id ? target.guild_id : this.defaultGuild.id);
    const id = target === 'app' ? this.applicationId : typeof target === 'string' ? target : target.id;
    const types = { role: CommandPermissionType.Role, user: CommandPermissionType.User, channel: CommandPermissionType.Channel } as const;
    const list: CommandPermission[] = permissions.map((p) => ({
      id: p.id,
      type: typeof p.type === 'string' ? types[p.type] : p.type,
      permission: p.permission,
    }));
    let byTarget = this.store.commandPermissions.get(guildId);
    if (!byTarget) this.store.commandPermissions.set(guildId, (byTarget = new Map()));
    if (list.length) byTarget.set(id, list);
    else byTarget.delete(id);
    if (this.gateway.sessions.some((s) => s.resumable)) {
      this.gateway.dispatch('APPLICATION_COMMAND_PERMISSIONS_UPDATE', {
        id,
        application_id: this.applicationId,
        guild_id: guildId,
        permissions: list,
      });
    }
  }

  /** Whether a user could invoke a command (registered in scope and permitted); dispatches nothing. */
  commandAvailability(opts: sim.ActorOptions & { name: string; type?: number }): {
    available: boolean;
    reason?: string;
    command?: RegisteredCommand;
  } {
    return sim.availability(this.#deps(), opts);
  }

  /** The commands Discord's command picker shows a user in a place (default: the default user in the default channel). */
  visibleCommands(opts: sim.ActorOptions = {}): RegisteredCommand[] {
    return sim.visible(this.#deps(), opts);
  }

  // ── gateway control ───────────────────────────────────────────────────────────────────────────────────────

  /** Drops the gateway connections with `code` (4000: clients resume). Dispatches meanwhile are replayed on RESUME. */
  disconnect(code = 4000, opts: { invalidateSession?: boolean; reason?: string } = {}): number {
    return this.gateway.disconnect(code, opts);
  }

  /** Sends op 7 RECONNECT. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  // ── REST control ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The next request matching `pattern` gets 429 with retry_after and Discord's rate-limit headers. A string is
   * "METHOD /template" or "/template" using the spec's templates (POST /channels/{channel_id}/messages), or a
   * concrete path; a RegExp is tested against "METHOD /path".
   */
  rateLimitNext(pattern: RoutePattern, opts: RateLimitOptions): void {
    this.#rateLimits.push({ pattern, opts, left: opts.times ?? 1 });
  }

  /** Changes a bucket (or the global limit; false lifts it) from now on, e.g. to reach it in a few requests. */
  setRateLimit(bucket: BucketName | 'global', limit: BucketLimit | false): void {
    this.limiter.set(bucket, limit);
  }

  /**
   * The most requests matching `predicate` that were sent within any `windowMs` of real time: "no burst" is
   * `peakRequests(isDm, 1000) <= n`. Requests refused with 429 count too (they were sent).
   */
  peakRequests(predicate: (r: RecordedRequest) => boolean, windowMs: number): number {
    const times = this.requests.filter(predicate).map((r) => r.realAt);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= windowMs) i++;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }

  // ── records ───────────────────────────────────────────────────────────────────────────────────────────────

  interaction(id: string): InteractionRecord {
    const record = this.store.interactions.get(id);
    if (!record) throw new Error(`Discord stand-in: no interaction ${id}`);
    return record;
  }

  /** Messages in a channel (bot and simulated users), oldest first; deleted ones only when asked. */
  messages(channelId: string, opts: { includeDeleted?: boolean } = {}): StoredMessage[] {
    return (this.store.messagesByChannel.get(channelId) ?? []).filter((m) => opts.includeDeleted || !m.deleted);
  }

  /** Messages the bot sent to a user by DM. */
  dmsTo(userId: string): StoredMessage[] {
    const channelId = this.store.dmChannelByUser.get(userId);
    return channelId ? this.messages(channelId).filter((m) => m.author.id === this.bot.id) : [];
  }

  get commands(): { global: RegisteredCommand[]; guild(guildId: string): RegisteredCommand[] } {
    return { global: this.store.globalCommands, guild: (id: string) => this.store.guildCommands.get(id) ?? [] };
  }

  /** Returns and forgets the recorded violations (for tests that provoke one on purpose). */
  takeViolations(): Violation[] {
    return this.violations.splice(0);
  }

  takeErrors(): StandInError[] {
    return this.errors.splice(0);
  }

  /** Throws, listing them, if any violation or stand-in error was recorded. Handy in afterEach. */
  assertNoProblems(): void {
    if (!this.violations.length && !this.errors.length) return;
    const lines = [
      ...this.violations.map(
        (v) => `violation ${v.method} ${v.path}: ${v.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      ),
      ...this.errors.map((e) => `${e.kind}: ${e.message}`),
    ];
    throw new Error(`Discord stand-in recorded problems:\n  ${lines.join('\n  ')}`);
  }

  // ── waiting on events ─────────────────────────────────────────────────────────────────────────────────────

  /** Settles when probe() returns something other than undefined (re-checked on every stand-in event). */
  waitFor<T>(probe: () => T | undefined, description: string, timeoutMs?: number): Promise<T> {
    return this.#waiters.until(probe, description, timeoutMs);
  }

  /**
   * The accepted acknowledgement of an interaction (callback type and body); the record keeps collecting edits
   * and follow-ups afterwards. Rejects if the first callback was refused (late, invalid, …).
   */
  waitForResponse(interactionId: string, timeoutMs?: number): Promise<AcknowledgedInteraction> {
    return this.waitFor(
      () => {
        const r = this.interaction(interactionId);
        if (r.response) return r as AcknowledgedInteraction;
        const refused = r.attempts.find((a) => a.status >= 400);
        if (refused)
          throw new Error(
            `Discord stand-in: interaction ${interactionId} was not acknowledged: first callback refused with ${refused.status} {code: ${String(refused.code)}} (${String(refused.reason)})`,
          );
        return undefined;
      },
      `a response to interaction ${interactionId}`,
      timeoutMs,
    );
  }

  /** The index-th callback attempt (accepted or refused). */
  waitForCallbackAttempt(interactionId: string, index = 0, timeoutMs?: number): Promise<CallbackAttempt> {
    return this.waitFor(
      () => this.interaction(interactionId).attempts[index],
      `callback attempt #${index} for interaction ${interactionId}`,
      timeoutMs,
    );
  }

  /** The index-th webhook edit (editReply and friends) of an interaction. */
  waitForEdit(interactionId: string, index = 0, timeoutMs?: number): Promise<InteractionEdit> {
    return this.waitFor(() => this.interaction(interactionId).edits[index], `edit #${index} of interaction ${interactionId}`, timeoutMs);
  }

  /** The index-th follow-up message of an interaction. */
  waitForFollowup(interactionId: string, index = 0, timeoutMs?: number): Promise<StoredMessage> {
    return this.waitFor(
      () => this.interaction(interactionId).followups[index],
      `follow-up #${index} of interaction ${interactionId}`,
      timeoutMs,
    );
  }

  /** The first message the bot posted in a channel that satisfies `predicate` (deleted ones excluded). */
  waitForMessage(channelId: string, predicate: (m: StoredMessage) => boolean = () => true, timeoutMs?: number): Promise<StoredMessage> {
    return this.waitFor(
      () => this.messages(channelId).find((m) => m.author.id === this.bot.id && predicate(m)),
      `a bot message in channel ${channelId}`,
      timeoutMs,
    );
  }

  /** The first recorded request that satisfies `predicate`. */
  waitForRequest(
    predicate: (r: RecordedRequest) => boolean,
    description = 'a matching request',
    timeoutMs?: number,
  ): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.find(predicate), description, timeoutMs);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────────────────

  #deps(): sim.Deps {
    return {
      store: this.store,
      rules: this.rules,
      defaultUser: () => this.#defaultUser,
      defaultGuildId: () => this.guilds[0]?.id ?? null,
      interactionDeadlineMs: this.interactionDeadlineMs,
      webhookLifetimeMs: this.webhookLifetimeMs,
      dispatchInteraction: (record) => this.#deliver(record),
    };
  }

  #deliver(record: InteractionRecord): void {
    record.deliveries.push(this.clock.now());
    this.gateway.dispatch('INTERACTION_CREATE', record.payload);
  }

  #error(kind: StandInError['kind'], message: string, detail?: unknown): void {
    this.errors.push({ at: this.clock.now(), kind, message, ...(detail === undefined ? {} : { detail }) });
    this.#waiters.notify();
  }

  #summary(): string {
    const last = this.requests.slice(-8).map((r) => `  ${r.method} ${r.path} → ${r.status}`);
    const problems = [
      ...this.violations.map((v) => `  violation ${v.method} ${v.path}`),
      ...this.errors.map((e) => `  ${e.kind}: ${e.message}`),
    ];
    return [
      last.length ? `last requests:\n${last.join('\n')}` : 'no REST requests yet',
      problems.length ? `problems:\n${problems.join('\n')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }

  #readyPayload(session: GatewaySession): Record<string, unknown> {
    return {
      v: 10,
      user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0, email: null },
      user_settings: {},
      guilds: this.#sendGuilds ? this.guilds.map((g) => ({ id: g.id, unavailable: true })) : [],
      relationships: [],
      private_channels: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: this.applicationFlags },
      auth: {},
      _trace: ['pulje-discord-standin'],
    };
  }

  /**
   * GUILD_CREATE as a session sees it. Members: "If your bot does not have the GUILD_PRESENCES Gateway Intent …,
   * members and presences returned in this event will only contain your bot and users in voice channels"
   * (events/gateway-events § Guild Create); with it, all of them up to the session's large_threshold (default 50).
   */
  #guildCreate(g: GuildFixture, session?: GatewaySession): Record<string, unknown> {
    const bot = g.members.find((m) => m.user.id === this.bot.id);
    const presences = session !== undefined && (session.intents & Intent.GuildPresences) !== 0;
    const threshold = typeof session?.identify.large_threshold === 'number' ? session.identify.large_threshold : 50;
    const members = presences && g.members.length <= threshold ? g.members : g.members.filter((m) => m.user.id === this.bot.id);
    return {
      ...guildObject(this.store, g),
      joined_at: bot?.joined_at ?? this.store.iso(),
      unavailable: false,
      member_count: g.members.length,
      large: g.members.length > threshold,
      members,
      channels: g.channels.filter((c) => !THREAD_TYPES.has(c.type)).map(({ guild_id: _g, ...c }) => c),
      threads: g.channels.filter((c) => THREAD_TYPES.has(c.type)).map((c) => this.store.apiChannel(c)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      application_command_counts: {},
      lazy: true,
    };
  }

  #membersChunk(d: Record<string, unknown>): Array<{ t: string; d: unknown }> {
    const guildId = String(d.guild_id ?? '');
    const g = this.store.guild(guildId);
    if (!g) {
      this.#error('gateway', `REQUEST_GUILD_MEMBERS for unknown guild ${guildId}`);
      return [];
    }
    let members = g.members;
    const ids = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : undefined;
    const notFound: string[] = [];
    if (ids) {
      members = members.filter((m) => ids.includes(m.user.id));
      for (const id of ids) if (!members.some((m) => m.user.id === id)) notFound.push(id);
    } else if (typeof d.query === 'string' && d.query) {
      const q = d.query.toLowerCase();
      members = members.filter((m) => m.user.username.toLowerCase().startsWith(q) || (m.nick ?? '').toLowerCase().startsWith(q));
    }
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : members.length;
    return [
      {
        t: 'GUILD_MEMBERS_CHUNK',
        d: {
          guild_id: guildId,
          members: members.slice(0, limit),
          chunk_index: 0,
          chunk_count: 1,
          ...(notFound.length ? { not_found: notFound } : {}),
          ...(d.nonce ? { nonce: d.nonce } : {}),
        },
      },
    ];
  }

  /** Message and thread events go to sessions whose intents ask for them; content of others' messages only with MESSAGE_CONTENT. */
  #announce(t: string, channelId: string, d: Record<string, unknown>, message?: StoredMessage): void {
    if (!this.gateway.sessions.some((s) => s.resumable)) return;
    const channel = this.store.channels.get(channelId);
    const isDm = channel?.type === ChannelKind.DM;
    const intent = t.startsWith('THREAD_') ? Intent.Guilds : isDm ? Intent.DirectMessages : Intent.GuildMessages;
    const guildId = channel?.guild_id;
    this.gateway.dispatch(t, (session: GatewaySession) => {
      if ((session.intents & intent) === 0) return undefined;
      if (!message || !t.startsWith('MESSAGE_')) return d;
      const out: Record<string, unknown> = { ...d };
      if (guildId) {
        const member = this.store.member(guildId, message.author.id);
        if (member) {
          const { user: _u, ...rest } = member;
          out.member = rest;
        }
      }
      // events/gateway § Message Content Intent: without it, empty values except the bot's own, DMs and mentions.
      if (hidesContent(this.store, message) && (session.intents & Intent.MessageContent) === 0) {
        Object.assign(out, { content: '', embeds: [], attachments: [], components: [] });
      }
      return out;
    });
  }

  #matchesRateLimit(pattern: RoutePattern, method: string, path: string, template: string): boolean {
    if (typeof pattern === 'function') return pattern(method, path, template);
    if (pattern instanceof RegExp) return pattern.test(`${method} ${path}`);
    const m = /^(GET|POST|PUT|PATCH|DELETE)\s+(.+)$/i.exec(pattern.trim());
    const wantMethod = m?.[1]?.toUpperCase();
    const wantPath = (m?.[2] ?? pattern).trim();
    return (!wantMethod || wantMethod === method) && (wantPath === template || wantPath === path);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      at: this.clock.now(),
      realAt: Date.now(),
      method,
      path: url.pathname,
      query: url.search,
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
    };
    this.requests.push(record);
    let rateHeaders: Record<string, string> = {};
    const send = (status: number, body?: unknown): void => {
      record.status = status;
      record.response = body;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...rateHeaders });
      res.end(text);
      this.#waiters.notify();
    };
    try {
      const prefix = '/api/v10';
      if (!url.pathname.startsWith(`${prefix}/`)) {
        this.#error('route', `${method} ${url.pathname}: not under ${prefix} (discord.js should be given rest.api = ${this.apiBase})`);
        return send(404, { message: '404: Not Found', code: 0 });
      }
      const path = url.pathname.slice(prefix.length);
      const match = this.spec.match(method, path);
      if (!match) {
        this.#error('route', `${method} ${path} is not a route of Discord's API`);
        return send(404, { message: '404: Not Found', code: 0 });
      }
      if (!('route' in match)) {
        this.#error('route', `${method} ${path}: Discord's API only has ${match.methods.join(', ')} there`);
        return send(405, { message: '405: Method Not Allowed', code: 0 });
      }
      const { route, params } = match;
      record.path = `/${path
        .split('/')
        .filter(Boolean)
        .map((s) => safeDecode(s))
        .join('/')}`;
      record.template = route.template;

      const auth = req.headers.authorization;
      if (auth !== undefined || !route.authOptional) {
        if (auth !== `Bot ${this.token}`) {
          this.#error('auth', `${method} ${record.path} with ${auth === undefined ? 'no Authorization header' : 'a wrong bot token'}`);
          return send(401, { message: '401: Unauthorized', code: 0 });
        }
      }

      const facts: RouteFacts = {
        method,
        template: route.template,
        params,
        isDm: (id) => this.store.channels.get(id)?.type === ChannelKind.DM,
        isInteractionToken: (token) => this.store.interactionsByToken.has(token),
      };
      const scripted = this.#rateLimits.find((r) => this.#matchesRateLimit(r.pattern, method, record.path, route.template));
      let verdict;
      if (scripted) {
        if (--scripted.left <= 0) this.#rateLimits.splice(this.#rateLimits.indexOf(scripted), 1);
        verdict = this.limiter.scripted(facts, scripted.opts.retryAfter, Boolean(scripted.opts.global));
      } else {
        verdict = this.limiter.take(facts);
      }
      rateHeaders = verdict.headers;
      record.rateLimit = verdict.headers;
      if (verdict.refused) {
        this.throttles.push({ at: record.realAt, method, path: record.path, template: route.template, ...verdict.refused.throttle });
        return send(429, verdict.refused.body);
      }

      let body: unknown;
      let files: UploadedFile[] = [];
      try {
        ({ body, files } = await parseBody(req, raw));
      } catch (err) {
        this.#violation(
          record,
          route,
          ['json'],
          [{ path: [], code: 'JSON_INVALID', message: (err as Error).message }],
          raw.toString('utf8'),
        );
        return send(400, { message: 'The request body contains invalid JSON.', code: 50109 });
      }
      record.body = body;
      record.files = files;

      const issues = this.#check(route, body);
      if (issues.length) {
        const sources = [...new Set(issues.map((i) => i.source))];
        this.#violation(
          record,
          route,
          sources,
          issues.map(({ source: _s, ...i }) => i),
          body,
        );
        const plain = issues.map(({ source: _s, ...i }) => i);
        const err = invalidFormBody(plain);
        this.#refusedCallback(route, params, body, err, plain);
        return send(err.status, err.body);
      }

      const handler = this.#routes.get(`${route.method} ${route.template}`);
      if (!handler) {
        this.#error(
          'unimplemented',
          `The Discord stand-in does not implement ${route.method} ${route.template} (called as ${record.path}); add it in test/support/discord/rest.ts`,
        );
        return send(404, { message: '404: Not Found', code: 0 });
      }
      let reply;
      try {
        reply = handler({
          method,
          path: record.path,
          template: route.template,
          params,
          query: url.searchParams,
          body,
          files,
          headers: req.headers,
        });
      } catch (err) {
        if (err instanceof DiscordHttpError) {
          // A 429 a handler answers (e.g. the daily command-create limit) says when to retry, as every 429 does.
          if (err.status === 429 && typeof err.body.retry_after === 'number')
            rateHeaders = { ...rateHeaders, 'retry-after': String(err.body.retry_after), 'x-ratelimit-scope': 'user' };
          return send(err.status, err.body);
        }
        this.#error('handler', `${method} ${record.path} crashed the stand-in: ${(err as Error).stack ?? String(err)}`);
        return send(500, { message: '500: Internal Server Error', code: 0 });
      }
      return send(reply.status, reply.body);
    } catch (err) {
      this.#error('handler', `${method} ${url.pathname} crashed the stand-in: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(500, { message: '500: Internal Server Error', code: 0 });
    }
  }

  /** Schema, documented limits and the allowed_mentions policy, for whatever message, modal or choices the body carries. */
  #check(route: SpecRoute, body: unknown): Array<SchemaIssue & { source: Violation['sources'][number] }> {
    const out: Array<SchemaIssue & { source: Violation['sources'][number] }> = [];
    if (body === undefined) return out;
    const key = `${route.method} ${route.template}`;
    const commandRoute = /^(PUT|POST|PATCH) \/applications\/\{application_id\}\/(guilds\/\{guild_id\}\/)?commands(\/\{command_id\})?$/.test(
      key,
    );
    for (const i of this.spec.validate(route, commandRoute ? specView(body) : body)) out.push({ ...i, source: 'schema' });
    if (commandRoute) {
      const ctx: CommandCheckContext = {
        scope: route.template.includes('/guilds/') ? 'guild' : 'global',
        appIntegrationTypes: this.integrationTypes,
        partial: route.method === 'PATCH',
      };
      const found = route.method === 'PUT' ? checkCommandSet(body, ctx) : checkCommand(body, ctx);
      const schemaPaths = new Set(out.map((i) => i.path.join('.')));
      for (const i of found) if (!schemaPaths.has(i.path.join('.'))) out.push({ ...i, source: 'commands' });
    }
    const b = body as Record<string, any>;
    const message = (m: unknown, at: Array<string | number>): void => {
      for (const i of checkMessageLimits(m, at)) out.push({ ...i, source: 'limits' });
      for (const i of checkMentions(m, this.mentionStrictness, this.store.userTexts, at)) out.push({ ...i, source: 'mentions' });
    };
    const flags = (m: unknown, allowed: number, at: Array<string | number>, what: string): void => {
      for (const i of checkFlags(m, allowed, at, what)) out.push({ ...i, source: 'limits' });
    };
    switch (key) {
      case 'POST /channels/{channel_id}/messages':
        flags(b, SETTABLE_FLAGS.channelMessage, [], 'a channel message');
        message(b, []);
        break;
      case 'POST /webhooks/{webhook_id}/{webhook_token}':
        flags(b, SETTABLE_FLAGS.followup, [], 'a follow-up message');
        message(b, []);
        break;
      case 'PATCH /channels/{channel_id}/messages/{message_id}':
      case 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original':
      case 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}':
        // Edits: "unsupported flag changes are currently ignored without error" (resources/message § Edit Message).
        message(b, []);
        break;
      case 'POST /channels/{channel_id}/threads':
        if (b && typeof b === 'object' && b.message) {
          flags(b.message, SETTABLE_FLAGS.forumStarter, ['message'], "a forum thread's first message");
          message(b.message, ['message']);
        }
        break;
      case 'POST /interactions/{interaction_id}/{interaction_token}/callback':
        if (b?.type === 4 || b?.type === 7) flags(b.data, SETTABLE_FLAGS.callbackMessage, ['data'], `a type ${String(b.type)} callback`);
        if (b?.type === 5) flags(b.data, SETTABLE_FLAGS.deferredReply, ['data'], 'a deferred reply (type 5)');
        if (b?.type === 4 || b?.type === 7) message(b.data, ['data']);
        if (b?.type === 9) for (const i of checkModalLimits(b.data)) out.push({ ...i, source: 'limits' });
        if (b?.type === 8) for (const i of checkAutocompleteLimits(b.data)) out.push({ ...i, source: 'limits' });
        break;
    }
    return out;
  }

  #violation(record: RecordedRequest, route: SpecRoute, sources: Violation['sources'], issues: SchemaIssue[], body: unknown): void {
    this.violations.push({ at: record.at, method: record.method, path: record.path, template: route.template, sources, issues, body });
  }

  /** A callback refused for its body still counts as an attempt on the interaction. */
  #refusedCallback(route: SpecRoute, params: Record<string, string>, body: unknown, err: DiscordHttpError, issues: SchemaIssue[]): void {
    if (route.template !== '/interactions/{interaction_id}/{interaction_token}/callback') return;
    const record = this.store.interactions.get(params.interaction_id ?? '');
    if (!record || record.token !== params.interaction_token) return;
    const type = (body as { type?: unknown } | undefined)?.type;
    record.attempts.push({
      at: this.clock.now(),
      type: typeof type === 'number' ? type : undefined,
      body,
      status: err.status,
      code: err.body.code,
      reason: `invalid body: ${issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
    });
  }
}

/**
 * The OpenAPI spec types default_member_permissions as an integer, the docs (application-commands § Using Default
 * Permissions) as a string, which is what discord.js sends. The spec check sees the number; commands.ts insists on
 * the documented string.
 */
function specView(body: unknown): unknown {
  const fix = (b: unknown): unknown => {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
    const o = b as Record<string, unknown>;
    const v = o.default_member_permissions;
    return typeof v === 'string' && /^[0-9]+$/.test(v) ? { ...o, default_member_permissions: Number(v) } : o;
  };
  return Array.isArray(body) ? body.map(fix) : fix(body);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** JSON, or multipart: payload_json as the body, files[n] as files. */
async function parseBody(req: IncomingMessage, raw: Buffer): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
  const json = form.get('payload_json');
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    files.push({
      field,
      name: value.name,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body: typeof json === 'string' ? JSON.parse(json) : {}, files };
}
