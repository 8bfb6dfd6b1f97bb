import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Person, RoomEnv, SignedInEnv, WebDeps } from './context.ts';
import { refuse } from './errors.ts';
import { SESSION_COOKIE, sessionToken } from './auth.ts';

/** The session the request carries (bearer token or cookie), if it is genuine and unexpired. */
function sessionOf(c: Context, deps: WebDeps): { personId: string; issuedAt: Date } | undefined {
  const auth = c.req.header('authorization');
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : getCookie(c, SESSION_COOKIE);
  const payload = token ? deps.signer.verify(token) : undefined;
  return payload?.kind === 'session' ? { personId: payload.sub, issuedAt: new Date(payload.iat ?? 0) } : undefined;
}

/** The signed-in person from the bearer token or the session cookie, if the token is genuine, not revoked, and they exist. */
export async function who(c: Context, deps: WebDeps): Promise<Person | undefined> {
  const session = sessionOf(c, deps);
  return session ? ((await deps.store.person(session.personId, session.issuedAt)) ?? undefined) : undefined;
}

/** 401 without a session; from here on, answers are in the person's language. */
export const signedIn = (deps: WebDeps) =>
  createMiddleware<SignedInEnv>(async (c, next) => {
    const person = await who(c, deps);
    if (!person) throw refuse(c, 401, 'unauthorized', 'web.error.unauthorized');
    c.set('person', person);
    c.set('personId', person.id);
    c.set('locale', person.locale ?? deps.defaultLocale);
    await next();
  });

/**
 * The message a press or form says it came from (`messageId` in its JSON body), read with the room. Hono keeps
 * the parsed body, so the route's validator reads it again for free; a body that does not parse names nothing
 * here and is the validator's to refuse.
 */
async function namedMessage(c: Context): Promise<string | undefined> {
  if (c.req.method !== 'POST' || !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return undefined;
  const body: unknown = await c.req.json().catch(() => undefined);
  const id = body && typeof body === 'object' ? (body as { messageId?: unknown }).messageId : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/**
 * The signed-in person and the room named by `:id`, in one statement (every chat request starts here): 401
 * without a session, 404 if the person is not in the room's group (the same as a room that does not exist).
 * Answers are then in the person's language, or the room's.
 */
export const signedInRoom = (deps: WebDeps) =>
  createMiddleware<RoomEnv>(async (c, next) => {
    const session = sessionOf(c, deps);
    const messageId = session ? await namedMessage(c) : undefined;
    // A request that may act (a message, press or form) reads the rounds voting now with the room: a ballot
    // click, or /vote, then reads no round of its own.
    const acts = c.req.method === 'POST';
    const found = session
      ? await deps.store.personInRoom(session.personId, c.req.param('id') ?? '', session.issuedAt, messageId, acts)
      : null;
    if (!found) {
      // Only on a miss is it worth a second look: no such person (401), or not their room (404).
      const person = await who(c, deps);
      if (!person) throw refuse(c, 401, 'unauthorized', 'web.error.unauthorized');
      c.set('locale', person.locale ?? deps.defaultLocale);
      throw refuse(c, 404, 'not_found', 'web.error.not_found');
    }
    c.set('person', found.person);
    c.set('personId', found.person.id);
    c.set('room', found.room);
    if (found.reads) c.set('reads', found.reads);
    if (messageId) c.set('named', { id: messageId, message: found.message ?? null });
    c.set('locale', found.person.locale ?? found.room.locale);
    await next();
  });

/** A fresh session token, also set as the HttpOnly, SameSite=Lax cookie (Secure when Pulje is served over https). */
export function startSession(c: Context, deps: WebDeps, personId: string): { token: string; expiresAt: Date } {
  const session = sessionToken(deps.signer, personId);
  setCookie(c, SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.secureCookies,
    maxAge: Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)),
  });
  return session;
}

export function endSession(c: Context, deps: WebDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies });
}

/** Whom a genuine, unexpired invite names, before checking they are still a member (the rate limits key on it). */
export function inviteSubject(deps: WebDeps, token: string): { personId: string; groupId: string; issuedAt: Date } | undefined {
  const payload = deps.signer.verify(token);
  return payload?.kind === 'invite' ? { personId: payload.sub, groupId: payload.grp, issuedAt: new Date(payload.iat ?? 0) } : undefined;
}

/** Turns an invite into the person it names, if the link is genuine, unexpired and they are still a member. */
export async function acceptInvite(deps: WebDeps, token: string): Promise<{ personId: string; groupId: string } | undefined> {
  const invite = inviteSubject(deps, token);
  return invite && (await deps.store.isMember(invite.personId, invite.groupId, invite.issuedAt))
    ? { personId: invite.personId, groupId: invite.groupId }
    : undefined;
}
