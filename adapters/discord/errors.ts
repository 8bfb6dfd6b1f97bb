import { DiscordAPIError } from 'discord.js';

/** Discord's JSON error code of a failed REST call, if it was one. */
export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

/** Codes for an interaction that can no longer be answered through its token. */
export const LOST_INTERACTION = new Set([
  10062, // unknown interaction: the 3 s were over
  40060, // already acknowledged (by another delivery of it)
  10015, // unknown webhook
  50027, // invalid webhook token: the 15 minutes were over
]);

export const CANNOT_DM = 50007;
export const THREAD_EXISTS = 160004;
