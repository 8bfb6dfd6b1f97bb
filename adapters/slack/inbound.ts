import { z } from 'zod';
import type { InboundEventInput, PlatformIdentity, PlatformRole, ReplyRef } from '../../src/conversation/index.ts';
import type { FormOrigin } from './render.ts';

/*
 * Slack's payloads as neutral events. Slack itself escapes `&`, `<` and `>` in what people type into a slash
 * command or message (https://docs.slack.dev/messaging/formatting-message-text, "Escaping text"); the flows get
 * the text as it was typed, and the renderer escapes it again on the way out.
 */

export const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Who acted, with what Slack says about them (see roles.ts). */
export interface SlackActor {
  userId: string;
  displayName: string;
  roles: PlatformRole[];
  /** User groups the person is in, of those that matter where they acted (the binding's staff group). */
  roleIds: string[];
}

const identity = (a: SlackActor): PlatformIdentity => ({
  platform: 'slack',
  externalId: a.userId,
  displayName: a.displayName.slice(0, 200),
  roles: a.roles,
  roleIds: a.roleIds,
});

/** Each delivery of one press, command or submission carries the same trigger_id; a new one gets a new id. */
const keyOf = (teamId: string, triggerId: string | undefined, fallback: string) =>
  triggerId ? `trigger:${teamId}:${triggerId}` : `payload:${teamId}:${fallback}`;

/**
 * `/pulje vote` → the command `vote` with the rest as its text; `/pulje` alone is help. A user group named as an
 * argument arrives as `<!subteam^S123|@handle>` (with "escape channels, users and links" on): its id is kept.
 */
export function commandEvent(
  p: { team_id: string; channel_id: string; text: string; trigger_id: string },
  actor: SlackActor,
): InboundEventInput {
  const typed = p.text.replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '$1');
  const text = unescapeSlack(typed).trim();
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  const name = (m?.[1] ?? 'help').toLowerCase().replace(/^\//, '');
  return {
    kind: 'command',
    idempotencyKey: keyOf(p.team_id, p.trigger_id, `${p.channel_id}:${text}`),
    actor: identity(actor),
    conversation: { platform: 'slack', channelId: p.channel_id },
    name: /^[\p{Ll}\p{N}_-]{1,32}$/u.test(name) ? name : 'help',
    text: (m?.[2] ?? '').trim(),
  };
}

export interface BlockActionPayload {
  team?: { id: string } | null;
  trigger_id?: string;
  channel?: { id: string };
  container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean; view_id?: string };
  message?: { ts: string };
  actions: Array<{
    action_id: string;
    action_ts?: string;
    selected_option?: { value: string } | null;
    selected_options?: Array<{ value: string }>;
  }>;
}

/** The message a control sits on, if it is in a message (not in a modal or the Home tab). */
export function sourceOf(p: BlockActionPayload): ReplyRef | undefined {
  const channel = p.container?.channel_id ?? p.channel?.id;
  const ts = p.container?.message_ts ?? p.message?.ts;
  return channel && ts ? { platform: 'slack', channelId: channel, messageId: ts } : undefined;
}

export function actionEvent(p: BlockActionPayload, actor: SlackActor, channelId: string): InboundEventInput {
  const a = p.actions[0]!;
  const values = a.selected_options?.map((o) => o.value) ?? (a.selected_option ? [a.selected_option.value] : []);
  const source = sourceOf(p);
  const teamId = p.team?.id ?? '';
  return {
    kind: 'action',
    idempotencyKey: keyOf(teamId, p.trigger_id, `${a.action_id}:${a.action_ts ?? ''}`),
    actor: identity(actor),
    conversation: { platform: 'slack', channelId },
    actionId: a.action_id,
    values,
    ...(source ? { source } : {}),
  };
}

const originSchema = z.object({
  c: z.string().min(1).max(64),
  s: z.string().max(64).optional(),
  e: z.literal(1).optional(),
  r: z.url().max(1000).optional(),
});

/** Where a modal was opened from, as the adapter wrote it into private_metadata; undefined if it is not ours. */
export function originOf(metadata: string | undefined): FormOrigin | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = originSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? (parsed.data as FormOrigin) : undefined;
  } catch {
    return undefined;
  }
}

export interface ViewSubmissionPayload {
  team?: { id: string } | null;
  trigger_id?: string;
  view: {
    id: string;
    hash?: string;
    callback_id: string;
    private_metadata?: string;
    blocks?: Array<{ type?: string; block_id?: string }>;
    state: { values: Record<string, Record<string, { type?: string; value?: string | null }>> };
  };
}

export function formEvent(p: ViewSubmissionPayload, actor: SlackActor, origin: FormOrigin): InboundEventInput {
  const fields: Record<string, string> = {};
  for (const [blockId, inputs] of Object.entries(p.view.state.values)) {
    const value = inputs[blockId]?.value;
    if (typeof value === 'string') fields[blockId] = value;
  }
  return {
    kind: 'form',
    idempotencyKey: keyOf(p.team?.id ?? '', p.trigger_id, `${p.view.id}:${p.view.hash ?? ''}`),
    actor: identity(actor),
    conversation: { platform: 'slack', channelId: origin.c },
    formId: p.view.callback_id,
    fields,
    ...(origin.s ? { source: { platform: 'slack', channelId: origin.c, messageId: origin.s } } : {}),
  };
}

/**
 * A person's message in a channel (https://docs.slack.dev/reference/events/message); undefined for bots' and edits.
 * `link` is its permalink (chat.getPermalink), when Slack gave one. A reply in a thread names the thread only by
 * its parent's ts (`thread_ts`): the thread's name is the one Pulje gave it when it opened it (the router's capture
 * looks it up), so a reply in a shared idea's thread belongs to that idea.
 */
export function messageEvent(
  eventId: string,
  m: { user?: string; text?: string; ts: string; channel: string; thread_ts?: string; subtype?: string; bot_id?: string },
  actor: SlackActor,
  link?: string,
): InboundEventInput | undefined {
  if (m.subtype || m.bot_id || !m.user) return undefined;
  return {
    kind: 'message',
    idempotencyKey: `event:${eventId}`,
    messageId: m.ts,
    actor: identity(actor),
    conversation: { platform: 'slack', channelId: m.channel },
    text: unescapeSlack(m.text ?? '').slice(0, 8000),
    ...(link ? { link } : {}),
    ...(m.thread_ts && m.thread_ts !== m.ts ? { thread: { id: m.thread_ts, name: '' } } : {}),
  };
}

/** The message shortcut "Foreslå som idé" (manifest callback_id): the propose command, its title from the message. */
export const PROPOSE_SHORTCUT = 'pulje_propose';

export function shortcutEvent(
  p: { team?: { id: string } | null; trigger_id: string; channel: { id: string }; message: { text?: string } },
  actor: SlackActor,
): InboundEventInput {
  // The first line of the message, as typed (Slack escapes it), is the idea's title; the form asks for the rest.
  const title = unescapeSlack(p.message.text ?? '')
    .split('\n')[0]!
    .trim()
    .slice(0, 120);
  return {
    kind: 'command',
    idempotencyKey: keyOf(p.team?.id ?? '', p.trigger_id, ''),
    actor: identity(actor),
    conversation: { platform: 'slack', channelId: p.channel.id },
    name: 'propose',
    args: title ? { title } : {},
  };
}
