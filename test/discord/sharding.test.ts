import { expect, it, onTestFinished } from 'vitest';
import { registerCommands, startDiscord } from '../../adapters/discord/index.ts';
import type { SettledReport } from '../../adapters/discord/interactions.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startDiscordStandIn } from '../support/discord/index.ts';
import { recordingLogger, server, unescapeDiscord } from './harness.ts';

/** Runs `fn` with extra environment variables, which child processes started meanwhile inherit. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describeEachEngine('Discord adapter under discord.js ShardingManager', (db, engine) => {
  it('DISCORD_SHARDS starts shard processes that serve interactions from the shared database, and close() stops them', async () => {
    const s = server();
    const discord = await startDiscordStandIn({ guilds: [s.guild], mentionStrictness: 'all' });
    const pulje = createPulje({ db: db() });
    const boot = await pulje.setup.createOrganisation({
      name: 'Kommune',
      group: { name: 'Ungerådet' },
      admin: { displayName: 'Anne', platform: 'discord', externalId: s.owner.id },
    });
    await pulje.setup.bindConversation({ personId: boot.admin.id }, { groupId: boot.group.id, platform: 'discord', channelId: s.bound.id });
    const log = recordingLogger();
    const router = createRouter({ defaultLocale: 'da', logger: log.logger, pulje });
    await registerCommands({
      token: discord.token,
      applicationId: discord.applicationId,
      guildId: s.guild.id,
      router,
      defaultLocale: 'da',
      api: discord.apiBase,
    });
    const config = { DISCORD_TOKEN: discord.token, DISCORD_STAFF_ROLE: s.staffRole.id, PULJE_LOCALE: 'da' as const };

    const envBefore = { ...process.env };
    const sharded = await withEnv({ DATABASE_URL: db().url, LOG_LEVEL: 'silent', DISCORD_STAFF_ROLE: s.staffRole.id }, () =>
      startDiscord({
        config: { ...config, DISCORD_SHARDS: 'auto' },
        router,
        pulje,
        engine: db().engine,
        logger: log.logger,
        api: discord.apiBase,
      }),
    );
    // discord.js's manager puts the token into this process's environment; the adapter takes it back out.
    expect(process.env).toEqual(envBefore);
    onTestFinished(async () => {
      await sharded.close();
      await discord.close();
      discord.assertNoProblems();
    });
    // 'auto' asked the configured API (the stand-in recommends one shard), and the child identified as shard 0 of 1.
    expect(discord.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(2);
    expect(discord.gateway.received.filter((f) => f.op === 2).map((f) => (f.d as { shard?: unknown }).shard)).toEqual([[0, 1]]);
    expect(log.entries.map((e) => e.msg)).toEqual([
      ...(engine === 'sqlite'
        ? ['discord: shard processes share one SQLite file and wait on each other; use PostgreSQL with DISCORD_SHARDS']
        : []),
      'discord: shard starting',
    ]);

    // The shard process answers on its own.
    const first = discord.sendSlashCommand({ name: 'help', user: s.youth[0] });
    await discord.waitForResponse(first.id);
    // Answered at once or, on a busy machine, deferred and filled in: either way the help card arrives.
    const answer = await discord.waitFor(() => {
      const m = discord.interaction(first.id).original;
      return m && !m.loading ? m : undefined;
    }, 'the help card');
    expect(unescapeDiscord((answer.embeds as Array<{ title: string }>)[0]!.title)).toBe('Det kan jeg hjælpe med');
    // It enrolled the newcomer in the shared database.
    expect(await db().prisma.identity.count({ where: { externalId: s.youth[0]!.id } })).toBe(1);

    // Closing stops the shard process; its connection then closes (the stand-in sees that a moment later).
    await sharded.close();
    await discord.waitFor(() => (discord.gateway.sessions.some((x) => x.connection?.open) ? undefined : true), 'the shard to disconnect');
  });

  // Several processes sharing a database is PostgreSQL's job: SQLite makes them wait on one file lock.
  // Two processes on one SQLite file would only queue on its lock; the multi-process claim is a PostgreSQL matter.
  if (engine === 'postgresql')
    it('two processes that both get every interaction (a shard process and this one): each is answered once', async () => {
      const s = server();
      const discord = await startDiscordStandIn({ guilds: [s.guild], mentionStrictness: 'all' });
      const pulje = createPulje({ db: db() });
      const boot = await pulje.setup.createOrganisation({
        name: 'Kommune',
        group: { name: 'Ungerådet' },
        admin: { displayName: 'Anne', platform: 'discord', externalId: s.owner.id },
      });
      await pulje.setup.bindConversation(
        { personId: boot.admin.id },
        { groupId: boot.group.id, platform: 'discord', channelId: s.bound.id },
      );
      const log = recordingLogger();
      const router = createRouter({ defaultLocale: 'da', logger: log.logger, pulje });
      await registerCommands({
        token: discord.token,
        applicationId: discord.applicationId,
        guildId: s.guild.id,
        router,
        defaultLocale: 'da',
        api: discord.apiBase,
      });
      const config = { DISCORD_TOKEN: discord.token, DISCORD_STAFF_ROLE: s.staffRole.id, PULJE_LOCALE: 'da' as const };
      const sharded = await withEnv({ DATABASE_URL: db().url, LOG_LEVEL: 'silent', DISCORD_STAFF_ROLE: s.staffRole.id }, () =>
        startDiscord({
          config: { ...config, DISCORD_SHARDS: 1 },
          router,
          pulje,
          engine: db().engine,
          logger: log.logger,
          api: discord.apiBase,
        }),
      );
      onTestFinished(async () => {
        await sharded.close();
        await discord.close();
        discord.assertNoProblems();
      });

      const reports = new Map<string, SettledReport>();
      const waiting = new Map<string, () => void>();
      const local = await startDiscord({
        config: { ...config, DISCORD_SHARDS: undefined },
        router,
        pulje,
        logger: log.logger,
        api: discord.apiBase,
        onSettled: (x) => {
          reports.set(x.interactionId, x);
          waiting.get(x.interactionId)?.();
        },
      });
      onTestFinished(() => local.close());
      const settledHere = (id: string) => (reports.has(id) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(id, resolve)));
      for (let n = 0; n < 4; n++) {
        // A newcomer each time: both processes try to enrol them at once, too.
        const rec = discord.sendSlashCommand({ name: 'round', user: s.youth[n] });
        await discord.waitForResponse(rec.id);
        await settledHere(rec.id);
        // Exactly one acknowledgement, accepted: neither process answered twice or had to be refused.
        expect(discord.interaction(rec.id).attempts.map((a) => a.status < 300)).toEqual([true]);
      }
      expect(reports.size).toBe(4);
      expect(log.problems()).toEqual([]);
      expect(await db().prisma.membership.count({ where: { groupId: boot.group.id, role: 'youth' } })).toBe(4);
    });
});
