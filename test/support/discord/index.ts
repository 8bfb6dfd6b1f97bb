/*
 * A local stand-in for Discord (REST API v10 and gateway) for tests that run the real discord.js Client.
 * Start it with startDiscordStandIn(), point the client at `apiBase`, log in with `token`.
 */
export { startDiscordStandIn, DiscordStandIn } from './stand-in.ts';
export type {
  AcknowledgedInteraction,
  DiscordStandInOptions,
  RateLimitOptions,
  RecordedRequest,
  RoutePattern,
  StandInError,
  Violation,
} from './stand-in.ts';
export type {
  AutocompleteOptions,
  ComponentOptions,
  ModalSubmitOptions,
  OptionValue,
  RawCommandOption,
  SelectOptions,
  SlashCommandOptions,
} from './interactions.ts';
export type {
  CallbackAttempt,
  InteractionEdit,
  InteractionRecord,
  InteractionResponse,
  RegisteredCommand,
  StoredAttachment,
  StoredMessage,
  UploadedFile,
} from './state.ts';
export { ManualClock, systemClock, type Clock } from './clock.ts';
export { ChannelKind, makeGuild, makeMember, makeRole, makeTextChannel, makeUser, overwrite } from './factories.ts';
export type { ChannelObject, GuildFixture, MemberObject, PermissionOverwrite, RoleObject, UserObject } from './factories.ts';
export { Permission, ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, type PermissionName } from './permissions.ts';
export { ComponentKind, LIMITS, MessageFlag, type MentionStrictness } from './limits.ts';
export { DiscordCode } from './errors.ts';
export { Intent, GatewayOp, type GatewayStats } from './gateway.ts';
export { snowflake, snowflakeTime } from './snowflake.ts';
export { CommandUnavailableError } from './interactions.ts';
export { DEFAULT_RULES, type StandInRules } from './rules.ts';
export { DISCORD_LOCALES, DAILY_COMMAND_CREATES, MAX_COMMANDS, CHAT_INPUT_NAME } from './commands.ts';
export { CommandPermissionType, type CommandPermission } from './command-access.ts';
export {
  DEFAULT_BUCKETS,
  DEFAULT_GLOBAL_LIMIT,
  type BucketLimit,
  type BucketName,
  type RateLimitConfig,
  type Throttle,
} from './ratelimits.ts';
