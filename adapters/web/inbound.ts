import { randomUUID } from 'node:crypto';
import { type InboundEventInput, type KnownReads, serve } from '../../src/conversation/index.ts';
import type { Person, WebDeps } from './context.ts';
import type { PendingCommand, WebConversation } from './store.ts';
import { HttpError } from './errors.ts';
import { WebSurface } from './surface.ts';
import { webText } from './texts.ts';

/** The parts every web event shares: who acts, where, and a per-person idempotency key. */
export function eventBase(person: Person, room: WebConversation, key: string | undefined) {
  return {
    // Keys are per person, so one member's key can never block another's event.
    idempotencyKey: `${person.id}:${key ?? randomUUID()}`,
    actor: { platform: 'web' as const, externalId: person.id, displayName: person.displayName, roles: [] },
    conversation: { platform: 'web' as const, channelId: room.groupId },
  };
}

/** Runs the event through the one delivery path; returns what the requester may see, and any forms to open. */
export async function handleEvent(
  deps: WebDeps,
  { room, person, reads }: { room: WebConversation; person: Person; reads?: KnownReads | undefined },
  event: InboundEventInput,
  sourceId?: string,
  command?: PendingCommand,
) {
  const surface = new WebSurface(deps.store, deps.hub, room, person.id, sourceId, command);
  // The request already proved who this is and that they are in this room, and read what its handler reads
  // first (reads): the router need not ask again.
  const known = {
    person: { personId: person.id, displayName: person.displayName, locale: person.locale },
    conversation: { conversationId: room.id, groupId: room.groupId, groupName: room.groupName, locale: room.locale },
    role: room.role,
    ...(reads ? { reads } : {}),
  };
  // Nothing is sent before the reply: a ballot's click may be marked handled in its change's own commit.
  const served = await serve(deps.router, surface, event, {
    fallbackLocale: person.locale ?? deps.defaultLocale,
    log: deps.log,
    known,
    claimWithChange: true,
    // A typed command sent with a key is stored under it with its first answer (WebSurface.add).
    ...(command?.requestKey ? { commandKeyedByAnswer: true } : {}),
  });
  // The same request is being answered right now elsewhere (a retry while the first try still runs, or after a
  // crash, until its claim runs out): not a duplicate yet, so the sender is told to try again shortly.
  if (served.busy)
    throw new HttpError(409, 'in_progress', webText(person.locale ?? deps.defaultLocale, 'web.error.in_progress'), { 'retry-after': '2' });
  // A typed command that no answer took along (a repeat, or nothing to say) is stored now, in its place first;
  // not for a repeat whose key is its command's record: the try that made the change stores it with its answer.
  if (!(served.duplicate && served.outcome?.keyedByAnswer)) await surface.storeCommand();
  // The key was this person's for a message in another room (that request), or its command is stored with its
  // answer already (a repeat of a request that was answered): nothing new here.
  if (surface.commandElsewhere || surface.repeat) return { duplicate: true, messages: [], forms: [] };
  return {
    duplicate: served.duplicate,
    messages: surface.shown,
    forms: surface.forms,
    ...(surface.formError ? { formError: surface.formError } : {}),
  };
}
