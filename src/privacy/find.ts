import { findAddresses } from './detect-address.ts';
import { findPersonNames, memberMatcher, membersOf, type Member } from './detect-names.ts';
import { findBankAccounts, findCpr, findIbans, findPhones, type Candidate } from './detect-numbers.ts';
import { findEmails, findHandles } from './detect-text.ts';
import {
  findOptionsSchema,
  PERSONAL_DATA_KINDS,
  textSchema,
  type FindOptions,
  type Locale,
  type PersonalDataKind,
  type PersonalDataSpan,
} from './types.ts';

// When two detectors claim overlapping text the longer span wins (an address holds a name, an account a phone
// number); on equal length the kind earlier in this list wins.
const PRIORITY: readonly PersonalDataKind[] = [
  'email',
  'iban',
  'bankAccount',
  'cpr',
  'phone',
  'address',
  'memberName',
  'handle',
  'personName',
];

/** A finder with its options parsed and the member names compiled once; reuse it for many messages. */
export interface PersonalDataFinder {
  readonly locale: Locale;
  readonly members: readonly Member[];
  find(text: string): PersonalDataSpan[];
}

export function createPersonalDataFinder(options?: FindOptions): PersonalDataFinder {
  const opts = findOptionsSchema.parse(options);
  const kinds = new Set<PersonalDataKind>(opts.kinds ?? PERSONAL_DATA_KINDS);
  const members = membersOf(opts.knownNames);
  const matcher = memberMatcher(members, opts.locale);
  const detectors: Array<[PersonalDataKind, (text: string) => Candidate[]]> = [
    ['cpr', findCpr],
    ['phone', findPhones],
    ['email', findEmails],
    ['address', findAddresses],
    ['bankAccount', findBankAccounts],
    ['iban', findIbans],
    ['handle', findHandles],
    ['memberName', (t) => matcher.find(t)],
    ['personName', (t) => findPersonNames(t, opts.locale)],
  ];
  const active = detectors.filter(([kind]) => kinds.has(kind));
  return {
    locale: opts.locale,
    members,
    find(input) {
      const text = textSchema.parse(input);
      const candidates = active.flatMap(([, detect]) => detect(text)).filter((c) => c.end > c.start && kinds.has(c.kind));
      return settle(candidates).map((c) => {
        const span: PersonalDataSpan = { kind: c.kind, start: c.start, end: c.end, text: text.slice(c.start, c.end) };
        if (c.memberKey !== undefined) span.memberKey = c.memberKey;
        return span;
      });
    },
  };
}

/** Keeps non-overlapping candidates, longest first, then by kind priority; returned in text order. */
function settle(candidates: Candidate[]): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of ordered) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Every span of personal data in `text`, in text order and never overlapping. Options are validated with zod;
 * for many messages with the same options build one finder with `createPersonalDataFinder`.
 */
export function findPersonalData(text: string, options?: FindOptions): PersonalDataSpan[] {
  return createPersonalDataFinder(options).find(text);
}
