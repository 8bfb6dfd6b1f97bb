import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerCommands, startDiscord } from '../adapters/discord/index.ts';
import type { SettledReport } from '../adapters/discord/interactions.ts';
import { createRouter } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';
import { t } from '../src/i18n/index.ts';
import { createPulje } from '../src/usecases/index.ts';
import {
  makeGuild,
  makeMember,
  makeRole,
  makeTextChannel,
  makeUser,
  startDiscordStandIn,
  type InteractionRecord,
  type StoredMessage,
} from '../test/support/discord/index.ts';
import { onPostgres, onSqlite } from './engines.ts';
import { type Figures, figures } from './figures.ts';

const _DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';

type EngineReport =
  | {
      engine: Engine;
      skipped: false;
      interactions: number;
      /** Discord's view (the stand-in's clock): from the interaction's creation to the accepted first answer. */
      sinceCreation: Figures;
      /** The adapter's view: from the interaction's arrival to the accepted first answer. */
      sinceArrival: Figures;
      deferred: number;
      late: number;
      byKind: Record<string, Figures & { deferred: number }>;
    }
  | { engine: Engine; skipped: true; reason: string };

async function runOn(engine: Engine, db: Database, rounds: number): Promise<EngineReport> {
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
  try {
    const measured = new Map<string, string>();
    const done = async (kind: string | null, rec: InteractionRecord): Promise<InteractionRecord> => {
      if (!reports.has(rec.id)) await new Promise<void>((resolve) => waiting.set(rec.id, resolve));
      if (kind) measured.set(rec.id, kind);
      return discord.interaction(rec.id);
    };
    const buttonId = (m: StoredMessage, label: string | RegExp) =>
      (m.components as Array<{ components: Array<{ label?: string; custom_id: string }> }>)
        .flatMap((r) => r.components)
        .find((c) => (typeof label === 'string' ? c.label === label : label.test(c.label ?? '')))!.custom_id;
    const command = (kind: string | null, user: typeof owner, name: string) => done(kind, discord.sendSlashCommand({ name, user }));
    const click = (kind: string | null, user: typeof owner, m: StoredMessage, label: string | RegExp) =>
      done(kind, discord.sendButton({ customId: buttonId(m, label), message: m, user }));
    const submit = (kind: string | null, shown: InteractionRecord, values: Record<string, string>) =>
      done(kind, discord.sendModalSubmit({ interactionId: shown.id, values }));

    // A round in its voting phase, set up through Discord; the first interactions (warming up) are not counted.
    const created = await submit(null, await command(null, pedagogue, 'newround'), { title: 'Sommerpuljen', amount: '10.000' });
    await click(null, pedagogue, created.original!, t('da', 'flow.round.open_ideas'));
    for (const [i, user] of youth.slice(0, 3).entries())
      await submit(null, await command(null, user, 'propose'), { title: `Idé ${i + 1}`, description: 'Beskrivelse', cost: '1.000' });
    const opened = await click(
      null,
      pedagogue,
      (await command(null, pedagogue, 'openvoting')).original!,
      t('da', 'flow.confirm.voting_yes'),
    );
    const votingCard = [opened.original, ...opened.followups].find((m) => m && !m.ephemeral)!;

    for (let n = 0; n < rounds; n++) {
      const user = youth[n % youth.length]!;
      await command('/help', user, 'help');
      await command('/round', user, 'round');
      await command('/proposals', user, 'proposals');
      await command('/propose (modal)', user, 'propose');
      const ballot = (await click('vote button (private ballot)', user, votingCard, t('da', 'flow.vote.button'))).original!;
      await click('ballot toggle (update)', user, ballot, /^(✓ )?#1$/);
    }

    const samples = [...measured].map(([id, kind]) => {
      const i = discord.interaction(id);
      const r = reports.get(id)!;
      return { kind, late: i.late, creation: i.acknowledgedAt! - i.createdAt, arrival: r.ackMs ?? Number.NaN, deferred: r.deferred };
    });
    const kinds = [...new Set(samples.map((s) => s.kind))];
    return {
      engine,
      skipped: false,
      interactions: samples.length,
      sinceCreation: figures(samples.map((s) => s.creation)),
      sinceArrival: figures(samples.map((s) => s.arrival)),
      deferred: samples.filter((s) => s.deferred).length,
      late: samples.filter((s) => s.late).length,
      byKind: Object.fromEntries(
        kinds.map((k) => {
          const of = samples.filter((s) => s.kind === k);
          return [k, { ...figures(of.map((s) => s.creation)), deferred: of.filter((s) => s.deferred).length }];
        }),
      ),
    };
  } finally {
    await adapter.close();
    await discord.close();
  }
}

/** Discord time to acknowledge on each engine, overall and per kind of interaction. */
export async function benchDiscord(): Promise<object> {
  const rounds = Number(process.env.DISCORD_ROUNDS) > 0 ? Math.floor(Number(process.env.DISCORD_ROUNDS)) : 20;
  const engines = [
    await onSqlite('discord', (db) => runOn('sqlite', db, rounds)),
    await onPostgres('discord', (db) => runOn('postgresql', db, rounds)),
  ];
  return {
    bench: 'discord-ack',
    description:
      `${rounds} times each: /help, /round, /proposals, /propose (a modal), the Vote button (a private ballot), a ballot toggle ` +
      '(an update), by young people through the real flows and discord.js against the Discord stand-in, production timings; ' +
      'milliseconds until Discord accepted the first answer (its limit: 3000 after creation)',
    node: process.version,
    engines,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchDiscord().then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
