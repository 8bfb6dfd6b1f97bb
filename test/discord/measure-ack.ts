// Measures how soon the Discord adapter acknowledges interactions with the production timings (answer directly
// if ready within 1.5 s, else defer), using the real flows against the stand-in:
//   npx tsx test/discord/measure-ack.ts [rounds]            (SQLite)
//   TEST_DATABASE_URL=postgresql://… npx tsx test/discord/measure-ack.ts [rounds]   (PostgreSQL)
// It prints numbers and asserts nothing; the tests assert behaviour.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerCommands, startDiscord } from '../../adapters/discord/index.ts';
import type { SettledReport } from '../../adapters/discord/interactions.ts';
import { createRouter } from '../../src/app.ts';
import { migrateTarget, openDatabase } from '../../src/db/database.ts';
import { t } from '../../src/i18n/index.ts';
import { createPulje } from '../../src/usecases/index.ts';
import {
  makeGuild,
  makeMember,
  makeRole,
  makeTextChannel,
  makeUser,
  startDiscordStandIn,
  type InteractionRecord,
  type StoredMessage,
} from '../support/discord/index.ts';

const rounds = Number(process.argv[2] ?? 20);
const pgBase = process.env.TEST_DATABASE_URL;
let url: string;
if (pgBase) {
  const schema = `measure_${process.pid}`;
  await migrateTarget({ engine: 'postgresql', url: pgBase, schema });
  const u = new URL(pgBase);
  u.searchParams.set('schema', schema);
  url = u.toString();
} else {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pulje-measure-')), 'pulje.db');
  await migrateTarget({ engine: 'sqlite', url: file });
  url = `file:${file}`;
}
const db = await openDatabase(url);

const staffRole = makeRole({ name: 'Pædagog' });
const owner = makeUser({ username: 'ejer' });
const pedagogue = makeUser({ username: 'pia' });
const youth = Array.from({ length: 5 }, (_, i) => makeUser({ username: `ung${i}` }));
const channel = makeTextChannel({ name: 'ungeraadet' });
const guild = makeGuild({
  owner,
  roles: [staffRole],
  channels: [channel],
  members: [makeMember(pedagogue, { roles: [staffRole] }), ...youth.map((u) => makeMember(u))],
});
const discord = await startDiscordStandIn({ guilds: [guild] });

const pulje = createPulje({ db });
const boot = await pulje.setup.createOrganisation({
  name: 'Kommune',
  group: { name: 'Ungerådet' },
  admin: { displayName: 'Anne', platform: 'discord', externalId: owner.id },
});
await pulje.setup.bindConversation(
  { personId: boot.admin.id },
  { groupId: boot.group.id, platform: 'discord', channelId: channel.id, staffRoleId: staffRole.id },
);
const router = createRouter({ defaultLocale: 'da', pulje });
await registerCommands({
  token: discord.token,
  applicationId: discord.applicationId,
  guildId: guild.id,
  router,
  defaultLocale: 'da',
  api: discord.apiBase,
});
// The admin gives the staff role the staff commands (Server Settings → Integrations).
discord.setCommandPermissions('app', [{ id: staffRole.id, type: 'role', permission: true }]);

const reports = new Map<string, SettledReport>();
const waiting = new Map<string, () => void>();
const adapter = await startDiscord({
  config: { DISCORD_TOKEN: discord.token, DISCORD_STAFF_ROLE: undefined, DISCORD_SHARDS: undefined, PULJE_LOCALE: 'da' },
  router,
  pulje,
  api: discord.apiBase,
  onSettled: (r) => {
    reports.set(r.interactionId, r);
    waiting.get(r.interactionId)?.();
  },
});

const samples = new Map<string, Array<{ adapterMs: number; discordMs: number; deferred: boolean }>>();
async function done(kind: string | null, rec: InteractionRecord): Promise<InteractionRecord> {
  if (!reports.has(rec.id)) await new Promise<void>((resolve) => waiting.set(rec.id, resolve));
  const r = reports.get(rec.id)!;
  const i = discord.interaction(rec.id);
  if (kind && r.ackMs !== undefined && i.acknowledgedAt !== undefined) {
    const list = samples.get(kind) ?? [];
    list.push({ adapterMs: r.ackMs, discordMs: i.acknowledgedAt - i.dispatchedAt, deferred: r.deferred });
    samples.set(kind, list);
  }
  return i;
}
const buttonId = (m: StoredMessage, label: string | RegExp) =>
  (m.components as Array<{ components: Array<{ label?: string; custom_id: string }> }>)
    .flatMap((r) => r.components)
    .find((c) => (typeof label === 'string' ? c.label === label : label.test(c.label ?? '')))!.custom_id;
const command = (kind: string | null, user: typeof owner, name: string, options?: Record<string, string>) =>
  done(kind, discord.sendSlashCommand({ name, user, ...(options ? { options } : {}) }));
const click = (kind: string | null, user: typeof owner, m: StoredMessage, label: string | RegExp) =>
  done(kind, discord.sendButton({ customId: buttonId(m, label), message: m, user }));
const submit = (kind: string | null, shown: InteractionRecord, values: Record<string, string>) =>
  done(kind, discord.sendModalSubmit({ interactionId: shown.id, values }));

// A round in its voting phase, set up through Discord (not measured: the first interactions warm things up).
const created = await submit('first submit after start', await command('first command after start', pedagogue, 'newround'), {
  title: 'Sommerpuljen',
  amount: '10.000',
});
await click(null, pedagogue, created.original!, t('da', 'flow.round.open_ideas'));
for (const [i, user] of youth.slice(0, 3).entries())
  await submit(null, await command(null, user, 'propose'), { title: `Idé ${i + 1}`, description: 'Beskrivelse', cost: '1.000' });
const confirm = await command(null, pedagogue, 'openvoting');
const opened = await click(null, pedagogue, confirm.original!, t('da', 'flow.confirm.voting_yes'));
const votingCard = [opened.original, ...opened.followups].find((m) => m && !m.ephemeral)!;

for (let n = 0; n < rounds; n++) {
  const user = youth[n % youth.length]!;
  await command('/help', user, 'help');
  await command('/round', user, 'round');
  await command('/proposals', user, 'proposals');
  await command('/propose (modal)', user, 'propose');
  const ballot = (await click('Stem (private ballot)', user, votingCard, t('da', 'flow.vote.button'))).original!;
  await click('#1 on the ballot (update)', user, ballot, /^(✓ )?#1$/);
}

const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
console.log(
  `Time to first acknowledgement, ${pgBase ? 'PostgreSQL' : 'SQLite'}, ${rounds} of each (ms; adapter: arrival → accepted; stand-in: dispatch → accepted)`,
);
console.log('kind'.padEnd(28), 'p50'.padStart(7), 'p95'.padStart(7), 'max'.padStart(7), '  stand-in p50/p95/max', '  deferred');
for (const [kind, list] of samples) {
  const a = list.map((s) => s.adapterMs);
  const d = list.map((s) => s.discordMs);
  console.log(
    kind.padEnd(28),
    pct(a, 0.5).toFixed(1).padStart(7),
    pct(a, 0.95).toFixed(1).padStart(7),
    Math.max(...a)
      .toFixed(1)
      .padStart(7),
    `  ${pct(d, 0.5)}/${pct(d, 0.95)}/${Math.max(...d)}`.padEnd(24),
    `  ${list.filter((s) => s.deferred).length}/${list.length}`,
  );
}
await adapter.close();
await discord.close();
await db.close();
