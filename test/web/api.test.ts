import { once } from 'node:events';
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import type { WebServer } from '../../adapters/web/server.ts';
import { describeEachEngine } from '../support/databases.ts';
import { client, readEvents, SECRET, seed, signIn, startTestServer } from './harness.ts';

describeEachEngine('web chat API', (db) => {
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

  it('closes promptly although a client keeps an idle connection open (keep-alive)', async () => {
    const url = new URL(await start());
    const agent = new http.Agent({ keepAlive: true });
    const idle = once(agent, 'free');
    const status = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: url.hostname, port: url.port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject),
    );
    expect(status).toBe(200);
    await idle;
    // The idle socket stays open on the client side; closing must not wait for it to go away by itself.
    await server!.close();
    server = undefined;
    agent.destroy();
  });

  it('serves health, the page with strict headers, and refuses the API without a session', async () => {
    const base = await start();
    expect((await client(base).get('/healthz')).body).toEqual({ ok: true, database: 'up' });
    const page = await client(base).get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toContain('data-testid="composer-input"');
    const me = await client(base).get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body).toEqual({ error: { code: 'unauthorized', message: 'Du er ikke logget ind.' } });
    expect((await client(base, 'v1.forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').get('/api/me')).status).toBe(401);
    expect((await client(base).get('/api/nothing')).status).toBe(404);
  });

  it('demo sign-in: a page to pick a person, escaped, and a signed HttpOnly SameSite=Lax cookie', async () => {
    const base = await start();
    const page = await client(base).get('/signin');
    expect(page.body).toContain('Fortsæt som Ali &lt;b&gt;x&lt;/b&gt;');
    expect(page.body).not.toContain('<b>x</b>');
    const res = await fetch(`${base}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'personId=ali',
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    // The same attributes as ever, in whatever order Hono's cookie helper writes them.
    const [pair, ...attributes] = cookie.split('; ');
    expect(pair).toMatch(/^pulje_session=v1\.[^;]+$/);
    expect(attributes.map((a) => a.replace(/^Max-Age=\d+$/, 'Max-Age=<seconds>')).sort()).toEqual([
      'HttpOnly',
      'Max-Age=<seconds>',
      'Path=/',
      'SameSite=Lax',
    ]);
    const me = await client(base).get('/api/me', { cookie: cookie.split(';')[0]! });
    expect(me.body.person).toEqual({ id: 'ali', displayName: 'Ali <b>x</b>', locale: null });
    expect(me.body.conversations.map((c: { groupName: string }) => c.groupName)).toEqual(['Klubben <Syd>']);
    expect(me.body.texts.send).toBe('Send');
    const listed = await client(base).get('/api/demo/people');
    expect(listed.body.people.map((p: { id: string }) => p.id)).toContain('ali');
  });

  it('with a secret and demo off: no picking people; staff issue invites that sign in and expire', async () => {
    const base = await start({ PULJE_DEMO: false, PULJE_SECRET: SECRET });
    expect((await client(base).post('/api/session', { personId: 'ali' })).status).toBe(403);
    expect((await client(base).get('/signin')).body).not.toContain('data-testid="demo-person"');
    expect((await client(base).get('/api/demo/people')).status).toBe(404);

    const mettesLink = server!.inviteUrl('mette', 'g1');
    const accept = await fetch(mettesLink.url, { redirect: 'manual' });
    expect(accept.status).toBe(303);
    expect(accept.headers.get('location')).toMatch(/^\/#c=/);
    const mette = client(base, (await client(base).post('/api/session', { invite: mettesLink.url.split('/invite/')[1] })).body.token);

    const issued = await mette.post('/api/invites', { personId: 'ali', groupId: 'g1', ttlHours: 2 });
    expect(issued.status).toBe(201);
    const token = (issued.body.url as string).split('/invite/')[1]!;
    const ali = await client(base).post('/api/session', { invite: token });
    expect(ali.status).toBe(200);
    expect(ali.body.person.id).toBe('ali');

    // Youth cannot issue invites; nobody can invite into a group they do not run, or someone not in it.
    const aliApi = client(base, ali.body.token);
    expect((await aliApi.post('/api/invites', { personId: 'sara', groupId: 'g1' })).status).toBe(403);
    expect((await mette.post('/api/invites', { personId: 'other', groupId: 'g2' })).status).toBe(403);
    expect((await mette.post('/api/invites', { personId: 'stranger', groupId: 'g1' })).status).toBe(404);

    // A tampered or expired link signs in nobody.
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await fetch(`${base}/invite/${tampered}`, { redirect: 'manual' })).status).toBe(403);
    const expired = server!.inviteUrl('ali', 'g1', -1000);
    expect((await fetch(expired.url, { redirect: 'manual' })).status).toBe(403);
  });

  it('public messages reach the group; commands and their private answers only their person', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const sara = await signIn(base, 'sara');
    const room = ali.conversations[0]!.id;
    expect(sara.conversations[0]!.id).toBe(room);

    const said = await ali.api.post(`/api/conversations/${room}/messages`, { text: 'hej <alle>' });
    expect(said.body.messages).toMatchObject([{ author: 'member', text: 'hej <alle>', private: false, authorName: 'Ali <b>x</b>' }]);
    const help = await ali.api.post(`/api/conversations/${room}/messages`, { text: '/help' });
    expect(help.body.messages.map((m: { private: boolean }) => m.private)).toEqual([true, true]);
    expect(help.body.messages[1].body.cards[0].title).toBe('Det kan jeg hjælpe med');

    const seenBySara = (await sara.api.get(`/api/conversations/${room}/messages`)).body.messages;
    expect(seenBySara.map((m: { text?: string }) => m.text)).toEqual(['hej <alle>']);
    const seenByAli = (await ali.api.get(`/api/conversations/${room}/messages`)).body.messages;
    expect(seenByAli).toHaveLength(3);
    const after = (await ali.api.get(`/api/conversations/${room}/messages?after=${seenByAli[0].seq}`)).body.messages;
    expect(after).toHaveLength(2);

    // Another group's member, and a stranger, cannot read the room at all.
    const other = await signIn(base, 'other');
    expect((await other.api.get(`/api/conversations/${room}/messages`)).status).toBe(404);
    const stranger = await signIn(base, 'stranger');
    expect(stranger.conversations).toEqual([]);
    expect((await stranger.api.post(`/api/conversations/${room}/messages`, { text: 'hi' })).status).toBe(404);
  });

  it('buttons update the message they sit on, once per idempotency key; only shown controls can be pressed', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const sara = await signIn(base, 'sara');
    const room = ali.conversations[0]!.id;
    const poll = (await ali.api.post(`/api/conversations/${room}/messages`, { text: '/poll' })).body.messages[1];
    expect(poll.private).toBe(false);
    const [buttons, select] = poll.body.cards[0].rows;
    const yesId = buttons.buttons[0].id;
    expect(yesId).toBe('poll:yes');

    for (const values of [['z'], ['a', 'b'], []]) {
      const bad = await sara.api.post(`/api/conversations/${room}/actions`, { messageId: poll.id, actionId: select.select.id, values });
      expect(bad.body.error?.code, JSON.stringify(values)).toBe('unknown_control');
    }
    const picked = await sara.api.post(`/api/conversations/${room}/actions`, {
      messageId: poll.id,
      actionId: select.select.id,
      values: ['b'],
    });
    expect(picked.body.messages).toMatchObject([{ private: true, body: { text: [{ text: 'valgt b' }] } }]);

    const press = { messageId: poll.id, actionId: yesId, idempotencyKey: 'press-1' };
    const first = await sara.api.post(`/api/conversations/${room}/actions`, press);
    expect(first.body.duplicate).toBe(false);
    expect(first.body.messages[0]).toMatchObject({ id: poll.id, body: { cards: [{ title: 'Ja: 1' }] } });
    expect(first.body.messages[0].editedAt).not.toBeNull();
    const again = await sara.api.post(`/api/conversations/${room}/actions`, press);
    expect(again.body).toMatchObject({ duplicate: true, messages: [] });
    // The same key from another person is that person's own event.
    expect((await ali.api.post(`/api/conversations/${room}/actions`, press)).body.messages[0].body.cards[0].title).toBe('Ja: 2');

    // The poll was replaced by a card without the select: its id is no longer on the message.
    const stale = await sara.api.post(`/api/conversations/${room}/actions`, {
      messageId: poll.id,
      actionId: select.select.id,
      values: ['b'],
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe('unknown_control');
    const offList = await sara.api.post(`/api/conversations/${room}/actions`, { messageId: poll.id, actionId: yesId, values: ['x'] });
    expect(offList.body.error.code).toBe('unknown_control');
    const forged = await sara.api.post(`/api/conversations/${room}/actions`, { messageId: poll.id, actionId: 'poll:steal' });
    expect(forged.body.error.code).toBe('unknown_control');
  });

  it('forms open from a command, refuse bad input inside the form, and post publicly', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const mette = await signIn(base, 'mette');
    const room = ali.conversations[0]!.id;
    const opened = await ali.api.post(`/api/conversations/${room}/messages`, { text: '/idea' });
    expect(opened.body.forms).toEqual([
      { id: 'idea:save', title: 'Ny idé', inputs: [{ name: 'title', label: 'Titel', kind: 'short', required: true, maxLength: 4000 }] },
    ]);
    const empty = await ali.api.post(`/api/conversations/${room}/forms`, { formId: 'idea:save', fields: { title: '' } });
    // Refused input stays in the form: no chat message, the words for the whole form and per input.
    expect(empty.body).toEqual({
      duplicate: false,
      messages: [],
      forms: [],
      formError: { message: 'Det kunne jeg ikke bruge: titel mangler', fields: { title: 'Titel mangler' } },
    });
    const saved = await ali.api.post(`/api/conversations/${room}/forms`, { formId: 'idea:save', fields: { title: 'Skaterampe' } });
    expect(saved.body.messages[0]).toMatchObject({ private: false, body: { text: [{ text: 'Ali <b>x</b>: Skaterampe' }] } });
    // Staff do not get the youth-only command.
    const staffHelp = (await mette.api.get(`/api/conversations/${room}/commands`)).body.commands.map((c: { name: string }) => c.name);
    expect(staffHelp).toEqual(['help', 'poll']);
    const denied = await mette.api.post(`/api/conversations/${room}/messages`, { text: '/idea' });
    expect(denied.body.messages[1].body.text[0].text).toBe('Det er kun unge, der kan gøre det.');
  });

  it('streams new messages live, private ones only to their person, and replays what was missed', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const sara = await signIn(base, 'sara');
    const room = ali.conversations[0]!.id;
    const stream = await readEvents(`${base}/api/conversations/${room}/events`, sara.token, (es) =>
      es.some((e) => e.data.text === 'efter'),
    );
    await ali.api.post(`/api/conversations/${room}/messages`, { text: 'før' });
    await ali.api.post(`/api/conversations/${room}/messages`, { text: '/help' });
    await ali.api.post(`/api/conversations/${room}/messages`, { text: 'efter' });
    const events = await stream.done;
    expect(events.map((e) => e.data.text)).toEqual(['før', 'efter']);
    expect(events[0]!.id).toBe(String(events[0]!.data.seq));

    const replay = await readEvents(`${base}/api/conversations/${room}/events?after=0`, ali.token, (es) => es.length >= 4);
    const replayed = await replay.done;
    expect(replayed.map((e) => e.data.author)).toEqual(['member', 'member', 'pulje', 'member']);
  });

  it('validates bodies and answers errors as JSON with the right status', async () => {
    const base = await start();
    const ali = await signIn(base, 'ali');
    const room = ali.conversations[0]!.id;
    const path = `/api/conversations/${room}/messages`;
    const wrongType = await ali.api.post(path, 'text=hi', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const empty = await ali.api.post(path, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'bad_request' });
    expect((await ali.api.post(path, '{not json')).status).toBe(400);
    expect((await ali.api.post(path, { text: 'x', extra: 1 })).status).toBe(400);
    expect((await ali.api.post(path, { text: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await ali.api.delete(path)).status).toBe(405);
  });
});
