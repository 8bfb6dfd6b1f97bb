import { z } from 'zod';
import { PuljeError, parseInput } from '../core/errors.ts';
import { assertPhase, PHASES_FOR } from '../domain/phases.ts';
import { STAFF, YOUTH } from '../domain/roles.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { idField, loadRound, parseActor, requireRole, type Ctx } from './context.ts';

const score = z.int().min(1).max(5);
/** How long after a result the question is still sent on its own. */
const INVITE_DAYS = 14;

export interface DueSayInvite {
  roundId: string;
  roundTitle: string;
  groupId: string;
  personId: string;
  locale: Locale;
}
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
      const [ballot, answer, invite] = await Promise.all([
        prisma.ballot.findUnique({ where: { roundId_voterId: { roundId, voterId: who.personId } }, select: { id: true } }),
        prisma.sayAnswer.findUnique({ where: { roundId_personId: { roundId, personId: who.personId } }, select: { score: true } }),
        prisma.sayInvite.findUnique({ where: { roundId_personId: { roundId, personId: who.personId } }, select: { outcome: true } }),
      ]);
      // Asked once: a question that reached them on its own is not asked again with the result.
      return !!ballot && !answer && invite?.outcome !== 'sent';
    },

    /**
     * Pulje itself: the young voters to send the question to on their own, after a result (rounds decided in the
     * last `INVITE_DAYS` days): not answered, not sent it yet, not erased.
     */
    async invitesDue(): Promise<DueSayInvite[]> {
      const since = new Date(ctx.now().getTime() - INVITE_DAYS * 86_400_000);
      // A round's first result is its decision (a later one replaces it, and is no reason to ask again).
      const decided = await prisma.result.findMany({ where: { seq: 1, createdAt: { gte: since } }, select: { roundId: true } });
      if (!decided.length) return [];
      const rounds = await prisma.round.findMany({
        where: { id: { in: decided.map((d) => d.roundId) }, phase: { in: [...ANSWERED_PHASES] } },
        select: { id: true, title: true, groupId: true, group: { select: { locale: true } } },
        orderBy: { id: 'asc' },
      });
      const out: DueSayInvite[] = [];
      for (const round of rounds) {
        const [voters, answered, invited] = await Promise.all([
          prisma.ballot.findMany({ where: { roundId: round.id }, select: { voterId: true } }),
          prisma.sayAnswer.findMany({ where: { roundId: round.id }, select: { personId: true } }),
          prisma.sayInvite.findMany({ where: { roundId: round.id }, select: { personId: true } }),
        ]);
        const done = new Set([...answered, ...invited].map((r) => r.personId));
        const waiting = voters.map((v) => v.voterId).filter((id) => !done.has(id));
        if (!waiting.length) continue;
        const members = await prisma.membership.findMany({
          where: { groupId: round.groupId, role: 'youth', personId: { in: waiting }, person: { erasedAt: null } },
          select: { personId: true, person: { select: { locale: true } } },
          orderBy: { personId: 'asc' },
        });
        for (const m of members)
          out.push({
            roundId: round.id,
            roundTitle: round.title,
            groupId: round.groupId,
            personId: m.personId,
            locale: asLocale(m.person.locale ?? round.group.locale),
          });
      }
      return out;
    },

    /** Pulje itself: takes the one sending of the question to this voter; false if it was taken already. */
    async claimInvite(roundId: string, personId: string): Promise<boolean> {
      try {
        await prisma.sayInvite.create({ data: { roundId, personId, at: ctx.now() } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    /** Pulje itself: how the claimed question went ('sent', or why not: then the result still asks it). */
    async recordInvite(roundId: string, personId: string, outcome: 'sent' | 'closed' | 'failed' | 'unreachable'): Promise<void> {
      await prisma.sayInvite.updateMany({ where: { roundId, personId }, data: { outcome } });
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
