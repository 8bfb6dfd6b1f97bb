import type { Prisma } from '../db/database.ts';
import type { IdempotencyStore } from './ports.ts';

/**
 * Claims keys with an insert on the primary key: whichever process inserts first acts, the others see the
 * unique violation. No read-then-write race, on either engine.
 */
export function prismaIdempotencyStore(prisma: Prisma): IdempotencyStore & { prune(before: Date): Promise<number> } {
  return {
    async claim(key) {
      try {
        await prisma.processedEvent.create({ data: { key } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async release(key) {
      await prisma.processedEvent.deleteMany({ where: { key } });
    },
    /** Platforms redeliver within minutes; a day's keys are plenty. */
    async prune(before) {
      const { count } = await prisma.processedEvent.deleteMany({ where: { createdAt: { lt: before } } });
      return count;
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** For tests and single-process tools. */
export function memoryIdempotencyStore(): IdempotencyStore {
  const seen = new Set<string>();
  return {
    async claim(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
}
