import { z } from 'zod';
import { localeSchema, type Locale } from '../i18n/locale.ts';
import { createPersonalDataFinder, type PersonalDataFinder } from './find.ts';
import { textSchema, type PersonalDataKind } from './types.ts';

/**
 * The kinds that get the private "you're about to share personal data" warning before a public message or idea is
 * shown to the group (issue 9, item 10). Names and social-media handles are left out on purpose: young people
 * name each other and share their own profiles in their own group all the time, and a warning on every name would
 * teach them to click past it.
 */
export const WARNING_KINDS = ['cpr', 'phone', 'email', 'address', 'bankAccount', 'iban'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

const finders: Partial<Record<Locale, PersonalDataFinder>> = {};

function finderFor(locale: Locale): PersonalDataFinder {
  finders[locale] ??= createPersonalDataFinder({ locale, kinds: [...WARNING_KINDS] });
  return finders[locale];
}

/**
 * Null when `text` holds none of the warning kinds; otherwise the kinds found, each once, in the order of
 * WARNING_KINDS (the flows turn them into words: "et CPR-nummer og et telefonnummer").
 */
export function personalDataWarning(text: string, locale: Locale = 'da'): WarningKind[] | null {
  const input = textSchema.parse(text);
  const loc = localeSchema.parse(locale);
  const found = new Set<PersonalDataKind>(
    finderFor(loc)
      .find(input)
      .map((s) => s.kind),
  );
  const kinds = WARNING_KINDS.filter((k) => found.has(k));
  return kinds.length ? kinds : null;
}

export const personalDataWarningInput = z.object({ text: textSchema, locale: localeSchema.default('da') });
