import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Member } from './detect-names.ts';
import { createPersonalDataFinder, type PersonalDataFinder } from './find.ts';
import { findOptionsObject, type Locale, type PersonalDataKind, type PersonalDataSpan } from './types.ts';

const PLACEHOLDERS: Record<Locale, Record<Exclude<PersonalDataKind, 'memberName'>, string> & { member: string; sharedMember: string }> = {
  da: {
    cpr: '[CPR]',
    phone: '[TELEFON]',
    email: '[EMAIL]',
    address: '[ADRESSE]',
    bankAccount: '[KONTO]',
    iban: '[KONTO]',
    handle: '[PROFIL]',
    personName: '[NAVN]',
    member: 'Deltager',
    sharedMember: '[DELTAGER]',
  },
  en: {
    cpr: '[CPR]',
    phone: '[PHONE]',
    email: '[EMAIL]',
    address: '[ADDRESS]',
    bankAccount: '[ACCOUNT]',
    iban: '[ACCOUNT]',
    handle: '[PROFILE]',
    personName: '[NAME]',
    member: 'Participant',
    sharedMember: '[PARTICIPANT]',
  },
};

/** The placeholder for a kind: "[TELEFON]" in Danish, "[PHONE]" in English. Member names get pseudonyms instead. */
export function placeholderFor(kind: Exclude<PersonalDataKind, 'memberName'>, locale: Locale): string {
  return PLACEHOLDERS[locale][kind];
}

export const redactOptionsSchema = findOptionsObject.extend({
  /**
   * A secret that orders the members for their letters: with the same key and members, every call gives every
   * member the same letter, and the letters say nothing about join order. Without it the order of `knownNames` is used.
   */
  pseudonymKey: z.string().min(1).max(500).optional(),
  /** Letters handed out before (member key → "A"), e.g. the `pseudonyms` of an earlier call: they are kept. */
  pseudonyms: z.record(z.string(), z.string().regex(/^[A-Z]{1,3}$/)).optional(),
});
export type RedactOptions = z.input<typeof redactOptionsSchema>;

export interface Replacement {
  kind: PersonalDataKind;
  /** Offsets in the input text. */
  start: number;
  end: number;
  /** The personal data that was replaced: keep it in memory only, never log it. */
  original: string;
  replacement: string;
}

export interface RedactResult {
  text: string;
  replacements: Replacement[];
  /** Member key → letter, for every known member: pass it back as `pseudonyms` to keep letters when members join. */
  pseudonyms: Record<string, string>;
}

/** 0 → "A", 25 → "Z", 26 → "AA": spreadsheet column letters. */
export function letterFor(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** Gives every member a letter: earlier letters are kept, the rest go out in key order (HMAC) or list order. */
export function assignPseudonyms(members: readonly Member[], key?: string, earlier: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const m of members) {
    const letter = earlier[m.key];
    if (letter && !taken.has(letter)) {
      out[m.key] = letter;
      taken.add(letter);
    }
  }
  const rest = members.filter((m) => !(m.key in out));
  const ordered = key
    ? rest
        .map((m) => ({ m, h: createHmac('sha256', key).update(m.key).digest('hex') }))
        .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
        .map((x) => x.m)
    : rest;
  let next = 0;
  for (const m of ordered) {
    while (taken.has(letterFor(next))) next++;
    out[m.key] = letterFor(next);
    taken.add(letterFor(next));
  }
  return out;
}

export interface Redactor {
  redact(text: string): RedactResult;
  readonly pseudonyms: Readonly<Record<string, string>>;
}

/** A redactor with its options parsed and pseudonyms assigned once: the same letters for every message it redacts. */
export function createRedactor(options?: RedactOptions): Redactor {
  const opts = redactOptionsSchema.parse(options ?? {});
  const finder: PersonalDataFinder = createPersonalDataFinder(opts);
  const pseudonyms = assignPseudonyms(finder.members, opts.pseudonymKey, opts.pseudonyms);
  const words = PLACEHOLDERS[opts.locale];
  const replacementFor = (span: PersonalDataSpan): string => {
    if (span.kind !== 'memberName') return words[span.kind];
    const letter = span.memberKey !== undefined ? pseudonyms[span.memberKey] : undefined;
    return letter ? `${words.member} ${letter}` : words.sharedMember;
  };
  return {
    pseudonyms,
    redact(text) {
      const spans = finder.find(text);
      const replacements: Replacement[] = [];
      let out = '';
      let at = 0;
      for (const span of spans) {
        const replacement = replacementFor(span);
        out += text.slice(at, span.start) + replacement;
        at = span.end;
        replacements.push({ kind: span.kind, start: span.start, end: span.end, original: span.text, replacement });
      }
      out += text.slice(at);
      return { text: out, replacements, pseudonyms: { ...pseudonyms } };
    },
  };
}

/**
 * Replaces personal data with typed placeholders ("[CPR]", "[TELEFON]" / "[PHONE]", "[EMAIL]", "[ADRESSE]",
 * "[KONTO]", "[PROFIL]", "[NAVN]") and members' names with pseudonyms ("Deltager A" / "Participant A").
 */
export function redact(text: string, options?: RedactOptions): RedactResult {
  return createRedactor(options).redact(text);
}
