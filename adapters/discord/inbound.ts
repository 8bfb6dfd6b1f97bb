import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type Channel,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { CompletionRequestInput, ConversationRef, InboundEventInput, PlatformRole, ReplyRef } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';

/** The interactions Pulje answers; anything else (context menus, other selects) is not Pulje's. */
export type HandledInteraction = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export function isHandled(i: BaseInteraction): i is HandledInteraction {
  return i.isChatInputCommand() || i.isButton() || i.isStringSelectMenu() || i.isModalSubmit();
}

/**
 * The roles a member holds in the server, by id. @everyone (whose id is the server's) is not one: every member
 * has it, so it can never single anyone out as staff.
 */
export function roleIdsOf(i: BaseInteraction): string[] {
  const member = i.inGuild() ? i.member : null;
  if (!member) return [];
  // A cached GuildMember has a role manager; an uncached one arrives as the raw list of role ids.
  const ids: string[] = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return ids.filter((id) => id !== i.guildId).slice(0, 250);
}

/**
 * What the platform says about someone: a server administrator, and a holder of DISCORD_STAFF_ROLE (a role id:
 * a role *name* is no proof, anyone allowed to manage roles can make one). The directory decides what that
 * means in Pulje; a staff role chosen with /bind takes precedence over DISCORD_STAFF_ROLE (see enrol).
 */
export function platformRoles(i: BaseInteraction, staffRole: string | undefined): PlatformRole[] {
  if (!i.inGuild()) return [];
  const roles: PlatformRole[] = [];
  if (i.memberPermissions?.has(PermissionFlagsBits.Administrator)) roles.push('server_admin');
  if (staffRole && roleIdsOf(i).includes(staffRole)) roles.push('staff');
  return roles;
}

/** Discord ids are snowflakes: 17 to 20 digits. */
export const isSnowflake = (value: string): boolean => /^\d{17,20}$/.test(value);

/** Discord's client language, if Pulje speaks it ("da", "en-US", "en-GB"). */
export function localeHint(i: BaseInteraction): Locale | undefined {
  if (i.locale.startsWith('da')) return 'da';
  if (i.locale.startsWith('en')) return 'en';
  return undefined;
}

/**
 * The chat place: the channel, or for a thread its parent, so a proposal's discussion thread belongs to the
 * group its channel is bound to. A DM is a place of its own (bound to nothing).
 */
export async function conversationOf(i: BaseInteraction): Promise<ConversationRef> {
  const channelId = i.channelId ?? `user:${i.user.id}`;
  let channel: Channel | null = i.channel;
  if (!channel && i.channelId && i.inGuild()) {
    channel = await i.client.channels.fetch(i.channelId).catch(() => null);
  }
  const parent = channel?.isThread() ? channel.parentId : null;
  return { platform: 'discord', channelId: parent ?? channelId };
}

function actorOf(i: BaseInteraction, staffRole: string | undefined) {
  const member = i.member && 'displayName' in i.member ? i.member : undefined;
  const nick = i.member && !member && 'nick' in i.member ? i.member.nick : null;
  return {
    platform: 'discord' as const,
    externalId: i.user.id,
    displayName: (member?.displayName ?? nick ?? i.user.globalName ?? i.user.username).slice(0, 200),
    roles: platformRoles(i, staffRole),
    roleIds: roleIdsOf(i),
  };
}

const sourceOf = (i: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction): ReplyRef | undefined =>
  i.message ? { platform: 'discord', channelId: i.message.channelId, messageId: i.message.id } : undefined;

/** Option values as strings, from a flat command or from inside its subcommand. */
function optionValues(options: readonly CommandInteractionOption[], skip?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of options) {
    if (o.options) Object.assign(out, optionValues(o.options, skip));
    else if (o.value !== undefined && o.value !== null && o.name !== skip) out[o.name] = String(o.value);
  }
  return out;
}

/** The neutral event for an interaction; its id is the idempotency key, so a redelivery is recognised anywhere. */
export async function toEvent(i: HandledInteraction, staffRole: string | undefined): Promise<InboundEventInput> {
  const hint = localeHint(i);
  const base = {
    idempotencyKey: `interaction:${i.id}`,
    actor: actorOf(i, staffRole),
    conversation: await conversationOf(i),
    ...(hint ? { localeHint: hint } : {}),
  };
  if (i.isChatInputCommand()) return { ...base, kind: 'command', name: i.commandName, args: optionValues(i.options.data) };
  if (i.isModalSubmit()) {
    const fields: Record<string, string> = {};
    for (const [id, f] of i.fields.fields) if ('value' in f && typeof f.value === 'string') fields[id] = f.value;
    const source = sourceOf(i);
    return { ...base, kind: 'form', formId: i.customId, fields, ...(source ? { source } : {}) };
  }
  const source = sourceOf(i);
  return {
    ...base,
    kind: 'action',
    actionId: i.customId,
    values: i.isStringSelectMenu() ? [...i.values] : [],
    ...(source ? { source } : {}),
  };
}

export async function toCompletion(i: AutocompleteInteraction, staffRole: string | undefined): Promise<CompletionRequestInput> {
  const focused = i.options.getFocused(true);
  const hint = localeHint(i);
  return {
    actor: actorOf(i, staffRole),
    conversation: await conversationOf(i),
    ...(hint ? { localeHint: hint } : {}),
    command: i.commandName,
    arg: focused.name,
    partial: String(focused.value).slice(0, 4000),
    args: optionValues(i.options.data, focused.name),
  };
}
