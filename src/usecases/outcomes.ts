import { empty, join, sqltag } from '@prisma/client/runtime/client';
import { z } from 'zod';
import { notFound, parseInput } from '../core/errors.ts';
import {
  type Count,
  disagreementOutcome,
  type GroupOutcome,
  groupOutcome,
  OUTCOME_OVERRIDE_KINDS,
  type OutcomeOverrideKind,
  type PeriodPoint,
  type FundedFact,
  type ImplementationFact,
  type RoundFacts,
  type RoundOutcome,
  roundOutcome,
  type SayOutcome,
  sayOutcome,
  trend,
} from '../domain/outcomes.ts';
import type { DashboardScope } from '../domain/roles.ts';
import { PHASES_FOR } from '../domain/phases.ts';
import { STAFF } from '../domain/roles.ts';
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
  groupId: string;
  /** The decision's place in its group's log. */
  seq: number;
  groupName: string;
  roundTitle: string | null;
  kind: OutcomeOverrideKind;
  /** The logged reason, with personal data masked. */
  reason: string | null;
  at: string;
  /** How many young people say privately that they disagree with it (1–4: null, "fewer than 5"). */
  disagree: Count;
}

export interface Outcomes {
  scope: DashboardScope;
  filter: OutcomeFilter;
  organisations: Array<{ id: string; name: string }>;
  groups: Array<{ id: string; name: string; organisationId: string }>;
  rounds: RoundOutcome[];
  perGroup: GroupOutcome[];
  trend: PeriodPoint[];
  overrides: {
    byKind: Record<OutcomeOverrideKind, number>;
    /**
     * Young people disagreeing, over every decision of the kind in view (see `disagreementOutcome`): null for
     * 1–4, 'withheld' where the total would tell a decision's hidden count.
     */
    disagreeByKind: Record<OutcomeOverrideKind, Count | 'withheld'>;
    reasons: OverrideReason[];
  };
  /** "Did you have a real say?" over every round in view. */
  say: SayOutcome;
  nudges: number;
  talk: { youth: number | null; staff: number; staffSharePct: number | null };
}

const zeroKinds = (): Record<OutcomeOverrideKind, number> => ({ ineligible: 0, hidden: 0, reopened: 0, extended: 0, result_changed: 0 });
/** The newest reasons shown on the page; the CSV has them all. */
const REASONS_SHOWN = 50;
const DECIDED: readonly string[] = PHASES_FOR.decided;
/** A count from raw SQL: a number on SQLite, a bigint on PostgreSQL (SUM and COUNT). */
type Num = number | bigint;

interface Figures {
  roundId: string;
  groupId: string;
  resultSeq: number;
  ballots: number;
  eligible: number;
  ideasYouth: number;
  ideasStaff: number;
  firstIdeaAt: Date | null;
  decidedAt: Date;
  funded: FundedFact[];
}

/** Ids per query: SQLite takes at most 999 parameters in one statement. */
const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Runs a query for rows whose `field` is one of `ids`, in parts small enough for either engine, and puts the
 * answers together (each part's rows are its own keys, so counts per key stay whole); `ids` null: every row.
 */
async function many<K extends string, T>(
  field: K,
  ids: readonly string[] | null,
  run: (where: { [P in K]?: { in: string[] } }) => Promise<T[]>,
  /**
   * For more ids than one statement takes (a period over every group), read the whole table once instead, kept
   * to `ids` here ('filter'; the rows carry `field`) or by the caller ('caller'): for the small kept figures per
   * round, one read costs less than many statements with 500 parameters each.
   */
  whole?: 'filter' | 'caller',
): Promise<T[]> {
  if (ids === null) return run({});
  if (!ids.length) return [];
  if (whole && ids.length > CHUNK) {
    if (whole === 'caller') return run({});
    const wanted = new Set(ids);
    return (await run({})).filter((row) => wanted.has((row as Record<string, unknown>)[field] as string));
  }
  const parts = await Promise.all(chunks(ids).map((part) => run({ [field]: { in: part } } as { [P in K]?: { in: string[] } })));
  return parts.flat();
}
const parseFunded = (text: string): FundedFact[] => {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as FundedFact[]) : [];
  } catch {
    return [];
  }
};

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
  const masked = new Map<string, string>();

  /**
   * The kept figures of decided rounds (RoundFigures), made for any round that has none yet or whose newest
   * result is newer than the one they were made from: counted once from its ideas, ballots and result.
   */
  async function figuresOf(
    rounds: ReadonlyArray<{ id: string; groupId: string }>,
    every: boolean,
    onCounted?: (n: number) => void,
  ): Promise<Map<string, Figures>> {
    if (!rounds.length) return new Map();
    const ids = rounds.map((r) => r.id);
    const these = every ? null : ids;
    const [results, kept] = await Promise.all([
      many(
        'roundId',
        these,
        (where) => prisma.result.groupBy({ by: ['roundId'], where, _max: { seq: true }, _min: { createdAt: true } }),
        'filter',
      ),
      many('roundId', these, (where) => prisma.roundFigures.findMany({ where }), 'filter'),
    ]);
    const out = new Map<string, Figures>();
    const latest = new Map(results.map((r) => [r.roundId, { seq: r._max.seq ?? 0, first: r._min.createdAt }]));
    const wanted = new Set(ids);
    for (const k of kept) {
      if (!wanted.has(k.roundId) || latest.get(k.roundId)?.seq !== k.resultSeq) continue;
      out.set(k.roundId, { ...k, funded: parseFunded(k.funded) });
    }
    const stale = rounds.filter((r) => !out.has(r.id) && latest.get(r.id)?.first);
    if (!stale.length) return out;
    const counted = (await Promise.all(chunks(stale).map((part) => countFigures(part, latest)))).flat();
    for (const f of counted) out.set(f.roundId, f);
    onCounted?.(counted.length);
    // Kept for the next view, all in one transaction; a concurrent view may have written the same rows first,
    // which is as good.
    // Written by plain INSERTs of 90 rows (900 parameters): Prisma's createMany spends about half a millisecond
    // a row building its statements, ten times what the database takes to store them.
    const at = (d: Date | null) =>
      d === null
        ? sqltag`NULL`
        : ctx.engine === 'postgresql'
          ? sqltag`CAST(${d.toISOString()} AS TIMESTAMP(3))`
          : // Prisma's SQLite text form of a DateTime.
            sqltag`${d.toISOString().replace('Z', '+00:00')}`;
    await ctx.tx(async (tx) => {
      for (const part of chunks(counted)) await tx.roundFigures.deleteMany({ where: { roundId: { in: part.map((f) => f.roundId) } } });
      for (let i = 0; i < counted.length; i += 90) {
        const rows = counted
          .slice(i, i + 90)
          .map(
            (f) =>
              sqltag`(${f.roundId}, ${f.groupId}, ${f.resultSeq}, ${f.ballots}, ${f.eligible}, ${f.ideasYouth}, ${f.ideasStaff}, ${at(f.firstIdeaAt)}, ${at(f.decidedAt)}, ${JSON.stringify(f.funded)})`,
          );
        await tx.$executeRaw`INSERT INTO "RoundFigures" ("roundId", "groupId", "resultSeq", "ballots", "eligible", "ideasYouth", "ideasStaff", "firstIdeaAt", "decidedAt", "funded") VALUES ${join(rows)}`;
      }
    });
    return out;
  }

  async function countFigures(
    rounds: ReadonlyArray<{ id: string; groupId: string }>,
    latest: Map<string, { seq: number; first: Date | null }>,
  ): Promise<Figures[]> {
    const ids = rounds.map((r) => r.id);
    const groupIds = [...new Set(rounds.map((r) => r.groupId))];
    const [proposals, ballots, staff, results] = await Promise.all([
      prisma.proposal.findMany({
        where: { roundId: { in: ids }, status: { not: 'withdrawn' } },
        select: { id: true, roundId: true, authorId: true, cost: true, createdAt: true },
      }),
      prisma.ballot.groupBy({ by: ['roundId'], where: { roundId: { in: ids } }, _count: { _all: true } }),
      prisma.membership.findMany({
        where: { groupId: { in: groupIds }, role: { not: 'youth' } },
        select: { groupId: true, personId: true },
      }),
      prisma.result.findMany({ where: { roundId: { in: ids } }, select: { roundId: true, seq: true, payload: true } }),
    ]);
    const staffOf = new Set(staff.map((m) => `${m.groupId}:${m.personId}`));
    const groupOf = new Map(rounds.map((r) => [r.id, r.groupId]));
    const ballotsOf = new Map(ballots.map((b) => [b.roundId, b._count._all]));
    const newest = new Map<string, Record<string, unknown>>();
    for (const r of results) if (r.seq === latest.get(r.roundId)?.seq) newest.set(r.roundId, parseJson(r.payload));
    const ideasOf = new Map<string, typeof proposals>();
    for (const p of proposals) ideasOf.set(p.roundId, [...(ideasOf.get(p.roundId) ?? []), p]);
    const figures: Figures[] = rounds.map((r) => {
      const ideas = ideasOf.get(r.id) ?? [];
      const byYouth = (p: { authorId: string }) => !staffOf.has(`${groupOf.get(r.id)}:${p.authorId}`);
      const payload = newest.get(r.id) ?? {};
      const selected = new Set(Array.isArray(payload.selected) ? payload.selected : []);
      const first = ideas.reduce<Date | null>((a, p) => (!a || p.createdAt < a ? p.createdAt : a), null);
      return {
        roundId: r.id,
        groupId: r.groupId,
        resultSeq: latest.get(r.id)?.seq ?? 0,
        ballots: typeof payload.ballotsCounted === 'number' ? payload.ballotsCounted : (ballotsOf.get(r.id) ?? 0),
        eligible: typeof payload.eligibleVoters === 'number' ? payload.eligibleVoters : 0,
        ideasYouth: ideas.filter(byYouth).length,
        ideasStaff: ideas.filter((p) => !byYouth(p)).length,
        firstIdeaAt: first,
        decidedAt: latest.get(r.id)?.first ?? new Date(0),
        funded: ideas.filter((p) => selected.has(p.id)).map((p) => ({ id: p.id, cost: p.cost, byYouth: byYouth(p) })),
      };
    });
    return figures;
  }

  /** Messages per group and role: all time, whole months or days, from the counts `discussion.capture` keeps. */
  async function talkCounts(
    groups: readonly string[] | null,
    period: { gte?: Date; lt?: Date } | undefined,
    wholeMonths: boolean,
  ): Promise<Array<{ groupId: string; _sum: { youth: number | null; staff: number | null } }>> {
    const sums = (rows: Array<{ groupId: string; _sum: { youth: number | null; staff: number | null } }>) => rows;
    if (!period)
      return (await many('groupId', groups, (where) => prisma.discussionTotal.findMany({ where }))).map((r) => ({
        groupId: r.groupId,
        _sum: { youth: r.youth, staff: r.staff },
      }));
    if (wholeMonths) {
      const monthly = await many('groupId', groups, (where) =>
        prisma.discussionMonthly.groupBy({ by: ['groupId'], where: { ...where, month: period }, _sum: { youth: true, staff: true } }),
      );
      return sums(monthly);
    }
    const daily = await many('groupId', groups, (where) =>
      prisma.discussionDaily.groupBy({ by: ['groupId'], where: { ...where, day: period }, _sum: { youth: true, staff: true } }),
    );
    return sums(daily);
  }

  async function read(viewer: DashboardViewer, input: unknown, locale: Locale, allReasons: boolean): Promise<Outcomes> {
    const filter = parseInput(outcomeFilter, input);
    const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined;
    const to = filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) : undefined;
    const period = from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
    // A period of whole months (the yearly report) is read from the monthly counts.
    const wholeMonths = (!from || from.getUTCDate() === 1) && (!to || to.getUTCDate() === 1);
    const allowed = viewer.groupIds;
    if (filter.groupId && allowed && !allowed.includes(filter.groupId)) throw notFound('group');

    const org = filter.organisationId ? { organisationId: filter.organisationId } : {};
    const groupRows = (
      await many('id', filter.groupId ? [filter.groupId] : allowed, (where) =>
        prisma.group.findMany({
          where: { ...where, ...org },
          select: { id: true, name: true, organisationId: true, organisation: { select: { name: true } } },
        }),
      )
    ).sort((a, b) => a.name.localeCompare(b.name, 'da') || a.id.localeCompare(b.id));
    const groupIds = groupRows.map((g) => g.id);
    const everyGroup = !allowed && !filter.groupId && !filter.organisationId;
    const theseGroups = everyGroup ? null : groupIds;
    const roundRows = (
      await many('groupId', theseGroups, (where) =>
        prisma.round.findMany({
          where: {
            ...where,
            phase: { not: 'draft' },
            ...(filter.roundId ? { id: filter.roundId } : {}),
            ...(period ? { createdAt: period } : {}),
          },
          select: { id: true, groupId: true, title: true, phase: true, amount: true, currency: true, createdAt: true },
        }),
      )
    ).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    const roundIds = roundRows.map((r) => r.id);
    const everyRound = everyGroup && !filter.roundId && !period;
    const theseRounds = everyRound ? null : roundIds;

    const decidedRounds = roundRows.filter((r) => DECIDED.includes(r.phase));
    const openRounds = roundRows.filter((r) => !DECIDED.includes(r.phase));
    const figures = await figuresOf(decidedRounds, everyRound);
    const openIds = openRounds.map((r) => r.id);

    const [youth, ballots, proposals, staffIdeas, implementation, say, lundy, daily, nudges, decisionLogs] = await Promise.all([
      many('groupId', theseGroups, (where) =>
        prisma.membership.groupBy({ by: ['groupId'], where: { ...where, role: 'youth' }, _count: { _all: true } }),
      ),
      // Rounds still open are counted live; decided ones come from their kept figures.
      many('roundId', openIds, (where) => prisma.ballot.groupBy({ by: ['roundId'], where, _count: { _all: true } })),
      many('roundId', openIds, (where) =>
        prisma.proposal.groupBy({
          by: ['roundId'],
          where: { ...where, status: { not: 'withdrawn' } },
          _count: { _all: true },
          _min: { createdAt: true },
        }),
      ),
      // Of those, the ideas put forward by staff of the round's group (counted by the database, one row a round).
      Promise.all(
        chunks(openIds).map((part) =>
          prisma.$queryRaw<Array<{ roundId: string; n: Num }>>(
            sqltag`SELECT p."roundId" AS "roundId", COUNT(*) AS "n" FROM "Proposal" p
                     JOIN "Round" r ON r."id" = p."roundId"
                     JOIN "Membership" m ON m."groupId" = r."groupId" AND m."personId" = p."authorId"
                    WHERE p."roundId" IN (${join(part)}) AND p."status" <> 'withdrawn' AND m."role" IN (${join(STAFF)})
                    GROUP BY p."roundId"`,
          ),
        ),
      ).then((parts) => parts.flat()),
      many(
        'roundId',
        everyRound ? null : decidedRounds.map((r) => r.id),
        (where) =>
          prisma.implementationUpdate.groupBy({
            by: ['proposalId', 'status'],
            where: where.roundId ? { proposal: { roundId: where.roundId } } : {},
            _sum: { spent: true },
            _min: { at: true },
          }),
        // Updates of ideas outside the rounds in view are dropped below (they are no funded idea of theirs).
        'caller',
      ),
      // One row a round (the five scores side by side), not one a round and score.
      many(
        'roundId',
        theseRounds,
        (where) =>
          prisma.$queryRaw<Array<{ roundId: string; s1: Num; s2: Num; s3: Num; s4: Num; s5: Num }>>(
            sqltag`SELECT "roundId" AS "roundId",
                     SUM(CASE WHEN "score" = 1 THEN "n" ELSE 0 END) AS "s1", SUM(CASE WHEN "score" = 2 THEN "n" ELSE 0 END) AS "s2",
                     SUM(CASE WHEN "score" = 3 THEN "n" ELSE 0 END) AS "s3", SUM(CASE WHEN "score" = 4 THEN "n" ELSE 0 END) AS "s4",
                     SUM(CASE WHEN "score" = 5 THEN "n" ELSE 0 END) AS "s5"
                   FROM "SayTally" ${where.roundId ? sqltag`WHERE "roundId" IN (${join(where.roundId.in)})` : empty}
                   GROUP BY "roundId"`,
          ),
        'filter',
      ),
      many(
        'roundId',
        theseRounds,
        (where) =>
          prisma.lundyAssessment.groupBy({
            by: ['roundId'],
            where,
            _count: { _all: true },
            _sum: { space: true, voice: true, audience: true, influence: true },
          }),
        'filter',
      ),
      talkCounts(theseGroups, period, wholeMonths),
      period
        ? many('groupId', theseGroups, (where) =>
            prisma.staffNudge.groupBy({ by: ['groupId'], where: { ...where, at: period }, _count: { _all: true } }),
          )
        : many('groupId', theseGroups, (where) => prisma.discussionTotal.findMany({ where, select: { groupId: true, nudges: true } })).then(
            (rows) => rows.map((r) => ({ groupId: r.groupId, _count: { _all: r.nudges } })),
          ),
      many('groupId', theseGroups, (where) =>
        prisma.logEntry.findMany({
          where: { ...where, kind: { in: ['eligibility', 'moderation', 'override', 'result'] }, ...(period ? { at: period } : {}) },
          select: { id: true, groupId: true, roundId: true, kind: true, data: true, reason: true, at: true, seq: true },
        }),
      ),
    ]);
    decisionLogs.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);

    const groupOf = new Map(groupRows.map((g) => [g.id, g]));
    const youthOf = new Map(youth.map((y) => [y.groupId, y._count._all]));
    const ballotsOf = new Map(ballots.map((b) => [b.roundId, b._count._all]));
    const staffIdeasOf = new Map(staffIdeas.map((r) => [r.roundId, Number(r.n)]));
    const openIdeas = new Map<string, { youth: number; staff: number; first: Date | null }>();
    for (const p of proposals) {
      const staff = staffIdeasOf.get(p.roundId) ?? 0;
      openIdeas.set(p.roundId, { youth: p._count._all - staff, staff, first: p._min.createdAt });
    }
    const proposalRound = new Map<string, string>();
    for (const [roundId, f] of figures) for (const p of f.funded) proposalRound.set(p.id, roundId);
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
    const sayOf = new Map<string, [number, number, number, number, number]>(
      say.map((t) => [t.roundId, [Number(t.s1), Number(t.s2), Number(t.s3), Number(t.s4), Number(t.s5)]]),
    );
    const lundyOf = new Map(lundy.map((l) => [l.roundId, l]));

    // Overrides: counted per round and kind; a result after a round's first one is the reopening's changed result.
    const overridesOf = new Map<string, Record<OutcomeOverrideKind, number>>();
    const byKind = zeroKinds();
    const reasons: OverrideReason[] = [];
    const titleOf = new Map(roundRows.map((r) => [r.id, r.title]));
    const overrideLogs = decisionLogs.flatMap((e) => {
      const kind = overrideKindOf(e);
      if (!kind || kind === 'result') return [];
      if (filter.roundId && e.roundId !== filter.roundId) return [];
      return [{ e, kind }];
    });
    // "I disagree" from young people, counted per decision (never who): only of the decisions in view.
    const reactions = await many(
      'logEntryId',
      overrideLogs.map((x) => x.e.id),
      (where) => prisma.decisionReaction.groupBy({ by: ['logEntryId'], where: { ...where, withdrawnAt: null }, _count: { _all: true } }),
    );
    const disagreeOf = new Map(reactions.map((r) => [r.logEntryId, r._count._all]));
    const perKind = new Map<OutcomeOverrideKind, number[]>(OUTCOME_OVERRIDE_KINDS.map((k) => [k, []]));
    for (const { e, kind } of overrideLogs) {
      byKind[kind]++;
      perKind.get(kind)!.push(disagreeOf.get(e.id) ?? 0);
      if (e.roundId) {
        const counts = overridesOf.get(e.roundId) ?? zeroKinds();
        counts[kind]++;
        overridesOf.set(e.roundId, counts);
      }
      reasons.push({
        groupId: e.groupId,
        seq: e.seq,
        groupName: groupOf.get(e.groupId)?.name ?? '',
        roundTitle: e.roundId ? (titleOf.get(e.roundId) ?? null) : null,
        kind,
        reason: e.reason,
        at: e.at.toISOString(),
        disagree: null,
      });
    }
    // Suppressed per kind, over every decision of the kind in view (the CSV has them all), then handed back to
    // each decision in the order they were gathered.
    const disagreeByKind = {} as Record<OutcomeOverrideKind, Count | 'withheld'>;
    const shownOf = new Map<OutcomeOverrideKind, Count[]>();
    for (const kind of OUTCOME_OVERRIDE_KINDS) {
      const shown = disagreementOutcome(perKind.get(kind)!);
      disagreeByKind[kind] = shown.total;
      shownOf.set(kind, shown.each);
    }
    const next = new Map<OutcomeOverrideKind, number>();
    for (const r of reasons) {
      const i = next.get(r.kind) ?? 0;
      const each = shownOf.get(r.kind)!;
      r.disagree = i < each.length ? (each[i] as Count) : 0;
      next.set(r.kind, i + 1);
    }
    reasons.reverse();
    const shown = allReasons ? reasons : reasons.slice(0, REASONS_SHOWN);
    // Members named in a reason become "Deltager A" … (letters keyed per decision); staff too, unlike on the chat's
    // cards in a group that names staff: the dashboard and its CSV are read outside the group.
    // The log never changes, so each reason is masked once per language and kept (bounded).
    const key = (r: OverrideReason) => `${r.groupId}:${r.seq}:${locale}`;
    const todo = shown.filter((r) => r.reason && !masked.has(key(r)));
    const reasonGroups = [...new Set(todo.map((r) => r.groupId))];
    const members = await many('groupId', reasonGroups, (where) =>
      prisma.membership.findMany({ where, select: { groupId: true, personId: true, person: { select: { displayName: true } } } }),
    );
    const namesOf = new Map<string, Array<{ id: string; name: string }>>();
    for (const m of members) namesOf.set(m.groupId, [...(namesOf.get(m.groupId) ?? []), { id: m.personId, name: m.person.displayName }]);
    for (const r of todo) {
      if (masked.size >= 20_000) masked.delete(masked.keys().next().value!);
      masked.set(
        key(r),
        redact(r.reason!, { locale, knownNames: namesOf.get(r.groupId) ?? [], pseudonymKey: `${r.groupId}:${r.seq}` }).text,
      );
    }
    for (const r of shown) if (r.reason) r.reason = masked.get(key(r)) ?? null;

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
        ...(() => {
          const f = figures.get(r.id);
          if (f)
            return {
              eligible: f.eligible,
              ballots: f.ballots,
              ideasYouth: f.ideasYouth,
              ideasStaff: f.ideasStaff,
              firstIdeaAt: f.firstIdeaAt,
              decision: { firstAt: f.decidedAt, funded: f.funded },
            };
          const ideas = openIdeas.get(r.id);
          return {
            eligible: youthOf.get(r.groupId) ?? 0,
            ballots: ballotsOf.get(r.id) ?? 0,
            ideasYouth: ideas?.youth ?? 0,
            ideasStaff: ideas?.staff ?? 0,
            firstIdeaAt: ideas?.first ?? null,
            decision: null,
          };
        })(),
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
      overrides: { byKind, disagreeByKind, reasons: shown },
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
    /**
     * At start-up, in the background: the kept figures of every decided round that has none, or stale ones, made
     * now rather than by the first person to look. When all are kept (every start but the first after an
     * upgrade) this is three reads; returns how many rounds were counted.
     */
    async keepFigures(): Promise<number> {
      const rounds = await prisma.round.findMany({ where: { phase: { in: [...DECIDED] } }, select: { id: true, groupId: true } });
      let n = 0;
      await figuresOf(rounds, true, (c) => {
        n = c;
      });
      return n;
    },
    /** The viewer for a person (tests, the bench): the same scope rules as a session's. */
    viewerOf: (personId: string) => viewerOf(prisma, personId),
  };
}

export type { OutcomeOverrideKind };
export const OVERRIDE_KINDS_SHOWN = OUTCOME_OVERRIDE_KINDS;
