import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';

export const AUDITED_READS = ['members', 'ideas', 'messages', 'summary', 'export', 'erasure', 'audit'] as const;
export type AuditedRead = (typeof AUDITED_READS)[number];

export interface AuditEntryView {
  at: Date;
  reader: string;
  readerRole: string | null;
  subject: string | null;
  what: AuditedRead | string;
  why: string;
}

/**
 * Notes one staff or admin read of young people's data (who, what, why). Called by the use case that reads,
 * after its checks and before it returns, so a refused read is not logged and a served one always is.
 */
export async function recordRead(
  db: Prisma | Tx,
  at: Date,
  read: { readerId: string; groupId: string | null; subjectId?: string | null; what: AuditedRead; why: string },
): Promise<void> {
  const reader = await db.person.findUnique({ where: { id: read.readerId }, select: { organisationId: true } });
  if (!reader) return;
  await db.accessAudit.create({
    data: {
      id: newId(),
      organisationId: reader.organisationId,
      groupId: read.groupId,
      readerId: read.readerId,
      subjectId: read.subjectId ?? null,
      what: read.what,
      why: read.why.slice(0, 200),
      at,
    },
  });
}

export function auditUseCases(ctx: Ctx) {
  return {
    /**
     * The organisation's audit of staff reads, newest first (admins of the group). Reading it is itself noted.
     * Ballots are not in it because nobody can read them: no use case returns another person's ballot.
     */
    async list(actor: unknown, input: unknown): Promise<AuditEntryView[]> {
      const who = parseActor(actor);
      const { groupId, limit } = parseInput(z.object({ groupId: idField, limit: z.int().min(1).max(200).default(20) }), input);
      requireRole(await membershipOf(ctx.prisma, who, groupId), ['admin']);
      const group = await ctx.prisma.group.findUniqueOrThrow({ where: { id: groupId }, select: { organisationId: true } });
      const rows = await ctx.prisma.accessAudit.findMany({
        where: { organisationId: group.organisationId },
        orderBy: { at: 'desc' },
        take: limit,
      });
      const ids = [...new Set(rows.flatMap((r) => [r.readerId, ...(r.subjectId ? [r.subjectId] : [])]))];
      const people = await ctx.prisma.person.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
      const roles = await ctx.prisma.membership.findMany({
        where: { groupId, personId: { in: ids } },
        select: { personId: true, role: true },
      });
      const name = new Map(people.map((p) => [p.id, p.displayName]));
      const role = new Map(roles.map((r) => [r.personId, r.role]));
      await recordRead(ctx.prisma, ctx.now(), { readerId: who.personId, groupId, what: 'audit', why: '/audit' });
      return rows.map((r) => ({
        at: r.at,
        reader: name.get(r.readerId) ?? '?',
        readerRole: role.get(r.readerId) ?? null,
        subject: r.subjectId ? (name.get(r.subjectId) ?? null) : null,
        what: r.what,
        why: r.why,
      }));
    },
  };
}
