import type { Core, ResponseUrlRecord, Trigger } from './core.ts';
import type { Channel, StoredMessage, StoredView, User, Workspace } from './model.ts';

/**
 * What Slack sends an app, shaped as its reference pages document, for both transports (HTTP request bodies and
 * Socket Mode envelope payloads carry the same objects):
 * - slash commands: https://docs.slack.dev/interactivity/implementing-slash-commands ("App command handling")
 * - block_actions: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 * - view_submission / view_closed: https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload
 * - shortcuts / message_action: https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload
 * - Events API wrapper: https://docs.slack.dev/apis/events-api ("Callback field overview")
 */

/** Slack's deprecated verification token still appears in payloads; Bolt ignores it in favour of signatures. */
export const VERIFICATION_TOKEN = 'standin-verification-token';

export interface SlashCommandPayload {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export function slashCommandPayload(
  core: Core,
  ws: Workspace,
  channel: Channel,
  user: User,
  command: string,
  text: string,
): { payload: SlashCommandPayload; trigger: Trigger; responseUrl: ResponseUrlRecord } {
  const trigger = core.issueTrigger(ws.teamId, user.id);
  const responseUrl = core.issueResponseUrl(ws.teamId, channel.id, user.id);
  return {
    trigger,
    responseUrl,
    payload: {
      token: VERIFICATION_TOKEN,
      team_id: ws.teamId,
      team_domain: ws.domain,
      channel_id: channel.id,
      channel_name: channel.kind === 'im' ? 'directmessage' : channel.name,
      user_id: user.id,
      user_name: user.name,
      command,
      text,
      api_app_id: core.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl.url,
      trigger_id: trigger.id,
    },
  };
}

export function userObject(ws: Workspace, user: User): Record<string, unknown> {
  return { id: user.id, username: user.name, name: user.name, team_id: ws.teamId };
}

export function messagePayloadObject(m: StoredMessage): Record<string, unknown> {
  return {
    type: 'message',
    text: m.text,
    user: m.user,
    ...(m.botId ? { bot_id: m.botId } : {}),
    ts: m.ts,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

/** A view as the interaction payloads carry it: the stored view plus `state.values` of its input elements. */
export function viewPayloadObject(
  core: Core,
  v: StoredView,
  values: Record<string, Record<string, unknown>> = {},
): Record<string, unknown> {
  return { ...core.viewObject(v), state: { values } };
}

export interface EventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<Record<string, unknown>>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

export function eventEnvelope(core: Core, ws: Workspace, event: Record<string, unknown>): EventEnvelope {
  const now = core.clock.now();
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    api_app_id: core.appId,
    event: { event_ts: core.ts.next(now), ...event },
    type: 'event_callback',
    event_id: core.ids.next('Ev'),
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: core.ids.secret(8),
  };
}
