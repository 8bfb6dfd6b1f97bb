import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from 'hono-rate-limiter';
import { addressKey } from '../../adapters/web/rate-limit.ts';
import type { WebServer } from '../../adapters/web/server.ts';
import { describeEachEngine } from '../support/databases.ts';
import { client, SECRET, seed, signIn, startTestServer } from './harness.ts';

const minute = (limit: number) => ({ limit, windowMs: 60_000 });
const off = {
  PULJE_RATE_LIMIT_SIGNIN_PERSON: null,
  PULJE_RATE_LIMIT_SIGNIN_ADDRESS: null,
  PULJE_RATE_LIMIT_INVITES_PERSON: null,
  PULJE_RATE_LIMIT_INVITES_ADDRESS: null,
  PULJE_RATE_LIMIT_MESSAGES_PERSON: null,
  PULJE_RATE_LIMIT_MESSAGES_ADDRESS: null,
};

/** A JSON POST from a chosen loopback address (Linux routes all of 127.0.0.0/8 to this machine). */
function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  const target = new URL(url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function expectLimited(res: { status: number; headers: Headers | http.IncomingHttpHeaders; body: any }, message: RegExp) {
  expect(res.status).toBe(429);
  const retryAfter = res.headers instanceof Headers ? res.headers.get('retry-after') : res.headers['retry-after'];
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  expect(res.body.error.code).toBe('rate_limited');
  expect(res.body.error.message).toMatch(message);
  expect(res.body.error.message).toContain(String(retryAfter));
}

describeEachEngine('web chat rate limits', (db) => {
  let server: WebServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (config = {}) => {
    await seed(db());
    server = await startTestServer(db(), { ...off, ...config });
    return server.url;
  };

  it('messages, presses and forms share one bucket per person; another person has their own; answers in their language', async () => {
    const base = await start({ PULJE_RATE_LIMIT_MESSAGES_PERSON: minute(3) });
    const ali = await signIn(base, 'ali');
    const sara = await signIn(base, 'sara');
    const room = ali.conversations[0]!.id;
    const poll = (await ali.api.post(`/api/conversations/${room}/messages`, { text: '/poll' })).body.messages[1];
    expect((await ali.api.post(`/api/conversations/${room}/actions`, { messageId: poll.id, actionId: 'poll:yes' })).status).toBe(200);
    expect((await ali.api.post(`/api/conversations/${room}/forms`, { formId: 'idea:save', fields: { title: 'x' } })).status).toBe(200);
    const limited = await ali.api.post(`/api/conversations/${room}/messages`, { text: 'en til' });
    expectLimited(limited, /^Det går lidt for hurtigt\. Prøv igen om \d+ sekund(er)?\.$/);
    // Nothing was stored for the refused message.
    const seen = (await sara.api.get(`/api/conversations/${room}/messages`)).body.messages.map((m: { text?: string }) => m.text);
    expect(seen).not.toContain('en til');

    // Sara is not held back by Ali's bucket; reading is not limited at all.
    expect((await sara.api.post(`/api/conversations/${room}/messages`, { text: 'hej' })).status).toBe(200);
    expect((await ali.api.get(`/api/conversations/${room}/messages`)).status).toBe(200);

    // A member of an English group hears it in English.
    const other = await signIn(base, 'other');
    const theirs = other.conversations[0]!.id;
    for (let i = 0; i < 3; i++)
      expect((await other.api.post(`/api/conversations/${theirs}/messages`, { text: `hi ${i}` })).status).toBe(200);
    expectLimited(
      await other.api.post(`/api/conversations/${theirs}/messages`, { text: 'hi' }),
      /^That was a bit too fast\. Try again in \d+ seconds?\.$/,
    );
  });

  it('per address counts everyone behind one address, separately from other addresses and from the person limit', async () => {
    const base = await start({ PULJE_RATE_LIMIT_MESSAGES_ADDRESS: minute(3), PULJE_RATE_LIMIT_MESSAGES_PERSON: minute(100) });
    const ali = await signIn(base, 'ali');
    const sara = await signIn(base, 'sara');
    const room = ali.conversations[0]!.id;
    const path = `${base}/api/conversations/${room}/messages`;
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await postFrom('127.0.0.1', path, { text: '1' }, as(ali.token))).status).toBe(200);
    expect((await postFrom('127.0.0.1', path, { text: '2' }, as(sara.token))).status).toBe(200);
    expect((await postFrom('127.0.0.1', path, { text: '3' }, as(ali.token))).status).toBe(200);
    // Sara's own bucket is nearly full, but the club's address is spent.
    expectLimited(await postFrom('127.0.0.1', path, { text: '4' }, as(sara.token)), /^Det går lidt for hurtigt/);
    // The same people from another address are fine.
    expect((await postFrom('127.0.0.2', path, { text: '5' }, as(sara.token))).status).toBe(200);
  });

  it('behind a trusted proxy the client is the last X-Forwarded-For entry; otherwise the header is ignored', async () => {
    const base = await start({ PULJE_RATE_LIMIT_SIGNIN_ADDRESS: minute(1), PULJE_TRUST_PROXY: true });
    const signin = (forwardedFor: string) => client(base).post('/api/session', { personId: 'ali' }, { 'x-forwarded-for': forwardedFor });
    expect((await signin('203.0.113.9, 198.51.100.1')).status).toBe(200);
    // A client cannot escape by putting something in front: the proxy's own entry is last.
    expectLimited(await signin('192.0.2.77, 198.51.100.1'), /^Det går lidt for hurtigt/);
    expect((await signin('198.51.100.2')).status).toBe(200);

    await server!.close();
    server = await startTestServer(db(), { ...off, PULJE_RATE_LIMIT_SIGNIN_ADDRESS: minute(1) });
    const untrusted = (forwardedFor: string) =>
      client(server!.url).post('/api/session', { personId: 'ali' }, { 'x-forwarded-for': forwardedFor });
    expect((await untrusted('198.51.100.1')).status).toBe(200);
    expect((await untrusted('198.51.100.2')).status).toBe(429);
  });

  it('sign-in is limited per address and per person signing in, in the server language before anyone is signed in', async () => {
    const base = await start({ PULJE_LOCALE: 'en', PULJE_RATE_LIMIT_SIGNIN_PERSON: minute(2), PULJE_RATE_LIMIT_SIGNIN_ADDRESS: minute(5) });
    const session = (personId: string) => client(base).post('/api/session', { personId });
    expect((await session('ali')).status).toBe(200);
    expect((await session('ali')).status).toBe(200);
    expectLimited(await session('ali'), /^That was a bit too fast\. Try again in \d+ seconds?\.$/);
    // The demo form counts for the same person.
    const form = await fetch(`${base}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'personId=ali',
    });
    expect(form.status).toBe(429);
    expect(form.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await session('sara')).status).toBe(200);
    // Five sign-ins from this address in the window; the sixth is refused whoever it is for.
    expectLimited(await session('mette'), /^That was a bit too fast/);
  });

  it('outside demo mode, naming someone does not use up their sign-ins; only their genuine invite does', async () => {
    const base = await start({ PULJE_DEMO: false, PULJE_SECRET: SECRET, PULJE_RATE_LIMIT_SIGNIN_PERSON: minute(1) });
    for (let i = 0; i < 3; i++) expect((await client(base).post('/api/session', { personId: 'mette' })).status).toBe(403);
    const invite = server!.inviteUrl('mette', 'g1').url.split('/invite/')[1];
    expect((await client(base).post('/api/session', { invite })).status).toBe(200);
    expectLimited(await client(base).post('/api/session', { invite }), /^Det går lidt for hurtigt/);
  });

  it('invites: issuing is limited per staff member, accepting per invited person', async () => {
    const base = await start({ PULJE_DEMO: false, PULJE_SECRET: SECRET, PULJE_RATE_LIMIT_INVITES_PERSON: minute(2) });
    const mettesLink = server!.inviteUrl('mette', 'g1');
    const token = (await client(base).post('/api/session', { invite: mettesLink.url.split('/invite/')[1] })).body.token;
    const mette = client(base, token);
    expect((await mette.post('/api/invites', { personId: 'ali', groupId: 'g1' })).status).toBe(201);
    expect((await mette.post('/api/invites', { personId: 'sara', groupId: 'g1' })).status).toBe(201);
    expectLimited(await mette.post('/api/invites', { personId: 'sara', groupId: 'g1' }), /^Det går lidt for hurtigt/);

    const alisLink = server!.inviteUrl('ali', 'g1').url;
    expect((await fetch(alisLink, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(alisLink, { redirect: 'manual' })).status).toBe(303);
    const third = await fetch(alisLink, { redirect: 'manual' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Sara's link is hers: Ali's opening his twice does not hold her back.
    expect((await fetch(server!.inviteUrl('sara', 'g1').url, { redirect: 'manual' })).status).toBe(303);
  });

  it('the documented defaults apply when nothing is set: ten sign-ins a minute per person', async () => {
    await seed(db());
    server = await startTestServer(db());
    for (let i = 0; i < 10; i++) expect((await client(server.url).post('/api/session', { personId: 'ali' })).status).toBe(200);
    expectLimited(await client(server.url).post('/api/session', { personId: 'ali' }), /^Det går lidt for hurtigt/);
    expect((await client(server.url).post('/api/session', { personId: 'sara' })).status).toBe(200);
  });
});

describe('rate-limit keys and memory', () => {
  it('counts IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('the store forgets a key that was idle for a whole window, so memory is bounded by recent keys', () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryStore();
      store.init({ windowMs: 1000 } as never);
      store.increment('a');
      vi.advanceTimersByTime(1000);
      store.increment('b');
      expect(store.get('a')).toBeDefined();
      vi.advanceTimersByTime(1000);
      expect(store.get('a')).toBeUndefined();
      expect(store.get('b')).toBeDefined();
      store.shutdown();
    } finally {
      vi.useRealTimers();
    }
  });
});
