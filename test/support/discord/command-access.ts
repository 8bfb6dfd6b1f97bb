import { ChannelKind, THREAD_TYPES } from './factories.ts';
import { ALL_PERMISSIONS, Permission } from './permissions.ts';
import type { RegisteredCommand, Store } from './state.ts';

/*
 * Who may use which application command where: what the Discord client shows in its command picker, and so
 * what a simulated user can invoke at all. From developers/interactions/application-commands ("AC"):
 * - § Registering a Command: global commands are available in every guild that added the app and in DMs with its
 *   bot (when they share a guild); guild commands only in their guild, never in DMs;
 * - § Contexts / § Interaction Contexts: `contexts` (default: all) says where a global command can be used;
 *   `integration_types` (default GUILD_INSTALL) where it is installed;
 * - § Permissions and § Application Command Permissions Object: overwrites per user, role, @everyone (id =
 *   guild id) and channel (id, or "all channels" = guild id − 1), for one command or for the whole app (id = the
 *   application id; used where the command has none of its own); "Members with the Administrator permission can
 *   use all commands";
 * - § Using Default Permissions: without an overwrite for the member, `default_member_permissions` decides: the
 *   member needs every bit of it; "0" lets nobody but admins in;
 * - § Age-Restricted Commands: nsfw commands only in age-restricted channels (or DMs);
 * - topics/permissions § Bitwise Permission Flags: USE_APPLICATION_COMMANDS is needed in the channel.
 * Where the docs leave the order open (a role allow against a role deny), an allow on any role wins, as Discord's
 * Integrations settings describe it.
 */

/** AC § Application Command Permission Type. */
export const CommandPermissionType = { Role: 1, User: 2, Channel: 3 } as const;

export interface CommandPermission {
  /** A role, user or channel id; the guild id for @everyone; guild id − 1 for every channel. */
  id: string;
  type: 1 | 2 | 3;
  permission: boolean;
}

export interface CommandUser {
  userId: string;
  guildId: string | null;
  channelId: string;
  /** The member's role ids (guilds only). */
  roles: string[];
  /** The member's permissions in the channel (what the interaction's member.permissions says). */
  permissions: bigint;
}

export type Access = { ok: true } | { ok: false; reason: string };

const allChannels = (guildId: string): string => (BigInt(guildId) - 1n).toString();

function permissionSets(store: Store, guildId: string, command: RegisteredCommand): [CommandPermission[], CommandPermission[]] {
  const byTarget = store.commandPermissions.get(guildId);
  return [byTarget?.get(command.id) ?? [], byTarget?.get(store.applicationId) ?? []];
}

/** The entry for a target: the command's own if it has one, else the app-wide one. */
function entryFor(sets: [CommandPermission[], CommandPermission[]], id: string, type: number): CommandPermission | undefined {
  return sets[0].find((e) => e.id === id && e.type === type) ?? sets[1].find((e) => e.id === id && e.type === type);
}

/** Whether a user may use a command in a place, and if not, why (for the test's error message). */
export function commandAccess(store: Store, command: RegisteredCommand, who: CommandUser): Access {
  const { guildId } = who;
  const channel = store.channels.get(who.channelId);
  const contexts = Array.isArray(command.contexts) ? (command.contexts as number[]) : [0, 1, 2];
  const integrationTypes = Array.isArray(command.integration_types) ? (command.integration_types as number[]) : [0];

  if (guildId === null) {
    if (command.guild_id) return { ok: false, reason: 'guild commands are not available in DMs (AC § Registering a Command)' };
    if (!contexts.includes(1) || command.dm_permission === false)
      return { ok: false, reason: 'its contexts do not include BOT_DM (AC § Interaction Contexts)' };
    const mutual = [...store.guilds.values()].some((g) => g.members.some((m) => m.user.id === who.userId));
    if (!mutual) return { ok: false, reason: 'the user shares no guild with the bot (AC § Registering a Command)' };
    return { ok: true };
  }

  if (command.guild_id && command.guild_id !== guildId)
    return { ok: false, reason: `it is registered in guild ${command.guild_id}, not in ${guildId} (AC § Registering a Command)` };
  if (!command.guild_id) {
    if (!contexts.includes(0)) return { ok: false, reason: 'its contexts do not include GUILD (AC § Interaction Contexts)' };
    if (!integrationTypes.includes(0))
      return { ok: false, reason: 'it is not installed to guilds (integration_types, AC § Installation Context)' };
  }
  if (command.nsfw === true && channel && channel.type !== ChannelKind.DM && channel.nsfw !== true)
    return { ok: false, reason: 'it is age-restricted and the channel is not (AC § Age-Restricted Commands)' };

  const guild = store.guild(guildId);
  const admin = guild?.ownerId === who.userId || (who.permissions & Permission.Administrator) !== 0n || who.permissions === ALL_PERMISSIONS;
  if (admin) return { ok: true };
  if ((who.permissions & Permission.UseApplicationCommands) === 0n)
    return { ok: false, reason: 'the member lacks Use Application Commands in the channel (topics/permissions)' };

  const sets = permissionSets(store, guildId, command);
  // Channel overwrites: a thread follows its parent (AC § Application Command Permissions Object).
  const channelId = channel && THREAD_TYPES.has(channel.type) && channel.parent_id ? channel.parent_id : who.channelId;
  const inChannel =
    entryFor(sets, channelId, CommandPermissionType.Channel) ?? entryFor(sets, allChannels(guildId), CommandPermissionType.Channel);
  if (inChannel?.permission === false) return { ok: false, reason: `it is disabled in channel ${channelId} (command permissions)` };

  const own = entryFor(sets, who.userId, CommandPermissionType.User);
  if (own) return own.permission ? { ok: true } : { ok: false, reason: 'it is denied to this user (command permissions)' };
  const roleEntries = who.roles.map((r) => entryFor(sets, r, CommandPermissionType.Role)).filter((e) => e !== undefined);
  if (roleEntries.some((e) => e.permission)) return { ok: true };
  if (roleEntries.length) return { ok: false, reason: "it is denied to the member's roles (command permissions)" };
  const everyone = entryFor(sets, guildId, CommandPermissionType.Role);
  if (everyone) return everyone.permission ? { ok: true } : { ok: false, reason: 'it is denied to @everyone (command permissions)' };

  const dmp = command.default_member_permissions;
  if (dmp == null) return { ok: true };
  const needed = BigInt(String(dmp));
  if (needed === 0n) return { ok: false, reason: 'default_member_permissions is "0": admins only (AC § Using Default Permissions)' };
  if ((who.permissions & needed) !== needed)
    return {
      ok: false,
      reason: `the member lacks default_member_permissions ${String(dmp)} (AC § Using Default Permissions)`,
    };
  return { ok: true };
}
