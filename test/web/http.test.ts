import http from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebEnv } from '../../adapters/web/context.ts';
import { Hub } from '../../adapters/web/hub.ts';
import type { WebServer } from '../../adapters/web/server.ts';
import type { WebStore } from '../../adapters/web/store.ts';
import { EventStreams } from '../../adapters/web/stream.ts';
import { silentLogger } from '../../src/conversation/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { client, seed, signIn, startTestServer } from './harness.ts';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function expectSecurityHeaders(headers: Headers, what: string) {
  expect(headers.get('content-security-policy'), what).toBe(CSP);
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  // Plain http: no HSTS.
  expect(headers.get('strict-transport-security'), what).toBeNull();
}

/** A request with a body sent in chunks, without Content-Length (so the limit must count while reading). */
function postChunked(url: string, token: string, chunks: string[]) {
  const target = new URL(url);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describeEachEngine('web chat over HTTP', (db) => {
  let server: WebServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (config = {}) => {
    await seed(db());
    server = await startTestServer(db(), config);
    return server.url;
  };

  it('security headers on pages, static files, the API, errors and event streams', async () => {
    const base = await start({ PULJE_RATE_LIMIT_SIGNIN_ADDRESS: { limit: 1, windowMs: 60_000 } });
    const ali = await signIn(base, 'ali');
    const room = ali.conversations[0]!.id;
    const responses: Array<[string, Response]> = [
      ['page', await fetch(`${base}/`)],
      ['sign-in page', await fetch(`${base}/signin`)],
      ['script', await fetch(`${base}/app.js`)],
      ['health', await fetch(`${base}/healthz`)],
      ['api', await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${ali.token}` } })],
      ['401', await fetch(`${base}/api/me`)],
      ['404', await fetch(`${base}/nothing/here`)],
      ['403 page', await fetch(`${base}/invite/v1.forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, { redirect: 'manual' })],
      [
        '429',
        await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"personId":"ali"}' }),
      ],
    ];
    expect(responses.map(([, r]) => r.status)).toEqual([200, 200, 200, 200, 200, 401, 404, 403, 429]);
    for (const [what, res] of responses) {
      expectSecurityHeaders(res.headers, what);
      await res.body?.cancel();
    }
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/conversations/${room}/events`, {
      headers: { authorization: `Bearer ${ali.token}` },
      signal: controller.signal,
    });
    expectSecurityHeaders(stream.headers, 'event stream');
    controller.abort();
  });

  it('static files keep their content types and cache headers; the API is never cached', async () => {
    const base = await start();
    const expected = [
      ['/', 'text/html; charset=utf-8'],
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/render.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
    ];
    for (const [path, type] of expected) {
      const res = await fetch(base + path!);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect((await res.text()).length, path).toBeGreaterThan(100);
    }
    expect((await client(base).get('/signin')).headers.get('cache-control')).toBe('no-store');
    expect((await client(base).get('/api/me')).headers.get('cache-control')).toBe('no-store');
    // Only the page's own files are served from its folder.
    expect((await client(base).get('/index.html')).status).toBe(404);
    expect((await client(base).get('/../package.json')).status).toBe(404);
  });

  it('a 65 KiB body is refused with 413 whether its length is announced or not', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const path = `/api/conversations/${ali.conversations[0]!.id}/messages`;
    const big = JSON.stringify({ text: 'x'.repeat(65 * 1024) });
    const announced = await ali.api.post(path, big);
    expect(announced.status).toBe(413);
    expect(announced.body).toEqual({ error: { code: 'too_large', message: 'Forespørgslen er for stor.' } });
    expectSecurityHeaders(announced.headers, '413');
    const chunked = await postChunked(base + path, ali.token, [big.slice(0, 40_000), big.slice(40_000)]);
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.code).toBe('too_large');
    // Just under the limit is read (and then refused by the schema, which allows 4000 characters).
    const under = await postChunked(base + path, ali.token, [JSON.stringify({ text: 'x'.repeat(60 * 1024) })]);
    expect(under.status).toBe(400);
  });

  it('path and query params are validated: a malformed room id is 404 before any sign-in check', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const room = ali.conversations[0]!.id;
    for (const id of ['bad!id', 'a%20b', 'x'.repeat(101)]) {
      const signedIn = await ali.api.get(`/api/conversations/${id}/messages`);
      expect(signedIn.status, id).toBe(404);
      expect(signedIn.body).toEqual({ error: { code: 'not_found', message: 'Det findes ikke.' } });
      expect((await client(base).post(`/api/conversations/${id}/messages`, { text: 'hi' })).status, id).toBe(404);
    }
    // A well-formed id of a room that is not yours is also 404; without a session, 401.
    expect((await ali.api.get('/api/conversations/no-such-room/messages')).status).toBe(404);
    expect((await client(base).get(`/api/conversations/${room}/messages`)).status).toBe(401);
    // Query values out of range are clamped or ignored, as they always were.
    await ali.api.post(`/api/conversations/${room}/messages`, { text: 'en' });
    await ali.api.post(`/api/conversations/${room}/messages`, { text: 'to' });
    const read = (query: string) => ali.api.get(`/api/conversations/${room}/messages${query}`);
    expect((await read('?limit=abc')).body.messages).toHaveLength(2);
    expect((await read('?limit=0')).body.messages).toHaveLength(2);
    expect((await read('?limit=-5')).body.messages.map((m: { text: string }) => m.text)).toEqual(['to']);
    expect((await read('?after=x')).body.messages).toHaveLength(2);
    // A malformed invite token names nothing.
    expect((await client(base).get('/invite/not%20a%20token')).status).toBe(404);
    // An unknown method on a room's resource, after the same checks: 405 in the person's language.
    const wrong = await ali.api.delete(`/api/conversations/${room}/commands`);
    expect(wrong.status).toBe(405);
    expect(wrong.body.error).toEqual({ code: 'method_not_allowed', message: 'Det kan man ikke her.' });
  });

  it('event streams: retry hint, then each message with its seq as id; Last-Event-ID replays what came after it', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const room = ali.conversations[0]!.id;
    const first = (await ali.api.post(`/api/conversations/${room}/messages`, { text: 'før' })).body.messages[0];
    await ali.api.post(`/api/conversations/${room}/messages`, { text: 'efter' });

    const controller = new AbortController();
    const res = await fetch(`${base}/api/conversations/${room}/events`, {
      headers: { authorization: `Bearer ${ali.token}`, 'last-event-id': String(first.seq) },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"efter"')) text += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();
    const [hint, replayed] = text.split('\n\n');
    expect(hint).toBe('retry: 2000');
    const lines = replayed!.split('\n');
    expect(lines[0]).toBe('event: message');
    expect(lines).toContain(`id: ${first.seq + 1}`);
    expect(JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6))).toMatchObject({ text: 'efter', seq: first.seq + 1 });
    expect(text).not.toContain('"før"');
  });

  it('close() ends open event streams cleanly and returns', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const res = await fetch(`${base}/api/conversations/${ali.conversations[0]!.id}/events`, {
      headers: { authorization: `Bearer ${ali.token}` },
    });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('retry: 2000\n\n');
    await server!.close();
    server = undefined;
    // The stream ends as a finished response, not a cut connection (which would make read() reject).
    expect((await reader.read()).done).toBe(true);
  });

  it('mount() serves another adapter’s fetch handler on the same port, with the same headers and errors', async () => {
    const base = await start();
    const seen: Array<{ method: string; url: string; body: string; type: string | null }> = [];
    server!.mount('/slack', async (request) => {
      seen.push({ method: request.method, url: request.url, body: await request.text(), type: request.headers.get('content-type') });
      if (new URL(request.url).pathname === '/slack/broken') throw new Error('boom');
      return Response.json({ challenge: 'c1' });
    });
    server!.mount(
      '/dashboard',
      async () => new Response('<p>dashboard</p>', { headers: { 'content-type': 'text/html', 'cache-control': 'private' } }),
    );

    const events = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"url_verification"}',
    });
    expect(events.status).toBe(200);
    expect(await events.json()).toEqual({ challenge: 'c1' });
    expectSecurityHeaders(events.headers, 'mounted');
    expect(seen).toEqual([{ method: 'POST', url: `${base}/slack/events`, body: '{"type":"url_verification"}', type: 'application/json' }]);

    const dashboard = await fetch(`${base}/dashboard`);
    expect(await dashboard.text()).toBe('<p>dashboard</p>');
    expect(dashboard.headers.get('cache-control')).toBe('private');
    expect(dashboard.headers.get('x-frame-options')).toBe('DENY');

    const broken = await client(base).post('/slack/broken', {});
    expect(broken.status).toBe(500);
    expect(broken.body.error.code).toBe('internal');
    // Paths beside a mount are not its business; the chat's own paths cannot be taken.
    expect((await client(base).get('/slackers')).status).toBe(404);
    expect(seen).toHaveLength(2);
    expect(() => server!.mount('/api', async () => new Response())).toThrow(/hide/);
    expect(() => server!.mount('/slack/events', async () => new Response())).toThrow(/overlaps/);
    expect(() => server!.mount('dashboard/', async () => new Response())).toThrow(/prefix/);
    expect((await client(base).get('/healthz')).body).toEqual({ ok: true, database: 'up' });
  });
});

describe('event streams without a socket (Hono app.request)', () => {
  const setup = () => {
    const hub = new Hub();
    const streams = new EventStreams(hub, {} as WebStore, silentLogger);
    const app = new Hono<WebEnv>().get('/events', (c) => streams.respond(c, 'room', 'ali', undefined));
    return { hub, streams, app };
  };

  it('a stream subscribes its person until it is ended, and only their private messages reach them', async () => {
    const { hub, streams, app } = setup();
    const res = await app.request('/events');
    expect(hub.size).toBe(1);
    hub.publish('room', 'message', { text: 'for sara' }, { recipientId: 'sara', id: 1 });
    hub.publish('room', 'message', { text: 'for ali' }, { recipientId: 'ali', id: 2 });
    await streams.closeAll();
    expect(hub.size).toBe(0);
    expect(await res.text()).toBe('retry: 2000\n\nevent: message\ndata: {"text":"for ali"}\nid: 2\n\n');
  });

  it('HEAD answers the headers and opens no stream', async () => {
    const { hub, streams, app } = setup();
    const res = await app.request('/events', { method: 'HEAD' });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(hub.size).toBe(0);
    expect(streams.size).toBe(0);
  });
});
