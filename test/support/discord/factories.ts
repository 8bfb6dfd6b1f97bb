import { snowflake } from './snowflake.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, toPermissionBits, type PermissionInput } from './permissions.ts';

/*
 * Small factories for the things a guild is made of. They return plain Discord API objects (snake_case, as on the
 * wire), so a test can pass them to the stand-in and compare them with what discord.js builds from them.
 */

export interface UserObject {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

export interface RoleObject {
  id: string;
  name: string;
  color: number;
  hoist: boolean;
  icon: string | null;
  unicode_emoji: string | null;
  position: number;
  /** Decimal string of permission bits, as Discord sends it. */
  permissions: string;
  managed: boolean;
  mentionable: boolean;
  flags: number;
  [key: string]: unknown;
}

export interface PermissionOverwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface ChannelObject {
  id: string;
  type: number;
  guild_id?: string;
  name?: string | null;
  position?: number;
  parent_id?: string | null;
  permission_overwrites?: PermissionOverwrite[];
  [key: string]: unknown;
}

export interface MemberObject {
  user: UserObject;
  nick: string | null;
  avatar: string | null;
  roles: string[];
  joined_at: string;
  premium_since: string | null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: string | null;
  [key: string]: unknown;
}

export interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  roles: RoleObject[];
  channels: ChannelObject[];
  members: MemberObject[];
}

/** Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types). */
export const ChannelKind = {
  GuildText: 0,
  DM: 1,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  AnnouncementThread: 10,
  PublicThread: 11,
  PrivateThread: 12,
  GuildForum: 15,
} as const;

export const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelKind.AnnouncementThread,
  ChannelKind.PublicThread,
  ChannelKind.PrivateThread,
]);

let counter = 0;
const nextNumber = (): number => ++counter;

export function makeUser(opts: { id?: string; username?: string; globalName?: string | null; bot?: boolean } = {}): UserObject {
  const n = nextNumber();
  const user: UserObject = {
    id: opts.id ?? snowflake(),
    username: opts.username ?? `ung${n}`,
    discriminator: '0',
    global_name: opts.globalName === undefined ? (opts.username ?? `Ung ${n}`) : opts.globalName,
    avatar: null,
  };
  if (opts.bot) user.bot = true;
  return user;
}

export function makeRole(
  opts: { id?: string; name?: string; permissions?: PermissionInput; position?: number; mentionable?: boolean } = {},
): RoleObject {
  return {
    id: opts.id ?? snowflake(),
    name: opts.name ?? `rolle-${nextNumber()}`,
    color: 0,
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: opts.position ?? 1,
    permissions: toPermissionBits(opts.permissions ?? 0n).toString(),
    managed: false,
    mentionable: opts.mentionable ?? false,
    flags: 0,
  };
}

export function makeTextChannel(
  opts: {
    id?: string;
    name?: string;
    guildId?: string;
    parentId?: string | null;
    position?: number;
    topic?: string | null;
    /** ChannelKind.GuildText unless given */
    type?: number;
    overwrites?: PermissionOverwrite[];
  } = {},
): ChannelObject {
  const channel: ChannelObject = {
    id: opts.id ?? snowflake(),
    type: opts.type ?? ChannelKind.GuildText,
    name: opts.name ?? `kanal-${nextNumber()}`,
    position: opts.position ?? 0,
    parent_id: opts.parentId ?? null,
    permission_overwrites: opts.overwrites ?? [],
    topic: opts.topic ?? null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
    default_auto_archive_duration: 1440,
  };
  if (opts.guildId) channel.guild_id = opts.guildId;
  return channel;
}

/** A permission overwrite for a role (or a member) on a channel. */
export function overwrite(
  target: { id: string } | string,
  opts: { allow?: PermissionInput; deny?: PermissionInput; member?: boolean },
): PermissionOverwrite {
  return {
    id: typeof target === 'string' ? target : target.id,
    type: opts.member ? 1 : 0,
    allow: toPermissionBits(opts.allow ?? 0n).toString(),
    deny: toPermissionBits(opts.deny ?? 0n).toString(),
  };
}

export function makeMember(
  user: UserObject,
  opts: { roles?: Array<RoleObject | string>; nick?: string | null; joinedAt?: string } = {},
): MemberObject {
  return {
    user,
    nick: opts.nick ?? null,
    avatar: null,
    roles: (opts.roles ?? []).map((r) => (typeof r === 'string' ? r : r.id)),
    joined_at: opts.joinedAt ?? new Date().toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/**
 * A guild with an @everyone role (id = guild id), the given roles, channels and members. With no channels it gets
 * one text channel, #generelt. The owner (a new user "ejer" unless given) is added as a member if missing.
 */
export function makeGuild(
  opts: {
    id?: string;
    name?: string;
    owner?: UserObject;
    everyonePermissions?: PermissionInput;
    roles?: RoleObject[];
    channels?: ChannelObject[];
    members?: MemberObject[];
    preferredLocale?: string;
  } = {},
): GuildFixture {
  const id = opts.id ?? snowflake();
  const everyone = makeRole({ id, name: '@everyone', position: 0, permissions: opts.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS });
  const roles = [everyone, ...(opts.roles ?? []).filter((r) => r.id !== id)];
  // The given channel objects themselves (not copies), so a test can still change them, e.g. their overwrites.
  const channels = opts.channels ?? [makeTextChannel({ name: 'generelt' })];
  for (const c of channels) c.guild_id = id;
  const members = [...(opts.members ?? [])];
  // A separate owner unless one is named: the owner has every permission, which would blur permission tests.
  const owner = opts.owner ?? makeUser({ username: 'ejer' });
  if (!members.some((m) => m.user.id === owner.id)) members.unshift(makeMember(owner));
  return {
    id,
    name: opts.name ?? `Pulje-test ${nextNumber()}`,
    ownerId: owner.id,
    preferredLocale: opts.preferredLocale ?? 'da',
    roles,
    channels,
    members,
  };
}
