import { Hono } from 'hono';
import { z } from 'zod';
import { PuljeError } from '../../../src/core/errors.ts';
import { INVITE_TTL_MS } from '../auth.ts';
import type { WebDeps, WebEnv } from '../context.ts';
import { HttpError } from '../errors.ts';
import { messagePage } from '../pages.ts';
import { acceptInvite, inviteSubject, signedIn, startSession } from '../session.ts';
import { webText } from '../texts.ts';
import { jsonBody, pathParams } from '../validate.ts';
import { htmlPage } from './html.ts';

const inviteSchema = z
  .object({
    personId: z.string().min(1).max(100),
    groupId: z.string().min(1).max(100),
    ttlHours: z
      .number()
      .min(1)
      .max(24 * 30)
      .optional(),
  })
  .strict();
const inviteParams = z.object({ token: z.string().regex(/^[A-Za-z0-9._-]{1,3000}$/) });

/** Staff issue signed invite links; opening one signs its person in. */
export function inviteRoutes(deps: WebDeps) {
  const { limits, log, defaultLocale } = deps;
  const routes = new Hono<WebEnv>();

  routes.post(
    '/api/invites',
    limits.byAddress('invites'),
    signedIn(deps),
    limits.byPerson('invites'),
    jsonBody(inviteSchema),
    async (c) => {
      const { person, locale } = c.var;
      const body = c.req.valid('json');
      try {
        await deps.pulje.webChat.authorizeInvite({ personId: person.id }, body);
      } catch (error) {
        if (!(error instanceof PuljeError)) throw error;
        const notMember = error.code === 'not_member';
        throw new HttpError(notMember ? 404 : 403, notMember ? 'not_found' : 'forbidden', error.localize(locale));
      }
      const link = deps.issueInvite(body.personId, body.groupId, body.ttlHours ? body.ttlHours * 3600_000 : INVITE_TTL_MS);
      log.info({ by: person.id, personId: body.personId, groupId: body.groupId }, 'web: invite issued');
      return c.json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, 201);
    },
  );

  routes.get(
    '/invite/:token',
    limits.byAddress('invites'),
    pathParams(inviteParams),
    async (c, next) => {
      const personId = inviteSubject(deps, c.req.valid('param').token)?.personId;
      if (personId) c.set('personId', personId);
      await next();
    },
    limits.byPerson('invites'),
    async (c) => {
      const accepted = await acceptInvite(deps, c.req.valid('param').token);
      if (!accepted) {
        const page = messagePage(defaultLocale, webText(defaultLocale, 'web.signin.title'), webText(defaultLocale, 'web.invite.invalid'));
        return htmlPage(c, 403, page);
      }
      startSession(c, deps, accepted.personId);
      const target = (await deps.store.conversations(accepted.personId)).find((r) => r.groupId === accepted.groupId);
      return c.redirect(target ? `/#c=${target.id}` : '/', 303);
    },
  );

  return routes;
}
