/**
 * A DateTime column read by a raw query. Prisma's typed reads turn it into a Date; a raw one gives what the
 * engine's adapter returns: a Date on PostgreSQL, on SQLite the stored text or number.
 */
export function storedDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value));
}

const ROUND_TEXTS = ['id', 'groupId', 'title', 'currency', 'phase', 'ballotType', 'rule', 'completion', 'createdById'] as const;
const ROUND_INTS = ['amount', 'version'] as const;
const ROUND_OPTIONAL_INTS = ['minPicks', 'maxPicks', 'points', 'minSupport', 'quorum', 'thresholdNum', 'thresholdDen'] as const;
const ROUND_DATES = ['createdAt', 'updatedAt'] as const;
const ROUND_OPTIONAL_DATES = ['ideasDeadline', 'votingDeadline', 'lockedAt'] as const;

type Fields<K extends readonly string[], T> = Record<K[number], T>;
export type RawRound = Fields<typeof ROUND_TEXTS, string> &
  Fields<typeof ROUND_INTS, number> &
  Fields<typeof ROUND_OPTIONAL_INTS, number | null> &
  Fields<typeof ROUND_DATES, Date> &
  Fields<typeof ROUND_OPTIONAL_DATES, Date | null> & { thresholdStrict: boolean };

const optional = <T>(v: unknown, f: (v: unknown) => T): T | null => (v == null ? null : f(v));

/**
 * A Round row read by a raw query (`r.*`), as Prisma's typed read gives it: SQLite hands back integers as
 * numbers or bigints and booleans as 0/1, and each engine its dates its own way. Every column is named, so a
 * new one fails the test that compares this with Prisma's read (test/usecases/ballots.test.ts).
 */
export function roundFromRaw(row: Record<string, unknown>): RawRound {
  const out: Record<string, unknown> = { thresholdStrict: row.thresholdStrict === true || Number(row.thresholdStrict) === 1 };
  for (const k of ROUND_TEXTS) out[k] = String(row[k]);
  for (const k of ROUND_INTS) out[k] = Number(row[k]);
  for (const k of ROUND_OPTIONAL_INTS) out[k] = optional(row[k], Number);
  for (const k of ROUND_DATES) out[k] = storedDate(row[k]);
  for (const k of ROUND_OPTIONAL_DATES) out[k] = optional(row[k], storedDate);
  return out as RawRound;
}
