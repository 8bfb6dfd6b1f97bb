import { Hono } from 'hono';
import { limitBodies } from './body-limit.ts';
import type { WebDeps, WebEnv } from './context.ts';
import { notFound, onError } from './errors.ts';
import { boundInFlight } from './overload.ts';
import type { Mounts } from './mounts.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { inviteRoutes } from './routes/invites.ts';
import { myDataRoutes } from './routes/mydata.ts';
import { sessionRoutes } from './routes/session.ts';
import { noStoreByDefault, securityHeaders } from './security-headers.ts';
import { staticFiles } from './static.ts';

/**
 * The web chat as a Hono app: what every request goes through, in order, then the route table. Hono's `fetch`
 * takes a Request and returns a Response, so tests can call it without a socket and other adapters mount
 * beside it.
 */
export function createApp(deps: WebDeps, mounts: Mounts): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(async (c, next) => {
    c.set('locale', deps.defaultLocale);
    await next();
  });
  app.use(securityHeaders(deps.secureCookies));
  app.use(noStoreByDefault);
  app.use(limitBodies());
  app.use(mounts.middleware);
  app.onError(onError(deps.log, deps.defaultLocale));
  app.notFound(notFound);

  // Healthy means the database answers too: a load balancer should stop sending people here when it does not.
  app.all('/healthz', async (c) =>
    (await deps.pulje.health.database()) ? c.json({ ok: true, database: 'up' }) : c.json({ ok: false, database: 'down' }, 503),
  );
  // Off unless configured (src/config/env.ts gives npm start its default): a test's server shares its loop with the test.
  const maxUtilization = deps.config.PULJE_MAX_LOOP_UTILIZATION ?? 1;
  const bounded = boundInFlight(deps.config.PULJE_MAX_INFLIGHT ?? 32, {
    load: deps.load,
    ...(maxUtilization < 1 ? { maxUtilization } : {}),
    // A press or a form comes from a card the person was shown: it carries on what they began (a ballot's pick or
    // Send after its /vote), so it is the last thing refused.
    continues: (c) => c.req.method === 'POST' && /^\/api\/conversations\/[^/]+\/(actions|forms)$/.test(c.req.path),
  });
  app.get('/metrics', (c) =>
    c.json({
      ...deps.metrics(),
      inFlight: bounded.inFlight(),
      refusedOverloaded: bounded.shed(),
      loopUtilization: deps.load.utilization(),
    }),
  );
  // Work that may queue behind the database is bounded; the page, health and the long-lived event streams are not.
  for (const path of ['/api/*', '/signin', '/invite/*'])
    app.use(path, async (c, next) => (c.req.path.endsWith('/events') ? next() : bounded(c, next)));
  staticFiles(app);
  app.route('/', sessionRoutes(deps));
  app.route('/', inviteRoutes(deps));
  app.route('/', conversationRoutes(deps));
  app.route('/', myDataRoutes(deps));
  return app;
}
