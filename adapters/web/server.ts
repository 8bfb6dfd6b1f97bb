import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { type Logger, type Router, silentLogger } from '../../src/conversation/index.ts';
import { LOCALES } from '../../src/i18n/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { createApp } from './app.ts';
import { createSigner, INVITE_TTL_MS, inviteToken } from './auth.ts';
import type { WebConfig, WebDeps } from './context.ts';
import { Hub } from './hub.ts';
import { DEFAULT_LISTEN_SOCKETS, type Listening, listen, reusePortSupported } from './listen.ts';
import { type MountedHandler, Mounts } from './mounts.ts';
import { type LoadSignal, watchLoad } from './overload.ts';
import { createRateLimits } from './rate-limit.ts';
import { webStore } from './store.ts';
import { EventStreams } from './stream.ts';

export type { WebConfig } from './context.ts';
export type { MountedHandler } from './mounts.ts';

export interface WebServerOptions {
  config: WebConfig;
  router: Router;
  pulje: Pulje;
  logger?: Logger;
  /** Figures for GET /metrics (JSON): process and database counters the composition root can read. */
  metrics?: () => Record<string, unknown>;
  /** Overrides config.PORT (tests pass 0 for any free port). */
  port?: number;
  /** The live-update hub, when the composition root shares it (Pulje's own notices push through it too). */
  hub?: Hub;
  /** How busy the process is; by default the event loop's utilization (tests pass a signal they control). */
  load?: LoadSignal;
}

export interface WebServer {
  /** Where it listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** A signed sign-in link for a person and group (for staff tools and the CLI). */
  inviteUrl(personId: string, groupId: string, ttlMs?: number): { url: string; expiresAt: Date };
  /**
   * Serves another adapter's fetch-style handler on this server and port for `prefix` and everything below it
   * (`/slack` → POST /slack/events; `/dashboard`). The handler gets the request as it came; the answer gets the
   * web chat's security headers. Throws if the prefix would hide the chat's own paths or another mount.
   */
  mount(prefix: string, handler: MountedHandler): void;
  /** Ends open event streams, lets requests being answered finish (at most 5 s), then stops listening. */
  close(): Promise<void>;
}

/**
 * The built-in web chat on Hono and @hono/node-server: static page, JSON API, Server-Sent Events. Starts
 * listening and returns; nothing runs at import time. Every request is answered by the same code the browser
 * uses, so any flow can be scripted.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const { config, router, pulje } = opts;
  const log = opts.logger ?? silentLogger;
  const demo = config.PULJE_DEMO || !config.PULJE_SECRET;
  // Without PULJE_SECRET (local demo mode) sessions are signed with a key kept in the database: they survive a
  // restart, and every instance on the same database accepts them.
  const signer = createSigner(config.PULJE_SECRET ?? (await pulje.setup.signingKey()));
  const store = webStore(pulje);
  const hub = opts.hub ?? new Hub();
  hub.connect(
    pulje.live,
    (conversationId, messageId) => store.relayed(conversationId, messageId),
    (error) => log.warn({ err: error }, 'web: a live update from another process could not be loaded'),
  );
  let baseUrl = '';
  let listenedOn: Listening | undefined;
  const load = opts.load ?? watchLoad();
  const deps: WebDeps = {
    config,
    router,
    pulje,
    log,
    store,
    hub,
    signer,
    streams: new EventStreams(hub, store, log),
    limits: createRateLimits(config),
    defaultLocale: config.PULJE_LOCALE,
    demo,
    load,
    metrics: () => {
      // Where the memory is (V8's heap, buffers outside it): the bench reports it at the peak.
      const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
      return {
        rssBytes: rss,
        memory: { heapTotal, heapUsed, external, arrayBuffers },
        // New connections each listening socket accepted (see listen.ts).
        acceptedBySocket: listenedOn?.accepted() ?? [],
        ...(opts.metrics?.() ?? {}),
      };
    },
    secureCookies: config.PULJE_PUBLIC_URL?.startsWith('https:') ?? false,
    issueInvite(personId, groupId, ttlMs = INVITE_TTL_MS) {
      const { token, expiresAt } = inviteToken(signer, personId, groupId, ttlMs);
      const origin = config.PULJE_PUBLIC_URL?.replace(/\/$/, '') ?? baseUrl;
      return { url: `${origin}/invite/${token}`, expiresAt };
    },
  };
  const mounts = new Mounts();
  const app = createApp(deps, mounts);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Reject header floods and slow-loris clients; SSE streams are long-lived by design, so no request timeout.
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;

  let sockets = config.PULJE_LISTEN_SOCKETS ?? (reusePortSupported() ? DEFAULT_LISTEN_SOCKETS : 1);
  if (sockets > 1 && !reusePortSupported()) {
    log.warn(
      { sockets, node: process.versions.node },
      'web chat: PULJE_LISTEN_SOCKETS needs Node.js 22.12 or later on Linux (reusePort); listening on one socket',
    );
    sockets = 1;
  }
  const listening = await listen(server, opts.port ?? config.PORT, config.HOST, sockets, (error) =>
    log.error({ err: error }, 'web chat: a listening socket failed'),
  );
  listenedOn = listening;
  const { address } = listening;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  log.info({ url: baseUrl, demo, locales: LOCALES }, 'web chat listening');
  if (demo && config.PULJE_PUBLIC_URL) {
    // Demo sign-in lets anyone be anyone: fine on a laptop, never on a public address.
    log.warn(
      { publicUrl: config.PULJE_PUBLIC_URL },
      'web chat: demo sign-in is on while PULJE_PUBLIC_URL is set; set PULJE_DEMO=false and PULJE_SECRET',
    );
  }

  return {
    url: baseUrl,
    inviteUrl: deps.issueInvite,
    mount: (prefix, handler) => mounts.add(prefix, handler),
    async close() {
      // Open event streams and idle keep-alive connections would keep the server from closing. Streams are
      // ended first, then idle connections closed; requests still being answered get a few seconds, then
      // whatever is left is cut.
      if (!opts.load) load.stop();
      // No new connections from the other sockets on the port while this one drains; the connections they
      // accepted are the server's to answer, but theirs to count, so both closes are waited for.
      const othersClosed = listening.stopAccepting();
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      const closed = Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), othersClosed]);
      server.closeIdleConnections();
      await deps.streams.closeAll();
      server.closeIdleConnections();
      await closed;
      clearTimeout(grace);
      deps.limits.close();
      hub.disconnect();
    },
  };
}
