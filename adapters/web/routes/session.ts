import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { type Locale, localeSchema } from '../../../src/i18n/index.ts';
import type { WebDeps, WebEnv } from '../context.ts';
import { refuse } from '../errors.ts';
import { signinPage } from '../pages.ts';
import { endSession, inviteSubject, acceptInvite, signedIn, startSession } from '../session.ts';
import { WEB_TEXTS } from '../texts.ts';
import { jsonBody } from '../validate.ts';
import { htmlPage } from './html.ts';

const sessionSchema = z.union([
  z.object({ personId: z.string().min(1).max(100) }).strict(),
  z.object({ invite: z.string().min(1).max(3000) }).strict(),
]);
const signinForm = z.object({ personId: z.string().min(1).max(100) });

/** UI texts for the browser: the web chat's catalog in one language, as written, keys without `web.`. */
function uiTexts(locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(WEB_TEXTS[locale]).map(([key, text]) => [key.slice(4), text]));
}

/** The first language in an Accept-Language header that Pulje speaks ("en-GB,en;q=0.9" → en), by the header's order and weights. */
export function preferredLocale(header: string | undefined): Locale | null {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { lang: tag.trim().toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  const found = ranked.find((x) => x.lang === 'da' || x.lang === 'en');
  return found ? (found.lang as Locale) : null;
}

/** Signing in and out, and who is signed in. */
export function sessionRoutes(deps: WebDeps) {
  const { store, limits, demo, defaultLocale } = deps;
  const routes = new Hono<WebEnv>();

  routes.get('/signin', async (c) => {
    const people = demo ? await store.demoPeople() : [];
    return htmlPage(c, 200, signinPage(defaultLocale, { demo, people }), { 'cache-control': 'no-store' });
  });

  // The demo picker's form posts here; a form, not JSON, so it works without script.
  routes.post(
    '/signin',
    limits.byAddress('signin'),
    validator('form', (value, c) => {
      const parsed = signinForm.safeParse(value);
      // Outside demo mode this is refused anyway; counting it would let anyone use up that person's sign-ins.
      if (parsed.success && demo) c.set('personId', parsed.data.personId);
      return { personId: parsed.success ? parsed.data.personId : undefined };
    }),
    limits.byPerson('signin'),
    async (c) => {
      const { personId } = c.req.valid('form');
      if (!demo || !personId || !(await store.person(personId))) throw refuse(c, 403, 'forbidden', 'web.signin.invite_only');
      startSession(c, deps, personId);
      return c.redirect('/', 303);
    },
  );

  routes.post(
    '/api/session',
    limits.byAddress('signin'),
    jsonBody(sessionSchema),
    async (c, next) => {
      const body = c.req.valid('json');
      // Only a genuine invite, or a demo pick, names whose sign-ins these are (see POST /signin).
      const personId = 'invite' in body ? inviteSubject(deps, body.invite)?.personId : demo ? body.personId : undefined;
      if (personId) c.set('personId', personId);
      await next();
    },
    limits.byPerson('signin'),
    async (c) => {
      const body = c.req.valid('json');
      let personId: string | undefined;
      if ('invite' in body) personId = (await acceptInvite(deps, body.invite))?.personId;
      else if (demo && (await store.person(body.personId))) personId = body.personId;
      if (!personId) throw refuse(c, 403, 'forbidden', 'invite' in body ? 'web.invite.invalid' : 'web.signin.invite_only');
      const session = startSession(c, deps, personId);
      return c.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), person: await store.person(personId) });
    },
  );

  routes.delete('/api/session', (c) => {
    endSession(c, deps);
    return c.json({ ok: true });
  });

  // The sign-in picker as JSON, so scripts can sign in as a demo person; absent outside demo mode.
  routes.get('/api/demo/people', async (c) => {
    if (!demo) throw refuse(c, 404, 'not_found', 'web.error.not_found');
    return c.json({ people: await store.demoPeople() });
  });

  // The language menu: remembered for the person, like /sprog.
  routes.post('/api/me/language', signedIn(deps), jsonBody(z.object({ locale: localeSchema }).strict()), async (c) => {
    const { locale } = c.req.valid('json');
    await deps.pulje.setup.setLanguage({ personId: c.var.person.id }, { locale });
    return c.json({ locale });
  });

  routes.get('/api/me', signedIn(deps), async (c) => {
    const { person } = c.var;
    let { locale } = c.var;
    // A first visit, before anyone chose: the browser's language, if Pulje speaks it, is remembered as theirs.
    const wanted = person.locale ? null : preferredLocale(c.req.header('accept-language'));
    if (wanted) {
      await deps.pulje.setup.setLanguage({ personId: person.id }, { locale: wanted });
      locale = wanted;
    }
    return c.json({ person, demo, locale, texts: uiTexts(locale), conversations: await store.conversations(person.id) });
  });

  return routes;
}
