import type { AlertLine } from '../../src/flows/safeguarding.ts';
import { expect } from 'vitest';
import { startSlack, type SettledReport, type SlackAdapter } from '../../adapters/slack/index.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import type { Logger, Router } from '../../src/conversation/index.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  type SelectedValue,
  type SlackStandIn,
  type SlackStandInOptions,
  type StoredMessage,
  startSlackStandIn,
} from '../support/slack/index.ts';

/** Log lines at warn and error, to assert a run had none it did not expect. */
export function recordingLogger() {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const logger: Logger = {
    error: (obj, msg) => lines.push({ level: 'error', msg: msg ?? '', obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg: msg ?? '', obj }),
    info: () => {},
  };
  // The Web API client's note that it waits out a 429 is how rate limits should go, not a problem.
  const waitedOut = (l: { msg: string }) => /A rate limit was exceeded/.test(l.msg);
  return { logger, lines, problems: () => lines.filter((l) => !waitedOut(l)).map((l) => `${l.level}: ${l.msg}`) };
}

export interface SlackWorld {
  slack: SlackStandIn;
  pulje: Pulje;
  web: WebServer | undefined;
  adapter: SlackAdapter;
  log: ReturnType<typeof recordingLogger>;
  reports: SettledReport[];
  /** Resolves once `n` events in all have been handled to the end by the adapter. */
  settled(n: number): Promise<void>;
  user(name: 'ida' | 'noah' | 'kari' | 'admin', teamId?: string): string;
  channel(name: 'general' | 'random' | 'ungeraad', teamId?: string): string;
  staffGroup(teamId?: string): string;
  adminPersonId: string;
  groupId: string;
  close(): Promise<void>;
}

export interface WorldOptions {
  transport?: 'http' | 'socket';
  standIn?: SlackStandInOptions;
  ack?: { afterMs: number; deadlineMs: number };
  retries?: number;
  /** Several workspaces through OAuth (/slack/install) instead of one bot token. */
  oauth?: boolean;
  /** Other flows instead of Pulje's (the adapter's mechanics on their own). */
  flows?: (router: Router) => void;
  /** Where crisis alerts to staff go (fill in `notifier` once the adapter runs). */
  alerts?: AlertLine;
}

/**
 * Pulje with the real flows and the real Slack adapter (Bolt) against the stand-in: HTTP mode on the web chat's
 * server (`POST /slack/events`), or Socket Mode. One organisation whose admin is the workspace's admin.
 */
export async function slackWorld(db: TestDatabase, opts: WorldOptions = {}): Promise<SlackWorld> {
  const transport = opts.transport ?? 'http';
  const slack = await startSlackStandIn({ eventRetryDelaysMs: [0, 0, 0], transport, ...opts.standIn });
  const ws = (teamId?: string) => slack.workspace(teamId);
  const user = (name: string, teamId?: string) => [...ws(teamId).users.values()].find((u) => u.name === name)!.id;
  const channel = (name: string, teamId?: string) => [...ws(teamId).channels.values()].find((c) => c.name === name)!.id;
  const pulje = createPulje({ db });
  const boot = await pulje.setup.createOrganisation({
    name: 'Roskilde',
    group: { name: 'Klubben', locale: 'da' },
    admin: { displayName: 'Admin', platform: 'slack', externalId: user('admin') },
  });
  const log = recordingLogger();
  const router = createRouter({
    pulje,
    defaultLocale: 'da',
    logger: log.logger,
    flows: !opts.flows,
    ...(opts.alerts ? { alerts: opts.alerts } : {}),
  });
  opts.flows?.(router);
  const reports: SettledReport[] = [];
  let waiting: Array<{ n: number; resolve: () => void }> = [];
  const onSettled = (r: SettledReport) => {
    reports.push(r);
    const due = waiting.filter((w) => reports.length >= w.n);
    waiting = waiting.filter((w) => reports.length < w.n);
    for (const w of due) w.resolve();
  };
  const web =
    transport === 'http'
      ? await startWebServer({
          config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
          router,
          pulje,
          port: 0,
        })
      : undefined;
  const adapter = await startSlack({
    config: {
      ...(opts.oauth
        ? {
            SLACK_CLIENT_ID: slack.clientId,
            SLACK_CLIENT_SECRET: slack.clientSecret,
            SLACK_STATE_SECRET: 'a-state-secret-for-tests-0123456789',
          }
        : { SLACK_BOT_TOKEN: slack.botToken }),
      SLACK_SIGNING_SECRET: slack.signingSecret,
      ...(transport === 'socket' ? { SLACK_APP_TOKEN: slack.appToken } : {}),
      SLACK_API_URL: slack.apiUrl,
      PULJE_LOCALE: 'da',
    },
    router,
    pulje,
    logger: log.logger,
    ...(web ? { mount: web.mount } : {}),
    // As in production, a 429 waits for its Retry-After and is tried again (chat.postMessage allows about one a second per channel).
    retries: opts.retries ?? 2,
    onSettled,
    ...(opts.ack ? { ack: opts.ack } : {}),
  });
  if (web) slack.setRequestUrl(`${web.url}/slack/events`);
  else await slack.socketMode.waitForConnections(1);
  // With one token Bolt checks it (auth.test) at start; with OAuth each workspace's token comes with its events.
  if (!opts.oauth) await slack.waitForCall('auth.test');
  return {
    slack,
    pulje,
    web,
    adapter,
    log,
    reports,
    settled: (n) =>
      new Promise<void>((resolve) => {
        if (reports.length >= n) resolve();
        else waiting.push({ n, resolve });
      }),
    user,
    channel,
    staffGroup: (teamId) => [...ws(teamId).usergroups.values()][0]!.id,
    adminPersonId: boot.admin.id,
    groupId: boot.group.id,
    async close() {
      await adapter.close();
      await web?.close();
      await slack.close();
    },
  };
}

type Json = Record<string, unknown>;
const texts = (value: unknown): string[] => {
  if (!value || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(texts);
  const o = value as Json;
  const own = typeof o.text === 'string' && (o.type === 'mrkdwn' || o.type === 'plain_text') ? [o.text] : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (k === 'text' && typeof v === 'string' ? [] : texts(v)))];
};

/** What a person reads in a message: its blocks' texts, mrkdwn escapes undone. */
export const readable = (m: StoredMessage): string =>
  texts(m.blocks ?? [])
    .join('\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The action_id of the button with this label in a message or view's blocks. */
export function button(blocks: unknown[] | undefined, label: string | RegExp): string {
  const found: Array<{ text: string; id: string }> = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    const o = v as Json;
    if (o.type === 'button') found.push({ text: (o.text as Json).text as string, id: o.action_id as string });
    Object.values(o).forEach(walk);
  };
  walk(blocks);
  const hit = found.find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
  expect(hit, `a button "${String(label)}" among ${found.map((b) => b.text).join(', ')}`).toBeDefined();
  return hit!.id;
}

/** The last item that matches. */
export const last = <T>(items: readonly T[], pick: (item: T) => boolean): T | undefined => [...items].reverse().find(pick);

/** Sends one thing to the adapter and waits until the adapter has finished with it. */
export const stepper =
  (world: SlackWorld) =>
  async <T>(send: () => Promise<T>): Promise<T> => {
    const n = world.reports.length + 1;
    const d = await send();
    await world.settled(n);
    return d;
  };

/** People using Pulje through Slack; each step waits until the adapter has finished with it. */
export function people(world: SlackWorld) {
  const { slack } = world;
  const general = world.channel('general');
  const step = stepper(world);
  const seen = (userId: string) =>
    slack.messages(general).filter((m) => !m.deleted && (m.ephemeralFor === undefined || m.ephemeralFor === userId));
  return {
    general,
    command: (userId: string, text: string) => step(() => slack.sendSlashCommand({ userId, text, channelId: general })),
    click: (userId: string, m: StoredMessage, label: string | RegExp) =>
      step(() => slack.sendBlockAction({ userId, channelId: m.channel, messageTs: m.ts, actionId: button(m.blocks, label) })),
    /** Fills in and submits the modal open for this person. */
    submit: (userId: string, values: Record<string, string>) => {
      const view = last(slack.views({ userId, type: 'modal' }), (v) => v.open);
      expect(view, 'a modal is open').toBeDefined();
      const filled: Record<string, Record<string, SelectedValue>> = {};
      for (const [k, value] of Object.entries(values)) filled[k] = { [k]: { value } };
      return step(() => slack.sendViewSubmission({ userId, viewId: view!.id, values: filled }));
    },
    /** The newest message this person sees in #general (their own ephemerals included) that says this. */
    latest: (userId: string, says: string | RegExp, opts: { ephemeral?: boolean } = {}) => {
      const m = last(
        seen(userId),
        (x) =>
          (typeof says === 'string' ? readable(x).includes(says) : says.test(readable(x))) &&
          (opts.ephemeral === undefined || (x.ephemeralFor !== undefined) === opts.ephemeral),
      );
      expect(m, `a message saying ${String(says)}; seen: ${seen(userId).map(readable).join(' | ').slice(0, 2000)}`).toBeDefined();
      return m!;
    },
  };
}
