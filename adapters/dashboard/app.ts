import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from '../../src/conversation/index.ts';
import { PuljeError } from '../../src/core/errors.ts';
import { ROOT } from '../../src/core/paths.ts';
import { asLocale, type Locale } from '../../src/i18n/index.ts';
import type { DashboardViewer, Outcomes, Pulje } from '../../src/usecases/index.ts';
import { toCsv } from './csv.ts';
import { dashboardPage, lundyForm, messageOnly } from './pages.ts';
import { CSV_VIEWS, headerOf, isCsvView, T } from './views.ts';

export const DASHBOARD_COOKIE = 'pulje_dash';
const CSS = readFileSync(path.join(ROOT, 'adapters/dashboard/public/dashboard.css'), 'utf8');

export interface DashboardDeps {
  pulje: Pulje;
  defaultLocale: Locale;
  /** Cookies only over https (PULJE_PUBLIC_URL starts with https:). */
  secureCookies: boolean;
  /** How long figures once read are shown again to the same viewer for the same view (ms); 0: never. 30 s by default. */
  cacheMs?: number;
}

/**
 * Figures read for a viewer and view, kept a short while: a programme manager paging between views, or a
 * meeting room reloading, gets them without counting again. At most `cacheMs` old; the dashboard's own writes
 * (a Lundy assessment) clear it; changes made elsewhere show within that time.
 */
function figureCache(ttlMs: number) {
  const kept = new Map<string, { until: number; value: Promise<Outcomes> }>();
  return {
    get(key: string, load: () => Promise<Outcomes>): Promise<Outcomes> {
      if (ttlMs <= 0) return load();
      const now = Date.now();
      const hit = kept.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = load();
      value.catch(() => kept.delete(key));
      if (kept.size >= 200) kept.delete(kept.keys().next().value!);
      kept.set(key, { until: now + ttlMs, value });
      return value;
    },
    clear: () => kept.clear(),
  };
}

type Env = { Variables: { viewer: DashboardViewer; locale: Locale } };

const localeOf = (c: Context, viewer: DashboardViewer | null, fallback: Locale): Locale => {
  const lang = c.req.query('lang');
  if (lang === 'da' || lang === 'en') return lang;
  return viewer?.locale ? asLocale(viewer.locale) : fallback;
};

const page = (c: Context, status: 200 | 400 | 401 | 403 | 404, body: string) =>
  c.body(body, status, { 'content-type': 'text/html; charset=utf-8' });

/** The filter in the page's query: which organisation, group, round and period. */
function queryOf(c: Context): Record<string, string | undefined> {
  const q: Record<string, string | undefined> = {};
  for (const k of ['lang', 'org', 'group', 'round', 'from', 'to']) {
    const v = c.req.query(k);
    if (v) q[k] = v;
  }
  return q;
}
const filterOf = (q: Record<string, string | undefined>) => ({
  ...(q.org ? { organisationId: q.org } : {}),
  ...(q.group ? { groupId: q.group } : {}),
  ...(q.round ? { roundId: q.round } : {}),
  ...(q.from ? { from: q.from } : {}),
  ...(q.to ? { to: q.to } : {}),
});

/**
 * The programme dashboard (issue 14) as a Hono app mounted at /dashboard on the web chat's server and port.
 * Sign-in: the one-time link from /dashboard in chat opens a page with a button (link previews in chat apps
 * fetch links, so a GET never uses one up); the POST trades it for a session cookie. Every figure comes from
 * `pulje.outcomes`, scoped to the viewer.
 */
export function createDashboard(deps: DashboardDeps): Hono<Env> {
  const { pulje } = deps;
  const app = new Hono<Env>();
  const cache = figureCache(deps.cacheMs ?? 30_000);
  const read = (c: Context<Env>, filter: Record<string, string>, allReasons: boolean) => {
    const viewer = c.get('viewer');
    const locale = c.get('locale');
    // Keyed by the scope itself (which groups, not how many): a viewer whose groups changed within the cache's
    // time gets figures for the groups they have now.
    const scope = viewer.groupIds ? [...viewer.groupIds].sort().join(',') : null;
    const key = JSON.stringify([viewer.personId, viewer.scope, scope, filter, locale, allReasons]);
    return cache.get(key, () => pulje.outcomes.read(viewer, filter, locale, allReasons));
  };
  const cookie = (c: Context, token: string, maxAgeS: number) =>
    setCookie(c, DASHBOARD_COOKIE, token, {
      path: '/dashboard',
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies,
      maxAge: maxAgeS,
    });

  // Forms post only from the dashboard itself (besides SameSite=Lax): browsers say where a request came from in
  // Sec-Fetch-Site; without it, an Origin must be this server. (With Referrer-Policy no-referrer, Chromium sends
  // "Origin: null" even for the page's own forms, so Origin alone cannot tell.)
  app.use(async (c, next) => {
    if (c.req.method === 'POST') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const ok = site ? site === 'same-origin' : !!origin && URL.canParse(origin) && new URL(origin).host === new URL(c.req.url).host;
      if (!ok)
        return page(
          c,
          403,
          messageOnly(deps.defaultLocale, T(deps.defaultLocale, 'dash.title'), T(deps.defaultLocale, 'dash.signin.needed')),
        );
    }
    await next();
  });

  app.get('/dashboard/dashboard.css', (c) => c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));

  app.get('/dashboard/signin/:token', (c) => {
    const locale = localeOf(c, null, deps.defaultLocale);
    const form = html.tag`<form method="post" action="/dashboard/signin"><input type="hidden" name="token" value="${c.req.param('token')}"><button type="submit" data-testid="signin">${T(locale, 'dash.signin.button')}</button></form>`;
    return page(c, 200, messageOnly(locale, T(locale, 'dash.signin.title'), T(locale, 'dash.signin.intro'), form));
  });

  app.post('/dashboard/signin', async (c) => {
    const form = await c.req.parseBody();
    const session = await pulje.dashboardAccess.redeem(typeof form.token === 'string' ? form.token : '');
    if (!session) {
      const locale = deps.defaultLocale;
      return page(c, 400, messageOnly(locale, T(locale, 'dash.signin.title'), T(locale, 'dash.signin.invalid')));
    }
    // The database's expiry is what counts; the cookie lives as long as a session does.
    cookie(c, session.token, session.ttlSeconds);
    return c.redirect('/dashboard', 303);
  });

  app.post('/dashboard/signout', async (c) => {
    await pulje.dashboardAccess.signOut(getCookie(c, DASHBOARD_COOKIE) ?? '');
    deleteCookie(c, DASHBOARD_COOKIE, { path: '/dashboard', httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies });
    const locale = deps.defaultLocale;
    return page(c, 200, messageOnly(locale, T(locale, 'dash.signout'), T(locale, 'dash.signed_out')));
  });

  // Everything below needs a live session.
  app.use(async (c, next) => {
    const viewer = await pulje.dashboardAccess.viewer(getCookie(c, DASHBOARD_COOKIE) ?? '');
    const locale = localeOf(c, viewer, deps.defaultLocale);
    if (!viewer) return page(c, 401, messageOnly(locale, T(locale, 'dash.signin.title'), T(locale, 'dash.signin.needed')));
    c.set('viewer', viewer);
    c.set('locale', locale);
    await next();
  });

  app.onError((error, c) => {
    const locale = c.get('locale') ?? deps.defaultLocale;
    if (error instanceof PuljeError) {
      const status = error.code === 'not_found' ? 404 : error.code === 'forbidden' || error.code === 'not_member' ? 403 : 400;
      return page(c, status, messageOnly(locale, T(locale, 'dash.title'), T(locale, 'dash.error', { message: error.localize(locale) })));
    }
    throw error;
  });

  app.post('/dashboard/signout-all', async (c) => {
    await pulje.dashboardAccess.revokeAll({ personId: c.get('viewer').personId });
    deleteCookie(c, DASHBOARD_COOKIE, { path: '/dashboard' });
    return page(c, 200, messageOnly(c.get('locale'), T(c.get('locale'), 'dash.signout'), T(c.get('locale'), 'dash.signed_out')));
  });

  app.get('/dashboard', async (c) => {
    const query = queryOf(c);
    const outcomes = await read(c, filterOf(query), false);
    return page(c, 200, dashboardPage({ locale: c.get('locale'), viewer: c.get('viewer'), outcomes, query }));
  });

  app.get('/dashboard/report', async (c) => {
    const query = queryOf(c);
    const year = Number(c.req.query('year') ?? new Date().getUTCFullYear());
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new PuljeError('invalid_input');
    const filter = { ...filterOf(query), from: `${year}-01-01`, to: `${year}-12-31` };
    const outcomes = await read(c, filter, false);
    return page(c, 200, dashboardPage({ locale: c.get('locale'), viewer: c.get('viewer'), outcomes, query, report: { year } }));
  });

  app.get('/dashboard/csv/:view', async (c) => {
    const view = c.req.param('view');
    if (!isCsvView(view)) throw new PuljeError('not_found', { what: { key: 'what.result' } });
    const query = queryOf(c);
    // Only the CSV of overrides lists every reason (each masked once, a costly first time); the others none.
    const outcomes = await read(c, filterOf(query), view === 'overrides');
    const spec = CSV_VIEWS[view] as unknown as { columns: Parameters<typeof headerOf>[0]; rows: (o: typeof outcomes) => unknown[] };
    const body = toCsv(
      headerOf(spec.columns, c.get('locale')),
      spec.rows(outcomes).map((r) => spec.columns.map((col) => col.csv(r as never))),
    );
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="pulje-${view}.csv"`,
    });
  });

  app.get('/dashboard/rounds/:id/pb', async (c) => {
    const pb = await pulje.results.exportPb({ personId: c.get('viewer').personId }, { roundId: c.req.param('id') });
    return c.body(pb.text, 200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${pb.filename.replace(/[^\w.-]/g, '_')}"`,
    });
  });

  app.get('/dashboard/lundy/:id', async (c) => {
    const actor = { personId: c.get('viewer').personId };
    const roundId = c.req.param('id');
    const [round, mine] = await Promise.all([pulje.rounds.get(actor, { roundId }), pulje.voice.myLundy(actor, { roundId })]);
    return page(c, 200, lundyForm(c.get('locale'), round, mine));
  });

  app.post('/dashboard/lundy/:id', async (c) => {
    const actor = { personId: c.get('viewer').personId };
    const roundId = c.req.param('id');
    const form = await c.req.parseBody();
    const n = (k: string) => Number(form[k]);
    const note = typeof form.note === 'string' ? form.note : undefined;
    const saved = await pulje.voice.assessLundy(actor, {
      roundId,
      space: n('space'),
      voice: n('voice'),
      audience: n('audience'),
      influence: n('influence'),
      ...(note ? { note } : {}),
    });
    cache.clear();
    const round = await pulje.rounds.get(actor, { roundId });
    return page(c, 200, lundyForm(c.get('locale'), round, saved, T(c.get('locale'), 'dash.lundy.saved')));
  });

  return app;
}

/** The dashboard as a handler for the web server's `mount('/dashboard', …)`. */
export function dashboardHandler(deps: DashboardDeps): (request: Request) => Promise<Response> {
  const app = createDashboard(deps);
  return async (request) => app.fetch(request);
}
