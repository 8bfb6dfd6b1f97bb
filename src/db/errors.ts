/**
 * A unique constraint violation, the same on both engines: the way to learn that a concurrent writer got there
 * first when a row is claimed by inserting it. Prisma's typed writes say P2002; a raw statement fails with P2010
 * and the driver adapter's kind (`meta.driverAdapterError.cause.kind`).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return e.code === 'P2002' || (e.code === 'P2010' && e.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}

/** Prisma's code for "the record to update or delete does not exist" (P2025). */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2025';
}

/** SQLSTATE classes and codes that mean "no connection to be had now" rather than a bad query. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'TooManyConnections',
  'SocketTimeout',
  'DatabaseDoesNotExist',
]);
const UNAVAILABLE_TEXT =
  /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|Can't reach database|not currently accepting connections|database is locked|SQLITE_BUSY/i;

/**
 * The database cannot be reached or has no room for us right now (down, restarting, refusing connections, pool
 * exhausted, SQLite file locked for too long): a reason to answer "try again shortly", not a bug. Prisma wraps the
 * driver's error (`meta.driverAdapterError.cause`), so its kind, SQLSTATE and text are looked at too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  type Cause = { kind?: unknown; originalCode?: unknown; originalMessage?: unknown; code?: unknown; message?: unknown };
  const e = error as (Cause & { cause?: Cause; meta?: { driverAdapterError?: { cause?: Cause } } }) | null;
  if (!e || typeof e !== 'object') return false;
  const causes: Cause[] = [e, e.cause ?? {}, e.meta?.driverAdapterError?.cause ?? {}];
  return causes.some(
    (c) =>
      (typeof c.code === 'string' && UNAVAILABLE_CODES.has(c.code)) ||
      (typeof c.kind === 'string' && UNAVAILABLE_KINDS.has(c.kind)) ||
      (typeof c.originalCode === 'string' && UNAVAILABLE_SQLSTATE.test(c.originalCode)) ||
      (typeof c.message === 'string' && UNAVAILABLE_TEXT.test(c.message)) ||
      (typeof c.originalMessage === 'string' && UNAVAILABLE_TEXT.test(c.originalMessage)),
  );
}
