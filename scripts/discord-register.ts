// `npm run discord:register [-- --guild <server id>]`: registers Pulje's slash commands with Discord, from the same
// router the bot answers with. With --guild they appear in that server at once (for trying out); without, they
// are registered globally, which Discord may take up to an hour to show everywhere. Run it after every upgrade.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { registerCommands } from '../adapters/discord/commands.ts';
import { ConfigError, loadConfig } from '../src/config/env.ts';
import { composePulje } from '../src/app.ts';
import { silentLogger } from '../src/conversation/index.ts';

const argsSchema = z.object({
  guild: z
    .string()
    .regex(/^\d{5,25}$/, '--guild takes a server id (a number; copy it with Developer Mode on)')
    .optional(),
  // Only for tests against a local Discord stand-in.
  api: z.url('--api takes a URL').optional(),
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
  parseArgs({ options: { guild: { type: 'string' }, api: { type: 'string' } }, strict: true }).values,
);
if (!parsedArgs.success) fail(parsedArgs.error.issues.map((i) => i.message).join('\n'));
const args = parsedArgs.data;
if (!config.DISCORD_TOKEN) fail('Set DISCORD_TOKEN (the bot token from the Discord developer portal).');
if (!config.DISCORD_APPLICATION_ID) fail('Set DISCORD_APPLICATION_ID (the application id from the Discord developer portal).');

// The router needs a database handle to exist; describing its commands reads nothing from it.
const app = await composePulje({ config, logger: silentLogger });
try {
  const { router } = app;
  const registered = await registerCommands({
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    router,
    defaultLocale: config.PULJE_LOCALE,
    ...(args.guild ? { guildId: args.guild } : {}),
    ...(args.api ? { api: args.api } : {}),
  });
  const where = args.guild ? `in server ${args.guild}` : 'globally (may take up to an hour to appear)';
  process.stdout.write(`Registered ${registered.length} commands ${where}: ${registered.map((c) => `/${c.name}`).join(' ')}\n`);
} finally {
  await app.close();
}
