import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it, onTestFinished } from 'vitest';
import { commandDefinitions } from '../../adapters/discord/index.ts';
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
    // Danish members see and type the Danish names that Pulje's Danish texts use; the interaction keeps the name.
    expect(byName.get('vote')?.name_localizations).toEqual({ da: 'stem' });
    expect(byName.get('help')?.name_localizations).toEqual({ da: 'hjælp' });
    expect(byName.get('openvoting')?.name_localizations).toBeUndefined();
    // /bind offers Discord's role picker for the staff role; staff commands need Manage Server unless an admin allows them.
    expect(byName.get('bind')?.options).toEqual([
      expect.objectContaining({ name: 'name', type: 3 }),
      expect.objectContaining({ name: 'staffrole', type: 8, required: false }),
    ]);
    expect(byName.get('newround')?.default_member_permissions).toBe('32');
    expect(byName.get('propose')?.default_member_permissions).toBeUndefined();
    expect(byName.get('help')?.default_member_permissions).toBeUndefined();
  });

  it('npm run discord:register replaces the set in one server with --guild, globally without, and says what changed', async () => {
    const discord = await startDiscordStandIn();
    onTestFinished(async () => {
      await discord.close();
      discord.assertNoProblems();
    });
    const env = { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DATABASE_URL: db().url };
    const guildId = discord.defaultGuild.id;
    const router = createRouter({ defaultLocale: 'da', pulje: createPulje({ db: db() }) });
    const defs = commandDefinitions(router, 'da');
    const names = defs.map((d) => d.name);
    // An earlier deploy left a command Pulje no longer has, and an older /help.
    discord.seedCommands(
      [
        { name: 'oldthing', description: 'Gone in this version', type: 1 },
        { ...defs.find((d) => d.name === 'help')!, description: 'Old help' },
        ...defs.filter((d) => d.name === 'vote'),
      ] as Array<Record<string, unknown>>,
      { guildId },
    );
    const kept = discord.commands.guild(guildId).find((c) => c.name === 'vote')!.id;
    const guild = await register(['--guild', guildId, '--api', discord.apiBase], env);
    expect(guild.stderr).toBe('');
    expect(guild.code).toBe(0);
    const added = names.filter((n) => n !== 'help' && n !== 'vote');
    expect(guild.stdout).toBe(
      `Server ${guildId}: ${names.length} commands; added ${added.map((n) => `/${n}`).join(' ')}; updated /help; removed /oldthing; 1 unchanged. ` +
        "A server's commands change at once.\n",
    );
    expect(discord.commands.guild(guildId).map((c) => c.name)).toEqual(names);
    expect(discord.commands.guild(guildId).find((c) => c.name === 'vote')!.id).toBe(kept);
    expect(discord.commands.global).toEqual([]);

    // Registering again changes nothing, and says so.
    expect((await register(['--guild', guildId, '--api', discord.apiBase], env)).stdout).toContain(
      `: ${names.length} commands; ${names.length} unchanged.`,
    );

    // Going global: the trial server's own commands are removed in the same run, so it shows each command once.
    const global = await register(['--clear-guild', guildId, '--api', discord.apiBase], env);
    expect(global.code).toBe(0);
    expect(global.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^Global: ${names.length} commands; added /age .*/bind .*\\. Every server with Pulje gets them; `)),
      `Server ${guildId}: removed its own ${names.length} commands (${names.map((n) => `/${n}`).join(' ')}); it shows the global ones only.`,
      '',
    ]);
    expect(discord.commands.global.map((c) => c.name)).toEqual(names);
    expect(discord.commands.guild(guildId)).toEqual([]);
    const owner = discord.defaultGuild.members.find((m) => m.user.id === discord.defaultGuild.ownerId)!.user;
    expect(
      discord
        .visibleCommands({ user: owner })
        .map((c) => c.name)
        .sort(),
    ).toEqual([...names].sort());

    // Trying something in a server again while the global set exists: told that it shows everything twice.
    const trial = await register(['--guild', guildId, '--api', discord.apiBase], env);
    expect(trial.stdout).toContain(`Note: Pulje's commands are registered globally too, so server ${guildId} shows each twice.`);
    expect((await register(['--clear-guild', guildId, '--guild', guildId, '--api', discord.apiBase], env)).stderr).toBe(
      '--guild and --clear-guild name the same server: register there, or clear it, not both\n',
    );
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
