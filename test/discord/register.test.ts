import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it, onTestFinished } from 'vitest';
import { commandDefinitions, registerCommands } from '../../adapters/discord/index.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startDiscordStandIn } from '../support/discord/index.ts';
import { cli } from '../support/cli.ts';

const run = promisify(execFile);

/** `npm run discord:register` as a child process (the same command line, minus npm). */
async function register(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(cli('discord-register')[0], [...cli('discord-register')[1], ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describeEachEngine('Discord command registration', (db) => {
  it('describes every flow command in both languages, required options first, suggestions as autocomplete', async () => {
    const router = createRouter({ defaultLocale: 'da', pulje: createPulje({ db: db() }) });
    const defs = commandDefinitions(router, 'da');
    const byName = new Map(defs.map((d) => [d.name, d]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'help',
        'bind',
        'newround',
        'openideas',
        'openvoting',
        'close',
        'propose',
        'proposals',
        'vote',
        'receipt',
        'turnout',
        'results',
      ]),
    );
    for (const d of defs) {
      expect(d.description.length, d.name).toBeGreaterThan(0);
      expect(d.description.length, d.name).toBeLessThanOrEqual(100);
      expect(Object.keys(d.description_localizations ?? {}).sort()).toEqual(['da', 'en-GB', 'en-US']);
      expect(d.description_localizations?.da).toBe(d.description);
      expect(d.contexts).toEqual([0]);
      const required = (d.options ?? []).map((o) => Boolean((o as { required?: boolean }).required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
    expect(byName.get('proposals')?.options).toEqual([
      expect.objectContaining({ name: 'number', type: 3, autocomplete: true, required: false }),
    ]);
    expect(byName.get('help')?.description_localizations?.['en-US']).toBe('Show what I can help with');
  });

  it('npm run discord:register registers in one server with --guild, globally without; bodies are valid for Discord', async () => {
    const discord = await startDiscordStandIn();
    onTestFinished(async () => {
      await discord.close();
      discord.assertNoProblems();
    });
    const env = { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DATABASE_URL: db().url };
    const guild = await register(['--guild', discord.defaultGuild.id, '--api', discord.apiBase], env);
    expect(guild.stderr).toBe('');
    expect(guild.code).toBe(0);
    const names = discord.commands.guild(discord.defaultGuild.id).map((c) => c.name);
    expect(names).toContain('propose');
    expect(guild.stdout).toBe(
      `Registered ${names.length} commands in server ${discord.defaultGuild.id}: ${names.map((n) => `/${n}`).join(' ')}\n`,
    );
    expect(discord.commands.global).toEqual([]);

    const global = await register(['--api', discord.apiBase], env);
    expect(global.code).toBe(0);
    expect(discord.commands.global.map((c) => c.name)).toEqual(names);

    // Registering again (as after an upgrade) replaces the set rather than adding to it.
    const router = createRouter({ defaultLocale: 'da', pulje: createPulje({ db: db() }) });
    const ids = discord.commands.global.map((c) => c.id);
    expect(
      await registerCommands({
        token: discord.token,
        applicationId: discord.applicationId,
        router,
        defaultLocale: 'da',
        api: discord.apiBase,
      }),
    ).toHaveLength(names.length);
    expect(discord.commands.global.map((c) => c.id)).toEqual(ids);
  });

  it('says what is missing, in one line, and registers nothing', async () => {
    const discord = await startDiscordStandIn();
    onTestFinished(() => discord.close());
    const noApp = await register(['--api', discord.apiBase], { DISCORD_TOKEN: discord.token, DATABASE_URL: db().url });
    expect(noApp).toMatchObject({ code: 1, stdout: '' });
    expect(noApp.stderr).toBe('Set DISCORD_APPLICATION_ID (the application id from the Discord developer portal).\n');
    const badGuild = await register(['--guild', 'general', '--api', discord.apiBase], {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DATABASE_URL: db().url,
    });
    expect(badGuild.code).toBe(1);
    expect(badGuild.stderr).toMatch(/^--guild takes a server id/);
    expect(discord.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});
