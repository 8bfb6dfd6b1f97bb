import { PuljeError } from '../core/errors.ts';
import { asLocale } from '../i18n/index.ts';
import type { Ctx } from './context.ts';
import { resultView, type ResultView } from './results.ts';
import { closeInTx } from './rounds.ts';
import { roundView, type RoundView } from './views.ts';

export interface ClosedAtDeadline {
  round: RoundView;
  /** In the group's language: what the group is told. */
  result: ResultView;
}

/**
 * Voting closes by itself at its deadline: Pulje (no actor) closes each round whose deadline has passed, with the
 * same transaction as a staff member's close (the row lock orders it against late ballots), logged as closed at
 * the deadline. A round someone closed a moment earlier is skipped; a round extended meanwhile is not due.
 */
export function deadlinesUseCases(ctx: Ctx) {
  return {
    async closeDue(): Promise<ClosedAtDeadline[]> {
      const now = ctx.now();
      const due = await ctx.prisma.round.findMany({
        where: { phase: 'voting', votingDeadline: { lte: now } },
        select: { id: true, votingDeadline: true },
        orderBy: { votingDeadline: 'asc' },
      });
      const closed: ClosedAtDeadline[] = [];
      for (const r of due) {
        try {
          const { round, result } = await ctx.tx(async (tx) => {
            // Re-checked under the lock: extended since it was read, it is no longer due.
            const fresh = await tx.round.findUnique({ where: { id: r.id }, select: { votingDeadline: true } });
            if (!fresh?.votingDeadline || fresh.votingDeadline > now) throw new PuljeError('conflict');
            return closeInTx(ctx, tx, r.id, null, { automatic: true, deadline: fresh.votingDeadline.toISOString() });
          });
          const group = await ctx.prisma.group.findUnique({ where: { id: round.groupId }, select: { locale: true } });
          const after = await ctx.prisma.round.findUniqueOrThrow({ where: { id: round.id } });
          closed.push({ round: roundView(after), result: resultView(after, result, asLocale(group?.locale)) });
        } catch (error) {
          // Closed by someone else, or extended, between the read and the lock: nothing to do.
          if (error instanceof PuljeError) continue;
          throw error;
        }
      }
      return closed;
    },
  };
}
