import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from './database.ts';
import { GENESIS_HASH, entryHash, verifyChain, type ChainReport, type LogKind } from '../decision-log/chain.ts';

export interface LogInput {
  groupId: string;
  roundId?: string | null;
  kind: LogKind;
  actorId?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  at?: Date;
}

/**
 * Appends one entry inside the caller's transaction, so the log and the change it records commit together.
 * Bumping the group's `logSeq` first takes that row's lock: concurrent appends to one chain queue up
 * instead of both linking to the same predecessor (PostgreSQL); SQLite serialises writers anyway.
 */
export async function appendLog(tx: Tx, input: LogInput) {
  const group = await tx.group.update({ where: { id: input.groupId }, data: { logSeq: { increment: 1 } }, select: { logSeq: true } });
  const seq = group.logSeq;
  const prev = seq === 1 ? null : await tx.logEntry.findUnique({ where: { groupId_seq: { groupId: input.groupId, seq: seq - 1 } } });
  const entry = {
    id: newId(),
    groupId: input.groupId,
    seq,
    roundId: input.roundId ?? null,
    kind: input.kind,
    actorId: input.actorId ?? null,
    reason: input.reason ?? null,
    data: JSON.stringify(input.data ?? {}),
    // Millisecond precision: both engines store exactly that, so the hash re-computes after a round trip.
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  return tx.logEntry.create({ data: { ...entry, hash: entryHash(entry) } });
}

export async function readChain(prisma: Prisma | Tx, groupId: string) {
  return prisma.logEntry.findMany({ where: { groupId }, orderBy: { seq: 'asc' } });
}

/** Verifies every group's chain (or the named ones). */
export async function verifyLogs(prisma: Prisma, groupIds?: string[]): Promise<ChainReport[]> {
  const groups = await prisma.group.findMany({
    where: groupIds ? { id: { in: groupIds } } : {},
    select: { id: true, logSeq: true },
    orderBy: { id: 'asc' },
  });
  const reports: ChainReport[] = [];
  for (const g of groups) {
    const entries = await readChain(prisma, g.id);
    const report = verifyChain(g.id, entries);
    // An entry cut off the end leaves a valid-looking chain; the head counter still remembers it.
    if (report.ok && entries.length < g.logSeq) {
      report.ok = false;
      report.firstBroken = { seq: entries.length + 1, id: null, problem: 'missing_entry' };
    }
    reports.push(report);
  }
  return reports;
}
