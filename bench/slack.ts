import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSlack, type SettledReport } from '../adapters/slack/index.ts';
import { startWebServer } from '../adapters/web/server.ts';
import { createRouter } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';
import { t } from '../src/i18n/index.ts';
import { createPulje } from '../src/usecases/index.ts';
import { startSlackStandIn, type StoredMessage } from '../test/support/slack/index.ts';
import { onPostgres, onSqlite } from './engines.ts';
import { type Figures, figures } from './figures.ts';

const _DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';

type EngineReport =
  | {
      engine: Engine;
      skipped: false;
      deliveries: number;
      /** Slack's view (the stand-in): from sending the request to the app's answer. */
      ack: Figures;
      late: number;
      deferred: number;
      byKind: Record<string, Figures>;
    }
  | { engine: Engine; skipped: true; reason: string };

/** The action_id of the button with this label in a message's blocks. */
function buttonId(m: StoredMessage, label: string | RegExp): string {
  const found: Array<{ text: string; id: string }> = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.type === 'button') found.push({ text: (o.text as { text: string }).text, id: o.action_id as string });
    Object.values(o).forEach(walk);
  };
  walk(m.blocks);
  const hit = found.find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
  if (!hit) throw new Error(`bench: no button ${String(label)}`);
  return hit.id;
}

const mentions = (m: StoredMessage, text: string) => JSON.stringify(m.blocks ?? []).includes(text);

async function runOn(engine: Engine, db: Database, rounds: number): Promise<EngineReport> {
  const slack = await startSlackStandIn({ eventRetryDelaysMs: [0, 0, 0] });
  const ws = slack.workspace();
  const user = (name: string) => [...ws.users.values()].find((u) => u.name === name)!.id;
  const general = [...ws.channels.values()].find((c) => c.name === 'general')!.id;
  const pulje = createPulje({ db });
  const boot = await pulje.setup.createOrganisation({
    name: 'Kommune',
    group: { name: 'Ungerådet' },
    admin: { displayName: 'Admin', platform: 'slack', externalId: user('admin') },
  });
  const admin = { personId: boot.admin.id };
  await pulje.setup.bindConversation(admin, { groupId: boot.group.id, platform: 'slack', channelId: general });
  const kari = await pulje.setup.addMember(admin, {
    groupId: boot.group.id,
    role: 'staff',
    platform: 'slack',
    externalId: user('kari'),
    displayName: 'Kari',
  });
  const youth = ['ida', 'noah'].map((n) => user(n));
  const staff = { personId: kari.person.id };
  const round = await pulje.rounds.create(staff, {
    groupId: boot.group.id,
    title: 'Sommerpuljen',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await pulje.rounds.openIdeas(staff, { roundId: round.id });
  for (const [i, id] of youth.entries()) {
    const person = await pulje.setup.addMember(admin, {
      groupId: boot.group.id,
      role: 'youth',
      platform: 'slack',
      externalId: id,
      displayName: `Ung ${i}`,
    });
    await pulje.proposals.submit(
      { personId: person.person.id },
      { roundId: round.id, title: `Idé ${i + 1}`, description: 'Beskrivelse', cost: 100_000 },
    );
  }
  const router = createRouter({ defaultLocale: 'da', pulje });
  const web = await startWebServer({
    config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
    router,
    pulje,
    port: 0,
  });
  const reports: SettledReport[] = [];
  let wake: (() => void) | undefined;
  const adapter = await startSlack({
    config: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: slack.apiUrl,
      PULJE_LOCALE: 'da',
    },
    router,
    pulje,
    mount: web.mount,
    onSettled: (r) => {
      reports.push(r);
      wake?.();
    },
  });
  slack.setRequestUrl(`${web.url}/slack/events`);
  try {
    const samples: Array<{ kind: string; ms: number; late: boolean }> = [];
    const step = async <T extends { ackMs: number | undefined; late: boolean }>(
      kind: string | null,
      send: () => Promise<T>,
    ): Promise<T> => {
      const n = reports.length + 1;
      const d = await send();
      while (reports.length < n) await new Promise<void>((resolve) => (wake = resolve));
      if (kind) samples.push({ kind, ms: d.ackMs ?? Number.POSITIVE_INFINITY, late: d.late });
      return d;
    };
    const command = (kind: string | null, userId: string, text: string) =>
      step(kind, () => slack.sendSlashCommand({ userId, text, channelId: general }));
    const click = (kind: string | null, userId: string, m: StoredMessage, label: string | RegExp) =>
      step(kind, () => slack.sendBlockAction({ userId, channelId: m.channel, messageTs: m.ts, actionId: buttonId(m, label) }));
    const latest = (userId: string, text: string) =>
      [...slack.messages(general)].reverse().find((m) => (m.ephemeralFor === undefined || m.ephemeralFor === userId) && mentions(m, text))!;

    await command(null, user('kari'), 'openvoting');
    await click(null, user('kari'), latest(user('kari'), t('da', 'flow.confirm.voting_yes')), t('da', 'flow.confirm.voting_yes'));
    const votingCard = latest(youth[0]!, t('da', 'flow.vote.button'));
    for (let n = 0; n < rounds; n++) {
      const who = youth[n % youth.length]!;
      await command('/pulje hjælp', who, 'hjælp');
      await command('/pulje runde', who, 'runde');
      await command('/pulje forslag', who, 'forslag');
      await command('/pulje foreslå (modal)', who, 'foreslå');
      await click('vote button (private ballot)', who, votingCard, t('da', 'flow.vote.button'));
      await click('ballot toggle (update)', who, latest(who, t('da', 'flow.ballot.submit')), /#1$/);
    }
    const kinds = [...new Set(samples.map((s) => s.kind))];
    return {
      engine,
      skipped: false,
      deliveries: samples.length,
      ack: figures(samples.map((s) => s.ms)),
      late: samples.filter((s) => s.late).length,
      deferred: reports.filter((r) => r.deferred).length,
      byKind: Object.fromEntries(kinds.map((k) => [k, figures(samples.filter((s) => s.kind === k).map((s) => s.ms))])),
    };
  } finally {
    await adapter.close();
    await web.close();
    await slack.close();
  }
}

/** Slack time to acknowledge on each engine, overall and per kind of delivery. */
export async function benchSlack(): Promise<object> {
  const rounds = Number(process.env.SLACK_ROUNDS) > 0 ? Math.floor(Number(process.env.SLACK_ROUNDS)) : 20;
  const engines = [
    await onSqlite('slack', (db) => runOn('sqlite', db, rounds)),
    await onPostgres('slack', (db) => runOn('postgresql', db, rounds)),
  ];
  return {
    bench: 'slack-ack',
    description:
      `${rounds} times each: /pulje hjælp, runde, forslag, foreslå (a modal), the Vote button (a private ballot), a ballot toggle ` +
      '(an update), by young people through the real flows and Bolt (HTTP mode on the web server) against the Slack stand-in, ' +
      'production timings; milliseconds from Slack sending the request to the app acknowledging it (its limit: 3000)',
    node: process.version,
    engines,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchSlack().then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
