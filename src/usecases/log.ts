import { z } from 'zod';
import { PuljeError, parseInput } from '../core/errors.ts';
import type { ChainReport } from '../decision-log/chain.ts';
import { verifyLogs } from '../db/decision-log.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';
import { STAFF } from '../domain/roles.ts';
import type { IsoTime } from './views.ts';

export const readLogInput = z.object({
  groupId: idField,
  /** Only this round's entries. */
  roundId: idField.optional(),
  /** Entries after this sequence number (for paging forward). */
  afterSeq: z.int().min(0).default(0),
  limit: z.int().min(1).max(500).default(100),
});
export const verifyLogInput = z.object({ groupId: idField });

export interface LogEntryView {
  seq: number;
  roundId: string | null;
  kind: string;
  actorId: string | null;
  actorName: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  at: IsoTime;
  hash: string;
}

/** The decision log is for staff and admins: who opened, closed, overrode, moderated, and why. */
export function logUseCases(ctx: Ctx) {
  return {
    /** A group's (or one round's) log entries, oldest first. */
    async read(actor: unknown, input: unknown): Promise<LogEntryView[]> {
      const who = parseActor(actor);
      const data = parseInput(readLogInput, input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      const entries = await ctx.prisma.logEntry.findMany({
        where: { groupId: data.groupId, seq: { gt: data.afterSeq }, ...(data.roundId ? { roundId: data.roundId } : {}) },
        orderBy: { seq: 'asc' },
        take: data.limit,
      });
      const actorIds = [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
      const people = await ctx.prisma.person.findMany({ where: { id: { in: actorIds } }, select: { id: true, displayName: true } });
      const names = new Map(people.map((p) => [p.id, p.displayName]));
      return entries.map((e) => {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(e.data) as Record<string, unknown>;
        } catch {
          throw new PuljeError('internal');
        }
        return {
          seq: e.seq,
          roundId: e.roundId,
          kind: e.kind,
          actorId: e.actorId,
          actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
          reason: e.reason,
          data: parsed,
          at: e.at.toISOString(),
          hash: e.hash,
        };
      });
    },

    /** Checks the group's hash chain: whether any entry was changed or removed. */
    async verify(actor: unknown, input: unknown): Promise<ChainReport> {
      const who = parseActor(actor);
      const { groupId } = parseInput(verifyLogInput, input);
      requireRole(await membershipOf(ctx.prisma, who, groupId), STAFF);
      const [report] = await verifyLogs(ctx.prisma, [groupId]);
      if (!report) throw new PuljeError('internal');
      return report;
    },
  };
}
