import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** Discord's JSON error code of a failed REST call, if it was one. */
export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

/** Codes for an interaction that can no longer be answered through its token. */
export const LOST_INTERACTION = new Set<number>([
  RESTJSONErrorCodes.UnknownInteraction, // 10062: the 3 s were over
  RESTJSONErrorCodes.UnknownWebhook, // 10015: its token never got a first answer
  RESTJSONErrorCodes.InvalidWebhookToken, // 50027: the 15 minutes were over
]);

/** Another delivery of the interaction was acknowledged first; its webhook still takes edits and follow-ups. */
export const ACKNOWLEDGED_ELSEWHERE: number = RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;

/** The bot may not do this in the channel (topics/opcodes-and-status-codes § JSON Error Codes). */
export const LACKS_PERMISSION = new Set<number>([RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.MissingPermissions]);

/**
 * A message that can no longer be edited, ever: deleted (10008), its channel deleted (10003), or not the bot's own
 * (50005; resources/message § Edit Message). Forgotten quietly.
 */
export const UNEDITABLE = new Set<number>([
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
]);

export const CANNOT_DM = 50007;
export const THREAD_EXISTS = 160004;
