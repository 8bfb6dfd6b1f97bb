import { z } from 'zod';

export const LOCALES = ['da', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'da';
export const localeSchema = z.enum(LOCALES);

export function asLocale(value: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  return value === 'da' || value === 'en' ? value : fallback;
}
