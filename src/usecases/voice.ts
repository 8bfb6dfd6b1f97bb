import { z } from 'zod';
import { PuljeError, parseInput } from '../core/errors.ts';
import { assertPhase, PHASES_FOR } from '../domain/phases.ts';
import { STAFF, YOUTH } from '../domain/roles.ts';
import { idField, loadRound, parseActor, requireRole, type Ctx } from './context.ts';

const score = z.int().min(1).max(5);
const ANSWERED_PHASES: readonly string[] = PHASES_FOR.decided;

/**
 * The young people's and the staff's own view of a round: "did you have a real say?" (1–5, asked once of each
 * young voter after a result, optional) and the staff's Lundy self-assessment (space, voice, audience, influence).
 */
export function voiceUseCases(ctx: Ctx) {
  const { prisma } = ctx;
  return {
    /** Whether to ask the actor "did you have a real say?" for the round: a young voter of a decided round, not asked yet. */
    async shouldAsk(actor: unknown, input: unknown): Promise<boolean> {
      const who = parseActor(actor);
      const { roundId } = parseInput(z.object({ roundId: idField }), input);
      const { round, member } = await loadRound(prisma, who, roundId);
      if (member.role !== 'youth' || !ANSWERED_PHASES.includes(round.phase)) return false;
      const [ballot, answer] = await Promise.all([
        prisma.ballot.findUnique({ where: { roundId_voterId: { roundId, voterId: who.personId } }, select: { id: true } }),
        prisma.sayAnswer.findUnique({ where: { roundId_personId: { roundId, personId: who.personId } }, select: { score: true } }),
      ]);
      return !!ballot && !answer;
    },

    /** Records the answer, once: a second answer is refused (`conflict`) and changes nothing. */
    async answerSay(actor: unknown, input: unknown): Promise<{ roundId: string; score: number }> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ roundId: idField, score }), input);
      const { round, member } = await loadRound(prisma, who, data.roundId);
      requireRole(member, YOUTH);
      assertPhase(round.phase, PHASES_FOR.decided);
      const ballot = await prisma.ballot.findUnique({
        where: { roundId_voterId: { roundId: round.id, voterId: who.personId } },
        select: { id: true },
      });
      if (!ballot) throw new PuljeError('forbidden', { roles: { anyOf: ['role.youth'] } });
      return ctx.tx(async (tx) => {
        const existing = await tx.sayAnswer.findUnique({ where: { roundId_personId: { roundId: round.id, personId: who.personId } } });
        if (existing) throw new PuljeError('conflict');
        await tx.sayAnswer.create({
          data: { roundId: round.id, personId: who.personId, groupId: round.groupId, score: data.score, at: ctx.now() },
        });
        // The dashboard's count, in the same transaction (a concurrent first answer is retried as a conflict).
        await tx.sayTally.upsert({
          where: { roundId_score: { roundId: round.id, score: data.score } },
          create: { roundId: round.id, score: data.score, n: 1 },
          update: { n: { increment: 1 } },
        });
        return { roundId: round.id, score: data.score };
      });
    },

    /** A staff member's Lundy self-assessment of a round (replacing their earlier one). */
    async assessLundy(actor: unknown, input: unknown) {
      const who = parseActor(actor);
      const data = parseInput(
        z.object({
          roundId: idField,
          space: score,
          voice: score,
          audience: score,
          influence: score,
          note: z.string().max(1000).optional(),
        }),
        input,
      );
      const { round, member } = await loadRound(prisma, who, data.roundId);
      requireRole(member, STAFF);
      const values = {
        space: data.space,
        voice: data.voice,
        audience: data.audience,
        influence: data.influence,
        note: data.note?.trim() || null,
        at: ctx.now(),
      };
      await prisma.lundyAssessment.upsert({
        where: { roundId_personId: { roundId: round.id, personId: who.personId } },
        create: { roundId: round.id, personId: who.personId, groupId: round.groupId, ...values },
        update: values,
      });
      return { roundId: round.id, ...values, at: values.at.toISOString() };
    },

    /** The actor's own assessment of a round, if any (to fill the form in). */
    async myLundy(actor: unknown, input: unknown) {
      const who = parseActor(actor);
      const { roundId } = parseInput(z.object({ roundId: idField }), input);
      const { member } = await loadRound(prisma, who, roundId);
      requireRole(member, STAFF);
      return prisma.lundyAssessment.findUnique({
        where: { roundId_personId: { roundId, personId: who.personId } },
        select: { space: true, voice: true, audience: true, influence: true, note: true },
      });
    },
  };
}
