import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { PHASES_FOR, assertPhase } from '../domain/phases.ts';
import { MAX_INT } from '../domain/values.ts';
import { idField, loadRound, lockRoundInPhase, parseActor, requireRole, type Ctx } from './context.ts';
import { ANY_MEMBER, STAFF } from '../domain/roles.ts';
import { parsePayload } from './results.ts';
import type { IsoTime } from './views.ts';

export const IMPLEMENTATION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

export const recordProgressInput = z
  .object({
    proposalId: idField,
    status: z.enum(IMPLEMENTATION_STATUSES),
    progress: z.int().min(0).max(100),
    /** Money spent since the last update, minor units. */
    spent: z.int().min(0).max(MAX_INT).default(0),
    note: z.string().trim().max(1000).optional(),
  })
  // Money leaving the pot always says what it went to.
  .refine((d) => d.spent === 0 || !!d.note, { path: ['note'], params: { key: 'issue.required', field: { key: 'field.note' } } });
export const roundProgressInput = z.object({ roundId: idField });

export interface ProgressUpdateView {
  status: ImplementationStatus;
  progress: number;
  spent: number;
  note: string | null;
  at: IsoTime;
}

export interface ImplementationView {
  proposalId: string;
  number: number;
  title: string;
  /** What the result granted, minor units. */
  cost: number;
  /** Newest update's status; `planned` before any. */
  status: ImplementationStatus;
  progress: number;
  /** All money spent so far, minor units. */
  spent: number;
  /** Oldest first. */
  updates: ProgressUpdateView[];
}

/** Ids of the proposals the round's newest result funded. */
async function fundedIds(db: Prisma | Tx, roundId: string): Promise<string[]> {
  const result = await db.result.findFirst({ where: { roundId }, orderBy: { seq: 'desc' }, select: { payload: true } });
  return result ? parsePayload(result.payload).selected : [];
}

async function progressOf(db: Prisma | Tx, proposalIds: readonly string[]): Promise<ImplementationView[]> {
  const proposals = await db.proposal.findMany({
    where: { id: { in: [...proposalIds] } },
    include: { implementation: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    orderBy: { number: 'asc' },
  });
  return proposals.map((p) => {
    const updates = p.implementation.map((u) => ({
      status: u.status as ImplementationStatus,
      progress: u.progress,
      spent: u.spent,
      note: u.note,
      at: u.at.toISOString(),
    }));
    const last = updates.at(-1);
    return {
      proposalId: p.id,
      number: p.number,
      title: p.title,
      cost: p.cost,
      status: last?.status ?? 'planned',
      progress: last?.progress ?? 0,
      spent: updates.reduce((sum, u) => sum + u.spent, 0),
      updates,
    };
  });
}

export function implementationUseCases(ctx: Ctx) {
  return {
    /** Staff record how a funded proposal is going (status, 0–100 %, money spent with a note); logged as `implementation`. */
    async record(actor: unknown, input: unknown): Promise<ImplementationView> {
      const who = parseActor(actor);
      const data = parseInput(recordProgressInput, input);
      const proposal = await ctx.prisma.proposal.findUnique({ where: { id: data.proposalId }, select: { roundId: true } });
      if (!proposal) throw notFound('proposal');
      const { round, member } = await loadRound(ctx.prisma, who, proposal.roundId);
      requireRole(member, STAFF);
      return ctx.tx(async (tx) => {
        await lockRoundInPhase(tx, round.id, PHASES_FOR.implement);
        const p = await tx.proposal.findUniqueOrThrow({ where: { id: data.proposalId } });
        if (!(await fundedIds(tx, round.id)).includes(p.id))
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.not_funded', params: { ref: `#${p.number}` } }]);
        const at = ctx.now();
        await tx.implementationUpdate.create({
          data: {
            id: newId(),
            proposalId: p.id,
            status: data.status,
            progress: data.progress,
            spent: data.spent,
            note: data.note || null,
            actorId: who.personId,
            at,
          },
        });
        await appendLog(tx, {
          groupId: round.groupId,
          roundId: round.id,
          kind: 'implementation',
          actorId: who.personId,
          reason: data.note || null,
          at,
          data: { proposalId: p.id, number: p.number, status: data.status, progress: data.progress, spent: data.spent },
        });
        return (await progressOf(tx, [p.id]))[0]!;
      });
    },

    /** Progress of every funded proposal of a decided round, for all members. */
    async progress(actor: unknown, input: unknown): Promise<ImplementationView[]> {
      const who = parseActor(actor);
      const { roundId } = parseInput(roundProgressInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, ANY_MEMBER);
      assertPhase(round.phase, PHASES_FOR.decided);
      return progressOf(ctx.prisma, await fundedIds(ctx.prisma, roundId));
    },
  };
}
