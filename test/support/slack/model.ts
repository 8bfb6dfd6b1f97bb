import { randomBytes } from 'node:crypto';

/**
 * The stand-in's picture of Slack: workspaces (teams) with users, channels, user groups, messages and views, and
 * the app installed in some of them. IDs follow Slack's shapes (T…, U…, C…/G… for channels, D… for DMs, B… for
 * bots, V… for views, S… for user groups): https://docs.slack.dev/reference/objects — and tokens their prefixes
 * (xoxb- bot, xapp- app-level): https://docs.slack.dev/authentication/tokens.
 */

export interface UserInit {
  id: string;
  /** The handle (users.info `name`). */
  name: string;
  displayName?: string;
  realName?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  isOwner?: boolean;
  deleted?: boolean;
  locale?: string;
}

export interface ChannelInit {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Human members (user ids). */
  members: string[];
  /** Whether the app's bot user is in the channel (default true). */
  botIsMember?: boolean;
}

export interface UsergroupInit {
  id: string;
  handle: string;
  name?: string;
  users: string[];
  disabled?: boolean;
}

export interface WorkspaceInit {
  teamId: string;
  name: string;
  domain?: string;
  users?: UserInit[];
  channels?: ChannelInit[];
  usergroups?: UsergroupInit[];
  /** false: the app is not installed yet; it gets a bot token through the OAuth flow (oauth.v2.access). Default true. */
  installed?: boolean;
  /** Bot scopes the installation was granted. Default: DEFAULT_BOT_SCOPES. */
  scopes?: string[];
}

/** The scopes Pulje's manifest asks for (issue 11): the minimum for its commands, posts, DMs and staff checks. */
export const DEFAULT_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'usergroups:read', 'channels:read', 'groups:read'];

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface User extends Required<Omit<UserInit, 'displayName' | 'realName' | 'locale'>> {
  teamId: string;
  displayName: string;
  realName: string;
  locale: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Author: the bot user for app posts, the user for simulated user messages. */
  user: string;
  botId?: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Set for ephemeral messages: only this user sees it. */
  ephemeralFor?: string;
  /** How it got there: chat.* method, a response_url, an ack body, or a simulated user. */
  via: 'chat.postMessage' | 'chat.postEphemeral' | 'response_url' | 'ack' | 'user';
  deleted: boolean;
  edits: Array<{ at: number; text: string; blocks?: unknown[]; via: string }>;
  /** Options the app passed (parse, link_names, unfurl_*, mrkdwn, reply_broadcast, …), as sent. */
  options: Record<string, unknown>;
}

export interface Channel {
  id: string;
  teamId: string;
  name: string;
  kind: ChannelKind;
  archived: boolean;
  members: Set<string>;
  messages: StoredMessage[];
}

export interface Usergroup {
  id: string;
  teamId: string;
  handle: string;
  name: string;
  users: string[];
  disabled: boolean;
}

export interface StoredView {
  id: string;
  teamId: string;
  /** The user whose modal stack or Home tab this is. */
  userId: string;
  type: 'modal' | 'home';
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  externalId: string;
  /** Modal stack state: open until closed by submission/close. */
  open: boolean;
  history: Array<{ at: number; via: string; view: Record<string, unknown> }>;
}

export class Workspace {
  readonly users = new Map<string, User>();
  readonly channels = new Map<string, Channel>();
  readonly usergroups = new Map<string, Usergroup>();
  readonly botUserId: string;
  readonly botId: string;
  readonly domain: string;
  installed: boolean;
  scopes: Set<string>;
  botToken: string | undefined;
  /** The user who installed the app through OAuth (authed_user). */
  installerUserId: string | undefined;

  constructor(
    readonly teamId: string,
    readonly name: string,
    init: WorkspaceInit,
    ids: IdSource,
  ) {
    this.domain = init.domain ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    this.installed = init.installed ?? true;
    this.scopes = new Set(init.scopes ?? DEFAULT_BOT_SCOPES);
    this.botUserId = ids.next('U');
    this.botId = ids.next('B');
    this.addUser({ id: this.botUserId, name: 'pulje', displayName: 'Pulje', realName: 'Pulje', isBot: true });
    for (const u of init.users ?? []) this.addUser(u);
    for (const c of init.channels ?? []) {
      const members = new Set(c.members);
      if (c.botIsMember ?? true) members.add(this.botUserId);
      this.channels.set(c.id, {
        id: c.id,
        teamId,
        name: c.name,
        kind: c.isPrivate ? 'private' : 'public',
        archived: c.isArchived ?? false,
        members,
        messages: [],
      });
    }
    for (const g of init.usergroups ?? []) {
      this.usergroups.set(g.id, {
        id: g.id,
        teamId,
        handle: g.handle,
        name: g.name ?? g.handle,
        users: [...g.users],
        disabled: g.disabled ?? false,
      });
    }
  }

  addUser(u: UserInit): User {
    const user: User = {
      id: u.id,
      teamId: this.teamId,
      name: u.name,
      displayName: u.displayName ?? u.name,
      realName: u.realName ?? u.displayName ?? u.name,
      isBot: u.isBot ?? false,
      isAdmin: u.isAdmin ?? false,
      isOwner: u.isOwner ?? false,
      deleted: u.deleted ?? false,
      locale: u.locale ?? 'da-DK',
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The app's DM with a user, opened on first use (as conversations.open does). */
  imWith(userId: string, ids: IdSource): Channel {
    for (const c of this.channels.values()) {
      if (c.kind === 'im' && c.members.has(userId) && c.members.has(this.botUserId)) return c;
    }
    const channel: Channel = {
      id: ids.next('D'),
      teamId: this.teamId,
      name: userId,
      kind: 'im',
      archived: false,
      members: new Set([userId, this.botUserId]),
      messages: [],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }
}

/** Sequential IDs in Slack's style: a prefix letter and uppercase base-36 digits, unique across the stand-in. */
export class IdSource {
  #n = 0;
  readonly #salt = randomBytes(2).toString('hex').toUpperCase();

  next(prefix: string): string {
    this.#n += 1;
    return `${prefix}0${this.#salt}${this.#n.toString(36).toUpperCase().padStart(4, '0')}`;
  }

  secret(bytes = 12): string {
    return randomBytes(bytes).toString('hex');
  }
}

/** Message timestamps: "seconds.microseconds", unique and increasing, from the stand-in's clock. */
export class TsSource {
  #last = 0;

  next(nowMs: number): string {
    const micros = Math.max(nowMs * 1000, this.#last + 1);
    this.#last = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}
