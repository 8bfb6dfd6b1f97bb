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
  return [...byLocale.get(defaultLocale)!.values()].map((c) => {
    if (!NAME.test(c.name)) throw new Error(`command name ${c.name} is not a valid Discord command name`);
    const args = [...c.args.filter((a) => a.required), ...c.args.filter((a) => !a.required)];
    return {
      type: ApplicationCommandType.ChatInput,
      name: c.name,
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
  /** Register in one server (shows at once; for trying out) instead of globally (may take up to an hour). */
  guildId?: string;
  router: Router;
  defaultLocale: Locale;
  /** Discord's REST API base; a local stand-in in tests. */
  api?: string;
}

/** Replaces the application's commands with Pulje's (a PUT: commands Pulje no longer has disappear). */
export async function registerCommands(opts: RegisterOptions): Promise<Array<{ id: string; name: string }>> {
  const rest = new REST(opts.api ? { api: opts.api } : {}).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  const registered = (await rest.put(route, { body: commandDefinitions(opts.router, opts.defaultLocale) })) as Array<{
    id: string;
    name: string;
  }>;
  return registered.map((c) => ({ id: c.id, name: c.name }));
}
