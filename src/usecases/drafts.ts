import { newId } from '../core/ids.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type BallotDraftStore, draftChoiceSchema, parseDraft } from '../domain/ballot-draft.ts';
import type { Ctx } from './context.ts';

/**
 * Ballot drafts in the database, so any process can take a voter's next click. Only the ballot flow uses it,
 * for the voter it already checked; the draft is as private as the ballot and is dropped when voting closes.
 */
export function draftsUseCases(ctx: Ctx): BallotDraftStore {
  const { prisma } = ctx;
  return {
    async get(roundId, voterId) {
      const row = await prisma.ballotDraft.findUnique({ where: { roundId_voterId: { roundId, voterId } } });
      return row ? { choice: parseDraft(row.choice), version: row.version } : null;
    },
    async put(roundId, voterId, choice, expected) {
      const text = JSON.stringify(draftChoiceSchema.parse(choice));
      // In a transaction, so the click that changes the draft is marked handled in the same commit: a repeated
      // "+" never adds twice (Ctx.tx). A draft that moved on undoes the whole transaction.
      try {
        return await ctx.tx(async (tx) => {
          if (expected === null) {
            try {
              await tx.ballotDraft.create({ data: { id: newId(), roundId, voterId, choice: text, version: 1 } });
            } catch (error) {
              throw isUniqueViolation(error) ? new MovedOn() : error;
            }
            return true;
          }
          const { count } = await tx.ballotDraft.updateMany({
            where: { roundId, voterId, version: expected },
            data: { choice: text, version: expected + 1, updatedAt: ctx.now() },
          });
          if (count !== 1) throw new MovedOn();
          return true;
        });
      } catch (error) {
        if (error instanceof MovedOn) return false;
        throw error;
      }
    },
    async remove(roundId, voterId) {
      await prisma.ballotDraft.deleteMany({ where: { roundId, voterId } });
    },
    async removeRound(roundId) {
      await prisma.ballotDraft.deleteMany({ where: { roundId } });
    },
  };
}

/** Another click wrote the draft first; not a transient conflict for `Ctx.tx` to retry, the flow reads again. */
class MovedOn extends Error {}
