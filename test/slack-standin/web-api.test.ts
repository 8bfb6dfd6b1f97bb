import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../support/slack/bolt.ts';
import { type SlackStandIn, type SlackStandInOptions, standardWorkspace, startSlackStandIn } from '../support/slack/index.ts';

const { WebClient, WebClientEvent } = webApi;

let slack: SlackStandIn | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function start(options: SlackStandInOptions = {}) {
  slack = await startSlackStandIn({
    workspaces: [standardWorkspace('T0KOMMUNE1', 'Roskilde Unge'), standardWorkspace('T0KOMMUNE2', 'Ballerup Ungeråd')],
    ...options,
  });
  return slack;
}

/** The real WebClient, no retries unless asked: errors surface at once. */
function client(s: SlackStandIn, token: string | undefined, options: ConstructorParameters<typeof WebClient>[1] = {}) {
  return new WebClient(token, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 }, logger: captureLogger(), ...options });
}

async function platformError(p: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; data?: { error: string } };
    if (e.code === 'slack_webapi_platform_error' && e.data) return { error: e.data.error, data: e.data as Record<string, unknown> };
    throw err;
  }
  throw new Error('expected the call to be refused');
}

const ids = (team: string) => {
  const s = team.replace(/^T/, '');
  return {
    ida: `U${s}IDA`,
    kari: `U${s}KARI`,
    gone: `U${s}GONE`,
    general: `C${s}GEN`,
    random: `C${s}RND`,
    raad: `G${s}RAAD`,
    paed: `S${s}PAED`,
  };
};

describe('Slack stand-in Web API with the real @slack/web-api client', () => {
  it('two workspaces, each with its own bot token: auth.test says which team, and one team’s token cannot reach the other’s channels', async () => {
    const s = await start();
    const [a, b] = ['T0KOMMUNE1', 'T0KOMMUNE2'];
    const ca = client(s, s.botTokenFor(a));
    const cb = client(s, s.botTokenFor(b));
    expect(s.botTokenFor(a)).not.toBe(s.botTokenFor(b));
    expect(await ca.auth.test()).toMatchObject({
      ok: true,
      team_id: a,
      team: 'Roskilde Unge',
      user_id: s.workspace(a).botUserId,
      bot_id: s.workspace(a).botId,
    });
    expect(await cb.auth.test()).toMatchObject({ ok: true, team_id: b, user_id: s.workspace(b).botUserId });
    expect((await platformError(ca.chat.postMessage({ channel: ids(b).general, text: 'hej' }))).error).toBe('channel_not_found');
    await cb.chat.postMessage({ channel: ids(b).general, text: 'hej' });
    expect(s.messages(ids(b).general, b).map((m) => m.text)).toEqual(['hej']);
    expect(s.callsTo('chat.postMessage').map((c) => c.teamId)).toEqual([a, b]);
  });

  it('answers not_authed, invalid_auth and token_revoked as Slack does', async () => {
    const s = await start();
    expect((await platformError(client(s, undefined).auth.test())).error).toBe('not_authed');
    expect((await platformError(client(s, 'xoxb-1-2-nope').auth.test())).error).toBe('invalid_auth');
    const token = s.botTokenFor(s.teamId);
    s.revokeToken(token);
    expect((await platformError(client(s, token).auth.test())).error).toBe('token_revoked');
    // An app-level token is not a bot token.
    expect((await platformError(client(s, s.appToken).chat.postMessage({ channel: ids(s.teamId).general, text: 'x' }))).error).toBe(
      'not_allowed_token_type',
    );
  });

  it('where the bot may post: not_in_channel outside its channels, channel_not_found for private channels it is not in and unknown ids', async () => {
    const s = await start({
      workspaces: [
        standardWorkspace('T0KOMMUNE1', 'Roskilde Unge', {
          channels: [
            { id: 'C0KOMMUNE1GEN', name: 'general', members: [] },
            { id: 'C0KOMMUNE1RND', name: 'random', members: [], botIsMember: false },
            { id: 'G0KOMMUNE1HEM', name: 'hemmelig', isPrivate: true, members: [], botIsMember: false },
            { id: 'C0KOMMUNE1ARK', name: 'arkiv', isArchived: true, members: [] },
          ],
        }),
      ],
    });
    const c = client(s, s.botToken);
    expect((await platformError(c.chat.postMessage({ channel: 'C0KOMMUNE1RND', text: 'x' }))).error).toBe('not_in_channel');
    expect((await platformError(c.chat.postMessage({ channel: 'G0KOMMUNE1HEM', text: 'x' }))).error).toBe('channel_not_found');
    expect((await platformError(c.chat.postMessage({ channel: 'C0NOSUCH', text: 'x' }))).error).toBe('channel_not_found');
    expect((await platformError(c.chat.postMessage({ channel: 'C0KOMMUNE1ARK', text: 'x' }))).error).toBe('is_archived');
    await c.chat.postMessage({ channel: '#general', text: 'ved navn' });
    expect(s.messages('C0KOMMUNE1GEN').map((m) => m.text)).toEqual(['ved navn']);
  });

  it('content rules: no_text, msg_too_long past the text limit, invalid_blocks_format for blocks that are not JSON', async () => {
    const s = await start({ rateLimits: { postMessagePerChannel: { limit: 10, windowMs: 1000 } } });
    const c = client(s, s.botToken);
    const channel = ids(s.teamId).general;
    expect((await platformError(c.chat.postMessage({ channel, text: '' }))).error).toBe('no_text');
    await c.chat.postMessage({ channel, text: 'x'.repeat(4000) });
    expect((await platformError(c.chat.postMessage({ channel, text: 'x'.repeat(4001) }))).error).toBe('msg_too_long');
    // Characters, not UTF-16 units: 4000 emoji are 8000 code units and still fit.
    await c.chat.postMessage({ channel, text: '🗳'.repeat(4000) });
    const raw = await fetch(`${s.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${s.botToken}` },
      body: new URLSearchParams({ channel, text: 'x', blocks: '[{"type":' }),
    });
    expect(await raw.json()).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
  });

  it('accepts JSON bodies only with the token in the Authorization header', async () => {
    const s = await start();
    const channel = ids(s.teamId).general;
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${s.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    expect(await post({}, { token: s.botToken, channel, text: 'x' })).toEqual({ ok: false, error: 'not_authed' });
    expect(
      await post({ authorization: `Bearer ${s.botToken}` }, { channel, text: 'med JSON', blocks: [{ type: 'divider' }] }),
    ).toMatchObject({ ok: true });
    expect(s.callsTo('chat.postMessage').map((c) => c.contentType)).toEqual(['json', 'json']);
  });

  it('DMs: conversations.open gives the app’s DM (the same one each time); bots cannot be DMed; unknown and deactivated users are refused', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { ida, gone } = ids(s.teamId);
    const first = await c.conversations.open({ users: ida });
    const again = await c.conversations.open({ users: ida });
    expect(first.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(first.channel?.id);
    await c.chat.postMessage({ channel: first.channel!.id!, text: 'Din stemme er modtaget' });
    expect(s.messages(first.channel!.id!).map((m) => m.text)).toEqual(['Din stemme er modtaget']);
    expect((await platformError(c.conversations.open({ users: s.workspace().botUserId }))).error).toBe('cannot_dm_bot');
    expect((await platformError(c.conversations.open({ users: 'U0NOBODY' }))).error).toBe('user_not_found');
    expect((await platformError(c.conversations.open({ users: gone }))).error).toBe('user_disabled');
  });

  it('users.info gives the display name; usergroups.users.list the staff group; both need their scopes', async () => {
    const s = await start({
      workspaces: [
        standardWorkspace('T0KOMMUNE1', 'Roskilde Unge'),
        { ...standardWorkspace('T0KOMMUNE2', 'Ballerup'), scopes: ['chat:write'] },
      ],
    });
    const c = client(s, s.botTokenFor('T0KOMMUNE1'));
    const { kari, paed } = ids('T0KOMMUNE1');
    expect((await c.users.info({ user: kari })).user).toMatchObject({
      id: kari,
      profile: { display_name: 'Kari (pædagog)' },
      is_admin: false,
    });
    expect((await platformError(c.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    expect((await c.usergroups.users.list({ usergroup: paed })).users).toEqual([kari]);
    expect((await platformError(c.usergroups.users.list({ usergroup: 'S0NOSUCH' }))).error).toBe('no_such_subteam');
    const narrow = client(s, s.botTokenFor('T0KOMMUNE2'));
    const refused = await platformError(narrow.users.info({ user: ids('T0KOMMUNE2').kari }));
    expect(refused).toMatchObject({ error: 'missing_scope', data: { needed: 'users:read', provided: 'chat:write' } });
  });

  it('chat.update and chat.delete work on the app’s own messages only', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { general, ida } = ids(s.teamId);
    const posted = await c.chat.postMessage({ channel: general, text: 'Afstemning åben' });
    await c.chat.update({ channel: general, ts: posted.ts!, text: 'Afstemning lukket' });
    expect(s.messages(general)[0]).toMatchObject({
      text: 'Afstemning lukket',
      edits: [expect.objectContaining({ text: 'Afstemning åben' })],
    });
    await s.userPosts({ channelId: general, userId: ida, text: 'min besked', deliver: false });
    const mine = s.messages(general).find((m) => m.user === ida)!;
    expect((await platformError(c.chat.update({ channel: general, ts: mine.ts, text: 'x' }))).error).toBe('cant_update_message');
    expect((await platformError(c.chat.delete({ channel: general, ts: mine.ts }))).error).toBe('cant_delete_message');
    expect((await platformError(c.chat.update({ channel: general, ts: '1.000001', text: 'x' }))).error).toBe('message_not_found');
    await c.chat.delete({ channel: general, ts: posted.ts! });
    expect(s.messages(general)[0]?.deleted).toBe(true);
  });

  it('threads: a reply needs an existing parent message', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { general } = ids(s.teamId);
    const parent = await c.chat.postMessage({ channel: general, text: 'Forslag #1: Nye bænke' });
    await c.chat.postMessage({ channel: general, thread_ts: parent.ts!, text: 'Diskussion her' });
    expect(s.messages(general).map((m) => [m.text, m.threadTs])).toEqual([
      ['Forslag #1: Nye bænke', undefined],
      ['Diskussion her', parent.ts],
    ]);
    expect((await platformError(c.chat.postMessage({ channel: general, thread_ts: '1700000000.000001', text: 'x' }))).error).toBe(
      'thread_not_found',
    );
  });

  it('chat.getPermalink: the documented forms, a thread reply’s with thread_ts and cid; unknown messages and channels refused', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { general, ida } = ids(s.teamId);
    const parent = await c.chat.postMessage({ channel: general, text: 'Forslag #1: Nye bænke' });
    await s.userPosts({ channelId: general, userId: ida, text: 'Gode bænke', threadTs: parent.ts!, deliver: false });
    const reply = s.messages(general).find((m) => m.user === ida)!;
    const top = await c.chat.getPermalink({ channel: general, message_ts: parent.ts! });
    expect(top).toMatchObject({ ok: true, channel: general });
    expect(top.permalink).toBe(`https://roskilde-unge.slack.com/archives/${general}/p${parent.ts!.replace('.', '')}`);
    expect((await c.chat.getPermalink({ channel: general, message_ts: reply.ts })).permalink).toBe(
      `https://roskilde-unge.slack.com/archives/${general}/p${reply.ts.replace('.', '')}?thread_ts=${parent.ts}&cid=${general}`,
    );
    expect((await platformError(c.chat.getPermalink({ channel: general, message_ts: '1.000001' }))).error).toBe('message_not_found');
    expect((await platformError(c.chat.getPermalink({ channel: 'C0NOSUCH', message_ts: parent.ts! }))).error).toBe('channel_not_found');
  });

  it('chat.postEphemeral: to a channel member only', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { general, raad, kari, ida } = ids(s.teamId);
    const r = await c.chat.postEphemeral({ channel: general, user: ida, text: 'Kun til dig' });
    expect(s.messages(general).find((m) => m.ts === r.message_ts)).toMatchObject({ ephemeralFor: ida, text: 'Kun til dig' });
    // Admin is not in #ungeraad.
    const admin = `U${s.teamId.slice(1)}ADM`;
    expect((await platformError(c.chat.postEphemeral({ channel: raad, user: admin, text: 'x' }))).error).toBe('user_not_in_channel');
    await c.chat.postEphemeral({ channel: raad, user: kari, text: 'ok' });
  });

  it('records user-typed mention syntax that reaches Slack unescaped, and link_names', async () => {
    const s = await start();
    const c = client(s, s.botToken);
    const { general, ida } = ids(s.teamId);
    await s.userPosts({ channelId: general, userId: ida, text: 'Nyt forslag <!channel> kom og stem', deliver: false });
    await c.chat.postMessage({ channel: general, text: 'Forslag: Nyt forslag &lt;!channel&gt; kom og stem' });
    expect(s.violations).toEqual([]);
    await c.chat.postMessage({
      channel: general,
      text: 'x',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Forslag: Nyt forslag <!channel> kom og stem' } }],
    });
    await c.chat.postMessage({ channel: general, text: 'y', link_names: true });
    expect(s.takeViolations().map((v) => v.kind)).toEqual(['mention-injection', 'link-names']);
  });
});

describe('Slack stand-in rate limits (HTTP 429 with Retry-After)', () => {
  it('a method over its limit answers 429; the real WebClient waits Retry-After and retries to success', async () => {
    const s = await start({ rateLimits: { methods: { 'chat.update': { limit: 1, windowMs: 1000 } } } });
    const c = new WebClient(s.botToken, { slackApiUrl: s.apiUrl, logger: captureLogger() });
    const limited: number[] = [];
    c.on(WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
    const { general } = ids(s.teamId);
    const posted = await c.chat.postMessage({ channel: general, text: 'v1' });
    await c.chat.update({ channel: general, ts: posted.ts!, text: 'v2' });
    await c.chat.update({ channel: general, ts: posted.ts!, text: 'v3' });
    expect(s.callsTo('chat.update').map((x) => x.status)).toEqual([200, 429, 200]);
    expect(s.callsTo('chat.update')[1]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(limited).toEqual([1]);
    expect(s.messages(general)[0]?.text).toBe('v3');
  });

  it('enforces each tier’s documented floor per workspace: users.info (Tier 4) refuses the 101st call in a minute, in that workspace only', async () => {
    const s = await start();
    const c = client(s, s.botTokenFor('T0KOMMUNE1'), { rejectRateLimitedCalls: true });
    const user = ids('T0KOMMUNE1').ida;
    for (let i = 0; i < 100; i++) await c.users.info({ user });
    const err = await c.users.info({ user }).then(
      () => undefined,
      (e: { code: string; retryAfter: number }) => e,
    );
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(err?.retryAfter).toBeGreaterThanOrEqual(1);
    expect(err?.retryAfter).toBeLessThanOrEqual(60);
    const other = client(s, s.botTokenFor('T0KOMMUNE2'), { rejectRateLimitedCalls: true });
    await other.users.info({ user: ids('T0KOMMUNE2').ida });
  });

  it('chat.postMessage: a burst per channel, then 429 for that channel while another channel still takes posts', async () => {
    const s = await start();
    const c = client(s, s.botToken, { rejectRateLimitedCalls: true });
    const { general, raad } = ids(s.teamId);
    for (let i = 0; i < 3; i++) await c.chat.postMessage({ channel: general, text: `burst ${i}` });
    await expect(c.chat.postMessage({ channel: general, text: 'one too many' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
    });
    await c.chat.postMessage({ channel: raad, text: 'other channel' });
  });

  it('a scripted 429 is answered once, as told', async () => {
    const s = await start();
    s.failNext('auth.test', { retryAfterSeconds: 7 });
    const c = client(s, s.botToken, { rejectRateLimitedCalls: true });
    await expect(c.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect((await c.auth.test()).ok).toBe(true);
  });
});

describe('Slack stand-in OAuth (oauth.v2.access)', () => {
  it('exchanges an authorization code once for a bot token of that workspace; wrong client credentials, redirect or reuse are refused', async () => {
    const s = await start({
      workspaces: [standardWorkspace('T0KOMMUNE1', 'Roskilde'), standardWorkspace('T0KOMMUNE3', 'Køge', { installed: false })],
    });
    expect(() => s.botTokenFor('T0KOMMUNE3')).toThrow(/not installed/);
    const noToken = client(s, undefined);
    const redirectUri = 'https://pulje.example/slack/oauth_redirect';
    const { code } = s.oauthAuthorize({ teamId: 'T0KOMMUNE3', redirectUri });
    expect(
      (await platformError(noToken.oauth.v2.access({ client_id: 'nope', client_secret: s.clientSecret, code, redirect_uri: redirectUri })))
        .error,
    ).toBe('invalid_client_id');
    expect(
      (await platformError(noToken.oauth.v2.access({ client_id: s.clientId, client_secret: 'nope', code, redirect_uri: redirectUri })))
        .error,
    ).toBe('bad_client_secret');
    expect(
      (
        await platformError(
          noToken.oauth.v2.access({ client_id: s.clientId, client_secret: s.clientSecret, code, redirect_uri: 'https://evil.example/' }),
        )
      ).error,
    ).toBe('bad_redirect_uri');
    const granted = await noToken.oauth.v2.access({
      client_id: s.clientId,
      client_secret: s.clientSecret,
      code,
      redirect_uri: redirectUri,
    });
    expect(granted).toMatchObject({
      ok: true,
      token_type: 'bot',
      team: { id: 'T0KOMMUNE3', name: 'Køge' },
      bot_user_id: s.workspace('T0KOMMUNE3').botUserId,
    });
    expect(granted.access_token).toBe(s.botTokenFor('T0KOMMUNE3'));
    expect((await client(s, granted.access_token).auth.test()).team_id).toBe('T0KOMMUNE3');
    expect(
      (
        await platformError(
          noToken.oauth.v2.access({ client_id: s.clientId, client_secret: s.clientSecret, code, redirect_uri: redirectUri }),
        )
      ).error,
    ).toBe('invalid_code');
  });
});
