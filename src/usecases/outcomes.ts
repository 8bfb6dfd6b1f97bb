import { z } from 'zod';
import { notFound, parseInput } from '../core/errors.ts';
import {
  type GroupOutcome,
  groupOutcome,
  OUTCOME_OVERRIDE_KINDS,
  type OutcomeOverrideKind,
  type PeriodPoint,
  type ImplementationFact,
  type RoundFacts,
  type RoundOutcome,
  roundOutcome,
  type SayOutcome,
  sayOutcome,
  trend,
} from '../domain/outcomes.ts';
import type { DashboardScope } from '../domain/roles.ts';
import { isStaffRole, isRole } from '../domain/roles.ts';
import { redact } from '../privacy/index.ts';
import type { Locale } from '../i18n/index.ts';
import { idField, type Ctx } from './context.ts';
import { type DashboardViewer, viewerOf } from './dashboard-access.ts';
import { overrideKindOf } from './overrides.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const outcomeFilter = z.object({
  organisationId: idField.optional(),
  groupId: idField.optional(),
  roundId: idField.optional(),
  /** The period: rounds started, messages written and nudges sent from `from` to `to` (UTC days, inclusive). */
  from: day.optional(),
  to: day.optional(),
});
export type OutcomeFilter = z.output<typeof outcomeFilter>;

export interface OverrideReason {
  groupName: string;
  roundTitle: string | null;
  kind: OutcomeOverrideKind;
  /** The logged reason, with personal data masked. */
  reason: string | null;
  at: string;
}

export interface Outcomes {
  scope: DashboardScope;
  filter: OutcomeFilter;
  organisations: Array<{ id: string; name: string }>;
  groups: Array<{ id: string; name: string; organisationId: string }>;
  rounds: RoundOutcome[];
  perGroup: GroupOutcome[];
  trend: PeriodPoint[];
  overrides: { byKind: Record<OutcomeOverrideKind, number>; reasons: OverrideReason[] };
  /** "Did you have a real say?" over every round in view. */
  say: SayOutcome;
  nudges: number;
  talk: { youth: number | null; staff: number; staffSharePct: number | null };
}

const zeroKinds = (): Record<OutcomeOverrideKind, number> => ({ ineligible: 0, hidden: 0, reopened: 0, extended: 0, result_changed: 0 });
/** The newest reasons shown on the page; the CSV has them all. */
const REASONS_SHOWN = 50;

const parseJson = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/**
 * The dashboard's figures for what a viewer may see (their scope, from `dashboardAccess.viewer`), narrowed by the
 * filter. Reads only counts and sums the database makes (groupBy), the small log entries of decisions, and the
 * per-day message counts: never a ballot's choice, a message's text or who answered what.
 */
export function outcomesUseCases(ctx: Ctx) {
  const { prisma } = ctx;

  async function read(viewer: DashboardViewer, input: unknown, locale: Locale, allReasons: boolean): Promise<Outcomes> {
    const filter = parseInput(outcomeFilter, input);
    const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined;
    const to = filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) : undefined;
    const period = from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
    const allowed = viewer.groupIds;
    if (filter.groupId && allowed && !allowed.includes(filter.groupId)) throw notFound('group');

    const groupWhere = {
      ...(allowed ? { id: { in: filter.groupId ? [filter.groupId] : allowed } } : filter.groupId ? { id: filter.groupId } : {}),
      ...(filter.organisationId ? { organisationId: filter.organisationId } : {}),
    };
    const groupRows = await prisma.group.findMany({
      where: groupWhere,
      select: { id: true, name: true, organisationId: true, organisation: { select: { name: true } } },
      orderBy: { name: 'asc' },
    });
    const groupIds = groupRows.map((g) => g.id);
    const everyGroup = !allowed && !filter.groupId && !filter.organisationId;
    const inGroups = everyGroup ? {} : { groupId: { in: groupIds } };
    const roundRows = await prisma.round.findMany({
      where: {
        ...inGroups,
        phase: { not: 'draft' },
        ...(filter.roundId ? { id: filter.roundId } : {}),
        ...(period ? { createdAt: period } : {}),
      },
      select: { id: true, groupId: true, title: true, phase: true, amount: true, currency: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const roundIds = roundRows.map((r) => r.id);
    const everyRound = everyGroup && !filter.roundId && !period;
    const inRounds = everyRound ? {} : { roundId: { in: roundIds } };

    const [youth, staffMembers, ballots, proposals, resultLogs, implementation, say, lundy, daily, nudges, decisionLogs] =
      await Promise.all([
        prisma.membership.groupBy({ by: ['groupId'], where: { ...inGroups, role: 'youth' }, _count: { _all: true } }),
        prisma.membership.findMany({
          where: { ...inGroups, role: { not: 'youth' } },
          select: { groupId: true, personId: true, role: true },
        }),
        prisma.ballot.groupBy({ by: ['roundId'], where: inRounds, _count: { _all: true } }),
        prisma.proposal.findMany({
          where: { ...inRounds, status: { not: 'withdrawn' } },
          select: { id: true, roundId: true, authorId: true, cost: true, createdAt: true },
        }),
        prisma.logEntry.findMany({
          where: { ...inRounds, kind: 'result' },
          select: { roundId: true, data: true, at: true },
          orderBy: { seq: 'asc' },
        }),
        prisma.implementationUpdate.groupBy({
          by: ['proposalId', 'status'],
          where: everyRound ? {} : { proposal: { roundId: { in: roundIds } } },
          _sum: { spent: true },
          _min: { at: true },
        }),
        prisma.sayAnswer.groupBy({ by: ['roundId', 'score'], where: inRounds, _count: { _all: true } }),
        prisma.lundyAssessment.groupBy({
          by: ['roundId'],
          where: inRounds,
          _count: { _all: true },
          _sum: { space: true, voice: true, audience: true, influence: true },
        }),
        prisma.discussionDaily.groupBy({
          by: ['groupId'],
          where: { ...inGroups, ...(period ? { day: period } : {}) },
          _sum: { youth: true, staff: true },
        }),
        prisma.staffNudge.groupBy({ by: ['groupId'], where: { ...inGroups, ...(period ? { at: period } : {}) }, _count: { _all: true } }),
        prisma.logEntry.findMany({
          where: { ...inGroups, kind: { in: ['eligibility', 'moderation', 'override', 'result'] }, ...(period ? { at: period } : {}) },
          select: { groupId: true, roundId: true, kind: true, data: true, reason: true, at: true, seq: true },
          orderBy: [{ at: 'asc' }, { seq: 'asc' }],
        }),
      ]);

    const groupOf = new Map(groupRows.map((g) => [g.id, g]));
    const youthOf = new Map(youth.map((y) => [y.groupId, y._count._all]));
    const staffOf = new Set(staffMembers.filter((m) => isRole(m.role) && isStaffRole(m.role)).map((m) => `${m.groupId}:${m.personId}`));
    const ballotsOf = new Map(ballots.map((b) => [b.roundId, b._count._all]));
    const roundGroup = new Map(roundRows.map((r) => [r.id, r.groupId]));
    const ideasOf = new Map<string, RoundFacts['proposals']>();
    const proposalRound = new Map<string, string>();
    for (const p of proposals) {
      const list = ideasOf.get(p.roundId) ?? [];
      list.push({ id: p.id, cost: p.cost, createdAt: p.createdAt, byYouth: !staffOf.has(`${roundGroup.get(p.roundId)}:${p.authorId}`) });
      ideasOf.set(p.roundId, list);
      proposalRound.set(p.id, p.roundId);
    }
    const decisionOf = new Map<string, { firstAt: Date; selected: string[] }>();
    for (const r of resultLogs) {
      if (!r.roundId) continue;
      const data = parseJson(r.data);
      const selected = Array.isArray(data.selected) ? data.selected.filter((s): s is string => typeof s === 'string') : [];
      const first = decisionOf.get(r.roundId)?.firstAt ?? r.at;
      decisionOf.set(r.roundId, { firstAt: first, selected });
    }
    const implOf = new Map<string, Map<string, ImplementationFact>>();
    for (const u of implementation) {
      const roundId = proposalRound.get(u.proposalId);
      if (!roundId) continue;
      const perRound = implOf.get(roundId) ?? new Map<string, ImplementationFact>();
      const fact = perRound.get(u.proposalId) ?? { spent: 0, doneAt: null, cancelled: false };
      fact.spent += u._sum.spent ?? 0;
      if (u.status === 'done') fact.doneAt = u._min.at ?? null;
      if (u.status === 'cancelled') fact.cancelled = true;
      perRound.set(u.proposalId, fact);
      implOf.set(roundId, perRound);
    }
    const sayOf = new Map<string, [number, number, number, number, number]>();
    for (const s of say) {
      const row = sayOf.get(s.roundId) ?? [0, 0, 0, 0, 0];
      if (s.score >= 1 && s.score <= 5) row[s.score - 1] = s._count._all;
      sayOf.set(s.roundId, row);
    }
    const lundyOf = new Map(lundy.map((l) => [l.roundId, l]));

    // Overrides: counted per round and kind; a result after a round's first one is the reopening's changed result.
    const overridesOf = new Map<string, Record<OutcomeOverrideKind, number>>();
    const byKind = zeroKinds();
    const reasons: OverrideReason[] = [];
    const titleOf = new Map(roundRows.map((r) => [r.id, r.title]));
    for (const e of decisionLogs) {
      const kind = overrideKindOf(e);
      if (!kind || kind === 'result') continue;
      if (filter.roundId && e.roundId !== filter.roundId) continue;
      byKind[kind]++;
      if (e.roundId) {
        const counts = overridesOf.get(e.roundId) ?? zeroKinds();
        counts[kind]++;
        overridesOf.set(e.roundId, counts);
      }
      reasons.push({
        groupName: groupOf.get(e.groupId)?.name ?? '',
        roundTitle: e.roundId ? (titleOf.get(e.roundId) ?? null) : null,
        kind,
        reason: e.reason,
        at: e.at.toISOString(),
      });
    }
    reasons.reverse();
    const shown = allReasons ? reasons : reasons.slice(0, REASONS_SHOWN);
    for (const r of shown) if (r.reason) r.reason = redact(r.reason, { locale }).text;

    const facts: RoundFacts[] = roundRows.map((r) => {
      const g = groupOf.get(r.groupId);
      const l = lundyOf.get(r.id);
      return {
        roundId: r.id,
        title: r.title,
        groupId: r.groupId,
        groupName: g?.name ?? '',
        organisationId: g?.organisationId ?? '',
        organisationName: g?.organisation.name ?? '',
        phase: r.phase,
        amount: r.amount,
        currency: r.currency,
        createdAt: r.createdAt,
        eligible: youthOf.get(r.groupId) ?? 0,
        ballots: ballotsOf.get(r.id) ?? 0,
        proposals: ideasOf.get(r.id) ?? [],
        decision: decisionOf.get(r.id) ?? null,
        implementation: implOf.get(r.id) ?? new Map(),
        say: sayOf.get(r.id) ?? [0, 0, 0, 0, 0],
        lundy: {
          n: l?._count._all ?? 0,
          space: l?._sum.space ?? 0,
          voice: l?._sum.voice ?? 0,
          audience: l?._sum.audience ?? 0,
          influence: l?._sum.influence ?? 0,
        },
        overrides: overridesOf.get(r.id) ?? zeroKinds(),
      };
    });
    const outcomes = facts.map(roundOutcome);
    const sayTotal = [0, 0, 0, 0, 0];
    let decidedBallots = 0;
    for (const f of facts) {
      f.say.forEach((n, i) => {
        sayTotal[i]! += n;
      });
      if (f.decision) decidedBallots += f.ballots;
    }
    const dailyOf = new Map(daily.map((d) => [d.groupId, d._sum]));
    const nudgesOf = new Map(nudges.map((n) => [n.groupId, n._count._all]));
    const factsOfGroup = new Map<string, { facts: RoundFacts[]; outcomes: RoundOutcome[] }>();
    facts.forEach((f, i) => {
      const entry = factsOfGroup.get(f.groupId) ?? { facts: [], outcomes: [] };
      entry.facts.push(f);
      entry.outcomes.push(outcomes[i]!);
      factsOfGroup.set(f.groupId, entry);
    });
    const perGroup = groupRows.map((g) => {
      const d = dailyOf.get(g.id);
      const mine = factsOfGroup.get(g.id) ?? { facts: [], outcomes: [] };
      return groupOutcome(
        {
          groupId: g.id,
          groupName: g.name,
          organisationId: g.organisationId,
          organisationName: g.organisation.name,
          youthMessages: d?.youth ?? 0,
          staffMessages: d?.staff ?? 0,
          nudges: nudgesOf.get(g.id) ?? 0,
        },
        mine.facts,
        mine.outcomes,
      );
    });
    const youthTotal = daily.reduce((a, d) => a + (d._sum.youth ?? 0), 0);
    const staffTotal = daily.reduce((a, d) => a + (d._sum.staff ?? 0), 0);
    const organisations = new Map(groupRows.map((g) => [g.organisationId, g.organisation.name]));
    return {
      scope: viewer.scope,
      filter,
      organisations: [...organisations.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      groups: groupRows.map((g) => ({ id: g.id, name: g.name, organisationId: g.organisationId })),
      rounds: outcomes,
      perGroup,
      trend: trend(facts, outcomes),
      overrides: { byKind, reasons: shown },
      say: sayOutcome(sayTotal, decidedBallots),
      nudges: nudges.reduce((a, n) => a + n._count._all, 0),
      talk: {
        youth: youthTotal > 0 && youthTotal < 5 ? null : youthTotal,
        staff: staffTotal,
        staffSharePct:
          youthTotal + staffTotal > 0 && youthTotal >= 5 ? Math.round((staffTotal * 1000) / (youthTotal + staffTotal)) / 10 : null,
      },
    };
  }

  return {
    /** Everything the dashboard shows, for the viewer's scope; `allReasons` for the CSV of override reasons. */
    read,
    /** The viewer for a person (tests, the bench): the same scope rules as a session's. */
    viewerOf: (personId: string) => viewerOf(prisma, personId),
  };
}

export type { OutcomeOverrideKind };
export const OVERRIDE_KINDS_SHOWN = OUTCOME_OVERRIDE_KINDS;
