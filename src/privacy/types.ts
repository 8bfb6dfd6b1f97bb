import { z } from 'zod';
import { localeSchema, type Locale } from '../i18n/locale.ts';

/** What a span of personal data is. `memberName` is a name given in `knownNames`; `personName` one found by the name list. */
export const PERSONAL_DATA_KINDS = [
  'cpr',
  'phone',
  'email',
  'address',
  'bankAccount',
  'iban',
  'handle',
  'memberName',
  'personName',
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** A found span: `text === input.slice(start, end)` (UTF-16 offsets). */
export interface PersonalDataSpan {
  kind: PersonalDataKind;
  start: number;
  end: number;
  text: string;
  /** For `memberName`: the member's key (id, else the normalised name); undefined when a first name is shared by several members. */
  memberKey?: string;
}

/** A group member whose name should become a stable pseudonym. A plain string is a display name whose key is itself. */
export const knownNameSchema = z.union([
  z.string().min(1).max(200),
  z.object({
    id: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200),
    /** Other names the member goes by: a username, a nickname. */
    aliases: z.array(z.string().min(1).max(200)).max(20).optional(),
  }),
]);
export type KnownName = z.input<typeof knownNameSchema>;

export const findOptionsObject = z.object({
  locale: localeSchema.default('da'),
  knownNames: z.array(knownNameSchema).max(5000).default([]),
  /** Kinds to look for; all by default. */
  kinds: z.array(z.enum(PERSONAL_DATA_KINDS)).optional(),
});
export const findOptionsSchema = findOptionsObject.default({ locale: 'da', knownNames: [] });
export type FindOptions = z.input<typeof findOptionsSchema>;
export type ParsedFindOptions = z.output<typeof findOptionsSchema>;

/** Longest text accepted in one call: far above any chat message (Discord 4000, Slack 40000 characters). */
export const MAX_TEXT_LENGTH = 200_000;
export const textSchema = z.string().max(MAX_TEXT_LENGTH);

export type { Locale };
