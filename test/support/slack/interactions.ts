import { inputElements } from './block-kit.ts';
import type { Core, ResponseUrlRecord } from './core.ts';
import type { StoredView } from './model.ts';
import { checkMessageContent, checkView } from './web-api.ts';

/**
 * What Slack does with an app's answers to interactions:
 * - an acknowledgement body of a slash command is posted as its response, ephemeral unless
 *   `response_type: "in_channel"` (https://docs.slack.dev/interactivity/implementing-slash-commands,
 *   "Responding immediately"); a late acknowledgement (after 3 s) is not shown — the user sees a timeout.
 * - a view_submission acknowledgement may carry `response_action` errors | update | push | clear
 *   (https://docs.slack.dev/surfaces/modals, "Responding to view submissions"); `errors` keys are block_ids of
 *   input blocks in the submitted view.
 * - a response_url accepts JSON messages "up to 5 times within 30 minutes" with response_type,
 *   replace_original, delete_original, thread_ts (https://docs.slack.dev/interactivity/handling-user-interaction,
 *   "Message responses").
 */

export interface AckOutcome {
  kind: 'empty' | 'message' | 'errors' | 'update' | 'push' | 'clear' | 'close' | 'refused';
  /** Slack's error for a refused acknowledgement (invalid_blocks, invalid_arguments, …). */
  error?: string;
  messages?: string[];
  /** The message or view the acknowledgement produced. */
  ts?: string;
  viewId?: string;
}

function parseBody(body: string, contentType: string): unknown {
  if (body === '') return undefined;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

export function decodeAckBody(body: string, contentType: string): unknown {
  return parseBody(body, contentType);
}

/** Posts the message of a slash command acknowledgement (or a response_url post) into the model. */
export function postResponse(
  core: Core,
  rec: ResponseUrlRecord,
  body: unknown,
  via: 'ack' | 'response_url',
): { ok: true; ts?: string } | { ok: false; error: string; messages?: string[]; status: number } {
  const message = typeof body === 'string' ? { text: body } : (body as Record<string, unknown>);
  if (!message || typeof message !== 'object') return { ok: false, error: 'invalid_payload', status: 400 };
  const channel = core.channel(rec.teamId, rec.channelId);
  const ws = core.workspace(rec.teamId);
  if (message.delete_original === true) {
    const original = rec.original && channel.messages.find((m) => m.ts === rec.original?.ts && !m.deleted);
    if (!original) return { ok: false, error: 'message_not_found', status: 404 };
    original.deleted = true;
    core.waiters.notify();
    return { ok: true, ts: original.ts };
  }
  const content = checkMessageContent(core, message);
  if (!content.ok) {
    const messages = (content.extra.response_metadata as { messages?: string[] } | undefined)?.messages;
    return { ok: false, error: content.error, status: 400, ...(messages ? { messages } : {}) };
  }
  const options = Object.fromEntries(Object.entries(message).filter(([k]) => !['text', 'blocks', 'attachments'].includes(k)));
  if (message.replace_original === true) {
    const original = rec.original && channel.messages.find((m) => m.ts === rec.original?.ts && !m.deleted);
    if (!original) return { ok: false, error: 'message_not_found', status: 404 };
    original.edits.push({ at: core.clock.now(), text: original.text, blocks: original.blocks, via });
    original.text = content.text;
    original.blocks = content.blocks;
    core.checkMentions(content.text, content.blocks, options, `${via} replace_original in ${channel.id}`);
    core.waiters.notify();
    return { ok: true, ts: original.ts };
  }
  const inChannel = message.response_type === 'in_channel';
  const ts = core.ts.next(core.clock.now());
  core.addMessage(
    {
      channel: channel.id,
      ts,
      user: ws.botUserId,
      botId: ws.botId,
      text: content.text,
      blocks: content.blocks,
      threadTs: typeof message.thread_ts === 'string' ? message.thread_ts : undefined,
      ...(inChannel ? {} : { ephemeralFor: rec.userId }),
      via,
      options,
    },
    channel,
  );
  rec.original = { ts, ephemeral: !inChannel };
  return { ok: true, ts };
}

/** POST to a response_url: counted uses, lifetime, then the message effect. */
export function handleResponseUrl(
  core: Core,
  url: string,
  rawBody: string,
  contentType: string,
): { status: number; body: Record<string, unknown> } {
  const rec = core.responseUrls.get(url);
  if (!rec) return { status: 404, body: { ok: false, error: 'invalid_url' } };
  const at = core.clock.now();
  const parsed = parseBody(rawBody, contentType.includes('json') ? contentType : 'application/json');
  const refuse = (status: number, error: string, messages?: string[]) => {
    rec.attempts.push({ at, body: parsed, status, error });
    core.waiters.notify();
    return { status, body: { ok: false, error, ...(messages ? { response_metadata: { messages } } : {}) } };
  };
  if (at - rec.issuedAt > core.options.responseUrlLifetimeMs) return refuse(404, 'expired_url');
  if (rec.uses >= core.options.responseUrlMaxUses) return refuse(404, 'used_url');
  if (typeof parsed !== 'object' || parsed === null) return refuse(400, 'invalid_payload');
  const result = postResponse(core, rec, parsed, 'response_url');
  if (!result.ok) return refuse(result.status, result.error, result.messages);
  rec.uses += 1;
  rec.attempts.push({ at, body: parsed, status: 200 });
  core.waiters.notify();
  return { status: 200, body: { ok: true } };
}

/** The effect of a view_submission acknowledgement on the modal stack. */
export function applyViewSubmissionAck(core: Core, view: StoredView, body: unknown): AckOutcome {
  if (body === undefined || body === '') {
    view.open = false;
    core.waiters.notify();
    return { kind: 'close' };
  }
  if (typeof body !== 'object' || body === null) return { kind: 'refused', error: 'invalid_payload' };
  const b = body as Record<string, unknown>;
  switch (b.response_action) {
    case 'errors': {
      const errors = b.errors;
      if (!errors || typeof errors !== 'object')
        return { kind: 'refused', error: 'invalid_arguments', messages: ['[ERROR] errors must be an object'] };
      const inputs = inputElements(view.view.blocks);
      const unknown = Object.keys(errors).filter((k) => !inputs.has(k));
      if (unknown.length) {
        return {
          kind: 'refused',
          error: 'invalid_arguments',
          messages: unknown.map((k) => `[ERROR] ${k} is not the block_id of an input block in the view`),
        };
      }
      return { kind: 'errors', viewId: view.id };
    }
    case 'update': {
      const checked = checkView(core, b.view);
      if (!checked.ok) return { kind: 'refused', error: 'invalid_arguments', messages: checked.messages };
      view.view = checked.view;
      view.hash = core.newHash();
      view.history.push({ at: core.clock.now(), via: 'response_action:update', view: checked.view });
      core.waiters.notify();
      return { kind: 'update', viewId: view.id };
    }
    case 'push': {
      const checked = checkView(core, b.view);
      if (!checked.ok) return { kind: 'refused', error: 'invalid_arguments', messages: checked.messages };
      const stack = [...core.views.values()].filter((v) => v.rootViewId === view.rootViewId && v.open);
      if (stack.length >= 3) return { kind: 'refused', error: 'push_limit_reached' };
      const id = core.ids.next('V');
      core.storeView({
        id,
        teamId: view.teamId,
        userId: view.userId,
        type: 'modal',
        view: checked.view,
        hash: core.newHash(),
        rootViewId: view.rootViewId,
        previousViewId: view.id,
        externalId: '',
        open: true,
        history: [{ at: core.clock.now(), via: 'response_action:push', view: checked.view }],
      });
      return { kind: 'push', viewId: id };
    }
    case 'clear':
      for (const v of core.views.values()) if (v.rootViewId === view.rootViewId) v.open = false;
      core.waiters.notify();
      return { kind: 'clear' };
    default:
      return { kind: 'refused', error: 'invalid_arguments', messages: [`[ERROR] unknown response_action: ${String(b.response_action)}`] };
  }
}
