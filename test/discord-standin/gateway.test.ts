import { once } from 'node:events';
import { Events, GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures.ts';
import { gatewayBarrier, nextInteraction, standInClient } from '../support/discord/client.ts';
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
      { guilds: [guild] },
      { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] },
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
    expect(discord.gateway.sessions[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    expect(discord.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /gateway/bot 200']);
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
