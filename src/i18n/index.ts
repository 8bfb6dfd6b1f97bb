import { da, type MessageKey } from './messages/da.ts';
import { en } from './messages/en.ts';
import type { Locale } from './locale.ts';

export type { MessageKey } from './messages/da.ts';
export * from './locale.ts';
export { formatMoney, parseMoney } from './format.ts';

const catalogs: Record<Locale, Record<MessageKey, string>> = { da, en };
export type Params = Record<string, string | number>;

/** Looks up a text and fills `{name}` placeholders; a missing parameter stays visible rather than vanishing. */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isMessageKey(key: string): key is MessageKey {
  return key in da;
}
