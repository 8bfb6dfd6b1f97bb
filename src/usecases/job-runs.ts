import { isUniqueViolation } from '../db/errors.ts';
import type { Ctx } from './context.ts';

export type JobRunState = 'running' | 'done' | 'failed';

/**
 * Leases for scheduled jobs, one row per job and slot (its cron time), in Pulje's own database so it works the
 * same on SQLite and PostgreSQL: the process that inserts the row runs the slot; the others see it and skip. A
 * run whose process died (still 'running' after its lease) may be taken over once the lease has passed.
 */
export function jobRunsUseCases(ctx: Ctx) {
  const { prisma } = ctx;
  return {
    /** Takes the slot for `owner`; false if another process has it (or had it and finished). */
    async claim(job: string, slot: Date, owner: string, leaseMs: number): Promise<boolean> {
      const now = ctx.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      try {
        await prisma.jobRun.create({ data: { job, slot, owner, state: 'running', leaseUntil, startedAt: now } });
        return true;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const taken = await prisma.jobRun.updateMany({
        where: { job, slot, state: 'running', leaseUntil: { lt: now } },
        data: { owner, leaseUntil, startedAt: now },
      });
      return taken.count === 1;
    },

    /** Records how the run ended, if this owner still holds it. */
    async finish(job: string, slot: Date, owner: string, state: Exclude<JobRunState, 'running'>, result: unknown): Promise<void> {
      await prisma.jobRun.updateMany({
        where: { job, slot, owner },
        data: { state, finishedAt: ctx.now(), result: JSON.stringify(result ?? null) },
      });
    },

    /** Whether the slot was ever claimed (run, running, or failed). */
    async exists(job: string, slot: Date): Promise<boolean> {
      return (await prisma.jobRun.count({ where: { job, slot } })) > 0;
    },

    /** The newest slot of a job ever claimed, if any: a job that never ran has nothing to catch up. */
    async newestSlot(job: string): Promise<Date | null> {
      const row = await prisma.jobRun.findFirst({ where: { job }, orderBy: { slot: 'desc' }, select: { slot: true } });
      return row?.slot ?? null;
    },

    async runs(job: string) {
      return prisma.jobRun.findMany({ where: { job }, orderBy: { slot: 'asc' } });
    },

    /** Old rows are only history. */
    async prune(before: Date): Promise<number> {
      const { count } = await prisma.jobRun.deleteMany({ where: { slot: { lt: before }, state: { not: 'running' } } });
      return count;
    },
  };
}
