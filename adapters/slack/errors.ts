/** Slack's error code on a failed Web API call (`not_in_channel`, `ratelimited`, …), if it is one. */
export function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The bot cannot post in the channel (not invited, private, archived). */
export const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * A message chat.update can never change again (https://docs.slack.dev/reference/methods/chat.update): deleted,
 * not the app's own, or its channel gone or archived. Forgotten quietly.
 */
export const UNEDITABLE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found', 'is_archived']);
