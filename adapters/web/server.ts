import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../src/config/env.ts';
import { ROOT } from '../../src/core/paths.ts';
import { silentLogger, splitSlashCommand, type InboundEventInput, type Logger, type Router, serve } from '../../src/conversation/index.ts';
import { PuljeError } from '../../src/core/errors.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { isMessageKey, LOCALES, t, type Locale, type MessageKey } from '../../src/i18n/index.ts';
import {
  clearedCookie,
  createSigner,
  ephemeralSecret,
  INVITE_TTL_MS,
  inviteToken,
  parseCookies,
  SESSION_COOKIE,
  sessionCookie,
  sessionToken,
  type Signer,
} from './auth.ts';
import { Hub } from './hub.ts';
import { HttpError, readForm, readJson, SECURITY_HEADERS, sendError, sendJson } from './http.ts';
import { messagePage, signinPage } from './pages.ts';
import { allowedChoice, shownControls, webStore } from './store.ts';
import { WebSurface } from './surface.ts';
import { webText, WEB_TEXTS } from './texts.ts';

export type WebConfig = Pick<Config, 'HOST' | 'PORT' | 'PULJE_DEMO' | 'PULJE_LOCALE'> &
  Partial<Pick<Config, 'PULJE_SECRET' | 'PULJE_PUBLIC_URL'>>;

export interface WebServerOptions {
  config: WebConfig;
  router: Router;
  pulje: Pulje;
  logger?: Logger;
  /** Figures for GET /metrics (JSON): process and database counters the composition root can read. */
  metrics?: () => Record<string, number | null>;
  /** Overrides config.PORT (tests pass 0 for any free port). */
  port?: number;
  /** The live-update hub, when the composition root shares it (Pulje's own notices push through it too). */
  hub?: Hub;
}

export interface WebServer {
  /** Where it listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** A signed sign-in link for a person and group (for staff tools and the CLI). */
  inviteUrl(personId: string, groupId: string, ttlMs?: number): { url: string; expiresAt: Date };
  close(): Promise<void>;
}

const PUBLIC_DIR = path.join(ROOT, 'adapters/web/public');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/render.js': { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const idempotencyKey = z.string().min(1).max(100).optional();
const sendSchema = z.object({ text: z.string().trim().min(1).max(4000), idempotencyKey }).strict();
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
const sessionSchema = z.union([
  z.object({ personId: z.string().min(1).max(100) }).strict(),
  z.object({ invite: z.string().min(1).max(3000) }).strict(),
]);
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

/** UI texts for the browser: the web chat's catalog in one language, as written, keys without `web.`. */
function uiTexts(locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(WEB_TEXTS[locale]).map(([key, text]) => [key.slice(4), text]));
}

/**
 * The built-in web chat: static page, JSON API, Server-Sent Events. Starts listening and returns; nothing runs at
 * import time. Every request is answered by the same code the browser uses, so any flow can be scripted.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const { config, router, pulje } = opts;
  const log = opts.logger ?? silentLogger;
  const defaultLocale = config.PULJE_LOCALE;
  const demo = config.PULJE_DEMO || !config.PULJE_SECRET;
  const signer: Signer = createSigner(config.PULJE_SECRET ?? ephemeralSecret());
  const secureCookies = config.PULJE_PUBLIC_URL?.startsWith('https:') ?? false;
  const store = webStore(pulje);
  const hub = opts.hub ?? new Hub();
  const files = new Map(
    Object.entries(STATIC).map(([route, f]) => [route, { body: readFileSync(path.join(PUBLIC_DIR, f.file)), type: f.type }]),
  );
  const streams = new Set<ServerResponse>();
  let baseUrl = '';

  const badRequest = (locale: Locale) => (issues: z.core.$ZodIssue[]) =>
    webText(locale, 'web.error.bad_request', {
      details: issues.length
        ? issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
            .join('; ')
        : 'JSON',
    });

  /** The signed-in person from the bearer token or the session cookie. */
  async function who(req: IncomingMessage) {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const payload = token ? signer.verify(token) : undefined;
    if (!payload || payload.kind !== 'session') return undefined;
    return (await store.person(payload.sub)) ?? undefined;
  }

  async function requirePerson(req: IncomingMessage) {
    const person = await who(req);
    if (!person) throw new HttpError(401, 'unauthorized', webText(defaultLocale, 'web.error.unauthorized'));
    return person;
  }

  function startSession(personId: string) {
    const { token, expiresAt } = sessionToken(signer, personId);
    return { token, expiresAt, cookie: sessionCookie(token, expiresAt, secureCookies) };
  }

  /** Turns an invite into the person it names, if the link is genuine, unexpired and they are still a member. */
  async function acceptInvite(token: string) {
    const payload = signer.verify(token);
    if (!payload || payload.kind !== 'invite') return undefined;
    return (await store.isMember(payload.sub, payload.grp)) ? { personId: payload.sub, groupId: payload.grp } : undefined;
  }

  /** Runs the event through the one delivery path; returns what the requester may see, and any forms to open. */
  async function handleEvent(
    room: { id: string; groupId: string },
    person: { id: string; displayName: string; locale: Locale | null },
    event: InboundEventInput,
    sourceId?: string,
  ) {
    const surface = new WebSurface(store, hub, room, person.id, sourceId);
    const served = await serve(router, surface, event, { fallbackLocale: person.locale ?? defaultLocale, log });
    return { duplicate: served.duplicate, messages: surface.shown, forms: surface.forms };
  }

  function eventBase(person: { id: string; displayName: string }, groupId: string, key: string | undefined) {
    return {
      // Keys are per person, so one member's key can never block another's event.
      idempotencyKey: `${person.id}:${key ?? randomUUID()}`,
      actor: { platform: 'web' as const, externalId: person.id, displayName: person.displayName, roles: [] },
      conversation: { platform: 'web' as const, channelId: groupId },
    };
  }

  async function room(req: IncomingMessage, conversationId: string) {
    const person = await requirePerson(req);
    const conversation = await store.conversationFor(person.id, conversationId);
    if (!conversation) throw new HttpError(404, 'not_found', webText(person.locale ?? defaultLocale, 'web.error.not_found'));
    return { person, conversation, locale: person.locale ?? conversation.locale };
  }

  function openStream(req: IncomingMessage, res: ServerResponse, conversationId: string, personId: string, after: number | undefined) {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const send = (event: string, data: unknown, id?: number) => {
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = hub.subscribe(conversationId, { personId, send });
    streams.add(res);
    // Replay what was missed while disconnected; subscribing first means nothing falls between the two.
    if (after !== undefined) {
      void store.messages(conversationId, personId, { after, limit: 500 }).then((ms) => ms.forEach((m) => send('message', m, m.seq)));
    }
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    const end = () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const p = url.pathname;

    if (p === '/healthz') return sendJson(res, 200, { ok: true });
    if (p === '/metrics' && method === 'GET') {
      return sendJson(res, 200, { rssBytes: process.memoryUsage.rss(), ...(opts.metrics?.() ?? {}) });
    }

    const file = method === 'GET' ? files.get(p) : undefined;
    if (file) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type, 'cache-control': 'no-cache' });
      res.end(file.body);
      return;
    }

    if (p === '/signin' && method === 'GET') {
      const people = demo ? await store.demoPeople() : [];
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(signinPage(defaultLocale, { demo, people }));
      return;
    }
    if (p === '/signin' && method === 'POST') {
      const personId = (await readForm(req)).get('personId') ?? '';
      if (!demo || !(await store.person(personId))) throw new HttpError(403, 'forbidden', webText(defaultLocale, 'web.signin.invite_only'));
      const session = startSession(personId);
      res.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': session.cookie }).end();
      return;
    }
    const invite = /^\/invite\/([A-Za-z0-9._-]{1,3000})$/.exec(p);
    if (invite && method === 'GET') {
      const accepted = await acceptInvite(invite[1]!);
      if (!accepted) {
        res.writeHead(403, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
        res.end(messagePage(defaultLocale, webText(defaultLocale, 'web.signin.title'), webText(defaultLocale, 'web.invite.invalid')));
        return;
      }
      const session = startSession(accepted.personId);
      const rooms = await store.conversations(accepted.personId);
      const target = rooms.find((r) => r.groupId === accepted.groupId);
      res.writeHead(303, { ...SECURITY_HEADERS, location: target ? `/#c=${target.id}` : '/', 'set-cookie': session.cookie }).end();
      return;
    }

    if (!p.startsWith('/api/')) throw new HttpError(404, 'not_found', webText(defaultLocale, 'web.error.not_found'));

    if (p === '/api/session' && method === 'POST') {
      const body = await readJson(req, sessionSchema, badRequest(defaultLocale));
      let personId: string | undefined;
      if ('invite' in body) personId = (await acceptInvite(body.invite))?.personId;
      else if (demo && (await store.person(body.personId))) personId = body.personId;
      if (!personId)
        throw new HttpError(403, 'forbidden', webText(defaultLocale, 'invite' in body ? 'web.invite.invalid' : 'web.signin.invite_only'));
      const session = startSession(personId);
      return sendJson(
        res,
        200,
        { token: session.token, expiresAt: session.expiresAt.toISOString(), person: await store.person(personId) },
        { 'set-cookie': session.cookie },
      );
    }
    if (p === '/api/demo/people' && method === 'GET') {
      // The sign-in picker as JSON, so scripts can sign in as a demo person; absent outside demo mode.
      if (!demo) throw new HttpError(404, 'not_found', webText(defaultLocale, 'web.error.not_found'));
      return sendJson(res, 200, { people: await store.demoPeople() });
    }
    if (p === '/api/session' && method === 'DELETE') {
      return sendJson(res, 200, { ok: true }, { 'set-cookie': clearedCookie(secureCookies) });
    }
    if (p === '/api/me' && method === 'GET') {
      const person = await requirePerson(req);
      const locale = person.locale ?? defaultLocale;
      return sendJson(res, 200, { person, demo, locale, texts: uiTexts(locale), conversations: await store.conversations(person.id) });
    }
    if (p === '/api/conversations' && method === 'GET') {
      const person = await requirePerson(req);
      return sendJson(res, 200, { conversations: await store.conversations(person.id) });
    }
    if (p === '/api/invites' && method === 'POST') {
      const person = await requirePerson(req);
      const locale = person.locale ?? defaultLocale;
      const body = await readJson(req, inviteSchema, badRequest(locale));
      try {
        await pulje.webChat.authorizeInvite({ personId: person.id }, body);
      } catch (error) {
        if (!(error instanceof PuljeError)) throw error;
        throw new HttpError(
          error.code === 'not_member' ? 404 : 403,
          error.code === 'not_member' ? 'not_found' : 'forbidden',
          error.localize(locale),
        );
      }
      const link = issueInvite(body.personId, body.groupId, body.ttlHours ? body.ttlHours * 3600_000 : INVITE_TTL_MS);
      log.info({ by: person.id, personId: body.personId, groupId: body.groupId }, 'web: invite issued');
      return sendJson(res, 201, { url: link.url, expiresAt: link.expiresAt.toISOString() });
    }

    const m = /^\/api\/conversations\/([A-Za-z0-9_-]{1,100})\/(messages|actions|forms|commands|events)$/.exec(p);
    if (!m) throw new HttpError(404, 'not_found', webText(defaultLocale, 'web.error.not_found'));
    const [, conversationId, what] = m as unknown as [string, string, string];
    const { person, conversation, locale } = await room(req, conversationId);
    const base = (key: string | undefined) => eventBase(person, conversation.groupId, key);

    if (what === 'messages' && method === 'GET') {
      const after = url.searchParams.get('after');
      const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 100) || 100, 1), 500);
      const afterN = after !== null && /^\d+$/.test(after) ? Number(after) : undefined;
      return sendJson(res, 200, {
        messages: await store.messages(conversationId, person.id, afterN !== undefined ? { after: afterN, limit } : { limit }),
      });
    }
    if (what === 'messages' && method === 'POST') {
      const body = await readJson(req, sendSchema, badRequest(locale));
      const command = splitSlashCommand(body.text);
      // A command is between the member and Pulje (like a slash command): only its answer may be public.
      const echo = await store.addMember(
        conversationId,
        { id: person.id, name: person.displayName },
        body.text,
        command ? person.id : null,
      );
      hub.publish(conversationId, 'message', echo.view, { recipientId: echo.recipientId, id: echo.view.seq });
      const event: InboundEventInput = command
        ? { ...base(body.idempotencyKey), kind: 'command', name: command.name, text: command.text }
        : { ...base(body.idempotencyKey), kind: 'message', text: body.text };
      const out = await handleEvent(conversation, person, event);
      return sendJson(res, 200, { ...out, messages: [echo.view, ...out.messages] });
    }
    if (what === 'actions' && method === 'POST') {
      const body = await readJson(req, actionSchema, badRequest(locale));
      const source = await store.message(conversationId, body.messageId, person.id);
      // Only controls Pulje actually showed this person, on that message, can be used, and only as offered.
      const control = source?.body ? shownControls(source.body).get(body.actionId) : undefined;
      if (!source || !control || !allowedChoice(control, body.values)) {
        throw new HttpError(400, 'unknown_control', t(locale, 'error.invalid_input', { details: t(locale, 'conversation.bad_control') }));
      }
      const event: InboundEventInput = {
        ...base(body.idempotencyKey),
        kind: 'action',
        actionId: body.actionId,
        values: body.values,
        source: { platform: 'web', channelId: conversation.groupId, messageId: source.id },
      };
      return sendJson(res, 200, await handleEvent(conversation, person, event, source.id));
    }
    if (what === 'forms' && method === 'POST') {
      const body = await readJson(req, formSchema, badRequest(locale));
      const source = body.messageId ? await store.message(conversationId, body.messageId, person.id) : undefined;
      const event: InboundEventInput = {
        ...base(body.idempotencyKey),
        kind: 'form',
        formId: body.formId,
        fields: body.fields,
        ...(source ? { source: { platform: 'web' as const, channelId: conversation.groupId, messageId: source.id } } : {}),
      };
      return sendJson(res, 200, await handleEvent(conversation, person, event, source?.id));
    }
    if (what === 'commands' && method === 'GET') {
      return sendJson(res, 200, { commands: router.describeCommands(locale, conversation.role) });
    }
    if (what === 'events' && method === 'GET') {
      const after = req.headers['last-event-id'] ?? url.searchParams.get('after') ?? undefined;
      const afterN = typeof after === 'string' && /^\d+$/.test(after) ? Number(after) : undefined;
      openStream(req, res, conversationId, person.id, afterN);
      return;
    }
    throw new HttpError(405, 'method_not_allowed', `${method} ${p}`);
  }

  function issueInvite(personId: string, groupId: string, ttlMs = INVITE_TTL_MS) {
    const { token, expiresAt } = inviteToken(signer, personId, groupId, ttlMs);
    const origin = config.PULJE_PUBLIC_URL?.replace(/\/$/, '') ?? baseUrl;
    return { url: `${origin}/invite/${token}`, expiresAt };
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return sendError(res, error);
      log.error({ err: error, url: req.url?.replace(/\/invite\/.*/, '/invite/…') }, 'web: request failed');
      sendError(res, new HttpError(500, 'internal', t(defaultLocale, 'error.internal')));
    });
  });
  // Reject header floods and slow-loris clients; SSE streams are long-lived by design, so no request timeout.
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.PORT, config.HOST, () => resolve());
  });
  const address = server.address() as AddressInfo;
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
    inviteUrl: issueInvite,
    async close() {
      // Open event streams and idle keep-alive connections would keep the server from closing; requests being
      // answered finish first (at most a few seconds), then whatever is left is cut.
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(grace);
    },
  };
}
