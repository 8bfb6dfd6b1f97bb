import type { SchemaIssue } from './spec.ts';

/*
 * Application command rules Discord documents (developers/interactions/application-commands, "AC" below) that
 * the OpenAPI spec does not encode, or encodes more loosely. Each check names its section.
 */

/** Discord's locales (developers/reference § Locales): the only valid keys of *_localizations. */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set([
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
]);

/** AC § Application Command Types. */
export const CommandType = { ChatInput: 1, User: 2, Message: 3, PrimaryEntryPoint: 4 } as const;

/** AC § Application Command Option Type. */
export const OptionType = {
  SubCommand: 1,
  SubCommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

/** AC § Registering a Command: commands per type in one scope (global, or one guild). */
export const MAX_COMMANDS: Readonly<Record<number, number>> = { 1: 100, 2: 15, 3: 15, 4: 1 };
/** AC § Registering a Command (Danger box): "200 application command creates per day, per guild". */
export const DAILY_COMMAND_CREATES = 200;
/** AC § Slash Commands: combined name, description and value characters of one command. */
export const MAX_COMMAND_SIZE = 8000;

/**
 * AC § Application Command Naming: CHAT_INPUT command and option names match this (unicode flag), and must use
 * the lowercase variant of any letter that has one. (The issue quoted `^[-_\p{L}\p{N}]{1,32}$`; the docs today
 * also allow `'` and Devanagari/Thai marks, so the stand-in uses the documented pattern.)
 */
export const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** AC § Interaction Contexts / receiving-and-responding § Interaction Context Types. */
const CONTEXTS = new Set([0, 1, 2]);
/** resources/application § Application Integration Types: GUILD_INSTALL 0, USER_INSTALL 1. */
const INTEGRATION_TYPES = new Set([0, 1]);

type Obj = Record<string, any>;
type Path = Array<string | number>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0);

const issue = (path: Path, code: string, message: string): SchemaIssue => ({ path, code, message });

/** Whether every cased letter is in its lowercase form (AC § Application Command Naming). */
function isLowercase(name: string): boolean {
  return [...name].every((ch) => ch.toLowerCase() === ch);
}

function checkName(out: SchemaIssue[], path: Path, name: unknown, chatInput: boolean): void {
  if (typeof name !== 'string') {
    out.push(issue(path, 'BASE_TYPE_REQUIRED', 'This field is required'));
    return;
  }
  if (chars(name) < 1 || chars(name) > 32) {
    out.push(issue(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.'));
    return;
  }
  if (chatInput && (!CHAT_INPUT_NAME.test(name) || !isLowercase(name))) {
    out.push(issue(path, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid: ${JSON.stringify(name)}`));
  }
}

function checkDescription(out: SchemaIssue[], path: Path, description: unknown, required: boolean): void {
  if (!required) return;
  if (typeof description !== 'string' || chars(description) < 1 || chars(description) > 100) {
    out.push(issue(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'));
  }
}

/** *_localizations: keys from Discord's locale list, values under the same rules as the field (AC § Localization). */
function checkLocalizations(out: SchemaIssue[], path: Path, dict: unknown, value: (p: Path, v: unknown) => void): void {
  if (dict == null) return;
  if (!isObj(dict)) {
    out.push(issue(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    return;
  }
  for (const [locale, v] of Object.entries(dict)) {
    if (!DISCORD_LOCALES.has(locale)) {
      out.push(issue([...path, locale], 'LOCALE_INVALID', `Invalid locale ${JSON.stringify(locale)}: not one of Discord's locales.`));
      continue;
    }
    value([...path, locale], v);
  }
}

const VALUE_OPTION_TYPES = new Set<number>([OptionType.String, OptionType.Integer, OptionType.Number]);

/** Characters that count towards MAX_COMMAND_SIZE: for localized fields only the longest variant (AC § Slash Commands). */
function longest(value: unknown, dict: unknown): number {
  let n = chars(value);
  if (isObj(dict)) for (const v of Object.values(dict)) n = Math.max(n, chars(v));
  return n;
}

function checkOptions(out: SchemaIssue[], path: Path, options: unknown, depth: 0 | 1 | 2, size: { n: number }): void {
  if (options == null) return;
  if (!Array.isArray(options)) return; // the schema reports the type
  const list = options as unknown[];
  if (list.length > 25) out.push(issue(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.'));
  const isSub = (o: unknown) => isObj(o) && (o.type === OptionType.SubCommand || o.type === OptionType.SubCommandGroup);
  // AC § Subcommands and Subcommand Groups: a command with subcommands or groups cannot also take plain options.
  if (list.some(isSub) && !list.every(isSub)) {
    out.push(
      issue(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Subcommands and subcommand groups cannot be mixed with other options.'),
    );
  }
  const defaultNames = new Set<string>();
  const localizedNames = new Map<string, Set<string>>();
  let optionalSeen = false;
  list.forEach((o, i) => {
    const p: Path = [...path, i];
    if (!isObj(o)) return;
    const type = Number(o.type);
    checkName(out, [...p, 'name'], o.name, true);
    checkDescription(out, [...p, 'description'], o.description, true);
    checkLocalizations(out, [...p, 'name_localizations'], o.name_localizations, (lp, v) => checkName(out, lp, v, true));
    checkLocalizations(out, [...p, 'description_localizations'], o.description_localizations, (lp, v) =>
      checkDescription(out, lp, v, true),
    );
    size.n += longest(o.name, o.name_localizations) + longest(o.description, o.description_localizations);

    // AC § Application Command Option Structure: names unique within one options array.
    if (typeof o.name === 'string') {
      if (defaultNames.has(o.name))
        out.push(
          issue([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME', `Option name ${o.name} is already used in these options.`),
        );
      defaultNames.add(o.name);
    }
    // AC § Localization: a localized option name differs from the other default names and the other names in its locale.
    if (isObj(o.name_localizations)) {
      for (const [locale, v] of Object.entries(o.name_localizations)) {
        if (typeof v !== 'string') continue;
        const seen = localizedNames.get(locale) ?? new Set<string>();
        const clashesDefault = list.some((x, j) => j !== i && isObj(x) && x.name === v);
        if (seen.has(v) || clashesDefault) {
          out.push(
            issue(
              [...p, 'name_localizations', locale],
              'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME',
              `Localized option name ${v} clashes with another option name of this command.`,
            ),
          );
        }
        seen.add(v);
        localizedNames.set(locale, seen);
      }
    }

    if (type === OptionType.SubCommand || type === OptionType.SubCommandGroup) {
      // AC § Subcommands and Subcommand Groups: groups hold subcommands; subcommands hold plain options; one level.
      if (o.required != null)
        out.push(issue([...p, 'required'], 'APPLICATION_COMMAND_OPTION_REQUIRED_INVALID', 'Subcommands cannot be required.'));
      const nested = Array.isArray(o.options) ? (o.options as unknown[]) : [];
      if (type === OptionType.SubCommandGroup) {
        if (depth !== 0)
          out.push(issue([...p, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'A subcommand group can only be at the top level.'));
        if (nested.some((x) => !isObj(x) || x.type !== OptionType.SubCommand))
          out.push(issue([...p, 'options'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'A subcommand group holds only subcommands.'));
      } else if (depth === 2) {
        out.push(issue([...p, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Subcommands cannot be nested this deep.'));
      } else if (nested.some(isSub)) {
        out.push(issue([...p, 'options'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'A subcommand cannot hold subcommands or groups.'));
      }
      checkOptions(out, [...p, 'options'], o.options, type === OptionType.SubCommandGroup ? 1 : 2, size);
      return;
    }

    // AC § Application Command Option Structure (Warning): required options come before optional ones.
    if (o.required === true && optionalSeen) {
      out.push(
        issue(
          [...p, 'required'],
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        ),
      );
    }
    if (o.required !== true) optionalSeen = true;

    const choices = Array.isArray(o.choices) ? (o.choices as unknown[]) : undefined;
    if (choices?.length && !VALUE_OPTION_TYPES.has(type))
      out.push(
        issue([...p, 'choices'], 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Only string, integer and number options take choices.'),
      );
    if (o.autocomplete === true && !VALUE_OPTION_TYPES.has(type))
      out.push(
        issue(
          [...p, 'autocomplete'],
          'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID',
          'Only string, integer and number options autocomplete.',
        ),
      );
    // AC § Application Command Option Structure, note **: autocomplete may not be true when choices are present.
    if (o.autocomplete === true && choices?.length)
      out.push(issue([...p, 'autocomplete'], 'APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES', 'Autocomplete cannot be used with choices.'));
    if (choices) {
      if (choices.length > 25) out.push(issue([...p, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.'));
      const seen = new Set<string>();
      choices.forEach((c, j) => {
        const cp: Path = [...p, 'choices', j];
        if (!isObj(c)) return;
        // AC § Application Command Option Choice Structure: name 1–100, value up to 100 if a string, typed as the option.
        if (typeof c.name !== 'string' || chars(c.name) < 1 || chars(c.name) > 100)
          out.push(issue([...cp, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'));
        checkLocalizations(out, [...cp, 'name_localizations'], c.name_localizations, (lp, v) => {
          if (typeof v !== 'string' || chars(v) < 1 || chars(v) > 100)
            out.push(issue(lp, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'));
        });
        const typeOk =
          type === OptionType.String
            ? typeof c.value === 'string'
            : type === OptionType.Integer
              ? Number.isInteger(c.value)
              : typeof c.value === 'number';
        if (!typeOk) out.push(issue([...cp, 'value'], 'BASE_TYPE_BAD_TYPE', `The choice value must suit an option of type ${type}.`));
        if (typeof c.value === 'string' && chars(c.value) > 100)
          out.push(issue([...cp, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.'));
        const key = JSON.stringify(c.value);
        if (seen.has(key))
          out.push(issue([...cp, 'value'], 'APPLICATION_COMMAND_OPTION_CHOICE_DUPLICATE', 'Choice values must be unique.'));
        seen.add(key);
        size.n += longest(c.name, c.name_localizations) + chars(typeof c.value === 'string' ? c.value : String(c.value ?? ''));
      });
    }
    if (type === OptionType.String) {
      const min = typeof o.min_length === 'number' ? o.min_length : 0;
      const max = typeof o.max_length === 'number' ? o.max_length : 6000;
      if (min > max)
        out.push(issue([...p, 'min_length'], 'APPLICATION_COMMAND_OPTION_LENGTH_INVALID', 'min_length must not exceed max_length.'));
    } else if (o.min_length != null || o.max_length != null) {
      out.push(
        issue([...p, 'min_length'], 'APPLICATION_COMMAND_OPTION_LENGTH_INVALID', 'Only string options take min_length and max_length.'),
      );
    }
    if (type === OptionType.Integer || type === OptionType.Number) {
      if (typeof o.min_value === 'number' && typeof o.max_value === 'number' && o.min_value > o.max_value)
        out.push(issue([...p, 'min_value'], 'APPLICATION_COMMAND_OPTION_VALUE_INVALID', 'min_value must not exceed max_value.'));
    } else if (o.min_value != null || o.max_value != null) {
      out.push(
        issue(
          [...p, 'min_value'],
          'APPLICATION_COMMAND_OPTION_VALUE_INVALID',
          'Only integer and number options take min_value and max_value.',
        ),
      );
    }
    if (o.channel_types != null && type !== OptionType.Channel)
      out.push(issue([...p, 'channel_types'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Only channel options take channel_types.'));
  });
}

export interface CommandCheckContext {
  /** Guild commands ignore contexts/integration_types; global ones must stay within the app's installation contexts. */
  scope: 'global' | 'guild';
  /** The app's supported installation contexts (resources/application § Installation Context). */
  appIntegrationTypes: readonly number[];
  /** PATCH bodies: every field optional, the rest comes from the stored command. */
  partial?: boolean;
}

/** Documented problems with one command body; `at` is its place in the request ([] or [index] in a PUT). */
export function checkCommand(body: unknown, ctx: CommandCheckContext, at: Path = []): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (!isObj(body)) return out;
  const type = Number(body.type ?? CommandType.ChatInput);
  const chatInput = type === CommandType.ChatInput;
  if (!ctx.partial || 'name' in body) checkName(out, [...at, 'name'], body.name, chatInput);
  if (!ctx.partial || 'description' in body) {
    if (chatInput) checkDescription(out, [...at, 'description'], body.description, true);
    // AC § Application Command Structure: description is the empty string for USER and MESSAGE commands.
    else if (typeof body.description === 'string' && body.description !== '')
      out.push(
        issue([...at, 'description'], 'APPLICATION_COMMAND_DESCRIPTION_INVALID', 'USER and MESSAGE commands have an empty description.'),
      );
  }
  checkLocalizations(out, [...at, 'name_localizations'], body.name_localizations, (p, v) => checkName(out, p, v, chatInput));
  checkLocalizations(out, [...at, 'description_localizations'], body.description_localizations, (p, v) =>
    checkDescription(out, p, v, chatInput),
  );
  if (body.options != null && !chatInput && Array.isArray(body.options) && body.options.length)
    out.push(issue([...at, 'options'], 'APPLICATION_COMMAND_OPTIONS_INVALID', 'Only CHAT_INPUT commands take options.'));
  const size = { n: longest(body.name, body.name_localizations) + longest(body.description, body.description_localizations) };
  checkOptions(out, [...at, 'options'], body.options, 0, size);
  if (size.n > MAX_COMMAND_SIZE)
    out.push(issue(at.length ? at : ['name'], 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_SIZE})`));

  // AC § Using Default Permissions: a bitwise OR of permissions "serialized as a string". (The OpenAPI spec types it
  // as an integer; the stand-in holds to the documented string.)
  const dmp = body.default_member_permissions;
  if (dmp != null && !(typeof dmp === 'string' && /^(0|[1-9][0-9]*)$/.test(dmp))) {
    out.push(
      issue(
        [...at, 'default_member_permissions'],
        'PERMISSIONS_TYPE_INVALID',
        'default_member_permissions is a permission bit set serialized as a decimal string.',
      ),
    );
  }
  const list = (field: 'contexts' | 'integration_types', valid: Set<number>): void => {
    const v = body[field];
    if (v == null) return;
    if (!Array.isArray(v) || v.length === 0) {
      out.push(issue([...at, field], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.'));
      return;
    }
    v.forEach((x, i) => {
      if (!valid.has(x as number))
        out.push(issue([...at, field, i], 'BASE_TYPE_CHOICES', `Value must be one of ${JSON.stringify([...valid])}.`));
    });
    if (new Set(v).size !== v.length) out.push(issue([...at, field], 'BASE_TYPE_UNIQUE', 'Values must be unique.'));
  };
  list('contexts', CONTEXTS);
  list('integration_types', INTEGRATION_TYPES);
  // AC § Installation Context: integration_types only "as long as any included contexts are already supported on the
  // application-level".
  if (ctx.scope === 'global' && Array.isArray(body.integration_types)) {
    for (const [i, t] of (body.integration_types as unknown[]).entries()) {
      if (INTEGRATION_TYPES.has(t as number) && !ctx.appIntegrationTypes.includes(t as number)) {
        out.push(
          issue(
            [...at, 'integration_types', i],
            'APPLICATION_COMMAND_INTEGRATION_TYPE_UNSUPPORTED',
            `The application does not support installation context ${String(t)}.`,
          ),
        );
      }
    }
  }
  // AC § Registering a Command: an app cannot have a PRIMARY_ENTRY_POINT guild command.
  if (ctx.scope === 'guild' && type === CommandType.PrimaryEntryPoint)
    out.push(issue([...at, 'type'], 'APPLICATION_COMMAND_TYPE_INVALID', 'PRIMARY_ENTRY_POINT commands cannot be guild commands.'));
  return out;
}

/** A whole command set (a bulk overwrite): each body, unique names per type, at most MAX_COMMANDS per type. */
export function checkCommandSet(bodies: unknown, ctx: CommandCheckContext): SchemaIssue[] {
  if (!Array.isArray(bodies)) return [];
  const out: SchemaIssue[] = [];
  const names = new Map<string, number>();
  const perType = new Map<number, number>();
  bodies.forEach((b, i) => {
    out.push(...checkCommand(b, ctx, [i]));
    if (!isObj(b)) return;
    const type = Number(b.type ?? CommandType.ChatInput);
    perType.set(type, (perType.get(type) ?? 0) + 1);
    // AC § Registering a Command: names are unique per application, per type, within each scope.
    const key = `${type}:${String(b.name)}`;
    if (names.has(key)) out.push(issue([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique'));
    names.set(key, i);
  });
  for (const [type, n] of perType) {
    const max = MAX_COMMANDS[type];
    if (max !== undefined && n > max)
      out.push(issue([], 'APPLICATION_COMMANDS_TOO_MANY', `At most ${max} commands of type ${type} in one scope (got ${n}).`));
  }
  return out;
}
