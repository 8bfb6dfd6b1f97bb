/**
 * A DateTime column read by a raw query. Prisma's typed reads turn it into a Date; a raw one gives what the
 * engine's adapter returns: a Date on PostgreSQL, on SQLite the stored text or number.
 */
export function storedDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value));
}
