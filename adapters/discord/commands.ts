import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale as DiscordLocale,
  PermissionFlagsBits,
  REST,
  Routes,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { truncate, type CommandInfo, type Router } from '../../src/conversation/index.ts';
import { LOCALES, type Locale } from '../../src/i18n/index.ts';

/** Discord's locales for each of Pulje's languages. */
const DISCORD_LOCALES: Record<Locale, DiscordLocale[]> = {
  da: [DiscordLocale.Danish],
  en: [DiscordLocale.EnglishUS, DiscordLocale.EnglishGB],
};
const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const description = (text: string) => truncate(text.replace(/\s+/g, ' ').trim(), 100) || '…';

/**
 * What a member needs, by default, to see and use a staff command: Manage Server. Admins give staff the staff
 * commands in Server Settings → Integrations → Pulje (their role, allowed), so young people never see them;
 * the router still checks the Pulje role of whoever uses one (interactions/application-commands § Permissions).
 */
export const STAFF_COMMAND_PERMISSIONS = String(PermissionFlagsBits.ManageGuild);

/** A staff command: one the router offers only to roles that do not include young people. */
const forStaff = (c: CommandInfo) => c.roles !== null && !c.roles.includes('youth');

/**
 * The slash commands, one per router command (so /help names exactly what Discord offers), described in the
 * default language with the other as localizations. Options are the command's arguments, required ones first
 * as Discord demands; arguments with suggestions get autocomplete, role arguments Discord's role picker. Staff
 * commands are hidden from members without Manage Server unless an admin allows them. Guild-only: DMs are bound
 * to no group.
 */
export function commandDefinitions(router: Router, defaultLocale: Locale): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const byLocale = new Map(LOCALES.map((l) => [l, new Map(router.describeCommands(l).map((c) => [c.name, c]))]));
  const localized = (pick: (c: CommandInfo) => string | undefined, name: string): LocalizationMap => {
    const out: LocalizationMap = {};
    for (const l of LOCALES) {
      const text = pick(byLocale.get(l)!.get(name)!);
      if (text) for (const dl of DISCORD_LOCALES[l]) out[dl] = description(text);
    }
    return out;
  };
  const danish = byLocale.get('da')!;
  const localizedName = (name: string): LocalizationMap => Object.fromEntries(DISCORD_LOCALES.da.map((dl) => [dl, name]));
  return [...byLocale.get(defaultLocale)!.values()].map((c) => {
    c = { ...c, ...(danish.get(c.name)?.localName ? { localName: danish.get(c.name)!.localName } : {}) };
    if (!NAME.test(c.name)) throw new Error(`command name ${c.name} is not a valid Discord command name`);
    const args = [...c.args.filter((a) => a.required), ...c.args.filter((a) => !a.required)];
    return {
      type: ApplicationCommandType.ChatInput,
      name: c.name,
      // A Danish name (the router's alias) is what Danish members see and type, and what Pulje's Danish texts
      // name; Discord still sends the interaction under the command's own name (AC § Localization).
      ...(c.localName && NAME.test(c.localName) ? { name_localizations: localizedName(c.localName) } : {}),
      description: description(c.description),
      description_localizations: localized((x) => x.description, c.name),
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      ...(forStaff(c) ? { default_member_permissions: STAFF_COMMAND_PERMISSIONS } : {}),
      options: args.map((a) => {
        if (!NAME.test(a.name)) throw new Error(`argument ${c.name}.${a.name} is not a valid Discord option name`);
        const common = {
          name: a.name,
          description: description(a.hint),
          description_localizations: localized((x) => x.args.find((y) => y.name === a.name)?.hint, c.name),
          required: a.required,
        };
        if (a.kind === 'role') return { type: ApplicationCommandOptionType.Role as const, ...common };
        return {
          type: ApplicationCommandOptionType.String as const,
          ...common,
          ...(a.complete ? { autocomplete: true } : {}),
          max_length: 4000,
        };
      }),
    };
  });
}

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Register in one server (shows at once; for trying out) instead of globally. */
  guildId?: string;
  router: Router;
  defaultLocale: Locale;
  /** Discord's REST API base; a local stand-in in tests. */
  api?: string;
}

/** What a registration changed in its scope, by command name. */
export interface Registered {
  commands: Array<{ id: string; name: string }>;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Global commands with the same names as ones just registered in a server: that server shows both. */
  alsoGlobal: string[];
}

type CommandBody = Record<string, unknown> & { name: string };

const rest = (token: string, api: string | undefined) => new REST(api ? { api } : {}).setToken(token);
const scopeRoute = (applicationId: string, guildId: string | undefined) =>
  guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
const list = async (r: REST, route: `/${string}`): Promise<CommandBody[]> =>
  (await r.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as CommandBody[];

/** Fields Discord fills in itself, which a definition never sets. */
const ASSIGNED = new Set([
  'id',
  'application_id',
  'version',
  'guild_id',
  'name_localized',
  'description_localized',
  'dm_permission',
  'default_permission',
  'handler',
]);

/** A value as Discord may echo it: absent, null, false, [] and {} are all "not set"; object keys in order. */
function canonical(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.length ? value.map((v) => canonical(v)) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (top && ASSIGNED.has(k)) continue;
      const v = canonical((value as Record<string, unknown>)[k]);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null || value === false ? undefined : value;
}
const sameCommand = (a: CommandBody, b: CommandBody) => JSON.stringify(canonical(a, true)) === JSON.stringify(canonical(b, true));

/**
 * Replaces the application's commands in one scope with Pulje's (a bulk overwrite, so commands Pulje no longer
 * has disappear and kept ones keep their ids and permissions), and says what changed compared with before.
 */
export async function registerCommands(opts: RegisterOptions): Promise<Registered> {
  const r = rest(opts.token, opts.api);
  const route = scopeRoute(opts.applicationId, opts.guildId);
  const wanted = commandDefinitions(opts.router, opts.defaultLocale) as unknown as CommandBody[];
  const before = await list(r, route);
  const registered = (await r.put(route, { body: wanted })) as Array<{ id: string; name: string }>;
  const old = new Map(before.map((c) => [c.name, c]));
  const names = new Set(wanted.map((c) => c.name));
  const global = opts.guildId ? await list(r, scopeRoute(opts.applicationId, undefined)) : [];
  return {
    commands: registered.map((c) => ({ id: c.id, name: c.name })),
    added: wanted.filter((c) => !old.has(c.name)).map((c) => c.name),
    updated: wanted.filter((c) => old.has(c.name) && !sameCommand(c, old.get(c.name)!)).map((c) => c.name),
    removed: before.filter((c) => !names.has(c.name)).map((c) => c.name),
    unchanged: wanted.filter((c) => old.has(c.name) && sameCommand(c, old.get(c.name)!)).map((c) => c.name),
    alsoGlobal: global.filter((c) => names.has(c.name)).map((c) => c.name),
  };
}

/** Removes every command of the application registered in one server (a trial); returns their names. */
export async function clearGuildCommands(opts: { token: string; applicationId: string; guildId: string; api?: string }): Promise<string[]> {
  const r = rest(opts.token, opts.api);
  const route = scopeRoute(opts.applicationId, opts.guildId);
  const before = await list(r, route);
  if (before.length) await r.put(route, { body: [] });
  return before.map((c) => c.name);
}
