import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { idField, membershipOf, parseActor, type Ctx } from './context.ts';
import { readStaffSettings } from './staff-settings.ts';

const HOUR = 3_600_000;

export interface DueReminder {
  roundId: string;
  roundTitle: string;
  groupId: string;
  personId: string;
  /** The young person's language: their own, else the group's. */
  locale: Locale;
  votingDeadline: Date;
}

export type ReminderOutcome = 'sent' | 'closed' | 'failed' | 'unreachable';

/**
 * The one gentle reminder before a voting deadline, to young people who have not voted. A reminder is claimed by
 * inserting its (round, person) row before it is sent, so no process, restart or retry can send a second one;
 * one that could not be delivered is not tried again (a missed nudge is better than a repeated one).
 */
export function remindersUseCases(ctx: Ctx) {
  const { prisma } = ctx;
  return {
    /** Pulje itself: who should get a reminder now (rounds voting whose deadline is within the group's hours). */
    async due(): Promise<DueReminder[]> {
      const now = ctx.now();
      // The widest setting allowed is 14 days; each group's own hours are applied below.
      const rounds = await prisma.round.findMany({
        where: { phase: 'voting', votingDeadline: { gt: now, lte: new Date(now.getTime() + 14 * 24 * HOUR) } },
        include: { group: { select: { locale: true } } },
        orderBy: { votingDeadline: 'asc' },
      });
      const out: DueReminder[] = [];
      for (const round of rounds) {
        const settings = await readStaffSettings(prisma, round.groupId);
        const deadline = round.votingDeadline!;
        if (!settings.remindersEnabled || deadline.getTime() - now.getTime() > settings.reminderHours * HOUR) continue;
        const [youth, voted, optedOut, reminded] = await Promise.all([
          prisma.membership.findMany({
            where: { groupId: round.groupId, role: 'youth' },
            include: { person: { select: { locale: true } } },
            orderBy: { createdAt: 'asc' },
          }),
          prisma.ballot.findMany({ where: { roundId: round.id }, select: { voterId: true } }),
          prisma.reminderOptOut.findMany({ where: { groupId: round.groupId }, select: { personId: true } }),
          prisma.voteReminder.findMany({ where: { roundId: round.id }, select: { personId: true } }),
        ]);
        const skip = new Set([...voted.map((b) => b.voterId), ...optedOut.map((o) => o.personId), ...reminded.map((r) => r.personId)]);
        for (const m of youth) {
          if (skip.has(m.personId)) continue;
          out.push({
            roundId: round.id,
            roundTitle: round.title,
            groupId: round.groupId,
            personId: m.personId,
            locale: asLocale(m.person.locale ?? round.group.locale),
            votingDeadline: deadline,
          });
        }
      }
      return out;
    },

    /** Pulje itself: takes the one reminder of this person and round; false if it was taken before (never send then). */
    async claim(roundId: string, personId: string): Promise<boolean> {
      try {
        await prisma.voteReminder.create({ data: { id: newId(), roundId, personId, at: ctx.now() } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    /** Pulje itself: how the claimed reminder went. */
    async record(roundId: string, personId: string, outcome: ReminderOutcome): Promise<void> {
      await prisma.voteReminder.updateMany({ where: { roundId, personId }, data: { outcome } });
    },

    /** A young person asks for no more reminders in a group (one tap on a reminder). Safe to tap twice. */
    async optOut(actor: unknown, input: unknown): Promise<{ groupId: string; optedOut: true }> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      await membershipOf(prisma, who, groupId);
      return ctx.tx(async (tx) => {
        const existing = await tx.reminderOptOut.findUnique({ where: { personId_groupId: { personId: who.personId, groupId } } });
        if (!existing) await tx.reminderOptOut.create({ data: { personId: who.personId, groupId, at: ctx.now() } });
        return { groupId, optedOut: true as const };
      });
    },

    /** Reminders on again. */
    async optIn(actor: unknown, input: unknown): Promise<{ groupId: string; optedOut: false }> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      await membershipOf(prisma, who, groupId);
      await ctx.tx((tx) => tx.reminderOptOut.deleteMany({ where: { personId: who.personId, groupId } }));
      return { groupId, optedOut: false };
    },

    async optedOut(actor: unknown, input: unknown): Promise<boolean> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      return (await prisma.reminderOptOut.count({ where: { personId: who.personId, groupId } })) > 0;
    },
  };
}
