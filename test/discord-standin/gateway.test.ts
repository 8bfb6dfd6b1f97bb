import { once } from 'node:events';
import { Events, GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures.ts';
import { gatewayBarrier, loginReady, nextInteraction, standInClient } from '../support/discord/client.ts';
import { ManualClock, makeGuild, makeMember, makeRole, makeTextChannel, makeUser, startDiscordStandIn } from '../support/discord/index.ts';

describe('Discord stand-in: gateway with the real discord.js Client', () => {
  it('logs in: READY, then each guild with its channels, roles and members', async () => {
    const adult = makeRole({ name: 'Voksen', permissions: ['ManageGuild'] });
    const youth = makeUser({ username: 'maja' });
    const channel = makeTextChannel({ name: 'forslag' });
    const guild = makeGuild({
      name: 'Ungdomsrådet',
      roles: [adult],
      channels: [channel],
      members: [makeMember(youth, { roles: [adult] })],
    });
    const { discord, client } = await connect(
      { guilds: [guild], privilegedIntents: ['GuildPresences'] },
      { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildPresences] },
    );

    expect(client.user.id).toBe(discord.bot.id);
    expect(client.application.id).toBe(discord.applicationId);
    const g = client.guilds.cache.get(guild.id);
    expect(g?.name).toBe('Ungdomsrådet');
    expect(g?.channels.cache.get(channel.id)?.name).toBe('forslag');
    expect(g?.roles.cache.get(adult.id)?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(g?.members.cache.get(youth.id)?.roles.cache.has(adult.id)).toBe(true);
    expect(g?.members.me?.id).toBe(discord.bot.id);
    expect(discord.stats).toMatchObject({ identifies: 1, resumes: 0, connections: 1 });
    expect(discord.gateway.sessions[0]?.intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildPresences,
    );
    // READY tells the client which privileged intents the app has (GATEWAY_PRESENCE_LIMITED).
    expect(client.application.flags.has(1 << 13)).toBe(true);
    expect(discord.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /gateway/bot 200']);
  });

  it('without GUILD_PRESENCES, GUILD_CREATE lists only the bot among the members (events/gateway-events § Guild Create)', async () => {
    const youth = makeUser({ username: 'maja' });
    const guild = makeGuild({ members: [makeMember(youth)] });
    const { discord, client } = await connect({ guilds: [guild] });
    const g = client.guilds.cache.get(guild.id);
    expect(g?.memberCount).toBe(3);
    expect([...(g?.members.cache.keys() ?? [])]).toEqual([discord.bot.id]);
  });

  it('a privileged intent the app has not enabled closes IDENTIFY with 4014; enabled ones work; unknown bits get 4013', async () => {
    const discord = await startDiscordStandIn({ privilegedIntents: ['GuildMembers'] });
    const asking = async (intents: number) => {
      const client = standInClient(discord, { intents });
      const login = client.login(discord.token).catch((e: unknown) => e);
      return { client, login };
    };
    try {
      for (const [intents, code] of [
        [GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent, 4014],
        [GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences, 4014],
        [GatewayIntentBits.Guilds | (1 << 18), 4013],
      ] as const) {
        const { client, login } = await asking(intents);
        // discord.js gives up on 4013/4014 (they are not resumable) and says why.
        expect(await login).toMatchObject({ message: expect.stringMatching(code === 4014 ? /disallowed intents/i : /invalid intents/i) });
        await client.destroy();
      }
      expect(discord.gateway.connections.map((c) => c.closeCode)).toEqual([4014, 4014, 4013]);
      expect(discord.stats).toMatchObject({ identifies: 0, refusedIntents: 3 });

      const ok = standInClient(discord, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
      await loginReady(ok, discord);
      expect(discord.gateway.sessions[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers);
      expect(ok.application?.flags.has(1 << 15)).toBe(true);
      await ok.destroy();
    } finally {
      await discord.close();
    }
  });

  it('more than 120 gateway events a minute from one connection: closed with 4008', async () => {
    const { discord, client } = await connect({ gatewaySendLimit: { limit: 3, windowMs: 60_000 } });
    // IDENTIFY was the first; three presence updates make four.
    for (let i = 0; i < 3; i++) client.user.setPresence({ status: 'online' });
    await discord.waitFor(() => discord.gateway.connections.find((c) => c.closeCode === 4008), 'a 4008 close');
    expect(discord.takeErrors()).toEqual([expect.objectContaining({ kind: 'gateway', message: expect.stringContaining('more than 3') })]);
  });

  it('is ready at once with no guilds when told not to send any', async () => {
    const { discord, client } = await connect({ sendGuilds: false });
    expect(client.guilds.cache.size).toBe(0);
    expect(discord.gateway.received.filter((f) => f.op === 2)).toHaveLength(1);
  });

  it('acknowledges heartbeats', async () => {
    const discord = await startDiscordStandIn({ heartbeatIntervalMs: 50 });
    const client = standInClient(discord);
    try {
      const acked = new Promise<void>((resolve) => {
        client.on(Events.Debug, (m) => {
          if (m.includes('Heartbeat acknowledged')) resolve();
        });
      });
      await client.login(discord.token);
      await acked;
      expect(discord.stats.heartbeats).toBeGreaterThanOrEqual(1);
      expect(client.ws.ping).toBeGreaterThanOrEqual(0);
      expect(discord.gateway.received.some((f) => f.op === 1)).toBe(true);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });

  it('after a drop with 4000 the client RESUMEs and gets what it missed, once', async () => {
    // discord.js waits 500 ms before reconnecting; a manual clock keeps that out of the 3-second deadline.
    const { discord, client } = await connect({ clock: new ManualClock() });
    const seen: string[] = [];
    client.on(Events.Raw, (p: { t?: string; d?: { id?: string } }) => {
      if (p.t === 'INTERACTION_CREATE' && p.d?.id) seen.push(p.d.id);
    });
    const firstArrives = nextInteraction(client);
    const before = discord.sendSlashCommand({ name: 'status' });
    await firstArrives;

    const resumed = once(client, Events.ShardResume);
    const missedArrives = nextInteraction(client);
    expect(discord.disconnect(4000)).toBe(1);
    const during = discord.sendSlashCommand({ name: 'status' });
    const missed = await missedArrives;
    await resumed;
    expect(missed.id).toBe(during.id);

    await gatewayBarrier(discord, client);
    expect(seen).toEqual([before.id, during.id]);
    expect(discord.stats).toMatchObject({ identifies: 1, resumes: 1, forcedDisconnects: 1, replayed: 1, invalidSessions: 0 });
    const resume = discord.gateway.received.find((f) => f.op === 6);
    expect(resume?.d).toMatchObject({ session_id: discord.gateway.sessions[0]?.id, token: '[redacted]' });

    // The replayed interaction is still answerable.
    if (!missed.isChatInputCommand()) throw new Error('expected a slash command');
    await missed.reply({ content: 'Alt kører' });
    expect((await discord.waitForResponse(during.id)).response.type).toBe(4);
  });

  it('a RESUME of an invalidated session gets op 9 and the client identifies again', async () => {
    // discord.js spaces IDENTIFYs 5 s apart (Discord's rule); this test lifts that so it need not wait.
    const { discord, client } = await connect({}, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } });
    const readyAgain = once(client, Events.ShardReady);
    discord.disconnect(4000, { invalidateSession: true });
    await readyAgain;
    expect(discord.stats).toMatchObject({ identifies: 2, resumes: 0, invalidSessions: 1 });

    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    expect((await arrives).id).toBe(rec.id);
  });

  it('a wrong token is refused: 401 at /gateway/bot surfaces as TokenInvalid', async () => {
    const discord = await startDiscordStandIn();
    const client = standInClient(discord);
    try {
      await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
      expect(discord.takeErrors()).toEqual([expect.objectContaining({ kind: 'auth' })]);
      expect(discord.stats.identifies).toBe(0);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});
