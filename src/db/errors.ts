/**
 * Prisma's code for a unique constraint violation (P2002), the same on both engines: the way to learn that a
 * concurrent writer got there first when a row is claimed by inserting it.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Prisma's code for "the record to update or delete does not exist" (P2025). */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2025';
}
