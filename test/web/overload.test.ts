import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { boundInFlight, SATURATED_CONTINUING, watchLoad } from '../../adapters/web/overload.ts';
import type { WebServer } from '../../adapters/web/server.ts';
import type { WebEnv } from '../../adapters/web/context.ts';
import { reply, type Router } from '../../src/conversation/index.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine, ENGINES_UNDER_TEST } from '../support/databases.ts';
import { startPulje } from '../support/process.ts';
import { client, seed, signIn, startTestServer } from './harness.ts';

// Honest answers under pressure: a repeat is a duplicate, a request being answered elsewhere is "in progress",
// more than the server takes at once is refused at once, and a database that is gone is said to be gone.

/** A `/slow` command that stays in flight until released: `inside` resolves once it is being answered. */
function slowCommand() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const register = (router: Router) =>
    router.command({
      name: 'slow',
      description: 'command.help.description',
      async handler() {
        entered();
        await gate;
        return reply.private('done');
      },
    });
  return { register, inside, release };
}

describeEachEngine('web chat under pressure', (db) => {
  let server: WebServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a typed command keyed by its answer that fails is tried again on retry, not answered as a duplicate', async () => {
    await seed(db());
    let calls = 0;
    const register = (router: Router) =>
      router.command({
        name: 'flaky',
        description: 'command.help.description',
        claim: 'with-change',
        async handler() {
          calls++;
          if (calls === 1) throw new Error('the first try breaks');
          return reply.private('done');
        },
      });
    server = await startTestServer(db(), {}, register);
    const ali = await signIn(server.url, 'ali');
    const room = ali.conversations.find((c) => c.groupId === 'g1')!.id;
    const send = () => ali.api.post(`/api/conversations/${room}/messages`, { text: '/flaky', idempotencyKey: 'k-flaky' });
    const failed = await send();
    expect(failed.body.messages.map((m: any) => m.author)).toEqual(['member', 'pulje']);
    // The failure is not the key's answer: the retry runs, and then a repeat of that is the duplicate.
    const retried = await send();
    expect([retried.body.duplicate, calls, retried.body.messages.map((m: any) => m.author)]).toEqual([false, 2, ['member', 'pulje']]);
    // A repeat runs the handler (it changes nothing) but stores nothing: each try's command and answer once.
    expect((await send()).body).toEqual({ duplicate: true, messages: [], forms: [] });
    const stored = await db().prisma.webMessage.findMany({ where: { conversationId: room }, orderBy: { seq: 'asc' } });
    expect(stored.map((m) => m.author)).toEqual(['member', 'pulje', 'member', 'pulje']);
  });

  it('a request whose key is being handled elsewhere gets 409 in_progress with Retry-After, in the person’s language', async () => {
    await seed(db());
    server = await startTestServer(db());
    const ali = await signIn(server.url, 'ali');
    const room = ali.conversations.find((c) => c.groupId === 'g1')!.id;
    // Another process has claimed this very request and is still at it.
    expect(await createPulje({ db: db() }).events.claim('web:ali:k-busy')).toBe('claimed');
    const res = await ali.api.post(`/api/conversations/${room}/messages`, { text: '/help', idempotencyKey: 'k-busy' });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.body.error).toEqual({ code: 'in_progress', message: 'Det, du sendte, er ved at blive klaret. Prøv igen om et øjeblik.' });
  });

  it('beyond the requests it answers at once, a request is refused at once with 503 and Retry-After, not queued', async () => {
    await seed(db());
    const { register, inside, release } = slowCommand();
    server = await startTestServer(db(), { PULJE_MAX_INFLIGHT: 1 }, register);
    const ali = await signIn(server.url, 'ali');
    const room = ali.conversations.find((c) => c.groupId === 'g1')!.id;
    const first = ali.api.post(`/api/conversations/${room}/messages`, { text: '/slow' });
    await inside;
    const second = await ali.api.post(`/api/conversations/${room}/messages`, { text: '/help' });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.body.error).toEqual({ code: 'overloaded', message: 'Der er meget travlt lige nu. Prøv igen om et øjeblik.' });
    release();
    expect((await first).status).toBe(200);
    // Once there is room again, requests are answered.
    expect((await ali.api.post(`/api/conversations/${room}/messages`, { text: '/help' })).status).toBe(200);
  });

  it('while the process is saturated and answering others, new requests are refused at once with 503 and Retry-After', async () => {
    await seed(db());
    let utilization = 0.95;
    const { register, inside, release } = slowCommand();
    server = await startTestServer(db(), { PULJE_MAX_LOOP_UTILIZATION: 0.9 }, register, {
      load: { utilization: () => utilization, stop() {} },
    });
    // Alone, a request is answered however busy the loop is: nobody is queued behind anybody.
    const ali = await signIn(server.url, 'ali');
    const room = ali.conversations.find((c) => c.groupId === 'g1')!.id;
    const slow = ali.api.post(`/api/conversations/${room}/messages`, { text: '/slow' });
    await inside;
    const before = await db().prisma.webMessage.count();
    const refused = await ali.api.post(`/api/conversations/${room}/messages`, { text: 'hej' });
    expect([refused.status, refused.headers.get('retry-after'), refused.body.error?.code]).toEqual([503, '1', 'overloaded']);
    expect(refused.body.error.message).toBe('Der er meget travlt lige nu. Prøv igen om et øjeblik.');
    expect(await db().prisma.webMessage.count()).toBe(before);
    // Health and figures are still answered: a load balancer can see why.
    expect((await client(server.url).get('/metrics')).body).toMatchObject({ loopUtilization: 0.95, refusedOverloaded: 1, inFlight: 1 });
    utilization = 0.6;
    expect((await ali.api.post(`/api/conversations/${room}/messages`, { text: 'hej' })).status).toBe(200);
    release();
    expect((await slow).status).toBe(200);
  });
});

/** The statuses of `n` requests to a saturated server whose work is synchronous, all read in one turn of its loop. */
async function answersInOneTurn(n: number, continues?: (path: string) => boolean): Promise<number[]> {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    c.set('locale', 'da');
    await next();
  });
  app.use(
    '*',
    boundInFlight(32, {
      load: { utilization: () => 1 },
      maxUtilization: 0.9,
      ...(continues ? { continues: (c) => continues(c.req.path) } : {}),
    }),
  );
  // Answered without ever waiting, as a request is whose every query is synchronous.
  app.get('/:what', (c) => c.text('ok'));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    // Accepted by the server before anything is sent, so all are read in one turn of its loop.
    let accepted = 0;
    const allAccepted = new Promise<void>((resolve) => server.on('connection', () => ++accepted === n && resolve()));
    const sockets = await Promise.all(
      Array.from({ length: n }, async () => {
        const socket = connect(port, '127.0.0.1');
        await once(socket, 'connect');
        return socket;
      }),
    );
    const answers = sockets.map(async (socket, i) => {
      let text = '';
      socket.on('data', (d) => (text += d));
      await once(socket, 'end');
      return [i, Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1])] as const;
    });
    await allAccepted;
    // All are written before the server reads any (this process's loop is held until they are in).
    for (const [i, socket] of sockets.entries())
      socket.end(`GET /${i % 2 ? 'press' : 'new'} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const until = performance.now() + 100;
    while (performance.now() < until);
    return (await Promise.all(answers)).sort((a, b) => a[0] - b[0]).map(([, status]) => status);
  } finally {
    server.close();
  }
}

describe('the in-flight bound with synchronous work (SQLite: every query is synchronous)', () => {
  it('requests that arrive together while saturated are in flight together: all but the first are refused', async () => {
    expect((await answersInOneTurn(3)).sort()).toEqual([200, 503, 503]);
  });

  it(`while saturated, requests that continue started work still join others, up to ${SATURATED_CONTINUING} at once; new ones do not`, async () => {
    // Odd ones are presses (they continue a ballot), even ones new work; 2 × SATURATED_CONTINUING + 2 in one turn.
    const n = 2 * SATURATED_CONTINUING + 2;
    const statuses = await answersInOneTurn(n, (path) => path === '/press');
    const presses = statuses.filter((_, i) => i % 2 === 1);
    const fresh = statuses.filter((_, i) => i % 2 === 0);
    // At most one new request is let in, and only while it is alone; presses fill the rest of the room.
    expect(fresh.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(presses.filter((s) => s === 200).length).toBe(SATURATED_CONTINUING - fresh.filter((s) => s === 200).length);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  });
});

describe("the event loop's utilization (what saturated means)", () => {
  it('is near 1 for a window in which the process was busy throughout, and falls back when it idles', async () => {
    const load = watchLoad(100);
    try {
      // Busy on purpose: half a second of work that never yields, as a flood of requests would keep it.
      const end = performance.now() + 500;
      while (performance.now() < end);
      await vi.waitFor(() => expect(load.utilization()).toBeGreaterThan(0.8), { interval: 5, timeout: 2000 });
      await vi.waitFor(() => expect(load.utilization()).toBeLessThan(0.3), { interval: 5, timeout: 2000 });
    } finally {
      load.stop();
    }
  });
});

if (ENGINES_UNDER_TEST.includes('postgresql')) {
  describe('web chat when the database goes away [postgresql]', () => {
    it('answers 503 database_unavailable (not 500) and /healthz 503, and recovers when it is back', async () => {
      const base = new URL(process.env.TEST_DATABASE_URL!);
      const name = `pulje_outage_${process.pid}`;
      const admin = new pg.Client({ connectionString: base.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(base);
      url.pathname = `/${name}`;
      const pulje = await startPulje({ DATABASE_URL: url.toString(), PULJE_DEMO: 'true' });
      try {
        expect((await client(pulje.url).get('/healthz')).status).toBe(200);
        const people = (await client(pulje.url).get('/api/demo/people')).body.people as Array<{ id: string }>;
        const me = await signIn(pulje.url, people[0]!.id);
        const room = me.conversations[0]!.id;
        // The database stops taking connections and drops the ones it has.
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        const down = await me.api.post(`/api/conversations/${room}/messages`, { text: '/help' });
        expect(pulje.running(), pulje.stderr()).toBe(true);
        expect(down.status).toBe(503);
        expect(down.body.error.code).toBe('database_unavailable');
        expect(down.headers.get('retry-after')).toBe('5');
        expect((await client(pulje.url).get('/healthz')).status).toBe(503);
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        expect((await client(pulje.url).get('/healthz')).body).toEqual({ ok: true, database: 'up' });
        expect((await me.api.post(`/api/conversations/${room}/messages`, { text: '/help' })).status).toBe(200);
      } finally {
        await pulje.stop();
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
  });
}
