import type { z } from 'zod';
import { formatMoney, isMessageKey, type Locale, type MessageKey, type Params, tLoose } from '../i18n/index.ts';

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'not_member'
  | 'wrong_phase'
  | 'locked'
  | 'reason_required'
  | 'voting_closed'
  | 'personal_data'
  | 'voting_closed_counted'
  | 'voting_closed_pending'
  | 'voting_closed_missed'
  | 'ballot_invalid'
  | 'not_author'
  | 'conflict'
  | 'internal';

/**
 * A parameter is literal, a text to look up, a list of texts joined in the reader's language, or a value
 * already rendered for each language (money, dates).
 */
export type ErrorParam =
  | string
  | number
  | { key: MessageKey; params?: Params }
  | { anyOf: MessageKey[] }
  | { perLocale: Record<Locale, string> };
export interface Detail {
  key: MessageKey;
  params?: Record<string, ErrorParam>;
  /** The form input (or schema field) the detail is about, so a form can show it next to that input. */
  input?: string;
}

/**
 * The one error type use cases throw for anything a person did or asked wrongly. It carries codes and
 * parameters, not sentences, so each adapter renders it in the reader's language; nothing was changed.
 */
export class PuljeError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, ErrorParam> = {},
    readonly details: Detail[] = [],
  ) {
    super(`${code}${details.length ? `: ${details.map((d) => d.key).join(', ')}` : ''}`);
    this.name = 'PuljeError';
  }

  localize(locale: Locale): string {
    const params = renderParams(this.params, locale);
    if (this.details.length)
      params.details = this.details.map((d) => tLoose(locale, d.key, renderParams(d.params ?? {}, locale))).join('; ');
    return tLoose(locale, `error.${this.code}` as MessageKey, params);
  }

  /**
   * The details that belong to one of `inputs` (by their `input`, else by a `field.<input>` parameter), each as a
   * sentence in the reader's language; null when none does, so the error is about the whole form.
   */
  byInput(locale: Locale, inputs: readonly string[]): Record<string, string> | null {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.params?.field;
      const fromKey = typeof field === 'object' && 'key' in field && field.key.startsWith('field.') ? field.key.slice(6) : undefined;
      const input = [d.input, fromKey].find((name) => name !== undefined && inputs.includes(name));
      if (!input) continue;
      const sentence = detailText(locale, d);
      out[input] = out[input] ? `${out[input]} ${sentence}` : sentence;
    }
    return Object.keys(out).length ? out : null;
  }
}

/** One detail as a sentence of its own in the reader's language ("Pris må højst være 21.474.836 kr."). */
export function detailText(locale: Locale, d: Detail): string {
  const text = tLoose(locale, d.key, renderParams(d.params ?? {}, locale));
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

function renderParams(params: Record<string, ErrorParam>, locale: Locale): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = value;
    else if ('perLocale' in value) out[name] = value.perLocale[locale];
    // "unge eller medarbejdere" / "young people or staff": Intl.ListFormat joins them in the reader's language.
    else if ('anyOf' in value) out[name] = { list: value.anyOf.map((k) => tLoose(locale, k)), join: 'or' };
    else out[name] = tLoose(locale, value.key, value.params);
  }
  return out;
}

export const notFound = (what: 'round' | 'proposal' | 'group' | 'ballot' | 'person' | 'result' | 'conversation' | 'decision') =>
  new PuljeError('not_found', { what: { key: `what.${what}` } });

function fieldParam(path: PropertyKey[]): ErrorParam {
  const name = path.filter((p) => typeof p === 'string').at(-1);
  if (typeof name === 'string' && isMessageKey(`field.${name}`)) return { key: `field.${name}` as MessageKey };
  return name ?? (path.length ? String(path.join('.')) : '—');
}

const MONEY_FIELDS = new Set(['cost', 'amount', 'spent']);
const isMoneyPath = (path: PropertyKey[]) => MONEY_FIELDS.has(String(path.filter((p) => typeof p === 'string').at(-1)));
const kroner = (minor: number): ErrorParam => ({ perLocale: { da: formatMoney(minor, 'da'), en: formatMoney(minor, 'en') } });

/** Turns zod issues into localizable details; custom refinements pass `params: { key, ... }`. */
export function zodDetails(error: z.ZodError): Detail[] {
  return error.issues.map((issue): Detail => {
    const input = issue.path.filter((p) => typeof p === 'string').at(-1);
    const detail = zodDetail(issue);
    return typeof input === 'string' ? { ...detail, input } : detail;
  });
}

function zodDetail(issue: z.core.$ZodIssue): Detail {
  const field = fieldParam(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { key: 'issue.required', params: { field } };
      if (issue.expected === 'int') return { key: 'issue.not_integer', params: { field } };
      return { key: 'issue.invalid', params: { field } };
    case 'too_small':
      return issue.origin === 'string'
        ? { key: Number(issue.minimum) <= 1 ? 'issue.required' : 'issue.too_short', params: { field, min: Number(issue.minimum) } }
        : { key: 'issue.too_small', params: { field, min: Number(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'issue.too_long', params: { field, max: Number(issue.maximum) } };
      // Amounts are kept in øre; a person reads and types kroner.
      if (isMoneyPath(issue.path)) return { key: 'issue.too_big', params: { field, max: kroner(Number(issue.maximum)) } };
      return { key: 'issue.too_big', params: { field, max: Number(issue.maximum) } };
    case 'custom': {
      const params = (issue.params ?? {}) as { key?: string } & Record<string, ErrorParam>;
      if (params.key && isMessageKey(params.key)) {
        const { key, ...rest } = params;
        return { key: key as MessageKey, params: rest };
      }
      return { key: 'issue.invalid', params: { field } };
    }
    default:
      return { key: 'issue.invalid', params: { field } };
  }
}

/** Validates a use case's input; bad input becomes a localized `invalid_input` error before anything changes. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode = 'invalid_input'): z.output<S> {
  // reportInput: an issue must tell "missing" (undefined) from "wrong type".
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new PuljeError(code, {}, zodDetails(parsed.error));
  return parsed.data;
}

/**
 * Thrown by a change that finds its inbound event already handled by another delivery (which took over the
 * claim and made the change first): nothing was changed, and the event is a duplicate.
 */
export class AlreadyHandled extends Error {
  override name = 'AlreadyHandled';
}
