import { randomBytes } from 'node:crypto';
import { snowflake } from './snowflake.ts';
import { makeMember, type ChannelObject, type MemberObject, type RoleObject, type UserObject } from './factories.ts';
import { ComponentKind } from './limits.ts';
import { toPermissionBits, type PermissionInput } from './permissions.ts';
import { commandAccess, type CommandUser } from './command-access.ts';
import type { StandInRules } from './rules.ts';
import type { InteractionKind, InteractionRecord, RegisteredCommand, Store, StoredMessage } from './state.ts';

/*
 * What a user does in the Discord client, turned into INTERACTION_CREATE payloads. Anything the real client
 * would not let a user do (click a button that is not there, pick a value that is not offered, leave a required
 * modal field empty, use an option a registered command does not have) throws here, in the test, instead of
 * producing an interaction Discord would never send.
 */

export type OptionValue = string | number | boolean | UserObject | RoleObject | ChannelObject;

/** An option exactly as on the wire, for cases the shorthand does not cover. */
export interface RawCommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawCommandOption[];
  focused?: boolean;
}

export interface ActorOptions {
  /** The user acting; defaults to the stand-in's default user. */
  user?: UserObject;
  /** null for a DM with the bot; defaults to the default guild. */
  guildId?: string | null;
  /** Defaults to the guild's first text channel (or the user's DM channel). */
  channelId?: string;
  /** Role ids (or roles) the member has; replaces the member's roles in the stand-in's state. */
  roles?: Array<string | RoleObject>;
  /** Override for member.permissions as sent (otherwise computed from roles and channel overwrites). */
  permissions?: PermissionInput;
  /** The user's client locale; 'da' unless given. */
  locale?: string;
  /**
   * Gateway lag: the interaction was created this many ms before it is dispatched (its id's snowflake time lies in
   * the past by that much). Discord's 3 s and 15 min count from creation, so with 3500 no callback can be in time.
   */
  lagMs?: number;
}

export interface SlashCommandOptions extends ActorOptions {
  name: string;
  group?: string;
  subcommand?: string;
  /** { option: value } (types come from the registered command, else are inferred) or raw options. */
  options?: Record<string, OptionValue> | RawCommandOption[];
}

export interface AutocompleteOptions extends SlashCommandOptions {
  /** The option being typed in. */
  focused: string;
}

export interface ComponentOptions extends ActorOptions {
  customId: string;
  /** The message the component is on (record or id); defaults to the newest bot message showing that custom id. */
  message?: StoredMessage | string;
}

export interface SelectOptions extends ComponentOptions {
  values: string[];
}

export interface ModalSubmitOptions {
  /** The interaction that was answered with the modal (callback type 9). */
  interactionId: string;
  /** Text typed per text input custom_id (or chosen values for selects in labels). */
  values: Record<string, string | string[]>;
  /** See ActorOptions.lagMs. */
  lagMs?: number;
}

export interface Deps {
  store: Store;
  rules: StandInRules;
  defaultUser(): UserObject;
  defaultGuildId(): string | null;
  interactionDeadlineMs: number;
  webhookLifetimeMs: number;
  dispatchInteraction(record: InteractionRecord): void;
}

const OPTION = {
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

interface Actor {
  lagMs: number;
  user: UserObject;
  guildId: string | null;
  channel: ChannelObject;
  member?: MemberObject;
  permissions?: bigint;
  locale: string;
}

function resolveActor(deps: Deps, opts: ActorOptions, fallback?: { guildId: string | null; channelId: string }): Actor {
  const { store } = deps;
  const user = opts.user ?? deps.defaultUser();
  store.users.set(user.id, user);
  let channel: ChannelObject | undefined;
  const channelId = opts.channelId ?? fallback?.channelId;
  if (channelId) {
    channel = store.channels.get(channelId);
    if (!channel) throw new Error(`Discord stand-in: no channel ${channelId}`);
  }
  let guildId =
    opts.guildId !== undefined ? opts.guildId : channel ? (channel.guild_id ?? null) : (fallback?.guildId ?? deps.defaultGuildId());
  if (channel && (channel.guild_id ?? null) !== guildId) {
    if (opts.guildId !== undefined) throw new Error(`Discord stand-in: channel ${channel.id} is not in guild ${String(guildId)}`);
    guildId = channel.guild_id ?? null;
  }
  if (guildId === null) {
    channel ??= store.dmChannelFor(user);
  } else {
    const guild = store.guild(guildId);
    if (!guild) throw new Error(`Discord stand-in: no guild ${guildId}`);
    channel ??= guild.channels.find((c) => c.type === 0);
    if (!channel) throw new Error(`Discord stand-in: guild ${guildId} has no text channel`);
  }
  if (opts.lagMs !== undefined && !(opts.lagMs >= 0))
    throw new Error(`Discord stand-in: lagMs must be a non-negative number (got ${opts.lagMs})`);
  const actor: Actor = { user, guildId, channel, locale: opts.locale ?? 'da', lagMs: opts.lagMs ?? 0 };
  if (guildId !== null) {
    const guild = store.guild(guildId)!;
    let member = guild.members.find((m) => m.user.id === user.id);
    if (!member) {
      member = makeMember(user);
      guild.members.push(member);
    }
    if (opts.roles) {
      const ids = opts.roles.map((r) => (typeof r === 'string' ? r : r.id));
      for (const id of ids)
        if (!guild.roles.some((r) => r.id === id)) throw new Error(`Discord stand-in: guild ${guildId} has no role ${id}`);
      member.roles = ids;
    }
    actor.member = member;
  }
  if (opts.permissions !== undefined) actor.permissions = toPermissionBits(opts.permissions);
  return actor;
}

function partialChannel(store: Store, channel: ChannelObject, userId: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...store.apiChannel(channel) };
  if (channel.guild_id) out.permissions = String(store.channelPermissions(channel.id, userId));
  return out;
}

function newRecord(
  deps: Deps,
  kind: InteractionKind,
  type: number,
  data: Record<string, unknown>,
  actor: Actor,
  message?: StoredMessage,
): InteractionRecord {
  const { store } = deps;
  const now = store.clock.now();
  // The id is minted when Discord creates the interaction; with gateway lag that is before the dispatch.
  const createdAt = now - actor.lagMs;
  const id = snowflake({ now: () => createdAt });
  const token = `standin.${id}.${randomBytes(24).toString('base64url')}`;
  const payload: Record<string, any> = {
    id,
    application_id: store.applicationId,
    type,
    data,
    token,
    version: 1,
    channel: partialChannel(store, actor.channel, actor.user.id),
    channel_id: actor.channel.id,
    app_permissions: String(store.channelPermissions(actor.channel.id, store.bot.id)),
    locale: actor.locale,
    entitlements: [],
    authorizing_integration_owners: actor.guildId ? { '0': actor.guildId } : { '1': actor.user.id },
    context: actor.guildId ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (actor.guildId && actor.member) {
    const guild = store.guild(actor.guildId)!;
    payload.guild_id = actor.guildId;
    payload.guild = { id: actor.guildId, locale: guild.preferredLocale, features: [] };
    payload.guild_locale = guild.preferredLocale;
    const permissions = actor.permissions ?? store.channelPermissions(actor.channel.id, actor.user.id);
    payload.member = { ...structuredClone(actor.member), permissions: String(permissions) };
  } else {
    payload.user = actor.user;
  }
  if (message) payload.message = store.apiMessage(message);
  const record: InteractionRecord = {
    id,
    token,
    applicationId: store.applicationId,
    type,
    kind,
    payload,
    userId: actor.user.id,
    guildId: actor.guildId,
    channelId: actor.channel.id,
    deliveries: [],
    createdAt,
    dispatchedAt: now,
    // receiving-and-responding § Interaction Callback: the first response within 3 s, tokens valid 15 minutes;
    // both count from the interaction's creation (its snowflake time), not from when the bot got it.
    deadlineAt: createdAt + deps.interactionDeadlineMs,
    tokenExpiresAt: createdAt + deps.webhookLifetimeMs,
    attempts: [],
    edits: [],
    followups: [],
    late: false,
  };
  if (message) record.sourceMessage = message;
  store.interactions.set(id, record);
  store.interactionsByToken.set(token, record);
  return record;
}

// ── application commands ─────────────────────────────────────────────────────────────────────────────────────

/** A simulated user tried a command the Discord client would not offer them (not registered here, or not permitted). */
export class CommandUnavailableError extends Error {
  constructor(message: string) {
    super(`Discord stand-in: ${message}`);
    this.name = 'CommandUnavailableError';
  }
}

export function actorAsCommandUser(store: Store, actor: Actor): CommandUser {
  const roles = actor.member?.roles ?? [];
  return {
    userId: actor.user.id,
    guildId: actor.guildId,
    channelId: actor.channel.id,
    roles,
    permissions: actor.permissions ?? (actor.guildId ? store.channelPermissions(actor.channel.id, actor.user.id) : 0n),
  };
}

/** Whether the user `opts` describes could invoke a command (see command-access.ts); nothing is dispatched. */
export function availability(
  deps: Deps,
  opts: ActorOptions & { name: string; type?: number },
): { available: boolean; reason?: string; command?: RegisteredCommand } {
  const actor = resolveActor(deps, opts);
  const type = opts.type ?? 1;
  const command = deps.store.commandsFor(actor.guildId).find((c) => c.name === opts.name && Number(c.type ?? 1) === type);
  if (!command) return { available: false, reason: 'not registered in this scope' };
  const access = commandAccess(deps.store, command, actorAsCommandUser(deps.store, actor));
  return access.ok ? { available: true, command } : { available: false, reason: access.reason, command };
}

/** The commands the Discord client's picker shows this user here. */
export function visible(deps: Deps, opts: ActorOptions): RegisteredCommand[] {
  const actor = resolveActor(deps, opts);
  const who = actorAsCommandUser(deps.store, actor);
  return deps.store.commandsFor(actor.guildId).filter((c) => commandAccess(deps.store, c, who).ok);
}

const unregisteredIds = new Map<string, string>();

function commandData(deps: Deps, opts: SlashCommandOptions, actor: Actor, focused?: string): Record<string, unknown> {
  const { store } = deps;
  const registered = store.commandsFor(actor.guildId).find((c) => c.name === opts.name && Number(c.type ?? 1) === 1);
  if (deps.rules.commandAvailability) {
    // Discord's client only offers what is registered in scope and usable by this member (command-access.ts).
    const where = actor.guildId ? `guild ${actor.guildId}, channel ${actor.channel.id}` : 'a DM';
    if (!registered)
      throw new CommandUnavailableError(
        `/${opts.name} is registered neither globally nor in ${actor.guildId ? `guild ${actor.guildId}` : 'DMs'}`,
      );
    const access = commandAccess(store, registered, actorAsCommandUser(store, actor));
    if (!access.ok)
      throw new CommandUnavailableError(`/${opts.name} is not available to ${actor.user.username} in ${where}: ${access.reason}`);
  }
  let defs: Array<Record<string, any>> | undefined = registered ? (registered.options ?? []) : undefined;
  const where = `/${[opts.name, opts.group, opts.subcommand].filter(Boolean).join(' ')}`;
  if (defs && opts.group) {
    defs = defs.find((o) => o.type === OPTION.SubCommandGroup && o.name === opts.group)?.options;
    if (!defs) throw new Error(`Discord stand-in: registered command /${opts.name} has no subcommand group ${opts.group}`);
  }
  if (defs && opts.subcommand) {
    defs =
      defs.find((o) => o.type === OPTION.SubCommand && o.name === opts.subcommand)?.options ??
      (defs.some((o) => o.type === OPTION.SubCommand && o.name === opts.subcommand) ? [] : undefined);
    if (!defs) throw new Error(`Discord stand-in: registered command /${opts.name} has no subcommand ${opts.subcommand}`);
  }
  if (registered && !opts.subcommand && defs?.some((o) => o.type === OPTION.SubCommand || o.type === OPTION.SubCommandGroup)) {
    throw new Error(`Discord stand-in: ${where} needs a subcommand; Discord never sends the bare command`);
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  const addResolved = (kind: string, id: string, value: unknown): void => {
    (resolved[kind] ??= {})[id] = value;
  };
  let options: RawCommandOption[];
  if (Array.isArray(opts.options)) {
    options = opts.options;
  } else {
    options = [];
    const given = opts.options ?? {};
    for (const [name, value] of Object.entries(given)) {
      const def = defs?.find((o) => o.name === name);
      if (defs && !def) throw new Error(`Discord stand-in: ${where} has no option "${name}"`);
      const type: number = def?.type ?? inferType(value);
      const option: RawCommandOption = { name, type, value: optionValue(deps, type, value, actor, addResolved, where) };
      if (def) checkOption(def, option.value, where, name === focused);
      if (name === focused) option.focused = true;
      options.push(option);
    }
    for (const def of defs ?? []) {
      if (
        def.required &&
        !(def.name in given) &&
        def.type !== OPTION.SubCommand &&
        def.type !== OPTION.SubCommandGroup &&
        focused === undefined
      ) {
        throw new Error(`Discord stand-in: ${where} needs option "${String(def.name)}" (required)`);
      }
    }
    if (focused !== undefined && !options.some((o) => o.focused))
      throw new Error(`Discord stand-in: focused option "${focused}" has no value in options`);
  }
  for (const o of options) if (typeof o.value === 'string' && o.type === OPTION.String) store.userTexts.add(o.value);
  let wrapped: RawCommandOption[] = options;
  if (opts.subcommand) wrapped = [{ name: opts.subcommand, type: OPTION.SubCommand, options }];
  if (opts.group) wrapped = [{ name: opts.group, type: OPTION.SubCommandGroup, options: wrapped }];
  let id = registered?.id;
  if (!id) {
    id = unregisteredIds.get(opts.name) ?? store.id();
    unregisteredIds.set(opts.name, id);
  }
  const data: Record<string, unknown> = { id, name: opts.name, type: 1 };
  if (wrapped.length) data.options = wrapped;
  if (Object.keys(resolved).length) data.resolved = resolved;
  if (registered?.guild_id) data.guild_id = registered.guild_id;
  return data;
}

function inferType(value: OptionValue): number {
  if (typeof value === 'boolean') return OPTION.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? OPTION.Integer : OPTION.Number;
  if (typeof value === 'string') return OPTION.String;
  if ('username' in value) return OPTION.User;
  if ('permissions' in value && 'color' in value) return OPTION.Role;
  return OPTION.Channel;
}

function optionValue(
  deps: Deps,
  type: number,
  value: OptionValue,
  actor: Actor,
  addResolved: (kind: string, id: string, value: unknown) => void,
  where: string,
): string | number | boolean {
  const { store } = deps;
  const id = typeof value === 'object' ? value.id : String(value);
  switch (type) {
    case OPTION.User:
    case OPTION.Mentionable: {
      const user = store.users.get(id);
      const role = actor.guildId ? store.role(actor.guildId, id) : undefined;
      if (user) {
        addResolved('users', id, user);
        const member = actor.guildId ? store.member(actor.guildId, id) : undefined;
        if (member) {
          const { user: _user, ...rest } = member;
          addResolved('members', id, { ...rest, permissions: String(store.channelPermissions(actor.channel.id, id)) });
        }
      } else if (role && type === OPTION.Mentionable) {
        addResolved('roles', id, role);
      } else {
        throw new Error(`Discord stand-in: ${where}: no user ${id} to pick`);
      }
      return id;
    }
    case OPTION.Role: {
      const role = actor.guildId ? store.role(actor.guildId, id) : undefined;
      if (!role) throw new Error(`Discord stand-in: ${where}: no role ${id} to pick`);
      addResolved('roles', id, role);
      return id;
    }
    case OPTION.Channel: {
      const channel = store.channels.get(id);
      if (!channel) throw new Error(`Discord stand-in: ${where}: no channel ${id} to pick`);
      addResolved('channels', id, partialChannel(store, channel, actor.user.id));
      return id;
    }
    case OPTION.Integer:
    case OPTION.Number:
      if (typeof value !== 'number')
        throw new Error(`Discord stand-in: ${where}: option of type ${type} needs a number (got ${JSON.stringify(value)})`);
      if (type === OPTION.Integer && !Number.isInteger(value)) throw new Error(`Discord stand-in: ${where}: ${value} is not an integer`);
      return value;
    case OPTION.Boolean:
      if (typeof value !== 'boolean')
        throw new Error(`Discord stand-in: ${where}: option needs true or false (got ${JSON.stringify(value)})`);
      return value;
    default:
      if (typeof value !== 'string')
        throw new Error(`Discord stand-in: ${where}: option of type ${type} needs a string (got ${JSON.stringify(value)})`);
      return value;
  }
}

/** What the Discord client enforces before sending: choices, lengths and ranges (not for the option being typed). */
function checkOption(def: Record<string, any>, value: unknown, where: string, focused: boolean): void {
  if (focused) return;
  const name = String(def.name);
  if (Array.isArray(def.choices) && def.choices.length && !def.choices.some((c: { value: unknown }) => c.value === value)) {
    throw new Error(`Discord stand-in: ${where}: ${JSON.stringify(value)} is not one of the choices for "${name}"`);
  }
  if (typeof value === 'string') {
    if (typeof def.min_length === 'number' && [...value].length < def.min_length)
      throw new Error(`Discord stand-in: ${where}: "${name}" is shorter than ${def.min_length}`);
    if (typeof def.max_length === 'number' && [...value].length > def.max_length)
      throw new Error(`Discord stand-in: ${where}: "${name}" is longer than ${def.max_length}`);
    if ([...value].length > 6000) throw new Error(`Discord stand-in: ${where}: "${name}" is longer than Discord's 6000`);
  }
  if (typeof value === 'number') {
    if (typeof def.min_value === 'number' && value < def.min_value)
      throw new Error(`Discord stand-in: ${where}: "${name}" is below ${def.min_value}`);
    if (typeof def.max_value === 'number' && value > def.max_value)
      throw new Error(`Discord stand-in: ${where}: "${name}" is above ${def.max_value}`);
  }
}

export function slashCommand(deps: Deps, opts: SlashCommandOptions): InteractionRecord {
  const actor = resolveActor(deps, opts);
  const record = newRecord(deps, 'command', 2, commandData(deps, opts, actor), actor);
  deps.dispatchInteraction(record);
  return record;
}

export function autocomplete(deps: Deps, opts: AutocompleteOptions): InteractionRecord {
  const actor = resolveActor(deps, opts);
  const record = newRecord(deps, 'autocomplete', 4, commandData(deps, opts, actor, opts.focused), actor);
  deps.dispatchInteraction(record);
  return record;
}

// ── components ───────────────────────────────────────────────────────────────────────────────────────────────

function findComponent(list: unknown[], customId: string): Record<string, any> | undefined {
  for (const c of list) {
    if (!c || typeof c !== 'object') continue;
    const comp = c as Record<string, any>;
    if (comp.custom_id === customId) return comp;
    const inner = findComponent(
      [
        ...(Array.isArray(comp.components) ? comp.components : []),
        ...(comp.accessory ? [comp.accessory] : []),
        ...(comp.component ? [comp.component] : []),
      ],
      customId,
    );
    if (inner) return inner;
  }
  return undefined;
}

function componentMessage(deps: Deps, opts: ComponentOptions): { message: StoredMessage; component: Record<string, any> } {
  const { store } = deps;
  let message: StoredMessage | undefined;
  if (opts.message !== undefined) {
    message = typeof opts.message === 'string' ? store.messages.get(opts.message) : opts.message;
    if (!message) throw new Error(`Discord stand-in: no message ${String(opts.message)}`);
  } else {
    const candidates = [...store.messages.values()].filter(
      (m) =>
        !m.deleted &&
        m.author.id === store.bot.id &&
        (!opts.channelId || m.channelId === opts.channelId) &&
        findComponent(m.components, opts.customId),
    );
    message = candidates.at(-1);
    if (!message) throw new Error(`Discord stand-in: no bot message shows a component with custom_id ${JSON.stringify(opts.customId)}`);
  }
  if (message.deleted) throw new Error(`Discord stand-in: message ${message.id} was deleted`);
  if (message.loading) throw new Error(`Discord stand-in: message ${message.id} is still "thinking" (deferred, not edited yet)`);
  const component = findComponent(message.components, opts.customId);
  if (!component)
    throw new Error(`Discord stand-in: message ${message.id} has no component with custom_id ${JSON.stringify(opts.customId)}`);
  if (component.disabled) throw new Error(`Discord stand-in: component ${JSON.stringify(opts.customId)} is disabled`);
  return { message, component };
}

export function button(deps: Deps, opts: ComponentOptions): InteractionRecord {
  const { message, component } = componentMessage(deps, opts);
  if (component.type !== ComponentKind.Button)
    throw new Error(`Discord stand-in: ${JSON.stringify(opts.customId)} is not a button (type ${String(component.type)})`);
  const actor = resolveActor(deps, opts, { guildId: message.guildId, channelId: message.channelId });
  const record = newRecord(deps, 'component', 3, { custom_id: opts.customId, component_type: ComponentKind.Button }, actor, message);
  deps.dispatchInteraction(record);
  return record;
}

export function select(deps: Deps, opts: SelectOptions): InteractionRecord {
  const { store } = deps;
  const { message, component } = componentMessage(deps, opts);
  const type = Number(component.type);
  if (![3, 5, 6, 7, 8].includes(type))
    throw new Error(`Discord stand-in: ${JSON.stringify(opts.customId)} is not a select menu (type ${type})`);
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (opts.values.length < min || opts.values.length > max) {
    throw new Error(`Discord stand-in: select ${JSON.stringify(opts.customId)} takes ${min}–${max} values (got ${opts.values.length})`);
  }
  const actor = resolveActor(deps, opts, { guildId: message.guildId, channelId: message.channelId });
  const data: Record<string, unknown> = { custom_id: opts.customId, component_type: type, values: opts.values };
  if (type === ComponentKind.StringSelect) {
    const offered = new Set((component.options as Array<{ value: string }>).map((o) => o.value));
    for (const v of opts.values)
      if (!offered.has(v))
        throw new Error(`Discord stand-in: select ${JSON.stringify(opts.customId)} offers no value ${JSON.stringify(v)}`);
  } else {
    const resolved: Record<string, Record<string, unknown>> = {};
    for (const id of opts.values) {
      const user = store.users.get(id);
      const role = actor.guildId ? store.role(actor.guildId, id) : undefined;
      const channel = store.channels.get(id);
      if ((type === 5 || type === 7) && user) {
        (resolved.users ??= {})[id] = user;
        const member = actor.guildId ? store.member(actor.guildId, id) : undefined;
        if (member) {
          const { user: _u, ...rest } = member;
          (resolved.members ??= {})[id] = { ...rest, permissions: String(store.channelPermissions(actor.channel.id, id)) };
        }
      } else if ((type === 6 || type === 7) && role) {
        (resolved.roles ??= {})[id] = role;
      } else if (type === 8 && channel) {
        (resolved.channels ??= {})[id] = partialChannel(store, channel, actor.user.id);
      } else {
        throw new Error(`Discord stand-in: select ${JSON.stringify(opts.customId)} (type ${type}) cannot pick ${id}`);
      }
    }
    data.resolved = resolved;
  }
  const record = newRecord(deps, 'component', 3, data, actor, message);
  deps.dispatchInteraction(record);
  return record;
}

// ── modals ───────────────────────────────────────────────────────────────────────────────────────────────────

export function modalSubmit(deps: Deps, opts: ModalSubmitOptions): InteractionRecord {
  const { store } = deps;
  const shown = store.interactions.get(opts.interactionId);
  if (!shown) throw new Error(`Discord stand-in: no interaction ${opts.interactionId}`);
  const modal = shown.modal;
  if (!modal || shown.response?.type !== 9)
    throw new Error(`Discord stand-in: interaction ${opts.interactionId} was not answered with a modal`);
  const remaining = new Set(Object.keys(opts.values));
  const fill = (c: Record<string, any>): Record<string, unknown> => {
    const id = String(c.custom_id);
    remaining.delete(id);
    const given = opts.values[id];
    if (c.type === ComponentKind.TextInput) {
      if (Array.isArray(given)) throw new Error(`Discord stand-in: text input ${id} takes a string`);
      const value = given ?? (typeof c.value === 'string' ? c.value : '');
      const n = [...value].length;
      const required = c.required !== false;
      if (required && n === 0) throw new Error(`Discord stand-in: modal field ${id} is required`);
      if (n > 0 && typeof c.min_length === 'number' && n < c.min_length)
        throw new Error(`Discord stand-in: modal field ${id} needs at least ${c.min_length} characters (got ${n})`);
      if (n > (typeof c.max_length === 'number' ? c.max_length : 4000))
        throw new Error(`Discord stand-in: modal field ${id} takes at most ${String(c.max_length ?? 4000)} characters (got ${n})`);
      if (value) store.userTexts.add(value);
      return { type: ComponentKind.TextInput, ...(c.id !== undefined ? { id: c.id } : {}), custom_id: id, value };
    }
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
    if (c.type === ComponentKind.StringSelect) {
      const offered = new Set((c.options as Array<{ value: string }>).map((o) => o.value));
      for (const v of values)
        if (!offered.has(v)) throw new Error(`Discord stand-in: modal select ${id} offers no value ${JSON.stringify(v)}`);
    }
    return { type: c.type, ...(c.id !== undefined ? { id: c.id } : {}), custom_id: id, values };
  };
  const components = (modal.components as Array<Record<string, any>>).map((row) => {
    if (row.type === ComponentKind.ActionRow)
      return {
        type: 1,
        ...(row.id !== undefined ? { id: row.id } : {}),
        components: (row.components as Array<Record<string, any>>).map(fill),
      };
    if (row.type === ComponentKind.Label)
      return { type: ComponentKind.Label, ...(row.id !== undefined ? { id: row.id } : {}), component: fill(row.component) };
    return { type: row.type, ...(row.id !== undefined ? { id: row.id } : {}) };
  });
  if (remaining.size)
    throw new Error(`Discord stand-in: the modal has no field ${[...remaining].map((r) => JSON.stringify(r)).join(', ')}`);
  const user = store.users.get(shown.userId)!;
  const actor = resolveActor(deps, {
    user,
    guildId: shown.guildId,
    channelId: shown.channelId,
    locale: String(shown.payload.locale ?? 'da'),
    ...(opts.lagMs !== undefined ? { lagMs: opts.lagMs } : {}),
  });
  const record = newRecord(deps, 'modal-submit', 5, { custom_id: modal.custom_id, components }, actor, shown.sourceMessage);
  deps.dispatchInteraction(record);
  return record;
}
