import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from './clock.ts';
import { MAX_COMMANDS } from './commands.ts';
import { Intent } from './gateway.ts';
import { DiscordCode, DiscordHttpError, httpError, invalidFormBody } from './errors.ts';
import { ChannelKind, THREAD_TYPES, type ChannelObject, type GuildFixture } from './factories.ts';
import { MessageFlag, isEmptyMessage } from './limits.ts';
import { Permission, hasPermission } from './permissions.ts';
import type { CallbackAttempt, InteractionRecord, RegisteredCommand, Store, StoredMessage, UploadedFile } from './state.ts';

/* The REST routes the stand-in answers, keyed by the spec's method and path template. */

export interface RestRequest {
  method: string;
  path: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  /** Files of a multipart request. */
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
}

export interface RestReply {
  status: number;
  body?: unknown;
}

export type Handler = (req: RestRequest) => RestReply;

export interface RestContext {
  store: Store;
  clock: Clock;
  gatewayUrl(): string;
  interactionDeadlineMs: number;
  webhookLifetimeMs: number;
  /** Bits of the privileged intents enabled for the app. */
  privilegedIntents(): number;
  applicationFlags(): number;
  /** Application command creates allowed per scope per day (Discord: 200). */
  dailyCommandCreates: number;
  /** Tells connected clients about a message or thread, as Discord does (respecting intents). */
  announce(t: string, channelId: string, d: Record<string, unknown>, opts?: { message?: StoredMessage }): void;
}

/** Callback types each kind of interaction may answer with. */
const CALLBACK_TYPES: Record<InteractionRecord['kind'], number[]> = {
  command: [4, 5, 9],
  component: [4, 5, 6, 7, 9],
  autocomplete: [8],
  'modal-submit': [4, 5, 6, 7],
};

/** Channels that take messages (resources/channel § Channel Types): text, DM, announcement, threads. */
const TEXT_CHANNEL_TYPES: ReadonlySet<number> = new Set([
  ChannelKind.GuildText,
  ChannelKind.DM,
  ChannelKind.GuildAnnouncement,
  ChannelKind.AnnouncementThread,
  ChannelKind.PublicThread,
  ChannelKind.PrivateThread,
]);

const ok = (body?: unknown, status = 200): RestReply => ({ status, body });
const noContent = (): RestReply => ({ status: 204 });

export function buildRoutes(ctx: RestContext): Map<string, Handler> {
  const { store } = ctx;
  const routes = new Map<string, Handler>();
  const on = (key: string, handler: Handler): void => {
    routes.set(key, handler);
  };

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────
  const guildOr404 = (id: string): GuildFixture => {
    const guild = store.guild(id);
    if (!guild) throw httpError(404, DiscordCode.UnknownGuild, 'Unknown Guild');
    return guild;
  };
  const channelOr404 = (id: string): ChannelObject => {
    const channel = store.channels.get(id);
    if (!channel) throw httpError(404, DiscordCode.UnknownChannel, 'Unknown Channel');
    return channel;
  };
  const requireBotPermission = (channel: ChannelObject, wanted: bigint): void => {
    if (!channel.guild_id) return;
    const bits = store.channelPermissions(channel.id, store.bot.id);
    if (!hasPermission(bits, Permission.ViewChannel)) throw httpError(403, DiscordCode.MissingAccess, 'Missing Access');
    if (!hasPermission(bits, wanted)) throw httpError(403, DiscordCode.MissingPermissions, 'Missing Permissions');
  };
  /**
   * What posting a message needs from the bot in a guild channel (resources/message § Create Message,
   * Limitations; topics/permissions § Bitwise Permission Flags and § Implicit Permissions):
   * - VIEW_CHANNEL, else 50001 Missing Access (nothing else counts without it);
   * - SEND_MESSAGES, in a thread SEND_MESSAGES_IN_THREADS, else 50013;
   * - embeds need EMBED_LINKS, files ATTACH_FILES, tts SEND_TTS_MESSAGES (all implicitly denied without the send
   *   permission), else 50013 — Discord refuses the message rather than dropping the embed or file;
   * - a reply (message_reference) needs READ_MESSAGE_HISTORY, else 160002;
   * - a locked thread takes messages only from members with MANAGE_THREADS, else 160005 (resources/channel
   *   § Thread Metadata Object: locked).
   * Interaction responses and follow-ups need none of this: they are webhooks of the app, which may have no bot
   * user in the guild at all (application-commands § Authorizing Your Application; change-log 2022-06-29).
   */
  const requirePostPermissions = (channel: ChannelObject, body: Record<string, any>, files: UploadedFile[]): void => {
    if (!channel.guild_id) return;
    const bits = store.channelPermissions(channel.id, store.bot.id);
    const missing = (): never => {
      throw httpError(403, DiscordCode.MissingPermissions, 'Missing Permissions');
    };
    if (!hasPermission(bits, Permission.ViewChannel)) throw httpError(403, DiscordCode.MissingAccess, 'Missing Access');
    const thread = THREAD_TYPES.has(channel.type);
    if (!hasPermission(bits, thread ? Permission.SendMessagesInThreads : Permission.SendMessages)) missing();
    const meta = channel.thread_metadata as { locked?: boolean } | undefined;
    if (thread && meta?.locked && !hasPermission(bits, Permission.ManageThreads))
      throw httpError(403, DiscordCode.ThreadLocked, 'Thread is locked');
    if (Array.isArray(body.embeds) && body.embeds.length && !hasPermission(bits, Permission.EmbedLinks)) missing();
    if ((files.length || (Array.isArray(body.attachments) && body.attachments.length)) && !hasPermission(bits, Permission.AttachFiles))
      missing();
    if (body.tts === true && !hasPermission(bits, Permission.SendTTSMessages)) missing();
    if (body.message_reference?.message_id && !hasPermission(bits, Permission.ReadMessageHistory))
      throw httpError(403, DiscordCode.ReplyWithoutReadHistory, 'Cannot reply without permission to read message history');
  };
  const visibleChannel = (id: string): ChannelObject => {
    const channel = channelOr404(id);
    if (channel.guild_id && !hasPermission(store.channelPermissions(channel.id, store.bot.id), Permission.ViewChannel)) {
      throw httpError(403, DiscordCode.MissingAccess, 'Missing Access');
    }
    return channel;
  };
  const messageIn = (channelId: string, messageId: string): StoredMessage => {
    const m = store.messages.get(messageId);
    if (!m || m.channelId !== channelId || m.deleted || m.ephemeral) throw httpError(404, DiscordCode.UnknownMessage, 'Unknown Message');
    return m;
  };
  /**
   * A message as a REST read returns it: without the Message Content intent enabled, others' messages come with
   * empty content, embeds, attachments and components, except in DMs and where the bot is mentioned
   * (events/gateway § Message Content Intent).
   */
  const readable = (m: StoredMessage): Record<string, unknown> => {
    const out = store.apiMessage(m);
    if ((ctx.privilegedIntents() & Intent.MessageContent) !== 0 || !hidesContent(store, m)) return out;
    return { ...out, content: '', embeds: [], attachments: [], components: [] };
  };
  const checkApplication = (id: string): void => {
    if (id !== store.applicationId) throw httpError(403, DiscordCode.MissingAccess, 'Missing Access');
  };
  const emptyMessage = (): DiscordHttpError => httpError(400, DiscordCode.CannotSendEmptyMessage, 'Cannot send an empty message');
  const announceCreate = (m: StoredMessage): void => {
    if (!m.ephemeral) ctx.announce('MESSAGE_CREATE', m.channelId, store.apiMessage(m), { message: m });
  };
  const announceUpdate = (m: StoredMessage): void => {
    if (!m.ephemeral) ctx.announce('MESSAGE_UPDATE', m.channelId, store.apiMessage(m), { message: m });
  };
  const countThreadMessage = (channel: ChannelObject): void => {
    if (THREAD_TYPES.has(channel.type)) {
      channel.message_count = Number(channel.message_count ?? 0) + 1;
      channel.total_message_sent = Number(channel.total_message_sent ?? 0) + 1;
    }
  };

  // ── gateway, application, users ────────────────────────────────────────────────────────────────────────────
  on('GET /gateway', () => ok({ url: ctx.gatewayUrl() }));
  on('GET /gateway/bot', () =>
    ok({
      url: ctx.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    }),
  );
  on('GET /applications/@me', () =>
    ok({
      id: store.applicationId,
      name: store.bot.username,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: ctx.applicationFlags(),
      team: null,
      bot: store.bot,
      owner: store.bot,
      summary: '',
    }),
  );
  on('GET /users/@me', () => ok(store.bot));
  on('GET /users/{user_id}', (req) => {
    const user = store.users.get(req.params.user_id ?? '');
    if (!user) throw httpError(404, DiscordCode.UnknownUser, 'Unknown User');
    return ok(user);
  });
  on('POST /users/@me/channels', (req) => {
    const user = store.users.get(String(req.body?.recipient_id ?? ''));
    if (!user) throw httpError(404, DiscordCode.UnknownUser, 'Unknown User');
    return ok(store.apiChannel(store.dmChannelFor(user)));
  });

  // ── guilds ────────────────────────────────────────────────────────────────────────────────────────────────
  on('GET /guilds/{guild_id}', (req) => {
    const g = guildOr404(req.params.guild_id ?? '');
    return ok(guildObject(store, g));
  });
  on('GET /guilds/{guild_id}/channels', (req) => {
    const g = guildOr404(req.params.guild_id ?? '');
    return ok(g.channels.filter((c) => !THREAD_TYPES.has(c.type)).map((c) => store.apiChannel(c)));
  });
  on('GET /guilds/{guild_id}/roles', (req) => ok(guildOr404(req.params.guild_id ?? '').roles));
  on('GET /guilds/{guild_id}/members/{user_id}', (req) => {
    const g = guildOr404(req.params.guild_id ?? '');
    const m = g.members.find((x) => x.user.id === req.params.user_id);
    if (!m) throw httpError(404, DiscordCode.UnknownMember, 'Unknown Member');
    return ok(m);
  });
  on('GET /guilds/{guild_id}/members', (req) => {
    const g = guildOr404(req.params.guild_id ?? '');
    // events/gateway § HTTP Restrictions: "to use the List Guild Members endpoint, your app must enable the GUILD_MEMBERS intent".
    if ((ctx.privilegedIntents() & Intent.GuildMembers) === 0) throw httpError(403, DiscordCode.MissingAccess, 'Missing Access');
    const limit = Math.min(Number(req.query.get('limit') ?? 1), 1000);
    const after = BigInt(req.query.get('after') ?? '0');
    const list = [...g.members].sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1)).filter((m) => BigInt(m.user.id) > after);
    return ok(list.slice(0, limit));
  });

  // ── channels and messages ─────────────────────────────────────────────────────────────────────────────────
  on('GET /channels/{channel_id}', (req) => ok(store.apiChannel(visibleChannel(req.params.channel_id ?? ''))));
  on('POST /channels/{channel_id}/typing', (req) => {
    visibleChannel(req.params.channel_id ?? '');
    return noContent();
  });
  on('GET /channels/{channel_id}/messages', (req) => {
    const channel = visibleChannel(req.params.channel_id ?? '');
    const limit = Math.min(Number(req.query.get('limit') ?? 50), 100);
    const before = req.query.get('before');
    const after = req.query.get('after');
    let list = (store.messagesByChannel.get(channel.id) ?? []).filter((m) => !m.deleted && !m.ephemeral);
    if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
    if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
    return ok(list.reverse().slice(0, limit).map(readable));
  });
  on('POST /channels/{channel_id}/messages', (req) => {
    const channel = channelOr404(req.params.channel_id ?? '');
    if (channel.type === ChannelKind.DM) {
      const recipient = (channel.recipients as Array<{ id: string }> | undefined)?.[0];
      if (recipient && store.closedDms.has(recipient.id))
        throw httpError(403, DiscordCode.CannotSendToUser, 'Cannot send messages to this user');
    } else if (!TEXT_CHANNEL_TYPES.has(channel.type)) {
      visibleChannel(channel.id);
      throw httpError(400, DiscordCode.NonTextChannel, 'Cannot send messages in a non-text channel');
    }
    const body = (req.body ?? {}) as Record<string, any>;
    requirePostPermissions(channel, body, req.files);
    if (isEmptyMessage(body)) throw emptyMessage();
    const ref = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    if (ref?.message_id && ref.fail_if_not_exists !== false) {
      const target = store.messages.get(ref.message_id);
      if (!target || target.deleted) {
        throw invalidFormBody([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
      }
    }
    const m = store.newMessage({ channelId: channel.id, body, via: 'channel', files: req.files });
    countThreadMessage(channel);
    announceCreate(m);
    return ok(store.apiMessage(m));
  });
  on('GET /channels/{channel_id}/messages/{message_id}', (req) => {
    visibleChannel(req.params.channel_id ?? '');
    return ok(readable(messageIn(req.params.channel_id ?? '', req.params.message_id ?? '')));
  });
  on('PATCH /channels/{channel_id}/messages/{message_id}', (req) => {
    visibleChannel(req.params.channel_id ?? '');
    const m = messageIn(req.params.channel_id ?? '', req.params.message_id ?? '');
    if (m.author.id !== store.bot.id)
      throw httpError(403, DiscordCode.CannotEditOthersMessage, 'Cannot edit a message authored by another user');
    store.editMessage(m, (req.body ?? {}) as Record<string, any>, { files: req.files });
    announceUpdate(m);
    return ok(store.apiMessage(m));
  });
  on('DELETE /channels/{channel_id}/messages/{message_id}', (req) => {
    const channel = visibleChannel(req.params.channel_id ?? '');
    const m = messageIn(channel.id, req.params.message_id ?? '');
    if (m.author.id !== store.bot.id) requireBotPermission(channel, Permission.ManageMessages);
    m.deleted = true;
    ctx.announce('MESSAGE_DELETE', channel.id, {
      id: m.id,
      channel_id: channel.id,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    });
    return noContent();
  });

  // ── threads ───────────────────────────────────────────────────────────────────────────────────────────────
  const createThread = (parent: ChannelObject, body: Record<string, any>, id: string, type: number): ChannelObject => {
    const now = store.iso();
    const thread: ChannelObject = {
      id,
      type,
      guild_id: parent.guild_id!,
      parent_id: parent.id,
      owner_id: store.bot.id,
      name: String(body.name ?? ''),
      last_message_id: null,
      rate_limit_per_user: Number(body.rate_limit_per_user ?? 0),
      flags: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: Number(body.auto_archive_duration ?? parent.default_auto_archive_duration ?? 1440),
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === ChannelKind.PrivateThread ? { invitable: body.invitable ?? true } : {}),
      },
      member: { id, user_id: store.bot.id, join_timestamp: now, flags: 0 },
    };
    store.channels.set(id, thread);
    store.guild(parent.guild_id!)?.channels.push(thread);
    ctx.announce('THREAD_CREATE', id, { ...store.apiChannel(thread), newly_created: true });
    return thread;
  };
  on('POST /channels/{channel_id}/threads', (req) => {
    const parent = visibleChannel(req.params.channel_id ?? '');
    if (![ChannelKind.GuildText, ChannelKind.GuildAnnouncement, ChannelKind.GuildForum].includes(parent.type as 0 | 5 | 15)) {
      throw httpError(400, DiscordCode.InvalidFormBody, 'Invalid Form Body');
    }
    const body = (req.body ?? {}) as Record<string, any>;
    const forum = parent.type === ChannelKind.GuildForum;
    // resources/channel § Start Thread without Message: type defaults to PRIVATE_THREAD; in a forum (§ Start Thread in
    // Forum or Media Channel) the thread is public and "the current user must have the SEND_MESSAGES permission
    // (CREATE_PUBLIC_THREADS is ignored)".
    const type = forum ? ChannelKind.PublicThread : Number(body.type ?? ChannelKind.PrivateThread);
    if (forum) requirePostPermissions(parent, (body.message ?? {}) as Record<string, any>, req.files);
    else
      requireBotPermission(parent, type === ChannelKind.PrivateThread ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads);
    const thread = createThread(parent, body, store.id(), type);
    if (parent.type === ChannelKind.GuildForum && body.message) {
      if (isEmptyMessage(body.message)) throw emptyMessage();
      const starter = store.newMessage({ channelId: thread.id, body: body.message, via: 'channel', files: req.files });
      thread.message = store.apiMessage(starter);
    }
    return ok(store.apiChannel(thread), 201);
  });
  on('POST /channels/{channel_id}/messages/{message_id}/threads', (req) => {
    const parent = visibleChannel(req.params.channel_id ?? '');
    // resources/channel § Start Thread from Message: text and announcement channels only; one thread per message (160004).
    if (![ChannelKind.GuildText, ChannelKind.GuildAnnouncement].includes(parent.type as 0 | 5))
      throw httpError(400, DiscordCode.InvalidChannelType, 'Cannot execute action on this channel type');
    requireBotPermission(parent, Permission.CreatePublicThreads);
    const m = messageIn(parent.id, req.params.message_id ?? '');
    if (m.threadId) throw httpError(400, DiscordCode.ThreadAlreadyCreated, 'A thread has already been created for this message');
    const type = parent.type === ChannelKind.GuildAnnouncement ? ChannelKind.AnnouncementThread : ChannelKind.PublicThread;
    const thread = createThread(parent, (req.body ?? {}) as Record<string, any>, m.id, type);
    m.threadId = thread.id;
    return ok(store.apiChannel(thread), 201);
  });

  // ── application commands ──────────────────────────────────────────────────────────────────────────────────
  // Bodies were checked against application-commands' rules before they got here (stand-in.ts → commands.ts).
  const commandList = (guildId: string | undefined): RegisteredCommand[] => {
    if (!guildId) return store.globalCommands;
    guildOr404(guildId);
    let list = store.guildCommands.get(guildId);
    if (!list) store.guildCommands.set(guildId, (list = []));
    return list;
  };
  const toCommand = (body: Record<string, any>, guildId: string | undefined, existing?: RegisteredCommand): RegisteredCommand => {
    const type = Number(body.type ?? 1);
    const cmd: RegisteredCommand = {
      ...body,
      id: existing?.id ?? store.id(),
      application_id: store.applicationId,
      version: store.id(),
      name: String(body.name),
      name_localizations: body.name_localizations ?? null,
      type,
      description: String(body.description ?? ''),
      description_localizations: body.description_localizations ?? null,
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: Boolean(body.nsfw ?? false),
      options: Array.isArray(body.options) ? body.options : [],
    };
    if (guildId) cmd.guild_id = guildId;
    else {
      // AC § Bulk Overwrite…, JSON Params: integration_types defaults to GUILD_INSTALL, contexts to every context.
      cmd.integration_types = Array.isArray(body.integration_types) ? body.integration_types : [0];
      cmd.contexts = Array.isArray(body.contexts) ? body.contexts : null;
    }
    return cmd;
  };
  const sameCommand = (a: { name?: unknown; type?: unknown }, b: { name?: unknown; type?: unknown }): boolean =>
    a.name === b.name && Number(a.type ?? 1) === Number(b.type ?? 1);
  /** AC § Application Command Permissions Object (Warning): "Deleting or renaming a command will permanently delete all permissions for the command". */
  const forgetPermissions = (guildId: string | undefined, commandId: string): void => {
    if (guildId) store.commandPermissions.get(guildId)?.delete(commandId);
    else for (const byTarget of store.commandPermissions.values()) byTarget.delete(commandId);
  };
  /** AC § Registering a Command (Danger box): 200 creates a day per scope; a bulk overwrite counts only commands it adds. */
  const countCreates = (guildId: string | undefined, n: number): void => {
    if (n === 0) return;
    const key = guildId ?? 'global';
    const now = ctx.clock.now();
    const recent = (store.commandCreates.get(key) ?? []).filter((t) => now - t < 86_400_000);
    if (recent.length + n > ctx.dailyCommandCreates) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + 86_400_000 - now) / 1000));
      throw new DiscordHttpError(429, {
        code: DiscordCode.MaxDailyCommandCreates,
        message: `Max number of daily application command creates has been reached (${ctx.dailyCommandCreates})`,
        retry_after: retryAfter,
        global: false,
      });
    }
    for (let i = 0; i < n; i++) recent.push(now);
    store.commandCreates.set(key, recent);
  };
  /** AC § Retrieving localized commands: list GETs carry *_localized for the requester's locale unless with_localizations=true. */
  const listView = (cmd: RegisteredCommand, req: RestRequest): Record<string, unknown> => {
    if (req.query.get('with_localizations') === 'true') return cmd;
    const header = req.headers['x-discord-locale'] ?? req.headers['accept-language'];
    const locale = typeof header === 'string' ? header.split(',')[0]?.trim() : undefined;
    const strip = (o: Record<string, any>): Record<string, any> => {
      const { name_localizations: names, description_localizations: descriptions, ...rest } = o;
      const out: Record<string, any> = { ...rest };
      if (locale && names?.[locale]) out.name_localized = names[locale];
      if (locale && descriptions?.[locale]) out.description_localized = descriptions[locale];
      if (Array.isArray(rest.options)) out.options = rest.options.map(strip);
      if (Array.isArray(rest.choices)) out.choices = rest.choices.map(strip);
      return out;
    };
    return strip(cmd);
  };
  const commandRoutes = (prefix: string, guildOf: (req: RestRequest) => string | undefined): void => {
    on(`GET ${prefix}`, (req) => {
      checkApplication(req.params.application_id ?? '');
      return ok(commandList(guildOf(req)).map((c) => listView(c, req)));
    });
    // AC § Bulk Overwrite … Application Commands: the body is the whole new set for the scope; commands not in it
    // are deleted; commands are matched by id (when given) or by name and type, and keep their ids.
    on(`PUT ${prefix}`, (req) => {
      checkApplication(req.params.application_id ?? '');
      const guildId = guildOf(req);
      const list = commandList(guildId);
      const bodies = Array.isArray(req.body) ? (req.body as Array<Record<string, any>>) : [];
      const matched = bodies.map((b) => {
        if (b.id !== undefined) {
          const byId = list.find((c) => c.id === String(b.id));
          if (!byId)
            throw invalidFormBody([
              { path: [bodies.indexOf(b), 'id'], code: 'APPLICATION_COMMAND_UNKNOWN', message: 'Unknown application command' },
            ]);
          return byId;
        }
        return list.find((c) => sameCommand(c, b));
      });
      countCreates(guildId, matched.filter((m) => !m).length);
      const next = bodies.map((b) => {
        const { id: _id, ...rest } = b;
        return toCommand(rest, guildId, matched[bodies.indexOf(b)]);
      });
      for (const old of list) {
        const kept = next.find((c) => c.id === old.id);
        if (!kept || kept.name !== old.name) forgetPermissions(guildId, old.id);
      }
      list.splice(0, list.length, ...next);
      return ok(next);
    });
    // AC § Updating and Deleting a Command: POST with a used name (and type) is an upsert.
    on(`POST ${prefix}`, (req) => {
      checkApplication(req.params.application_id ?? '');
      const guildId = guildOf(req);
      const list = commandList(guildId);
      const body = (req.body ?? {}) as Record<string, any>;
      const i = list.findIndex((c) => sameCommand(c, body));
      if (i < 0) {
        const type = Number(body.type ?? 1);
        const max = MAX_COMMANDS[type] ?? 100;
        if (list.filter((c) => c.type === type).length >= max)
          throw httpError(400, DiscordCode.MaxApplicationCommands, `Maximum number of application commands reached (${max})`);
        countCreates(guildId, 1);
      }
      const cmd = toCommand(body, guildId, list[i]);
      if (i >= 0) list[i] = cmd;
      else list.push(cmd);
      return ok(cmd, i >= 0 ? 200 : 201);
    });
    const one = (req: RestRequest): [RegisteredCommand[], number] => {
      checkApplication(req.params.application_id ?? '');
      const list = commandList(guildOf(req));
      const i = list.findIndex((c) => c.id === req.params.command_id);
      if (i < 0) throw httpError(404, DiscordCode.UnknownApplicationCommand, 'Unknown application command');
      return [list, i];
    };
    on(`GET ${prefix}/{command_id}`, (req) => {
      const [list, i] = one(req);
      return ok(list[i]);
    });
    // AC § Edit … Application Command: "any fields provided will entirely overwrite the existing values".
    on(`PATCH ${prefix}/{command_id}`, (req) => {
      const [list, i] = one(req);
      const old = list[i]!;
      const merged = { ...old, ...(req.body ?? {}) };
      if (list.some((c, j) => j !== i && sameCommand(c, merged)))
        throw httpError(400, DiscordCode.CommandNameExists, 'An application command with that name already exists');
      const cmd = toCommand(merged, guildOf(req), old);
      if (cmd.name !== old.name) forgetPermissions(guildOf(req), old.id);
      list[i] = cmd;
      return ok(cmd);
    });
    on(`DELETE ${prefix}/{command_id}`, (req) => {
      const [list, i] = one(req);
      forgetPermissions(guildOf(req), list[i]!.id);
      list.splice(i, 1);
      return noContent();
    });
  };
  commandRoutes('/applications/{application_id}/commands', () => undefined);
  commandRoutes('/applications/{application_id}/guilds/{guild_id}/commands', (req) => req.params.guild_id);

  // AC § Get Guild Application Command Permissions / § Get Application Command Permissions: readable with a bot token.
  const permissionsObject = (guildId: string, id: string) => ({
    id,
    application_id: store.applicationId,
    guild_id: guildId,
    permissions: store.commandPermissions.get(guildId)?.get(id) ?? [],
  });
  on('GET /applications/{application_id}/guilds/{guild_id}/commands/permissions', (req) => {
    checkApplication(req.params.application_id ?? '');
    const guildId = guildOr404(req.params.guild_id ?? '').id;
    return ok([...(store.commandPermissions.get(guildId)?.keys() ?? [])].map((id) => permissionsObject(guildId, id)));
  });
  on('GET /applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions', (req) => {
    checkApplication(req.params.application_id ?? '');
    const guildId = guildOr404(req.params.guild_id ?? '').id;
    const id = req.params.command_id ?? '';
    if (!store.commandPermissions.get(guildId)?.has(id))
      throw httpError(404, DiscordCode.UnknownCommandPermissions, 'Unknown application command permissions');
    return ok(permissionsObject(guildId, id));
  });
  // AC § Permissions (Warning): "Command permissions can only be updated using a Bearer token. Authenticating with a
  // bot token will result in an error." Admins change them in Server Settings → Integrations: setCommandPermissions().
  on('PUT /applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions', () => {
    throw httpError(403, DiscordCode.BotsCannotUseEndpoint, 'Bots cannot use this endpoint');
  });

  // ── interaction callback ──────────────────────────────────────────────────────────────────────────────────
  on('POST /interactions/{interaction_id}/{interaction_token}/callback', (req) => {
    const now = ctx.clock.now();
    const rec = store.interactions.get(req.params.interaction_id ?? '');
    const body = (req.body ?? {}) as Record<string, any>;
    const type = typeof body.type === 'number' ? body.type : undefined;
    if (!rec || rec.token !== req.params.interaction_token) throw httpError(404, DiscordCode.UnknownInteraction, 'Unknown interaction');
    const attempt: CallbackAttempt = { at: now, type, body, status: 0 };
    rec.attempts.push(attempt);
    const refuse = (err: DiscordHttpError, reason: string): never => {
      attempt.status = err.status;
      attempt.code = err.body.code;
      attempt.reason = reason;
      throw err;
    };
    if (rec.response)
      refuse(httpError(400, DiscordCode.AlreadyAcknowledged, 'Interaction has already been acknowledged.'), 'already acknowledged');
    if (now > rec.deadlineAt) {
      rec.late = true;
      refuse(
        httpError(404, DiscordCode.UnknownInteraction, 'Unknown interaction'),
        `first callback ${now - rec.createdAt} ms after the interaction was created (${now - rec.dispatchedAt} ms after dispatch; deadline ${ctx.interactionDeadlineMs} ms)`,
      );
    }
    const allowed = CALLBACK_TYPES[rec.kind];
    const needsMessage = (type === 6 || type === 7) && !rec.sourceMessage;
    if (type === undefined || !allowed.includes(type) || needsMessage) {
      refuse(
        invalidFormBody([
          {
            path: ['type'],
            code: 'INTERACTION_RESPONSE_TYPE_INVALID',
            message: `Callback type ${String(type)} is not valid for a ${rec.kind} interaction${needsMessage ? ' without a message' : ''}.`,
          },
        ]),
        'callback type not valid for this interaction',
      );
    }
    const data = (body.data ?? undefined) as Record<string, any> | undefined;
    if (type === 4 && isEmptyMessage(data)) refuse(emptyMessage(), 'empty message');

    rec.response = { type: type!, data, body, at: now };
    rec.acknowledgedAt = now;
    attempt.status = 204;
    const messageType = rec.kind === 'command' ? 20 : 0;
    switch (type) {
      case 4:
        rec.original = store.newMessage({
          channelId: rec.channelId,
          body: data ?? {},
          via: 'interaction-reply',
          interactionId: rec.id,
          webhookId: rec.applicationId,
          messageType,
          files: req.files,
        });
        announceCreate(rec.original);
        break;
      case 5: {
        const flags = (typeof data?.flags === 'number' ? data.flags : 0) & MessageFlag.Ephemeral;
        rec.original = store.newMessage({
          channelId: rec.channelId,
          body: { flags },
          via: 'interaction-deferred',
          interactionId: rec.id,
          webhookId: rec.applicationId,
          messageType,
          extraFlags: MessageFlag.Loading,
        });
        announceCreate(rec.original);
        break;
      }
      case 6:
        rec.original = rec.sourceMessage;
        break;
      case 7:
        rec.original = store.editMessage(rec.sourceMessage!, data ?? {}, { files: req.files });
        announceUpdate(rec.original);
        break;
      case 8:
        rec.choices = Array.isArray(data?.choices) ? data.choices : [];
        break;
      case 9:
        rec.modal = data;
        break;
    }
    if (req.query.get('with_response') === 'true') {
      const m = rec.original && (type === 4 || type === 5 || type === 7) ? rec.original : undefined;
      return ok({
        interaction: {
          id: rec.id,
          type: rec.type,
          ...(m ? { response_message_id: m.id, response_message_loading: m.loading, response_message_ephemeral: m.ephemeral } : {}),
        },
        resource: { type, ...(m ? { message: store.apiMessage(m) } : {}) },
      });
    }
    return noContent();
  });

  // ── interaction webhooks: @original, follow-ups ───────────────────────────────────────────────────────────
  const webhookInteraction = (req: RestRequest): InteractionRecord => {
    const rec = store.interactionsByToken.get(req.params.webhook_token ?? '');
    if (!rec || rec.applicationId !== req.params.webhook_id || !rec.response)
      throw httpError(404, DiscordCode.UnknownWebhook, 'Unknown Webhook');
    if (ctx.clock.now() > rec.tokenExpiresAt) throw httpError(401, DiscordCode.InvalidWebhookToken, 'Invalid Webhook Token');
    return rec;
  };
  const webhookMessage = (rec: InteractionRecord, id: string): StoredMessage => {
    const m = id === '@original' ? rec.original : [rec.original, ...rec.followups].find((x) => x?.id === id);
    if (!m || m.deleted) throw httpError(404, DiscordCode.UnknownMessage, 'Unknown Message');
    return m;
  };
  on('POST /webhooks/{webhook_id}/{webhook_token}', (req) => {
    const rec = webhookInteraction(req);
    const body = (req.body ?? {}) as Record<string, any>;
    if (isEmptyMessage(body)) throw emptyMessage();
    let m: StoredMessage;
    const pending =
      rec.original?.loading && rec.response?.type === 5 && rec.original.via === 'interaction-deferred' ? rec.original : undefined;
    if (pending) {
      // As on Discord, the first follow-up after a deferred reply fills in the "thinking…" message, keeping its
      // ephemerality.
      m = store.editMessage(pending, body, { clearLoading: true, files: req.files });
      announceUpdate(m);
    } else {
      m = store.newMessage({
        channelId: rec.channelId,
        body,
        via: 'interaction-followup',
        interactionId: rec.id,
        webhookId: rec.applicationId,
        files: req.files,
      });
      announceCreate(m);
    }
    rec.followups.push(m);
    // receiving-and-responding § Create Followup Message: "Functions the same as Execute Webhook, but wait is always true."
    return ok(store.apiMessage(m));
  });
  for (const target of ['@original', '{message_id}']) {
    const idOf = (req: RestRequest): string => (target === '@original' ? '@original' : (req.params.message_id ?? ''));
    on(`GET /webhooks/{webhook_id}/{webhook_token}/messages/${target}`, (req) => {
      const rec = webhookInteraction(req);
      return ok(store.apiMessage(webhookMessage(rec, idOf(req))));
    });
    on(`PATCH /webhooks/{webhook_id}/{webhook_token}/messages/${target}`, (req) => {
      const rec = webhookInteraction(req);
      const m = webhookMessage(rec, idOf(req));
      const body = (req.body ?? {}) as Record<string, any>;
      store.editMessage(m, body, { clearLoading: true, files: req.files });
      rec.edits.push({ at: ctx.clock.now(), target: idOf(req), messageId: m.id, body });
      announceUpdate(m);
      return ok(store.apiMessage(m));
    });
    on(`DELETE /webhooks/{webhook_id}/{webhook_token}/messages/${target}`, (req) => {
      const rec = webhookInteraction(req);
      const m = webhookMessage(rec, idOf(req));
      m.deleted = true;
      if (!m.ephemeral)
        ctx.announce('MESSAGE_DELETE', m.channelId, { id: m.id, channel_id: m.channelId, ...(m.guildId ? { guild_id: m.guildId } : {}) });
      return noContent();
    });
  }
  return routes;
}

/** Whether Message Content would blank a message for the bot: not its own, not in a DM, not mentioning it. */
export function hidesContent(store: Store, m: StoredMessage): boolean {
  if (m.author.id === store.bot.id) return false;
  if (store.channels.get(m.channelId)?.type === ChannelKind.DM) return false;
  return !m.content.includes(`<@${store.bot.id}>`) && !m.content.includes(`<@!${store.bot.id}>`);
}

export function guildObject(store: Store, g: GuildFixture): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: g.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: g.preferredLocale,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    incidents_data: null,
  };
}
