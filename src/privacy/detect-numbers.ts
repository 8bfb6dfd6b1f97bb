import type { PersonalDataKind } from './types.ts';

/** A span a detector proposes; `find.ts` settles overlaps between detectors. */
export interface Candidate {
  kind: PersonalDataKind;
  start: number;
  end: number;
  memberKey?: string;
}

// ---------------------------------------------------------------- CPR

/**
 * The century of a CPR number from its seventh digit and year (CPR-kontoret's table, in force since 1968):
 * 0–3 → 1900s; 4 and 9 → 2000–2036 or 1937–1999; 5–8 → 2000–2057 or 1858–1899.
 */
export function cprYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** DDMMYY + serial: a real calendar date in the century the serial gives. No modulus-11 check (not used since 2007). */
export function isPlausibleCpr(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const dd = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  const yy = Number(digits.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  return dd <= daysInMonth(cprYear(yy, Number(digits[6])), mm);
}

// Six digits, an optional dash (or en dash) or space, four digits; not part of a longer number or a dotted date.
const CPR = /(?<![\d+])(?<!\d[ .-])(\d{6})[ \-–]?(\d{4})(?!\d)(?![.,-]\d)/g;

export function findCpr(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(CPR)) {
    if (isPlausibleCpr(m[1]! + m[2]!)) out.push({ kind: 'cpr', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ---------------------------------------------------------------- phone numbers

// Danish subscriber numbers have eight digits and never begin with 0 (that begins "00" abroad). Real ones do not
// begin with 1 either, but people write "12 34 56 78" as an example of their number, so 1 is allowed. The groupings:
// 12345678, 12 34 56 78 (also with dots or dashes, one kind throughout), 1234 5678, 1234-5678, 1234 56 78,
// 12 34 5678, 70 201 201, 123 45 678. Dashes and dots only in the first shapes, so ISO dates (2026-12-01) and
// dotted dates/times (20.00-22.00) are not numbers.
const DK_NATIONAL = String.raw`(?:[1-9]\d{7}|[1-9]\d([ .-])\d\d\1\d\d\1\d\d|[1-9]\d{3}[ -]\d{4}|[1-9]\d{3} \d\d \d\d|[1-9]\d \d\d \d{4}|[1-9]\d \d{3} \d{3}|[1-9]\d\d \d\d \d{3})`;
const DK_PREFIX = String.raw`(?:(?:\+|00)45|\(\+?45\)|\+\(45\))[ .-]?`;
const MONEY_BEFORE = String.raw`(?<!(?:kr|kr\.|dkk|eur|€|\$|£|#)\s?)`;
const MONEY_AFTER = String.raw`(?!\s?(?:kr\b|kr\.|kroner|dkk|,-|,\d|\.\d|euro|eur\b|€|%|stk\b|kg\b|km\b))`;
const DK_PHONE = new RegExp(
  String.raw`(?<![\p{L}\p{N}+#/])(?<!\d[ .,-])${MONEY_BEFORE}(?:${DK_PREFIX})?${DK_NATIONAL}(?![\p{N}])(?![ .-]\d)${MONEY_AFTER}`,
  'giu',
);

// Any country: + or 00, a country code, then digits in groups separated by one space, dot or dash, with an optional
// "(0)" or "(area)" group. 8 to 15 digits in all (E.164 allows 15).
const INTL_PHONE = /(?<![\p{L}\p{N}+,.])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,6}(?![\p{N}])/gu;

/** "15062026": eight digits that read as a date DDMMYYYY (years 1900–2099) are a date, not a number. */
function isDateDigits(digits: string): boolean {
  if (!/^\d{8}$/.test(digits)) return false;
  const dd = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  const yyyy = Number(digits.slice(4));
  return mm >= 1 && mm <= 12 && dd >= 1 && yyyy >= 1900 && yyyy <= 2099 && dd <= daysInMonth(yyyy, mm);
}

/** "2025-2026", "1990-2000": two years joined by a dash are a period, not a number. */
function isYearRange(text: string): boolean {
  const m = /^(\d{4})[-–](\d{4})$/.exec(text);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a >= 1900 && a <= 2099 && b >= a && b <= 2099;
}

export function findPhones(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(DK_PHONE)) {
    if (isDateDigits(m[0]) || isYearRange(m[0])) continue;
    out.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(INTL_PHONE)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    // "00" numbers need the international shape: not the tail of an amount such as "1.000,00 4".
    if (m[0].startsWith('00') && !/^00[1-9]/.test(m[0])) continue;
    out.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ---------------------------------------------------------------- bank accounts

// A Danish account is a four-digit registration number and an account number of up to ten digits.
const REG_CUE = String.raw`(?:reg(?:istrerings)?\.?\s*-?\s*(?:nr|nummer|no)?\.?|regnr\.?)`;
const ACCOUNT_CUE = String.raw`(?:konto(?:\s?nummer|nr)?\.?|kontonr\.?|kto\.?(?:\s*nr\.?)?|account(?:\s*(?:number|no\.?|nr\.?|#))?|acc(?:ount)?\s*no\.?)`;
const ACCOUNT_DIGITS = String.raw`\d(?:[ ]?\d){0,9}`;
const BANK_WITH_REG = new RegExp(
  String.raw`\b${REG_CUE}\s*[:.]?\s*(\d{4})(?![\d])(?:\s*[,/;-]?\s*(?:(?:og|and|&)\s+)?(?:${ACCOUNT_CUE})?\s*[:.]?\s*(${ACCOUNT_DIGITS}))?(?!\d)`,
  'giu',
);
const BANK_WITH_ACCOUNT_CUE = new RegExp(
  String.raw`(?<![\p{L}])${ACCOUNT_CUE}\s*[:.]?\s*(?:(?:er|is)\s+)?(?:(\d{4})\s?[-–/]?\s?)?(\d{4,10})(?!\d)`,
  'giu',
);
// Without a cue only the unmistakable shape: 4 digits, a dash, 6–10 digits ("1234-1234567890").
const BANK_BARE =
  /(?<![\d+\-–.,])(?<!(?:sag|sagsnr|sagsnummer|journalnr|j\.nr|ordre|ordrenr|faktura|fakturanr|ref|nr)\.?\s?)\d{4}\s?[-–]\s?\d{6,10}(?![\d\-–])/giu;

export function findBankAccounts(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(BANK_WITH_REG)) {
    const startDigit = m.index + m[0].indexOf(m[1]!);
    out.push({ kind: 'bankAccount', start: startDigit, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(BANK_WITH_ACCOUNT_CUE)) {
    const first = m[1] ?? m[2]!;
    out.push({ kind: 'bankAccount', start: m.index + m[0].indexOf(first), end: m.index + m[0].length });
  }
  for (const m of text.matchAll(BANK_BARE)) out.push({ kind: 'bankAccount', start: m.index, end: m.index + m[0].length });
  return out;
}

// ---------------------------------------------------------------- IBAN

// Lengths from the IBAN registry (ISO 13616, SWIFT) for the countries a Danish group is likely to meet.
const IBAN_LENGTH: Record<string, number> = {
  DK: 18,
  FO: 18,
  GL: 18,
  NO: 15,
  SE: 24,
  FI: 18,
  IS: 26,
  DE: 22,
  NL: 18,
  BE: 16,
  FR: 27,
  GB: 22,
  IE: 22,
  ES: 24,
  PT: 25,
  IT: 27,
  AT: 20,
  CH: 21,
  PL: 28,
  LT: 20,
  LV: 21,
  EE: 20,
  CZ: 24,
  SK: 24,
  HU: 28,
  RO: 24,
  BG: 22,
  GR: 27,
  HR: 21,
  SI: 19,
  LU: 20,
  MT: 31,
  CY: 28,
  TR: 26,
  UA: 29,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed piecewise so no big integers are needed. */
export function ibanChecksumOk(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

const IBAN_START = /(?<![\p{L}\p{N}])(iban\s*:?\s*)?([A-Z]{2})(\d{2})(?=[ ]?[A-Z0-9])/giu;

export function findIbans(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IBAN_START)) {
    const country = m[2]!.toUpperCase();
    const length = IBAN_LENGTH[country];
    if (!length) continue;
    // Read alphanumerics (single spaces allowed between them) until the country's length is reached.
    const begin = m.index + (m[1]?.length ?? 0);
    let i = begin;
    let compact = '';
    while (i < text.length && compact.length < length) {
      const ch = text[i]!;
      if (/[A-Za-z0-9]/.test(ch)) compact += ch.toUpperCase();
      else if (ch === ' ' && /[A-Za-z0-9]/.test(text[i + 1] ?? '') && compact.length > 0) {
        // a space between groups
      } else break;
      i++;
    }
    if (compact.length !== length || /[\p{L}\p{N}]/u.test(text[i] ?? '')) continue;
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) continue;
    // A typo'd IBAN after the word "IBAN" is still an account number; without the word, the checksum must hold.
    if (!m[1] && !ibanChecksumOk(compact)) continue;
    out.push({ kind: 'iban', start: begin, end: i });
  }
  return out;
}
