import { z } from 'zod';
import type { ErrorParam } from '../core/errors.ts';
import { formatMoney } from '../i18n/index.ts';

/**
 * Money and counts are stored in 32-bit integer columns (PostgreSQL `integer`), so every amount a person
 * types must fit one: about 21 million kroner in øre, far beyond any youth budget.
 */
export const MAX_INT = 2_147_483_647;

/** The most money one amount may be: the largest whole number of kroner that fits (21.474.836 kr.). */
export const MAX_MONEY = Math.floor(MAX_INT / 100) * 100;

export const moneySchema = z.int().min(1).max(MAX_MONEY);

/** Money as an error parameter: errors are rendered later in the reader's language, so both renderings travel along. */
export function moneyParam(minor: number, currency = 'DKK'): ErrorParam {
  return { perLocale: { da: formatMoney(minor, 'da', currency), en: formatMoney(minor, 'en', currency) } };
}

const TIME_ZONE = 'Europe/Copenhagen';

export function formatDateTime(at: Date, locale: 'da' | 'en'): string {
  return at.toLocaleString(locale === 'da' ? 'da-DK' : 'en-GB', { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' });
}

/** A moment as an error parameter, in Danish time, rendered in the reader's language. */
export function dateParam(at: Date): ErrorParam {
  return { perLocale: { da: formatDateTime(at, 'da'), en: formatDateTime(at, 'en') } };
}

/** A moment from an adapter: a Date, or an ISO 8601 text with a time zone ("2026-05-01T18:00:00+02:00"). */
export const dateInput = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

/**
 * Bidirectional-text controls (U+202A–E, U+2066–9, LRM/RLM/ALM) let a title show something other than what it
 * says ("‮"-reversed names, hidden parts): they carry no meaning in Danish or English text, so they go.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
export const withoutBidiControls = (text: string) => text.replace(BIDI_CONTROLS, '');

/** Text a person wrote: bidi controls removed, trimmed, never empty. */
export const personText = (max: number) => z.string().transform(withoutBidiControls).pipe(z.string().trim().min(1).max(max));

/** Short single-line texts (titles, names): trimmed, never empty. */
export const shortText = personText;
