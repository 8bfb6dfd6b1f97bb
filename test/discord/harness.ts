import { expect, onTestFinished } from 'vitest';
import { registerCommands, startDiscord, type DiscordAdapter, type DmPacing } from '../../adapters/discord/index.ts';
import type { DiscordAckTiming, SettledReport } from '../../adapters/discord/interactions.ts';
import type { Logger, Router } from '../../src/conversation/index.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  ChannelKind,
  makeGuild,
  makeMember,
  makeRole,
  makeTextChannel,
  makeUser,
  startDiscordStandIn,
  type DiscordStandIn,
  type DiscordStandInOptions,
  type GuildFixture,
  type InteractionRecord,
  type RoleObject,
  type StoredMessage,
  type UserObject,
} from '../support/discord/index.ts';

export const STAFF_ROLE_NAME = 'Pædagog';

/** A logger that keeps what it is told, so a test can insist nothing went wrong. */
export function recordingLogger() {
  const entries: Array<{ level: 'error' | 'warn' | 'info'; obj: object; msg: string | undefined }> = [];
  const logger: Logger = {
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
  };
  return {
    logger,
    entries,
    problems: () =>
      entries
        .filter((e) => e.level !== 'info')
        .map((e) => `${e.level}: ${e.msg ?? ''} ${JSON.stringify(e.obj, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`),
  };
}

/**
 * A Discord server for the tests: the owner (also the Pulje admin who bound the channel), a pedagogue with the
 * staff role, young people, #ungeraadet bound to the group and #andet that is not.
 */
export function server() {
  const staffRole = makeRole({ name: STAFF_ROLE_NAME });
  const owner = makeUser({ username: 'ejer', globalName: 'Anne Admin' });
  const pedagogue = makeUser({ username: 'pia', globalName: 'Pia Pædagog' });
  const youth = ['aya', 'bo', 'cem', 'dina'].map((name) =>
    makeUser({ username: name, globalName: name[0]!.toUpperCase() + name.slice(1) }),
  );
  const bound = makeTextChannel({ name: 'ungeraadet' });
  const other = makeTextChannel({ name: 'andet' });
  const guild: GuildFixture = makeGuild({
    name: 'Ungerådet Roskilde',
    owner,
    roles: [staffRole],
    channels: [bound, other],
    members: [makeMember(pedagogue, { roles: [staffRole] }), ...youth.map((u) => makeMember(u))],
  });
  return { guild, staffRole, owner, pedagogue, youth, bound, other };
}

export type Server = ReturnType<typeof server>;

export interface WorldOptions {
  /** Register every flow (the use cases); otherwise only /help and what `register` adds. */
  flows?: boolean;
  register?: (router: Router, pulje: Pulje) => void;
  /** Replaces the database router (e.g. one with a failing idempotency store). */
  router?: Router;
  ack?: Partial<DiscordAckTiming>;
  standIn?: DiscordStandInOptions;
  /** Bind #ungeraadet to the group before the test (default true), with the staff role as its staff role. */
  bind?: boolean | { staffRole: false };
  /** DM spacing; 10 ms unless given, so tests that send receipts stay fast. */
  dmPacing?: DmPacing;
  /** DISCORD_STAFF_ROLE (a deployment's default staff role); none unless given. */
  staffRole?: (s: Server) => string;
  /** DISCORD_MESSAGE_CONTENT: capture messages in bound channels. */
  messageContent?: boolean;
  /** The staff side's settings for the router (e.g. a model on the OpenAI stand-in). */
  staff?: Parameters<typeof createRouter>[0]['staff'];
  /**
   * What the server's admin set in Server Settings → Integrations → Pulje: by default the staff role is allowed
   * every command (staff commands are otherwise for Manage Server only); false sets nothing.
   */
  integrations?: boolean;
}

export interface World extends Server {
  discord: DiscordStandIn;
  adapter: DiscordAdapter;
  router: Router;
  pulje: Pulje;
  db: TestDatabase;
  groupId: string;
  adminPersonId: string;
  log: ReturnType<typeof recordingLogger>;
  /** Resolves when an adapter has finished with an interaction (answered, deferred and edited, or found a duplicate). */
  settled(interactionId: string): Promise<SettledReport>;
  /** Resolves once `count` adapters have finished with the interaction. */
  settledBy(interactionId: string, count: number): Promise<Array<SettledReport & { adapter: number }>>;
  reports: SettledReport[];
  /** Starts another adapter (another process, as far as the adapter can tell) on the same database and stand-in. */
  startAnother(): Promise<{ adapter: DiscordAdapter; reports: SettledReport[] }>;
}

export async function discordWorld(db: TestDatabase, opts: WorldOptions = {}): Promise<World> {
  const s = server();
  const log = recordingLogger();
  const discord = await startDiscordStandIn({ guilds: [s.guild], mentionStrictness: 'all', ...opts.standIn });
  const pulje = createPulje({ db });
  const boot = await pulje.setup.createOrganisation({
    name: 'Roskilde Kommune',
    group: { name: 'Ungerådet', locale: 'da' },
    admin: { displayName: 'Anne Admin', platform: 'discord', externalId: s.owner.id },
  });
  if (opts.bind !== false) {
    const staffRoleId = typeof opts.bind === 'object' ? undefined : s.staffRole.id;
    await pulje.setup.bindConversation(
      { personId: boot.admin.id },
      { groupId: boot.group.id, platform: 'discord', channelId: s.bound.id, ...(staffRoleId ? { staffRoleId } : {}) },
    );
  }
  const router =
    opts.router ??
    createRouter({
      pulje,
      defaultLocale: 'da',
      logger: log.logger,
      flows: opts.flows ?? false,
      ...(opts.staff ? { staff: opts.staff } : {}),
    });
  opts.register?.(router, pulje);
  // Registered from the same router, so the stand-in checks every option against what Discord would know.
  await registerCommands({
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: s.guild.id,
    router,
    defaultLocale: 'da',
    api: discord.apiBase,
  });
  if (opts.integrations !== false) discord.setCommandPermissions('app', [{ id: s.staffRole.id, type: 'role', permission: true }]);

  // Every adapter's reports, and waiters re-checked on each new one (no polling).
  const all: Array<SettledReport & { adapter: number }> = [];
  const waiters = new Set<() => boolean>();
  const until = <T>(probe: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, 10_000);
      const check = () => {
        const v = probe();
        if (v === undefined) return false;
        clearTimeout(timer);
        resolve(v);
        return true;
      };
      if (!check()) waiters.add(check);
    });
  const start = async (index: number, reports: SettledReport[]) =>
    startDiscord({
      config: {
        DISCORD_TOKEN: discord.token,
        DISCORD_STAFF_ROLE: opts.staffRole?.(s),
        DISCORD_SHARDS: undefined,
        PULJE_LOCALE: 'da',
        DISCORD_MESSAGE_CONTENT: opts.messageContent ?? false,
      },
      router,
      pulje,
      logger: log.logger,
      api: discord.apiBase,
      // Pulje's clock agrees with Discord's (NTP in production); here Discord's may be a ManualClock.
      now: () => discord.clock.now(),
      dmPacing: opts.dmPacing ?? { intervalMs: 10, retries: 3 },
      ...(opts.ack ? { ack: opts.ack } : {}),
      onSettled: (r) => {
        reports.push(r);
        all.push({ ...r, adapter: index });
        for (const w of [...waiters]) if (w()) waiters.delete(w);
      },
    });
  const adapters: DiscordAdapter[] = [];
  onTestFinished(async () => {
    for (const a of adapters) await a.close();
    await discord.close();
    discord.assertNoProblems();
  });
  const reports: SettledReport[] = [];
  const adapter = await start(0, reports);
  adapters.push(adapter);
  return {
    ...s,
    discord,
    adapter,
    router,
    pulje,
    db,
    groupId: boot.group.id,
    adminPersonId: boot.admin.id,
    log,
    reports,
    settled: (id) => until(() => all.find((r) => r.interactionId === id), `the adapter to finish interaction ${id}`),
    settledBy: (id, count) =>
      until(() => {
        const found = all.filter((r) => r.interactionId === id);
        return found.length >= count ? found : undefined;
      }, `${count} adapters to finish interaction ${id}`),
    async startAnother() {
      const more: SettledReport[] = [];
      const another = await start(adapters.length, more);
      adapters.push(another);
      return { adapter: another, reports: more };
    },
  };
}

export { ChannelKind, makeUser, type RoleObject, type UserObject };

/** Everything readable in a stored Discord message: content, embed titles, descriptions, fields, footers. */
export function readable(m: { content: string; embeds: readonly unknown[] }): string {
  return [
    m.content,
    ...(m.embeds as Array<Record<string, any>>).flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...((e.fields ?? []) as Array<{ name: string; value: string }>).flatMap((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ]),
  ].join('\n');
}

/** Discord's markdown escapes undone, to compare with what a flow wrote. */
export const unescapeDiscord = (text: string) => text.replace(/\\(.)/g, '$1').replace(/@\u200b/g, '@');

/** The buttons of a stored message, by label. */
export function buttons(m: { components: readonly unknown[] }): Array<{ label: string; custom_id: string; disabled?: boolean }> {
  return (m.components as Array<Record<string, any>>).flatMap((row) =>
    (row.components as Array<Record<string, any>>).filter((c) => c.type === 2),
  ) as Array<{ label: string; custom_id: string; disabled?: boolean }>;
}

export function button(m: { components: readonly unknown[] }, label: string | RegExp): string {
  const b = buttons(m).find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
  if (!b)
    throw new Error(
      `no button ${String(label)}; there are: ${buttons(m)
        .map((x) => x.label)
        .join(' | ')}`,
    );
  return b.custom_id;
}

export function selects(m: {
  components: readonly unknown[];
}): Array<{ custom_id: string; options: Array<{ label: string; value: string }>; min_values: number; max_values: number }> {
  return (m.components as Array<Record<string, any>>).flatMap((row) =>
    (row.components as Array<Record<string, any>>).filter((c) => c.type === 3),
  ) as never;
}

/**
 * Drives the real flows through Discord the way people would: slash commands, buttons on public and ephemeral
 * messages, modals. Each step waits until the adapter is done with the interaction.
 */
export function people(w: World) {
  const done = async (rec: InteractionRecord) => {
    await w.settled(rec.id);
    return w.discord.interaction(rec.id);
  };
  return {
    command: (user: UserObject, name: string, options?: Record<string, string | RoleObject>) =>
      done(w.discord.sendSlashCommand({ name, user, ...(options ? { options } : {}) })),
    click: (user: UserObject, message: StoredMessage, label: string | RegExp) =>
      done(w.discord.sendButton({ customId: button(message, label), message, user })),
    submit: (shown: InteractionRecord, values: Record<string, string>) => {
      expect(shown.response?.type, 'a modal was shown').toBe(9);
      return done(w.discord.sendModalSubmit({ interactionId: shown.id, values }));
    },
    /** Messages an interaction produced, in order: its answer, then its follow-ups. */
    answers: (i: InteractionRecord) => [i.original, ...i.followups].filter((m): m is StoredMessage => m !== undefined && !m.deleted),
  };
}

/** The public message an interaction produced (its answer or a follow-up). */
export const publicAnswer = (i: InteractionRecord) => [i.original, ...i.followups].find((m) => m && !m.ephemeral && !m.deleted)!;
