import { z } from 'zod';
import { newId } from '../core/ids.ts';
import type { Prisma } from '../db/database.ts';

/**
 * A ballot being filled in with buttons, in proposal numbers. Unlike a cast ballot it may be incomplete (no
 * yes/no chosen yet, fewer picks than the minimum); the use case validates it when it is cast.
 */
const n = z.int().min(1).max(1_000_000);
export const draftChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('approval'), picks: z.array(n).max(1000) }),
  z.object({ type: z.literal('knapsack'), picks: z.array(n).max(1000) }),
  z.object({ type: z.literal('cumulative'), points: z.array(z.object({ proposal: n, points: z.int().min(1).max(100_000) })).max(1000) }),
  z.object({ type: z.literal('ranked'), ranking: z.array(n).max(1000) }),
  z.object({ type: z.literal('yesno'), vote: z.enum(['yes', 'no', 'blank']).nullable() }),
]);
export type DraftChoice = z.output<typeof draftChoiceSchema>;

export interface StoredDraft {
  /** Null when the stored text no longer reads as a draft: the flow starts again from the cast ballot. */
  choice: DraftChoice | null;
  version: number;
}

/**
 * Where drafts live between clicks. Any process may take the next click, so writes are compare-and-set on the
 * version: a click that lost a race reads again and re-applies itself, and no click is lost or applied twice.
 */
export interface BallotDraftStore {
  get(roundId: string, voterId: string): Promise<StoredDraft | null>;
  /** Writes `choice` if the stored version is still `expected` (null: there is no draft yet); false if it moved on. */
  put(roundId: string, voterId: string, choice: DraftChoice, expected: number | null): Promise<boolean>;
  remove(roundId: string, voterId: string): Promise<void>;
  /** Forgets every draft of a round (voting closed: unsent choices are as private as cast ones). */
  removeRound(roundId: string): Promise<void>;
}

function parse(json: string): DraftChoice | null {
  try {
    const parsed = draftChoiceSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';

export function prismaBallotDrafts(prisma: Prisma): BallotDraftStore {
  return {
    async get(roundId, voterId) {
      const row = await prisma.ballotDraft.findUnique({ where: { roundId_voterId: { roundId, voterId } } });
      if (!row) return null;
      return { choice: parse(row.choice), version: row.version };
    },
    async put(roundId, voterId, choice, expected) {
      const text = JSON.stringify(draftChoiceSchema.parse(choice));
      if (expected === null) {
        try {
          await prisma.ballotDraft.create({ data: { id: newId(), roundId, voterId, choice: text, version: 1 } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }
      const { count } = await prisma.ballotDraft.updateMany({
        where: { roundId, voterId, version: expected },
        data: { choice: text, version: expected + 1, updatedAt: new Date() },
      });
      return count === 1;
    },
    async remove(roundId, voterId) {
      await prisma.ballotDraft.deleteMany({ where: { roundId, voterId } });
    },
    async removeRound(roundId) {
      await prisma.ballotDraft.deleteMany({ where: { roundId } });
    },
  };
}

/** For tests and single-process tools. */
export function memoryBallotDrafts(): BallotDraftStore {
  const rows = new Map<string, StoredDraft>();
  const k = (roundId: string, voterId: string) => `${roundId}/${voterId}`;
  return {
    async get(roundId, voterId) {
      const row = rows.get(k(roundId, voterId));
      return row ? structuredClone(row) : null;
    },
    async put(roundId, voterId, choice, expected) {
      const current = rows.get(k(roundId, voterId));
      if ((current?.version ?? null) !== expected) return false;
      rows.set(k(roundId, voterId), { choice: structuredClone(draftChoiceSchema.parse(choice)), version: (expected ?? 0) + 1 });
      return true;
    },
    async remove(roundId, voterId) {
      rows.delete(k(roundId, voterId));
    },
    async removeRound(roundId) {
      for (const key of [...rows.keys()]) if (key.startsWith(`${roundId}/`)) rows.delete(key);
    },
  };
}
