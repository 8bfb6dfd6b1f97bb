/**
 * Discord permission bits (https://discord.com/developers/docs/topics/permissions), only those a chat bot and
 * its tests are likely to touch. Values are bigints; on the wire they are decimal strings.
 */
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  SendTTSMessages: 1n << 12n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  ManageNicknames: 1n << 27n,
  ManageRoles: 1n << 28n,
  ManageWebhooks: 1n << 29n,
  UseApplicationCommands: 1n << 31n,
  ManageEvents: 1n << 33n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
  ModerateMembers: 1n << 40n,
  PinMessages: 1n << 51n,
} as const;

export type PermissionName = keyof typeof Permission;

/** Every bit up to the highest one Discord defines today; what ADMINISTRATOR resolves to. */
export const ALL_PERMISSIONS = (1n << 53n) - 1n;

/** What @everyone gets in a new guild, near enough: read, write, react, use commands, open public threads. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.CreateInstantInvite |
  Permission.ChangeNickname |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseExternalEmojis |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.CreatePrivateThreads |
  Permission.SendMessagesInThreads;

export type PermissionInput = bigint | string | number | readonly PermissionName[];

export function toPermissionBits(input: PermissionInput): bigint {
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number') return BigInt(input);
  if (typeof input === 'string') return BigInt(input);
  let bits = 0n;
  for (const name of input) {
    const bit = Permission[name];
    if (bit === undefined) throw new Error(`Unknown permission name: ${String(name)}`);
    bits |= bit;
  }
  return bits;
}

export function hasPermission(bits: bigint, wanted: bigint): boolean {
  if ((bits & Permission.Administrator) !== 0n) return true;
  return (bits & wanted) === wanted;
}
