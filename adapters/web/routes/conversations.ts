import { Hono } from 'hono';
import { z } from 'zod';
import { type InboundEventInput, splitSlashCommand } from '../../../src/conversation/index.ts';
import { personText } from '../../../src/domain/values.ts';
import { listOfKinds } from '../../../src/flows/privacy-guard.ts';
import { personalDataWarning } from '../../../src/privacy/warn.ts';
import { webText } from '../texts.ts';
import { t } from '../../../src/i18n/index.ts';
import type { RoomEnv, WebDeps, WebEnv } from '../context.ts';
import { HttpError, refuse } from '../errors.ts';
import { eventBase, handleEvent } from '../inbound.ts';
import { signedIn, signedInRoom } from '../session.ts';
import { allowedChoice, shownControls } from '../store.ts';
import { jsonBody, pathParams, queryParams } from '../validate.ts';

const idempotencyKey = z.string().min(1).max(100).optional();
const sendSchema = z
  .object({
    text: personText(4000),
    idempotencyKey,
    /** The sender saw the personal-data warning and sends anyway. */
    confirmPersonalData: z.literal(true).optional(),
  })
  .strict();
const actionSchema = z
  .object({
    messageId: z.string().min(1).max(100),
    actionId: z.string().min(1).max(200),
    values: z.array(z.string().max(200)).max(100).default([]),
    idempotencyKey,
  })
  .strict();
const formSchema = z
  .object({
    formId: z.string().min(1).max(200),
    fields: z.record(z.string().max(64), z.string().max(4000)).default({}),
    messageId: z.string().max(100).optional(),
    idempotencyKey,
  })
  .strict();

const roomParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) });
/** A message's position in its room; anything else is no position (read from the start, or not replayed). */
const seq = z.string().regex(/^\d+$/).transform(Number).optional().catch(undefined);
const listQuery = z.object({
  after: seq,
  // Out of range is clamped, not refused: 1–500, 100 when missing or not a number.
  limit: z
    .string()
    .optional()
    .transform((v) => Math.min(Math.max(Number(v ?? 100) || 100, 1), 500))
    .catch(100),
});
const eventsQuery = z.object({ after: seq });

/** A group's web room: reading, writing, pressing, submitting, and the live stream. */
export function conversationRoutes(deps: WebDeps) {
  const { store, hub, router, limits } = deps;
  const routes = new Hono<WebEnv>();
  const room = [pathParams(roomParams), signedInRoom(deps)] as const;
  /** The message a press or form came from: usually read with the room already (signedInRoom). */
  const sourceOf = async (named: RoomEnv['Variables']['named'], roomId: string, messageId: string, personId: string) =>
    named?.id === messageId ? (named.message ?? undefined) : await store.message(roomId, messageId, personId);

  routes.get('/api/conversations', signedIn(deps), async (c) => c.json({ conversations: await store.conversations(c.var.person.id) }));

  routes.get('/api/conversations/:id/messages', ...room, queryParams(listQuery), async (c) => {
    const { after, limit } = c.req.valid('query');
    const messages = await store.messages(c.var.room.id, c.var.person.id, after !== undefined ? { after, limit } : { limit });
    return c.json({ messages });
  });

  routes.post(
    '/api/conversations/:id/messages',
    limits.byAddress('messages'),
    ...room,
    limits.byPerson('messages'),
    jsonBody(sendSchema),
    async (c) => {
      const { person, room } = c.var;
      const body = c.req.valid('json');
      const command = splitSlashCommand(body.text);
      // Before the group sees a CPR number, phone number, e-mail or address: a private warning, nothing posted.
      const kinds = command || body.confirmPersonalData ? null : personalDataWarning(body.text, c.var.locale);
      if (kinds) {
        const message = webText(c.var.locale, 'web.warning.personal', { kinds: listOfKinds(kinds, c.var.locale) });
        return c.json({ duplicate: false, messages: [], forms: [], warning: { message } });
      }
      const base = eventBase(person, room, body.idempotencyKey);
      // A command is between the member and Pulje (like a slash command): only its answer may be public. A request
      // sent again with its key finds its message already stored: it is shown once. It is announced again (browsers
      // replace a message by its id), since the first try may have ended before announcing it.
      const key = body.idempotencyKey ? base.idempotencyKey : undefined;
      const author = { id: person.id, name: person.displayName };
      if (command) {
        // Only its author sees the command, so it can wait for the answer and go in with it: one write, not two.
        const event: InboundEventInput = { ...base, kind: 'command', name: command.name, text: command.text };
        const out = await handleEvent(deps, c.var, event, undefined, { author, text: body.text, requestKey: key });
        // A repeat of a request that was answered is a duplicate with nothing new, as for presses.
        return c.json(out.duplicate ? { ...out, messages: [] } : out);
      }
      const echo = await store.addMember(room.id, author, body.text, null, key);
      // The key was this person's for a message in another room: that request, so nothing new here.
      if (!echo) return c.json({ duplicate: true, messages: [], forms: [] });
      hub.message(room.id, echo);
      const out = await handleEvent(deps, c.var, { ...base, kind: 'message', text: body.text });
      return c.json({ ...out, messages: out.duplicate ? [] : [echo.view, ...out.messages] });
    },
  );

  routes.post(
    '/api/conversations/:id/actions',
    limits.byAddress('messages'),
    ...room,
    limits.byPerson('messages'),
    jsonBody(actionSchema),
    async (c) => {
      const { person, room, locale } = c.var;
      const body = c.req.valid('json');
      const base = eventBase(person, room, body.idempotencyKey);
      const source = await sourceOf(c.var.named, room.id, body.messageId, person.id);
      // Only controls Pulje actually showed this person, on that message, can be used, and only as offered.
      const control = source?.body ? shownControls(source.body).get(body.actionId) : undefined;
      if (!source || !control || !allowedChoice(control, body.values)) {
        // Unless this is a repeat of a press that was handled (the phone did not see the answer and sends again):
        // the press itself may have replaced the control. A repeat whose control still shows is the claim's to
        // answer, so the common case asks the database nothing extra.
        if (body.idempotencyKey && (await router.handled(base))) return c.json({ duplicate: true, messages: [], forms: [] });
        throw new HttpError(400, 'unknown_control', t(locale, 'error.invalid_input', { details: t(locale, 'conversation.bad_control') }));
      }
      const event: InboundEventInput = {
        ...base,
        kind: 'action',
        actionId: body.actionId,
        values: body.values,
        source: { platform: 'web', channelId: room.groupId, messageId: source.id },
      };
      return c.json(await handleEvent(deps, c.var, event, source.id));
    },
  );

  routes.post(
    '/api/conversations/:id/forms',
    limits.byAddress('messages'),
    ...room,
    limits.byPerson('messages'),
    jsonBody(formSchema),
    async (c) => {
      const { person, room } = c.var;
      const body = c.req.valid('json');
      const source = body.messageId ? await sourceOf(c.var.named, room.id, body.messageId, person.id) : undefined;
      const event: InboundEventInput = {
        ...eventBase(person, room, body.idempotencyKey),
        kind: 'form',
        formId: body.formId,
        fields: body.fields,
        ...(source ? { source: { platform: 'web' as const, channelId: room.groupId, messageId: source.id } } : {}),
      };
      return c.json(await handleEvent(deps, c.var, event, source?.id));
    },
  );

  // The first screen of a room: where the group's round stands, with this person's next step as a button (the
  // same answer as /round). Once per person and room (the idempotency key), so later visits add nothing.
  routes.post('/api/conversations/:id/welcome', limits.byAddress('messages'), ...room, limits.byPerson('messages'), async (c) => {
    const { person, room } = c.var;
    const event: InboundEventInput = { ...eventBase(person, room, `welcome:${room.id}`), kind: 'command', name: 'round' };
    return c.json(await handleEvent(deps, c.var, event));
  });

  routes.get('/api/conversations/:id/commands', ...room, (c) =>
    c.json({ commands: router.describeCommands(c.var.locale, c.var.room.role) }),
  );

  routes.get('/api/conversations/:id/events', ...room, queryParams(eventsQuery), (c) => {
    // A reconnecting EventSource says where it got to in Last-Event-ID; a first connection may pass ?after=.
    const after = seq.parse(c.req.header('last-event-id')) ?? c.req.valid('query').after;
    return deps.streams.respond(c, c.var.room.id, c.var.person.id, after);
  });

  // Anything else on a room's resources: known path, wrong method (after the same checks as the real ones).
  routes.all('/api/conversations/:id/:what{messages|actions|forms|commands|events|welcome}', ...room, (c) => {
    throw refuse(c, 405, 'method_not_allowed', 'web.error.method_not_allowed');
  });

  return routes;
}
