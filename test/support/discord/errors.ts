import type { SchemaIssue } from './spec.ts';

/** JSON error codes Discord answers with (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json). */
export const DiscordCode = {
  General: 0,
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownRole: 10011,
  UnknownUser: 10013,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  UnknownApplicationCommand: 10063,
  UnknownCommandPermissions: 10066,
  BotsCannotUseEndpoint: 20001,
  MaxApplicationCommands: 30032,
  MaxDailyCommandCreates: 30034,
  CommandNameExists: 40041,
  AlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotSendEmptyMessage: 50006,
  CannotSendToUser: 50007,
  NonTextChannel: 50008,
  InvalidChannelType: 50024,
  CannotEditOthersMessage: 50005,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJson: 50109,
  ReplyWithoutReadHistory: 160002,
  ThreadAlreadyCreated: 160004,
  ThreadLocked: 160005,
} as const;

/** A Discord error answer; handlers throw it and the server writes it out. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: number; message: string; errors?: unknown; [key: string]: unknown },
  ) {
    super(`${status} ${body.code}: ${body.message}`);
  }
}

export function httpError(status: number, code: number, message: string): DiscordHttpError {
  return new DiscordHttpError(status, { code, message });
}

/** Discord's nested error form: { data: { components: { 0: { _errors: [{ code, message }] } } } }. */
export function toDiscordErrors(issues: SchemaIssue[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as Array<{ code: string; message: string }>;
    list.push({ code: issue.code, message: issue.message });
  }
  return root;
}

export function invalidFormBody(issues: SchemaIssue[]): DiscordHttpError {
  return new DiscordHttpError(400, { code: DiscordCode.InvalidFormBody, message: 'Invalid Form Body', errors: toDiscordErrors(issues) });
}
