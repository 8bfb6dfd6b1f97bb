import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { STAFF } from '../domain/roles.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';
import type { IsoTime } from './views.ts';

/** The staff decisions that override the young people's process, each with a reason in the decision log. */
export const OVERRIDE_KINDS = ['ineligible', 'hidden', 'reopened', 'extended', 'result_changed'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

export interface OverrideEntry {
  kind: OverrideKind;
  seq: number;
  roundId: string | null;
  /** Who decided it; for a changed result, the staff member who reopened voting. */
  actorId: string | null;
  reason: string | null;
  at: IsoTime;
}

export interface OverrideCounts {
  groupId: string;
  since: IsoTime | null;
  total: number;
  byKind: Record<OverrideKind, number>;
  /** Per staff member (null: Pulje itself, which never overrides today), names for staff eyes only. */
  byStaff: Array<{ personId: string | null; displayName: string | null; total: number; byKind: Record<OverrideKind, number> }>;
  entries: OverrideEntry[];
}

const zero = (): Record<OverrideKind, number> => ({ ineligible: 0, hidden: 0, reopened: 0, extended: 0, result_changed: 0 });

/** Which override a log entry is, if any (the log's `data` as JSON text). */
export function overrideKindOf(entry: { kind: string; data: string }): OverrideKind | 'result' | null {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(entry.data) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (entry.kind === 'eligibility' && data.to === 'ineligible') return 'ineligible';
  if (entry.kind === 'moderation' && data.to === 'hidden') return 'hidden';
  if (entry.kind === 'override' && data.action === 'reopen_voting') return 'reopened';
  if (entry.kind === 'override' && data.action === 'extend_voting') return 'extended';
  // A result after the first one of a round replaces a published decision: counted as the reopening's.
  if (entry.kind === 'result') return typeof data.seq === 'number' && data.seq > 1 ? 'result_changed' : 'result';
  return null;
}

/**
 * Overrides counted per staff member, read from the decision log (which every override is written to, with its
 * reason, in the transaction that made it): for the staff's own view now and the dashboard later.
 */
export function overridesUseCases(ctx: Ctx) {
  return {
    async count(actor: unknown, input: unknown): Promise<OverrideCounts> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ groupId: idField, days: z.int().min(1).max(3650).optional() }), input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      const since = data.days !== undefined ? new Date(ctx.now().getTime() - data.days * 86_400_000) : null;
      const rows = await ctx.prisma.logEntry.findMany({
        where: { groupId: data.groupId, kind: { in: ['eligibility', 'moderation', 'override', 'result'] } },
        orderBy: { seq: 'asc' },
      });
      const lastReopen = new Map<string, { actorId: string | null; reason: string | null }>();
      const entries: OverrideEntry[] = [];
      for (const row of rows) {
        const kind = overrideKindOf(row);
        if (!kind || kind === 'result') continue;
        if (kind === 'reopened' && row.roundId) lastReopen.set(row.roundId, { actorId: row.actorId, reason: row.reason });
        const by = kind === 'result_changed' && row.roundId ? lastReopen.get(row.roundId) : undefined;
        if (since && row.at < since) continue;
        entries.push({
          kind,
          seq: row.seq,
          roundId: row.roundId,
          actorId: by ? by.actorId : row.actorId,
          reason: by ? by.reason : row.reason,
          at: row.at.toISOString(),
        });
      }
      const byKind = zero();
      const staff = new Map<string | null, Record<OverrideKind, number>>();
      for (const e of entries) {
        byKind[e.kind]++;
        const mine = staff.get(e.actorId) ?? zero();
        mine[e.kind]++;
        staff.set(e.actorId, mine);
      }
      const ids = [...staff.keys()].filter((id): id is string => id !== null);
      const people = await ctx.prisma.person.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
      const names = new Map(people.map((p) => [p.id, p.displayName]));
      return {
        groupId: data.groupId,
        since: since?.toISOString() ?? null,
        total: entries.length,
        byKind,
        byStaff: [...staff.entries()]
          .map(([personId, counts]) => ({
            personId,
            displayName: personId ? (names.get(personId) ?? null) : null,
            total: Object.values(counts).reduce((a, b) => a + b, 0),
            byKind: counts,
          }))
          .sort((a, b) => b.total - a.total || String(a.displayName).localeCompare(String(b.displayName))),
        entries,
      };
    },
  };
}
