import { t, type Locale } from '../../src/i18n/index.ts';

/*
 * The few sentences only the Discord adapter says (about Discord itself, not about budgets). Kept here rather than
 * in the shared catalogs, which the flows own; `error.internal` still comes from the shared catalog.
 */
const TEXTS = {
  da: {
    formTooSlow: 'Det tog for lang tid at åbne formularen. Prøv igen.',
    dmClosed:
      'Jeg kunne ikke sende dig en kopi som privat besked, fordi du har slået beskeder fra serveren fra. Gem denne besked, eller tag et skærmbillede.',
  },
  en: {
    formTooSlow: 'Opening the form took too long. Please try again.',
    dmClosed:
      "I couldn't send you a copy as a direct message because your DMs from this server are turned off. Keep this message, or take a screenshot.",
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type DiscordText = keyof (typeof TEXTS)['da'];

export function discordText(locale: Locale, key: DiscordText | 'error.internal'): string {
  return key === 'error.internal' ? t(locale, key) : TEXTS[locale][key];
}
