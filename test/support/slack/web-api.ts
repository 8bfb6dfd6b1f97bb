import { describeIssues, validateMessageBlocks, validateView } from './block-kit.ts';
import type { Core } from './core.ts';
import type { Channel, StoredView, Workspace } from './model.ts';

/**
 * The Web API methods Pulje uses, answering as Slack does: HTTP 200 with `{ok: true, …}` or `{ok: false, error}`
 * (https://docs.slack.dev/apis/web-api, "Evaluating responses"), HTTP 429 with `Retry-After` when rate limited.
 * Each method's arguments, scopes and errors are from its reference page,
 * https://docs.slack.dev/reference/methods/<method> ("Arguments", "Errors"), cited per handler below.
 */

export interface CallInput {
  method: string;
  args: Record<string, unknown>;
  contentType: 'form' | 'json' | 'none';
  /** Bearer token from the Authorization header, or the `token` argument (form bodies only). */
  token: string | undefined;
  /** HTTP Basic credentials (oauth.v2.access accepts client_id/secret this way). */
  basic: { user: string; password: string } | undefined;
}

export interface CallOutput {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

type Ok = Record<string, unknown>;

class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

interface Ctx {
  core: Core;
  input: CallInput;
  ws: Workspace;
  token: string;
}

type Handler = (ctx: Ctx) => Ok;

/** Required bot scopes per method (reference pages, "Scopes"). Conversation methods check the channel type's scope in the handler. */
const SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'users.info': ['users:read'],
  'usergroups.users.list': ['usergroups:read'],
};

export function handleCall(core: Core, input: CallInput): CallOutput {
  const scripted = core.scripted.get(input.method)?.shift();
  if (scripted) {
    const headers: Record<string, string> =
      scripted.retryAfterSeconds !== undefined ? { 'retry-after': String(scripted.retryAfterSeconds) } : {};
    return { status: scripted.status, headers, body: scripted.body };
  }
  try {
    if (input.method === 'oauth.v2.access') return ok(oauthV2Access(core, input));
    if (input.method === 'apps.connections.open') return ok(appsConnectionsOpen(core, input));
    const handler = HANDLERS[input.method];
    if (!handler) {
      core.errors.push(`Web API method ${input.method} is not modelled by the stand-in`);
      return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
    const { ws, token } = authenticate(core, input);
    for (const scope of SCOPES[input.method] ?? []) requireScope(ws, scope);
    const channelArg = typeof input.args.channel === 'string' ? input.args.channel : undefined;
    rateLimit(core, ws.teamId, input.method, input.method === 'chat.postMessage' ? channelArg : undefined);
    return ok(handler({ core, input, ws, token }));
  } catch (err) {
    if (err instanceof SlackError) return { status: err.status, headers: err.headers, body: { ok: false, error: err.code, ...err.extra } };
    throw err;
  }
}

/** Over the limit: HTTP 429, `Retry-After` in whole seconds, `{ok: false, error: "ratelimited"}`. */
function rateLimit(core: Core, key: string, method: string, channel?: string): void {
  const decision = core.limiter.take(key, method, channel);
  if (decision.limited) throw new SlackError('ratelimited', {}, 429, { 'retry-after': String(decision.retryAfterSeconds) });
}

function ok(body: Ok): CallOutput {
  return { status: 200, body: { ok: true, ...body } };
}

/** not_authed without a token, invalid_auth for an unknown one, token_revoked after uninstall or revocation. */
function authenticate(core: Core, input: CallInput): { ws: Workspace; token: string } {
  if (!input.token) throw new SlackError('not_authed');
  const known = core.tokens.get(input.token);
  if (!known) throw new SlackError('invalid_auth');
  if (known.revoked) throw new SlackError('token_revoked');
  if (known.kind !== 'bot' || !known.teamId) throw new SlackError('not_allowed_token_type');
  const ws = core.workspace(known.teamId);
  return { ws, token: input.token };
}

function requireScope(ws: Workspace, scope: string): void {
  if (!ws.scopes.has(scope)) throw new SlackError('missing_scope', { needed: scope, provided: [...ws.scopes].join(',') });
}

function str(args: Record<string, unknown>, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

function bool(args: Record<string, unknown>, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** Form bodies carry blocks/view as JSON strings ("A JSON-based array of structured blocks, presented as a URL-encoded string"). */
function jsonArg(args: Record<string, unknown>, key: string, errorCode: string): unknown {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new SlackError(errorCode, { response_metadata: { messages: [`[ERROR] invalid JSON in ${key}`] } });
  }
}

function missingArgument(name: string): SlackError {
  return new SlackError('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
}

/**
 * Resolves a conversation for a bot: private channels and other people's DMs the bot is not in do not exist for
 * it (channel_not_found), as in Slack. A user ID as channel means the app's DM with that user (chat.postMessage
 * "Channel … Can be an encoded ID, or a name"; posting to a user ID posts in the app's DM).
 */
function conversation(ctx: Ctx, channelId: string | undefined, allowUserId = false): Channel {
  if (!channelId) throw new SlackError('channel_not_found');
  const { ws, core } = ctx;
  if (allowUserId && /^[UW]/.test(channelId)) {
    const user = ws.users.get(channelId);
    if (!user) throw new SlackError('channel_not_found');
    if (user.isBot) throw new SlackError('cannot_dm_bot');
    return ws.imWith(user.id, core.ids);
  }
  const byName = channelId.startsWith('#') ? [...ws.channels.values()].find((c) => `#${c.name}` === channelId) : undefined;
  const channel = byName ?? ws.channels.get(channelId);
  if (!channel) throw new SlackError('channel_not_found');
  const member = channel.members.has(ws.botUserId);
  if ((channel.kind !== 'public' || channel.archived) && !member) throw new SlackError('channel_not_found');
  return channel;
}

/** Where the app may post: member, or a public channel with chat:write.public; otherwise not_in_channel. */
function postable(ctx: Ctx, channel: Channel): void {
  if (channel.archived) throw new SlackError('is_archived');
  if (channel.members.has(ctx.ws.botUserId)) return;
  if (channel.kind === 'public' && ctx.ws.scopes.has('chat:write.public')) return;
  throw new SlackError('not_in_channel');
}

/**
 * Content of chat.postMessage / postEphemeral / update and of response_url posts: text or blocks required
 * (no_text), text within the limit (msg_too_long), blocks valid (invalid_blocks with Slack's pointer messages),
 * blocks that are not JSON (invalid_blocks_format), attachments ≤100 (too_many_attachments).
 */
export function messageContent(
  core: Core,
  args: Record<string, unknown>,
  requireContent = true,
): { text: string; blocks: unknown[] | undefined; attachments: unknown[] | undefined } {
  const blocks = jsonArg(args, 'blocks', 'invalid_blocks_format');
  const attachments = jsonArg(args, 'attachments', 'invalid_attachments');
  const text = str(args, 'text') ?? '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (requireContent && !text && !hasBlocks && !(Array.isArray(attachments) && attachments.length > 0)) throw new SlackError('no_text');
  if ([...text].length > core.options.maxTextLength) throw new SlackError('msg_too_long');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) throw new SlackError('invalid_blocks_format');
    const issues = validateMessageBlocks(blocks);
    if (issues.length) throw new SlackError('invalid_blocks', describeIssues(issues));
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) throw new SlackError('invalid_attachments');
    if (attachments.length > 100) throw new SlackError('too_many_attachments');
  }
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

const OPTION_KEYS = [
  'parse',
  'link_names',
  'mrkdwn',
  'unfurl_links',
  'unfurl_media',
  'reply_broadcast',
  'icon_emoji',
  'icon_url',
  'username',
  'metadata',
];

function options(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(OPTION_KEYS.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
}

function messageObject(ctx: Ctx, m: { ts: string; text: string; blocks?: unknown[]; threadTs?: string }): Ok {
  return {
    type: 'message',
    subtype: undefined,
    text: m.text,
    user: ctx.ws.botUserId,
    bot_id: ctx.ws.botId,
    app_id: ctx.core.appId,
    team: ctx.ws.teamId,
    ts: m.ts,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

const HANDLERS: Record<string, Handler> = {
  /** https://docs.slack.dev/reference/methods/auth.test */
  'auth.test': ({ ws }) => ({
    url: `https://${ws.domain}.slack.com/`,
    team: ws.name,
    user: 'pulje',
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    is_enterprise_install: false,
  }),

  /** https://docs.slack.dev/reference/methods/chat.postMessage */
  'chat.postMessage': (ctx) => {
    const { core, input } = ctx;
    const channel = conversation(ctx, str(input.args, 'channel'), true);
    postable(ctx, channel);
    const content = messageContent(core, input.args);
    const threadTs = str(input.args, 'thread_ts');
    if (threadTs !== undefined && !/^\d+\.\d+$/.test(threadTs)) throw new SlackError('invalid_thread_ts');
    if (threadTs && !channel.messages.some((m) => m.ts === threadTs && !m.ephemeralFor)) {
      // "Provide another message's ts value to make this message a reply": a ts that is no message here cannot be a parent.
      throw new SlackError('thread_not_found');
    }
    const ts = core.ts.next(core.clock.now());
    core.addMessage(
      {
        channel: channel.id,
        ts,
        user: ctx.ws.botUserId,
        botId: ctx.ws.botId,
        text: content.text,
        blocks: content.blocks,
        threadTs,
        via: 'chat.postMessage',
        options: options(input.args),
      },
      channel,
    );
    return { channel: channel.id, ts, message: messageObject(ctx, { ts, text: content.text, blocks: content.blocks, threadTs }) };
  },

  /** https://docs.slack.dev/reference/methods/chat.postEphemeral — the user must be in the channel (user_not_in_channel). */
  'chat.postEphemeral': (ctx) => {
    const { core, input, ws } = ctx;
    const userId = str(input.args, 'user');
    if (!userId) throw missingArgument('user');
    const channel = conversation(ctx, str(input.args, 'channel'));
    postable(ctx, channel);
    const user = ws.users.get(userId);
    if (!user) throw new SlackError('user_not_found');
    if (!channel.members.has(userId)) throw new SlackError('user_not_in_channel');
    const content = messageContent(core, input.args);
    const ts = core.ts.next(core.clock.now());
    core.addMessage(
      {
        channel: channel.id,
        ts,
        user: ws.botUserId,
        botId: ws.botId,
        text: content.text,
        blocks: content.blocks,
        threadTs: str(input.args, 'thread_ts'),
        ephemeralFor: userId,
        via: 'chat.postEphemeral',
        options: options(input.args),
      },
      channel,
    );
    return { message_ts: ts };
  },

  /** https://docs.slack.dev/reference/methods/chat.update — only the app's own messages (cant_update_message). */
  'chat.update': (ctx) => {
    const { core, input } = ctx;
    const channel = conversation(ctx, str(input.args, 'channel'));
    const ts = str(input.args, 'ts');
    if (!ts) throw new SlackError('message_not_found');
    const message = channel.messages.find((m) => m.ts === ts && !m.deleted && !m.ephemeralFor);
    if (!message) throw new SlackError('message_not_found');
    if (message.botId !== ctx.ws.botId) throw new SlackError('cant_update_message');
    const content = messageContent(core, input.args);
    message.edits.push({ at: core.clock.now(), text: message.text, blocks: message.blocks, via: 'chat.update' });
    message.text = content.text;
    message.blocks = content.blocks;
    core.checkMentions(content.text, content.blocks, options(input.args), `chat.update in ${channel.id}`);
    core.waiters.notify();
    return { channel: channel.id, ts, text: content.text, message: messageObject(ctx, { ts, text: content.text, blocks: content.blocks }) };
  },

  /** https://docs.slack.dev/reference/methods/chat.delete — a bot token deletes only the bot's messages (cant_delete_message). */
  'chat.delete': (ctx) => {
    const channel = conversation(ctx, str(ctx.input.args, 'channel'));
    const ts = str(ctx.input.args, 'ts');
    const message = channel.messages.find((m) => m.ts === ts && !m.deleted && !m.ephemeralFor);
    if (!message) throw new SlackError('message_not_found');
    if (message.botId !== ctx.ws.botId) throw new SlackError('cant_delete_message');
    message.deleted = true;
    ctx.core.waiters.notify();
    return { channel: channel.id, ts };
  },

  /**
   * https://docs.slack.dev/reference/methods/chat.getPermalink — "exchange a message timestamp and a channel ID for
   * a friendly HTTP-based permalink to that message. Handles message threads and all conversation types." The
   * page's examples: `https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008` (the ts without its dot)
   * and, for a reply in a thread, the same with `?thread_ts=<parent ts>&cid=<channel>`. Errors: channel_not_found,
   * message_not_found. The page names no scope; its rate limit is special ("hundreds of requests per minute").
   */
  'chat.getPermalink': (ctx) => {
    const channel = conversation(ctx, str(ctx.input.args, 'channel'));
    const ts = str(ctx.input.args, 'message_ts');
    const message = channel.messages.find((m) => m.ts === ts && !m.deleted && !m.ephemeralFor);
    if (!message) throw new SlackError('message_not_found');
    const base = `https://${ctx.ws.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const reply = message.threadTs && message.threadTs !== message.ts;
    return { channel: channel.id, permalink: reply ? `${base}?thread_ts=${message.threadTs}&cid=${channel.id}` : base };
  },

  /**
   * https://docs.slack.dev/reference/methods/conversations.open — `users` (comma-separated) or `channel`;
   * a bot user cannot be DMed (cannot_dm_bot), unknown users user_not_found, deactivated ones user_disabled.
   */
  'conversations.open': (ctx) => {
    const { ws, core, input } = ctx;
    const channelId = str(input.args, 'channel');
    const users = str(input.args, 'users')
      ?.split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (!channelId && !users?.length) throw new SlackError('users_list_not_supplied');
    if (channelId) {
      const c = ws.channels.get(channelId);
      if (!c || (c.kind !== 'im' && c.kind !== 'mpim') || !c.members.has(ws.botUserId)) throw new SlackError('channel_not_found');
      return { channel: { id: c.id } };
    }
    const list = users ?? [];
    if (list.length > 8) throw new SlackError('too_many_users');
    for (const id of list) {
      const u = ws.users.get(id);
      if (!u) throw new SlackError('user_not_found');
      if (u.deleted) throw new SlackError('user_disabled');
      if (u.isBot) throw new SlackError('cannot_dm_bot');
    }
    if (list.length === 1) {
      requireScope(ws, 'im:write');
      const im = ws.imWith(list[0] as string, core.ids);
      return bool(input.args, 'return_im') ? { channel: conversationObject(ctx, im), already_open: true } : { channel: { id: im.id } };
    }
    requireScope(ws, 'mpim:write');
    const existing = [...ws.channels.values()].find(
      (c) => c.kind === 'mpim' && c.members.size === list.length + 1 && list.every((u) => c.members.has(u)),
    );
    const mpim = existing ?? {
      id: core.ids.next('G'),
      teamId: ws.teamId,
      name: `mpdm-${list.join('--')}`,
      kind: 'mpim' as const,
      archived: false,
      members: new Set([...list, ws.botUserId]),
      messages: [],
    };
    ws.channels.set(mpim.id, mpim);
    return { channel: { id: mpim.id } };
  },

  /** https://docs.slack.dev/reference/methods/conversations.info — needs the read scope of the conversation's type. */
  'conversations.info': (ctx) => {
    const channel = conversation(ctx, str(ctx.input.args, 'channel'));
    requireScope(ctx.ws, readScope(channel));
    return { channel: conversationObject(ctx, channel, bool(ctx.input.args, 'include_num_members')) };
  },

  /** https://docs.slack.dev/reference/methods/conversations.members — cursor pagination, `limit` up to 1000. */
  'conversations.members': (ctx) => {
    const channel = conversation(ctx, str(ctx.input.args, 'channel'));
    requireScope(ctx.ws, readScope(channel));
    const limitArg = str(ctx.input.args, 'limit');
    const limit = limitArg === undefined ? 100 : Number(limitArg);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new SlackError('invalid_limit');
    const cursor = str(ctx.input.args, 'cursor');
    let offset = 0;
    if (cursor) {
      const decoded = Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(decoded) || decoded < 0) throw new SlackError('invalid_cursor');
      offset = decoded;
    }
    const all = [...channel.members];
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
    return { members: page, response_metadata: { next_cursor: next } };
  },

  /** https://docs.slack.dev/reference/methods/users.info — the fields Pulje reads (display name, admin flags), nothing more. */
  'users.info': ({ ws, input }) => {
    const id = str(input.args, 'user');
    const user = id ? ws.users.get(id) : undefined;
    if (!user) throw new SlackError('user_not_found');
    return {
      user: {
        id: user.id,
        team_id: ws.teamId,
        name: user.name,
        deleted: user.deleted,
        real_name: user.realName,
        is_admin: user.isAdmin,
        is_owner: user.isOwner,
        is_bot: user.isBot,
        is_app_user: false,
        locale: bool(input.args, 'include_locale') ? user.locale : undefined,
        profile: { display_name: user.displayName, real_name: user.realName },
      },
    };
  },

  /** https://docs.slack.dev/reference/methods/usergroups.users.list — unknown groups answer no_such_subteam. */
  'usergroups.users.list': ({ ws, input }) => {
    const id = str(input.args, 'usergroup');
    if (!id) throw missingArgument('usergroup');
    const group = ws.usergroups.get(id);
    if (!group) throw new SlackError('no_such_subteam');
    if (group.disabled && !bool(input.args, 'include_disabled')) throw new SlackError('subteam_disabled');
    return { users: group.users };
  },

  /** https://docs.slack.dev/reference/methods/views.open (and "Opening modals" in /surfaces/modals). */
  'views.open': (ctx) => {
    const trigger = useTrigger(ctx);
    const view = viewArg(ctx, 'modal');
    const id = ctx.core.ids.next('V');
    const stored = ctx.core.storeView({
      id,
      teamId: ctx.ws.teamId,
      userId: trigger.userId,
      type: 'modal',
      view,
      hash: ctx.core.newHash(),
      rootViewId: id,
      previousViewId: null,
      externalId: externalId(ctx, view),
      open: true,
      history: [{ at: ctx.core.clock.now(), via: 'views.open', view }],
    });
    return { view: ctx.core.viewObject(stored) };
  },

  /** https://docs.slack.dev/reference/methods/views.push — needs a trigger from inside an open modal; at most 3 views in a stack. */
  'views.push': (ctx) => {
    const trigger = useTrigger(ctx);
    const parent = trigger.viewId ? ctx.core.views.get(trigger.viewId) : undefined;
    if (parent?.type !== 'modal' || !parent.open) throw new SlackError('not_found');
    const stack = [...ctx.core.views.values()].filter((v) => v.rootViewId === parent.rootViewId && v.open);
    if (stack.length >= 3) throw new SlackError('push_limit_reached');
    const view = viewArg(ctx, 'modal');
    const id = ctx.core.ids.next('V');
    const stored = ctx.core.storeView({
      id,
      teamId: ctx.ws.teamId,
      userId: trigger.userId,
      type: 'modal',
      view,
      hash: ctx.core.newHash(),
      rootViewId: parent.rootViewId,
      previousViewId: parent.id,
      externalId: externalId(ctx, view),
      open: true,
      history: [{ at: ctx.core.clock.now(), via: 'views.push', view }],
    });
    return { view: ctx.core.viewObject(stored) };
  },

  /** https://docs.slack.dev/reference/methods/views.update — view_id or external_id; a stale `hash` answers hash_conflict. */
  'views.update': (ctx) => {
    const { core, input } = ctx;
    const viewId = str(input.args, 'view_id');
    const ext = str(input.args, 'external_id');
    if (!viewId && !ext) throw missingArgument('view_id');
    const target = viewId
      ? core.views.get(viewId)
      : [...core.views.values()].find((v) => v.teamId === ctx.ws.teamId && v.externalId === ext && v.externalId !== '');
    if (!target || target.teamId !== ctx.ws.teamId) throw new SlackError('not_found');
    const hash = str(input.args, 'hash');
    if (hash !== undefined && hash !== target.hash) throw new SlackError('hash_conflict');
    const view = viewArg(ctx, target.type);
    target.view = view;
    target.hash = core.newHash();
    target.history.push({ at: core.clock.now(), via: 'views.update', view });
    if (typeof view.external_id === 'string') target.externalId = view.external_id;
    core.waiters.notify();
    return { view: core.viewObject(target) };
  },

  /** https://docs.slack.dev/reference/methods/views.publish — a Home tab for user_id; `hash` as in views.update. */
  'views.publish': (ctx) => {
    const { core, input, ws } = ctx;
    const userId = str(input.args, 'user_id');
    if (!userId) throw missingArgument('user_id');
    const user = ws.users.get(userId);
    if (!user || user.isBot) throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid user_id'] } });
    const view = viewArg(ctx, 'home');
    const existing = [...core.views.values()].find((v) => v.type === 'home' && v.teamId === ws.teamId && v.userId === userId);
    const hash = str(input.args, 'hash');
    if (existing && hash !== undefined && hash !== existing.hash) throw new SlackError('hash_conflict');
    const stored =
      existing ??
      core.storeView({
        id: core.ids.next('V'),
        teamId: ws.teamId,
        userId,
        type: 'home',
        view,
        hash: '',
        rootViewId: '',
        previousViewId: null,
        externalId: '',
        open: true,
        history: [],
      });
    stored.view = view;
    stored.hash = core.newHash();
    stored.history.push({ at: core.clock.now(), via: 'views.publish', view });
    core.waiters.notify();
    return { view: core.viewObject(stored) };
  },
};

function readScope(channel: Channel): string {
  return { public: 'channels:read', private: 'groups:read', im: 'im:read', mpim: 'mpim:read' }[channel.kind];
}

function conversationObject(ctx: Ctx, c: Channel, withCount = false): Ok {
  return {
    id: c.id,
    name: c.kind === 'im' ? undefined : c.name,
    is_channel: c.kind === 'public',
    is_group: c.kind === 'private',
    is_im: c.kind === 'im',
    is_mpim: c.kind === 'mpim',
    is_private: c.kind !== 'public',
    is_archived: c.archived,
    is_member: c.members.has(ctx.ws.botUserId),
    context_team_id: ctx.ws.teamId,
    ...(c.kind === 'im' ? { user: [...c.members].find((m) => m !== ctx.ws.botUserId) } : {}),
    ...(withCount ? { num_members: c.members.size } : {}),
  };
}

/**
 * trigger_ids "expire three seconds after they're sent to your app" and can be exchanged once
 * (https://docs.slack.dev/interactivity/handling-user-interaction, "Modals… trigger_id"; views.open errors
 * expired_trigger_id, exchanged_trigger_id, invalid_trigger_id).
 */
function useTrigger(ctx: Ctx) {
  const id = str(ctx.input.args, 'trigger_id') ?? str(ctx.input.args, 'interactivity_pointer');
  if (!id) throw missingArgument('trigger_id');
  const trigger = ctx.core.triggers.get(id);
  if (!trigger || trigger.teamId !== ctx.ws.teamId) throw new SlackError('invalid_trigger_id');
  if (trigger.used) throw new SlackError('exchanged_trigger_id');
  if (ctx.core.clock.now() - trigger.issuedAt > ctx.core.options.triggerLifetimeMs) throw new SlackError('expired_trigger_id');
  trigger.used = true;
  return trigger;
}

/** View payloads that fail validation answer invalid_arguments with pointer messages, as Slack does for views.*. */
function viewArg(ctx: Ctx, type: 'modal' | 'home'): Record<string, unknown> {
  const view = jsonArg(ctx.input.args, 'view', 'invalid_arguments');
  if (view === undefined) throw missingArgument('view');
  if (JSON.stringify(view).length > 250_000) throw new SlackError('view_too_large');
  const issues = validateView(view, type);
  if (issues.length) {
    throw new SlackError('invalid_arguments', {
      response_metadata: {
        messages: [
          '[ERROR] failed to match all allowed schemas [json-pointer:/view]',
          ...describeIssues(issues).response_metadata.messages,
        ],
      },
    });
  }
  const v = view as Record<string, unknown>;
  assignIds(v.blocks, ctx.core);
  return v;
}

/** Slack generates a block_id (and input action_id) when none is given ("If not specified, one will be generated"). */
export function assignIds(blocks: unknown, core: Core): void {
  if (!Array.isArray(blocks)) return;
  for (const b of blocks as Array<Record<string, unknown>>) {
    if (b && typeof b === 'object' && b.block_id === undefined) b.block_id = core.ids.secret(3);
    const element = b?.element as Record<string, unknown> | undefined;
    if (element && typeof element === 'object' && element.action_id === undefined) element.action_id = core.ids.secret(3);
  }
}

function externalId(ctx: Ctx, view: Record<string, unknown>): string {
  const ext = typeof view.external_id === 'string' ? view.external_id : '';
  if (ext && [...ctx.core.views.values()].some((v) => v.teamId === ctx.ws.teamId && v.externalId === ext)) {
    throw new SlackError('duplicate_external_id');
  }
  return ext;
}

/**
 * https://docs.slack.dev/reference/methods/oauth.v2.access — exchanges a code for a bot token. Client
 * credentials as HTTP Basic or client_id/client_secret arguments; redirect_uri must match the one used to
 * authorize; codes are single-use and short-lived ("exchange it … within 10 minutes",
 * https://docs.slack.dev/authentication/installing-with-oauth, "Exchanging a temporary authorization code").
 */
function oauthV2Access(core: Core, input: CallInput): Ok {
  const clientId = input.basic?.user ?? str(input.args, 'client_id');
  const clientSecret = input.basic?.password ?? str(input.args, 'client_secret');
  if (clientId !== core.clientId) throw new SlackError('invalid_client_id');
  if (clientSecret !== core.clientSecret) throw new SlackError('bad_client_secret');
  const code = core.oauthCodes.get(str(input.args, 'code') ?? '');
  if (!code || code.used || core.clock.now() - code.issuedAt > core.options.oauthCodeLifetimeMs) throw new SlackError('invalid_code');
  const redirectUri = str(input.args, 'redirect_uri');
  if (code.redirectUri !== undefined && redirectUri !== code.redirectUri) throw new SlackError('bad_redirect_uri');
  code.used = true;
  const ws = core.workspace(code.teamId);
  const token = core.issueBotToken(ws);
  ws.installerUserId = code.userId;
  core.waiters.notify();
  return {
    app_id: core.appId,
    authed_user: { id: code.userId },
    scope: [...ws.scopes].join(','),
    token_type: 'bot',
    access_token: token,
    bot_user_id: ws.botUserId,
    team: { id: ws.teamId, name: ws.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/**
 * https://docs.slack.dev/reference/methods/apps.connections.open — app-level token (xapp-) with
 * connections:write only; answers a WebSocket URL for Socket Mode.
 */
function appsConnectionsOpen(core: Core, input: CallInput): Ok {
  if (!input.token) throw new SlackError('not_authed');
  const known = core.tokens.get(input.token);
  if (!known) throw new SlackError('invalid_auth');
  if (known.revoked) throw new SlackError('token_revoked');
  if (known.kind !== 'app') throw new SlackError('not_allowed_token_type');
  rateLimit(core, core.appId, 'apps.connections.open');
  const ticket = core.ids.secret(16);
  core.socketTickets.add(ticket);
  return { url: `${core.baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${core.appId}` };
}

export type { StoredView };

/** messageContent for callers outside the Web API (ack bodies, response_url): the refusal as data instead of a throw. */
export function checkMessageContent(
  core: Core,
  args: Record<string, unknown>,
): { ok: true; text: string; blocks: unknown[] | undefined } | { ok: false; error: string; extra: Record<string, unknown> } {
  try {
    const { text, blocks } = messageContent(core, args);
    return { ok: true, text, blocks };
  } catch (err) {
    if (err instanceof SlackError) return { ok: false, error: err.code, extra: err.extra };
    throw err;
  }
}

/** validateView for ack bodies (response_action update/push): Slack refuses an invalid view there too. */
export function checkView(core: Core, view: unknown): { ok: true; view: Record<string, unknown> } | { ok: false; messages: string[] } {
  const issues = validateView(view, 'modal');
  if (issues.length) return { ok: false, messages: describeIssues(issues).response_metadata.messages };
  const v = view as Record<string, unknown>;
  assignIds(v.blocks, core);
  return { ok: true, view: v };
}
