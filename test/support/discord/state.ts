import type { CommandPermission } from './command-access.ts';
import type { Clock } from './clock.ts';
import { snowflake } from './snowflake.ts';
import { ALL_PERMISSIONS, Permission } from './permissions.ts';
import {
  ChannelKind,
  THREAD_TYPES,
  makeMember,
  type ChannelObject,
  type GuildFixture,
  type MemberObject,
  type RoleObject,
  type UserObject,
} from './factories.ts';
import { MessageFlag } from './limits.ts';

/** A file that came with a multipart request (payload_json plus files[n]). */
export interface UploadedFile {
  /** The form field, e.g. files[0]. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

/** An attachment of a stored message, with the bytes that were uploaded. */
export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  description?: string;
  data: Buffer;
}

/** A message the bot posted (or, via sendUserMessage, a simulated user), as the stand-in keeps it for assertions. */
export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  author: UserObject;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  /** flags has EPHEMERAL (64): only the interacting user sees it. */
  ephemeral: boolean;
  /** A deferred reply that editReply has not filled in yet (flag LOADING). */
  loading: boolean;
  allowedMentions: unknown;
  /** How it came to be. */
  via: 'channel' | 'interaction-reply' | 'interaction-deferred' | 'interaction-followup' | 'user';
  interactionId?: string;
  webhookId?: string;
  messageReference?: unknown;
  /** Id of the thread started from this message, if any. */
  threadId?: string;
  /** Discord message type: 0 default, 19 reply, 20 chat input command. */
  messageType: number;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  /** Every request body that created or changed it, oldest first. */
  history: Array<{ at: number; body: unknown }>;
}

export interface CallbackAttempt {
  at: number;
  /** The callback type asked for (4 reply, 5 defer, 6 deferred update, 7 update, 8 choices, 9 modal). */
  type: number | undefined;
  body: unknown;
  status: number;
  /** Discord error code when refused (10062 late/unknown, 40060 already acknowledged, 50035 invalid). */
  code?: number;
  reason?: string;
  /** Made by another process (acknowledgeElsewhere), not by a request the stand-in received. */
  elsewhere?: boolean;
}

export interface InteractionResponse {
  type: number;
  /** The callback's data (message, modal or choices); undefined for types 5/6 without data. */
  data: Record<string, any> | undefined;
  body: unknown;
  at: number;
}

export interface InteractionEdit {
  at: number;
  /** '@original' or a follow-up's id */
  target: string;
  messageId: string | undefined;
  body: Record<string, any>;
}

export type InteractionKind = 'command' | 'component' | 'autocomplete' | 'modal-submit';

export interface InteractionRecord {
  id: string;
  token: string;
  applicationId: string;
  /** Interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  kind: InteractionKind;
  /** The INTERACTION_CREATE payload as dispatched. */
  payload: Record<string, any>;
  userId: string;
  guildId: string | null;
  channelId: string;
  /** When it was dispatched, on the stand-in's clock; one entry per delivery (redeliver adds more). */
  deliveries: number[];
  /** When Discord created it: its id's snowflake time (earlier than dispatchedAt when delivered with lagMs). */
  createdAt: number;
  dispatchedAt: number;
  /** A first callback after this instant (createdAt + 3 s) gets 10062. */
  deadlineAt: number;
  /** Every callback attempt, refused ones included. */
  attempts: CallbackAttempt[];
  /** The accepted acknowledgement. */
  response?: InteractionResponse;
  acknowledgedAt?: number;
  /** Webhook edits and follow-ups are refused after this instant (15 minutes after creation). */
  tokenExpiresAt: number;
  /** The message @original points at: the reply, the deferred placeholder, or the component's message. */
  original?: StoredMessage;
  /** For components (and modals opened from one): the message the user clicked on. */
  sourceMessage?: StoredMessage;
  edits: InteractionEdit[];
  followups: StoredMessage[];
  /** The modal shown (callback 9), for sendModalSubmit. */
  modal?: Record<string, any>;
  /** The choices offered (callback 8). */
  choices?: unknown[];
  /** True when a first callback came after the deadline. */
  late: boolean;
}

export interface RegisteredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  type: number;
  description: string;
  options?: Array<Record<string, any>>;
  version: string;
  [key: string]: unknown;
}

export class Store {
  readonly users = new Map<string, UserObject>();
  readonly guilds = new Map<string, GuildFixture>();
  readonly channels = new Map<string, ChannelObject>();
  readonly dmChannelByUser = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  readonly messagesByChannel = new Map<string, StoredMessage[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();
  readonly closedDms = new Set<string>();
  /** Command permission overwrites per guild, keyed by command id (or the application id for app-wide ones). */
  readonly commandPermissions = new Map<string, Map<string, CommandPermission[]>>();
  /** When commands were created, per scope ('global' or a guild id), for the daily create limit. */
  readonly commandCreates = new Map<string, number[]>();
  /** Text simulated users typed; a message carrying one of these needs safe allowed_mentions. */
  readonly userTexts = new Set<string>();

  constructor(
    readonly clock: Clock,
    readonly bot: UserObject,
    readonly applicationId: string,
  ) {
    this.users.set(bot.id, bot);
  }

  id(): string {
    return snowflake(this.clock);
  }

  iso(ms: number = this.clock.now()): string {
    return new Date(ms).toISOString();
  }

  addGuild(guild: GuildFixture): void {
    if (!guild.members.some((m) => m.user.id === this.bot.id)) guild.members.push(makeMember(this.bot));
    this.guilds.set(guild.id, guild);
    for (const m of guild.members) this.users.set(m.user.id, m.user);
    for (const c of guild.channels) {
      c.guild_id = guild.id;
      this.channels.set(c.id, c);
    }
  }

  guild(id: string): GuildFixture | undefined {
    return this.guilds.get(id);
  }

  member(guildId: string, userId: string): MemberObject | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.user.id === userId);
  }

  role(guildId: string, roleId: string): RoleObject | undefined {
    return this.guilds.get(guildId)?.roles.find((r) => r.id === roleId);
  }

  /** Guild-level permissions of a member (owner and ADMINISTRATOR get everything). */
  basePermissions(guildId: string, userId: string, roleIds?: string[]): bigint {
    const guild = this.guilds.get(guildId);
    if (!guild) return 0n;
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const roles = roleIds ?? this.member(guildId, userId)?.roles ?? [];
    let bits = BigInt(this.role(guildId, guildId)?.permissions ?? '0');
    for (const id of roles) bits |= BigInt(this.role(guildId, id)?.permissions ?? '0');
    return (bits & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
  }

  /** Permissions in a channel, with its overwrites applied in Discord's order (@everyone, roles, member). Threads use their parent's. */
  channelPermissions(channelId: string, userId: string, roleIds?: string[]): bigint {
    let channel = this.channels.get(channelId);
    if (!channel?.guild_id) return ALL_PERMISSIONS;
    const guildId = channel.guild_id;
    const base = this.basePermissions(guildId, userId, roleIds);
    if (base === ALL_PERMISSIONS) return base;
    if (THREAD_TYPES.has(channel.type) && channel.parent_id) channel = this.channels.get(channel.parent_id) ?? channel;
    const overwrites = channel.permission_overwrites ?? [];
    const roles = roleIds ?? this.member(guildId, userId)?.roles ?? [];
    let bits = base;
    const apply = (allow: string, deny: string): void => {
      bits &= ~BigInt(deny);
      bits |= BigInt(allow);
    };
    const everyone = overwrites.find((o) => o.type === 0 && o.id === guildId);
    if (everyone) apply(everyone.allow, everyone.deny);
    let allow = 0n;
    let deny = 0n;
    for (const o of overwrites) {
      if (o.type === 0 && o.id !== guildId && roles.includes(o.id)) {
        allow |= BigInt(o.allow);
        deny |= BigInt(o.deny);
      }
    }
    apply(allow.toString(), deny.toString());
    const own = overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) apply(own.allow, own.deny);
    return bits;
  }

  dmChannelFor(user: UserObject): ChannelObject {
    const existing = this.dmChannelByUser.get(user.id);
    if (existing) return this.channels.get(existing)!;
    const channel: ChannelObject = { id: this.id(), type: ChannelKind.DM, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(channel.id, channel);
    this.dmChannelByUser.set(user.id, channel.id);
    return channel;
  }

  /** The channel object as GET /channels/{id} returns it. */
  apiChannel(channel: ChannelObject): Record<string, unknown> {
    return structuredClone(channel);
  }

  addMessage(message: StoredMessage): StoredMessage {
    this.messages.set(message.id, message);
    const list = this.messagesByChannel.get(message.channelId) ?? [];
    list.push(message);
    this.messagesByChannel.set(message.channelId, list);
    const channel = this.channels.get(message.channelId);
    if (channel) channel.last_message_id = message.id;
    return message;
  }

  newMessage(init: {
    channelId: string;
    body: Record<string, any>;
    via: StoredMessage['via'];
    author?: UserObject;
    interactionId?: string;
    webhookId?: string;
    messageType?: number;
    extraFlags?: number;
    files?: UploadedFile[];
  }): StoredMessage {
    const now = this.clock.now();
    const channel = this.channels.get(init.channelId);
    const flags = (typeof init.body.flags === 'number' ? init.body.flags : 0) | (init.extraFlags ?? 0);
    const message: StoredMessage = {
      id: this.id(),
      channelId: init.channelId,
      guildId: channel?.guild_id ?? null,
      author: init.author ?? this.bot,
      content: typeof init.body.content === 'string' ? init.body.content : '',
      embeds: Array.isArray(init.body.embeds) ? init.body.embeds : [],
      components: Array.isArray(init.body.components) ? init.body.components : [],
      attachments: this.attachments(init.body, init.files ?? [], []),
      flags,
      ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
      loading: (flags & MessageFlag.Loading) !== 0,
      allowedMentions: init.body.allowed_mentions,
      via: init.via,
      messageType: init.messageType ?? (init.body.message_reference ? 19 : 0),
      createdAt: now,
      editedAt: null,
      deleted: false,
      history: [{ at: now, body: init.body }],
    };
    if (init.interactionId) message.interactionId = init.interactionId;
    if (init.webhookId) message.webhookId = init.webhookId;
    if (init.body.message_reference) message.messageReference = init.body.message_reference;
    return this.addMessage(message);
  }

  /** Applies a PATCH body to a message the way Discord does: only the fields present change. */
  editMessage(
    message: StoredMessage,
    body: Record<string, any>,
    opts: { clearLoading?: boolean; files?: UploadedFile[] } = {},
  ): StoredMessage {
    const now = this.clock.now();
    if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) message.embeds = Array.isArray(body.embeds) ? body.embeds : [];
    if ('components' in body) message.components = Array.isArray(body.components) ? body.components : [];
    if ('attachments' in body || opts.files?.length) message.attachments = this.attachments(body, opts.files ?? [], message.attachments);
    if ('allowed_mentions' in body) message.allowedMentions = body.allowed_mentions;
    if (typeof body.flags === 'number') {
      // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can be changed on an existing message.
      const changeable = MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2;
      message.flags = (message.flags & ~changeable) | (body.flags & changeable);
    }
    if (opts.clearLoading) message.flags &= ~MessageFlag.Loading;
    message.loading = (message.flags & MessageFlag.Loading) !== 0;
    message.ephemeral = (message.flags & MessageFlag.Ephemeral) !== 0;
    message.editedAt = now;
    message.history.push({ at: now, body });
    return message;
  }

  /**
   * Attachments after a create or edit, as Discord does it: `attachments` in the body lists what the message keeps
   * (existing ids) and describes new uploads (id = the n of files[n]); without it, uploads are added.
   */
  attachments(body: Record<string, any>, files: UploadedFile[], existing: StoredAttachment[]): StoredAttachment[] {
    const upload = (f: UploadedFile, d?: Record<string, any>): StoredAttachment => ({
      id: this.id(),
      filename: typeof d?.filename === 'string' ? d.filename : f.name,
      contentType: f.contentType,
      size: f.data.length,
      ...(typeof d?.description === 'string' ? { description: d.description } : {}),
      data: f.data,
    });
    const byIndex = new Map(files.map((f) => [/^files\[(\d+)\]$/.exec(f.field)?.[1] ?? f.field, f]));
    if (!Array.isArray(body.attachments)) return [...existing, ...files.map((f) => upload(f))];
    const out: StoredAttachment[] = [];
    for (const d of body.attachments as Array<Record<string, any>>) {
      const kept = existing.find((a) => a.id === String(d.id));
      if (kept) {
        out.push(typeof d.description === 'string' ? { ...kept, description: d.description } : kept);
        continue;
      }
      const file = byIndex.get(String(d.id));
      if (file) out.push(upload(file, d));
    }
    return out;
  }

  apiMessage(m: StoredMessage): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: m.id,
      channel_id: m.channelId,
      author: m.author,
      content: m.content,
      timestamp: this.iso(m.createdAt),
      edited_timestamp: m.editedAt === null ? null : this.iso(m.editedAt),
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        size: a.size,
        url: `https://cdn.discordapp.com/attachments/${m.channelId}/${a.id}/${encodeURIComponent(a.filename)}`,
        proxy_url: `https://media.discordapp.net/attachments/${m.channelId}/${a.id}/${encodeURIComponent(a.filename)}`,
        content_type: a.contentType,
        ...(a.description ? { description: a.description } : {}),
      })),
      embeds: m.embeds,
      pinned: false,
      type: m.messageType,
      flags: m.flags,
      components: m.components,
    };
    if (m.guildId) out.guild_id = m.guildId;
    if (m.webhookId) {
      out.webhook_id = m.webhookId;
      out.application_id = this.applicationId;
    }
    if (m.messageReference) out.message_reference = m.messageReference;
    if (m.interactionId) {
      const i = this.interactions.get(m.interactionId);
      if (i) {
        const meta: Record<string, unknown> = {
          id: i.id,
          type: i.type,
          user: this.users.get(i.userId) ?? null,
          authorizing_integration_owners: i.payload.authorizing_integration_owners ?? {},
        };
        if (i.kind === 'command') {
          meta.name = i.payload.data?.name;
          meta.command_type = i.payload.data?.type ?? 1;
        }
        if (i.original && i.original !== m) meta.original_response_message_id = i.original.id;
        out.interaction_metadata = meta;
      }
    }
    if (m.threadId) {
      const thread = this.channels.get(m.threadId);
      if (thread) out.thread = this.apiChannel(thread);
    }
    return out;
  }

  commandsFor(guildId: string | null): RegisteredCommand[] {
    return [...(guildId ? (this.guildCommands.get(guildId) ?? []) : []), ...this.globalCommands];
  }
}
