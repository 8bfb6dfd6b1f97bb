import { createTranslator, defineCatalog } from '../../src/i18n/index.ts';

/**
 * The Discord adapter's own texts: what only Discord makes necessary (a placeholder after a deferral, what the
 * bot lacks in a channel). Permission names are Discord's own, in its Danish client and in English, so an admin
 * finds them in Server Settings whichever language their Discord speaks.
 */
export const DISCORD_TEXTS = defineCatalog({
  da: {
    'discord.answer_in_channel': 'Svaret står i kanalen.',
    'discord.answer_private': 'Pulje har svaret privat.',
    'discord.missing_permissions':
      'Jeg kunne ikke {action, select, thread {åbne en tråd til debatten} edit {rette en tidligere besked} other {skrive i kanalen}} i #{channel}, fordi Pulje mangler {count, plural, one {tilladelsen} other {tilladelserne}} {permissions} dér. Bed en administrator om at give Pulje {count, plural, one {den} other {dem}} under kanalens indstillinger → Tilladelser.',
    'discord.permission.ViewChannel': '«Se kanal» (View Channel)',
    'discord.permission.SendMessages': '«Send beskeder» (Send Messages)',
    'discord.permission.SendMessagesInThreads': '«Send beskeder i tråde» (Send Messages in Threads)',
    'discord.permission.CreatePublicThreads': '«Opret offentlige tråde» (Create Public Threads)',
    'discord.permission.EmbedLinks': '«Integrer links» (Embed Links)',
    'discord.permission.ReadMessageHistory': '«Læs beskedhistorik» (Read Message History)',
  },
  en: {
    'discord.answer_in_channel': 'The answer is in the channel.',
    'discord.answer_private': 'Pulje has answered privately.',
    'discord.missing_permissions':
      "I couldn't {action, select, thread {open a discussion thread} edit {update an earlier message} other {post}} in #{channel} because Pulje lacks the {count, plural, one {permission} other {permissions}} {permissions} there. Ask a server admin to give Pulje {count, plural, one {it} other {them}} in the channel's settings → Permissions.",
    'discord.permission.ViewChannel': '“View Channel”',
    'discord.permission.SendMessages': '“Send Messages”',
    'discord.permission.SendMessagesInThreads': '“Send Messages in Threads”',
    'discord.permission.CreatePublicThreads': '“Create Public Threads”',
    'discord.permission.EmbedLinks': '“Embed Links”',
    'discord.permission.ReadMessageHistory': '“Read Message History”',
  },
});

export const discordText = createTranslator(DISCORD_TEXTS);

export type DiscordTextKey = keyof (typeof DISCORD_TEXTS)['da'];
/** The permissions Pulje may ask an admin for, by discord.js's PermissionFlagsBits name. */
export type NamedPermission =
  | 'ViewChannel'
  | 'SendMessages'
  | 'SendMessagesInThreads'
  | 'CreatePublicThreads'
  | 'EmbedLinks'
  | 'ReadMessageHistory';
