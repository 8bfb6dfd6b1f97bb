import { da, type MessageKey } from './messages/da.ts';
import { en } from './messages/en.ts';
import type { Locale } from './locale.ts';

export type { MessageKey } from './messages/da.ts';
export * from './locale.ts';
export { formatMoney, parseMoney } from './format.ts';

const catalogs: Record<Locale, Record<MessageKey, string>> = { da, en };
export type Params = Record<string, string | number>;

/**
 * Looks up a text and fills `{name}` placeholders; a missing parameter stays visible rather than vanishing.
 * `{name:one|other}` picks the word that agrees with the number `name` ("1 stemme", "2 stemmer").
 */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  return catalogs[locale][key]
    .replace(/\{(\w+):([^|{}]*)\|([^{}]*)\}/g, (whole, name: string, one: string, other: string) =>
      name in params ? (Number(params[name]) === 1 ? one : other) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isMessageKey(key: string): key is MessageKey {
  return key in da;
}
