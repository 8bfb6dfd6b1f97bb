import { z } from 'zod';

/**
 * A ballot being filled in with buttons, in proposal numbers. Unlike a cast ballot it may be incomplete (no
 * yes/no chosen yet, fewer picks than the minimum); the cast use case validates it when it is sent.
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

/** A stored draft's text as a draft, or null when it no longer reads as one. */
export function parseDraft(json: string): DraftChoice | null {
  try {
    const parsed = draftChoiceSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
