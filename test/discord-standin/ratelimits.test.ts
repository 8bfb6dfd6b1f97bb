import { REST, type RateLimitData, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect, raw } from './fixtures.ts';
import { nextInteraction } from '../support/discord/client.ts';
import { makeGuild, makeTextChannel, makeUser, type DiscordStandIn } from '../support/discord/index.ts';

const post = (discord: DiscordStandIn, channelId: string, content: string) =>
  raw(discord, 'POST', `/channels/${channelId}/messages`, { content, allowed_mentions: { parse: [] } });

describe('Discord stand-in: rate limits (topics/rate-limits)', () => {
  it('every routed response carries X-RateLimit-Limit, -Remaining, -Reset, -Reset-After and -Bucket', async () => {
    const { discord } = await connect();
    const before = Date.now() / 1000;
    const first = await raw(discord, 'GET', '/gateway/bot');
    const second = await raw(discord, 'GET', '/gateway/bot');
    const missing = await raw(discord, 'GET', `/channels/${discord.defaultChannelId}/messages/1`);
    for (const r of [first, second, missing]) {
      for (const h of ['limit', 'remaining', 'reset', 'reset-after', 'bucket']) expect(r.headers.get(`x-ratelimit-${h}`)).toBeTruthy();
      expect(r.headers.get('x-ratelimit-scope')).toBeNull();
    }
    expect(missing.status).toBe(404);
    // The login made the first GET /gateway/bot of this window.
    expect(Number(first.headers.get('x-ratelimit-remaining')) - Number(second.headers.get('x-ratelimit-remaining'))).toBe(1);
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(before);
    expect(Number(first.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(1);
  });

  it('a per-channel bucket answers 429 with retry_after when exceeded; another channel has its own bucket', async () => {
    const other = makeTextChannel({ name: 'andet' });
    const guild = makeGuild({ channels: [makeTextChannel({ name: 'generelt' }), other] });
    const { discord } = await connect({ guilds: [guild], rateLimits: { buckets: { 'message-create': { limit: 2, windowMs: 400 } } } });
    const a = discord.defaultChannelId;
    const results = [await post(discord, a, 'en'), await post(discord, a, 'to'), await post(discord, a, 'tre')];
    expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(results.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['1', '0', '0']);
    const refused = results[2]!;
    expect(refused.body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(refused.body?.retry_after).toBeGreaterThan(0);
    expect(refused.body?.retry_after).toBeLessThanOrEqual(0.4);
    expect(refused.headers.get('retry-after')).toBe(String(refused.body?.retry_after));
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused.headers.get('x-ratelimit-global')).toBeNull();
    expect(discord.messages(a).map((m) => m.content)).toEqual(['en', 'to']);

    // Same bucket (same X-RateLimit-Bucket), different major parameter: counted apart.
    const elsewhere = await post(discord, other.id, 'andet sted');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('x-ratelimit-bucket')).toBe(results[0]!.headers.get('x-ratelimit-bucket'));
    expect(elsewhere.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(discord.throttles).toEqual([
      expect.objectContaining({ bucket: 'message-create', major: a, scope: 'user', global: false, scripted: false }),
    ]);
  });

  it('discord.js reads the headers and spaces its requests: no 429, never more than the limit in a window', async () => {
    const { discord, client } = await connect({ rateLimits: { buckets: { 'message-create': { limit: 2, windowMs: 200 } } } });
    const waited: RateLimitData[] = [];
    client.rest.on('rateLimited', (d) => waited.push(d));
    const channel = client.channels.cache.get(discord.defaultChannelId);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    await Promise.all(['1', '2', '3', '4', '5'].map((n) => channel.send(n)));
    expect(discord.messages(discord.defaultChannelId)).toHaveLength(5);
    expect(discord.throttles).toEqual([]);
    expect(waited.length).toBeGreaterThan(0);
    const posts = (r: { method: string; template?: string }) => r.method === 'POST' && r.template === '/channels/{channel_id}/messages';
    expect(discord.peakRequests(posts, 200)).toBeLessThanOrEqual(2);
  });

  it('two processes on one token share the buckets: the stand-in answers 429, discord.js waits it out, nothing is lost or doubled', async () => {
    const { discord, client } = await connect({ rateLimits: { buckets: { 'message-create': { limit: 2, windowMs: 300 } } } });
    // A second process: its own REST manager, so it does not know what the first one has used.
    const second = new REST({ api: discord.apiBase }).setToken(discord.token);
    const route = Routes.channelMessages(discord.defaultChannelId);
    const body = (content: string) => ({ body: { content, allowed_mentions: { parse: [] } } });
    await Promise.all([
      ...['a1', 'a2', 'a3'].map((c) => client.rest.post(route, body(c))),
      ...['b1', 'b2', 'b3'].map((c) => second.post(route, body(c))),
    ]);
    expect(
      discord
        .messages(discord.defaultChannelId)
        .map((m) => m.content)
        .sort(),
    ).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    expect(discord.throttles.length).toBeGreaterThan(0);
    expect(discord.throttles.every((t) => t.bucket === 'message-create' && !t.scripted)).toBe(true);
    const accepted = (r: { method: string; template?: string; status: number }) =>
      r.method === 'POST' && r.template === '/channels/{channel_id}/messages' && r.status === 200;
    expect(discord.peakRequests(accepted, 300)).toBeLessThanOrEqual(2);
  });

  it('the global limit: 429 with global: true and X-RateLimit-Global; interaction endpoints are not bound to it', async () => {
    const { discord, client } = await connect({ rateLimits: { global: { limit: 3, windowMs: 60_000 } } });
    // Log-in used one (GET /gateway/bot).
    const a = await raw(discord, 'GET', `/channels/${discord.defaultChannelId}`);
    const b = await raw(discord, 'GET', `/guilds/${discord.defaultGuild.id}`);
    const c = await raw(discord, 'GET', '/users/@me');
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect(c.body).toMatchObject({ message: 'You are being rate limited.', global: true });
    expect(c.headers.get('x-ratelimit-global')).toBe('true');
    expect(c.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(50);

    // The interaction callback and its webhook still work while the bot is globally limited.
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = await arrives;
    if (!i.isChatInputCommand()) throw new Error('expected a slash command');
    await i.deferReply();
    await i.editReply({ content: 'Klar' });
    expect(discord.interaction(rec.id).original?.content).toBe('Klar');
    expect(discord.throttles).toEqual([expect.objectContaining({ bucket: 'global', scope: 'global', global: true })]);
  });

  it('DMs: opening DM channels and posting into them are limited across recipients; a burst is held back and retried', async () => {
    const people = ['a', 'b', 'c', 'd'].map((n) => makeUser({ username: `modtager-${n}` }));
    const { discord, client } = await connect({
      users: people,
      rateLimits: { buckets: { 'dm-open': { limit: 2, windowMs: 300 }, 'dm-send': { limit: 2, windowMs: 300 } } },
    });
    // Every DM goes to its own channel (its own major parameter), so discord.js sends them all at once.
    await Promise.all(people.map(async (p) => (await client.users.fetch(p.id)).send(`Hej ${p.username}`)));
    for (const p of people) expect(discord.dmsTo(p.id).map((m) => m.content)).toEqual([`Hej ${p.username}`]);
    const buckets = new Set(discord.throttles.map((t) => t.bucket));
    expect(buckets.has('dm-open') || buckets.has('dm-send')).toBe(true);
    const accepted = (template: string) => (r: { method: string; template?: string; status: number; path: string }) =>
      r.method === 'POST' && r.template === template && r.status === 200;
    expect(discord.peakRequests(accepted('/users/@me/channels'), 300)).toBeLessThanOrEqual(2);
    expect(
      discord.peakRequests(
        (r) =>
          accepted('/channels/{channel_id}/messages')(r) && [...discord.store.dmChannelByUser.values()].some((id) => r.path.includes(id)),
        300,
      ),
    ).toBeLessThanOrEqual(2);
  });

  it('a scripted 429 carries the route bucket headers and is recorded as scripted', async () => {
    const { discord } = await connect();
    discord.rateLimitNext('POST /channels/{channel_id}/messages', { retryAfter: 0.25 });
    const r = await post(discord, discord.defaultChannelId, 'hej');
    expect(r.status).toBe(429);
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r.headers.get('x-ratelimit-reset-after')).toBe('0.250');
    expect(r.headers.get('retry-after')).toBe('0.25');
    expect(discord.throttles).toEqual([expect.objectContaining({ scripted: true, bucket: 'message-create', retryAfter: 0.25 })]);
    expect((await post(discord, discord.defaultChannelId, 'hej')).status).toBe(200);
  });

  it('limits can be changed while running (setRateLimit)', async () => {
    const discord = (await connect()).discord;
    discord.setRateLimit('route', { limit: 1, windowMs: 60_000 });
    expect((await raw(discord, 'GET', '/users/@me')).status).toBe(200);
    expect((await raw(discord, 'GET', '/users/@me')).status).toBe(429);
    // Another route has its own bucket of the same kind.
    expect((await raw(discord, 'GET', '/applications/@me')).status).toBe(200);
    discord.setRateLimit('route', { limit: 50, windowMs: 1000 });
    expect((await raw(discord, 'GET', '/users/@me')).status).toBe(200);
    expect(discord.throttles.map((t) => t.path)).toEqual(['/users/@me']);
  });
});
