// `npm run discord:register [-- --guild <server id>] [--clear-guild <server id> …]`: registers Pulje's slash
// commands with Discord, from the same router the bot answers with, replacing whatever set the application had in
// that scope. With --guild they go to one server, where they show at once (for trying out); without, they are
// registered globally, for every server Pulje is in. --clear-guild removes the commands a server was given with
// --guild, so after going global it does not show every command twice. It prints what it changed. Run it after
// every upgrade.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { clearGuildCommands, type Registered, registerCommands } from '../adapters/discord/commands.ts';
import { ConfigError, loadConfig } from '../src/config/env.ts';
import { composePulje } from '../src/app.ts';
import { silentLogger } from '../src/conversation/index.ts';

const serverId = (flag: string) => z.string().regex(/^\d{5,25}$/, `${flag} takes a server id (a number; copy it with Developer Mode on)`);
const argsSchema = z
  .object({
    guild: serverId('--guild').optional(),
    'clear-guild': z.array(serverId('--clear-guild')).default([]),
    // Only for tests against a local Discord stand-in.
    api: z.url('--api takes a URL').optional(),
  })
  .refine((a) => !a.guild || !a['clear-guild'].includes(a.guild), {
    message: '--guild and --clear-guild name the same server: register there, or clear it, not both',
  });

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

if (existsSync('.env')) process.loadEnvFile('.env');
let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}
const parsedArgs = argsSchema.safeParse(
  parseArgs({
    options: { guild: { type: 'string' }, 'clear-guild': { type: 'string', multiple: true }, api: { type: 'string' } },
    strict: true,
  }).values,
);
if (!parsedArgs.success) fail(parsedArgs.error.issues.map((i) => i.message).join('\n'));
const args = parsedArgs.data;
if (!config.DISCORD_TOKEN) fail('Set DISCORD_TOKEN (the bot token from the Discord developer portal).');
if (!config.DISCORD_APPLICATION_ID) fail('Set DISCORD_APPLICATION_ID (the application id from the Discord developer portal).');

const slash = (names: readonly string[]) => names.map((n) => `/${n}`).join(' ');

/** One line: how many commands the scope has now and what changed, by name. */
function describe(where: string, r: Registered): string {
  const parts = [
    r.added.length ? `added ${slash(r.added)}` : '',
    r.updated.length ? `updated ${slash(r.updated)}` : '',
    r.removed.length ? `removed ${slash(r.removed)}` : '',
    r.unchanged.length ? `${r.unchanged.length} unchanged` : '',
  ].filter(Boolean);
  return `${where}: ${r.commands.length} commands; ${parts.join('; ')}.`;
}

// The router needs a database handle to exist; describing its commands reads nothing from it.
const app = await composePulje({ config, logger: silentLogger });
try {
  const { router } = app;
  const common = { token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, ...(args.api ? { api: args.api } : {}) };
  const out: string[] = [];
  const registered = await registerCommands({
    ...common,
    router,
    defaultLocale: config.PULJE_LOCALE,
    ...(args.guild ? { guildId: args.guild } : {}),
  });
  if (args.guild) {
    out.push(`${describe(`Server ${args.guild}`, registered)} A server's commands change at once.`);
    if (registered.alsoGlobal.length)
      out.push(
        `Note: Pulje's commands are registered globally too, so server ${args.guild} shows each twice. Once you are done trying, ` +
          `remove the server's own: npm run discord:register -- --clear-guild ${args.guild}`,
      );
  } else {
    out.push(
      `${describe('Global', registered)} Every server with Pulje gets them; a Discord app that is open catches up within minutes ` +
        '(a command used meanwhile is checked against the new version and reloaded).',
    );
  }
  for (const guildId of args['clear-guild']) {
    const removed = await clearGuildCommands({ ...common, guildId });
    out.push(
      removed.length
        ? `Server ${guildId}: removed its own ${removed.length} commands (${slash(removed)}); it shows the global ones only.`
        : `Server ${guildId}: had no commands of its own.`,
    );
  }
  process.stdout.write(out.map((line) => line + '\n').join(''));
} finally {
  await app.close();
}
