/**
 * The dashboard's outcome figures (issue 14), computed from plain facts with no database in sight, so each
 * definition on the page is exactly the code here. Every count of young people's doings is suppressed when it is
 * 1–4 (shown as "fewer than 5"): with so few, a count set beside what one knows tells what a particular person did.
 */

export const SMALL_COUNT = 5;
/** A count as shown: null means 1–4, suppressed. Zero is shown: it says nobody did it, about no one. */
export type Count = number | null;
export const suppress = (n: number): Count => (n > 0 && n < SMALL_COUNT ? null : n);

export const OUTCOME_OVERRIDE_KINDS = ['ineligible', 'hidden', 'reopened', 'extended', 'result_changed'] as const;
export type OutcomeOverrideKind = (typeof OUTCOME_OVERRIDE_KINDS)[number];

/** A funded idea: its cost and whether a young member put it forward (else staff or an admin). */
export interface FundedFact {
  id: string;
  cost: number;
  byYouth: boolean;
}

export interface ImplementationFact {
  spent: number;
  /** The first update that said done; null if never. */
  doneAt: Date | null;
  cancelled: boolean;
}

export interface RoundFacts {
  roundId: string;
  title: string;
  groupId: string;
  groupName: string;
  organisationId: string;
  organisationName: string;
  phase: string;
  amount: number;
  currency: string;
  createdAt: Date;
  /** Young members of the group. */
  eligible: number;
  ballots: number;
  /** Ideas put forward (not withdrawn) by young members and by staff, and when the first came. */
  ideasYouth: number;
  ideasStaff: number;
  firstIdeaAt: Date | null;
  /** When the first result was published (the decision), and the newest result's funded ideas. */
  decision: { firstAt: Date; funded: FundedFact[] } | null;
  implementation: Map<string, ImplementationFact>;
  /** "Did you have a real say?": how many answered 1, 2, 3, 4, 5. */
  say: [number, number, number, number, number];
  lundy: { n: number; space: number; voice: number; audience: number; influence: number };
  overrides: Record<OutcomeOverrideKind, number>;
}

export interface SayOutcome {
  responses: Count;
  /** Answers per ballot cast, percent. */
  ratePct: number | null;
  /** Per score 1–5; null entirely when it would show what someone answered (see {@link sayOutcome}). */
  distribution: Count[] | null;
  mean: number | null;
}

export interface RoundOutcome {
  roundId: string;
  title: string;
  groupId: string;
  groupName: string;
  organisationId: string;
  organisationName: string;
  phase: string;
  currency: string;
  createdAt: string;
  amount: number;
  eligible: number;
  ballots: Count;
  turnoutPct: number | null;
  ideasYouth: Count;
  ideasStaff: number;
  fundedCount: number;
  fundedAmount: number;
  youthMoneyPct: number | null;
  implementedCount: number;
  spent: number;
  daysIdeaToDecision: number | null;
  daysDecisionToDone: number | null;
  say: SayOutcome;
  /** Mean self-assessment 1–5 per Lundy point; null without any. */
  lundy: { assessments: number; space: number; voice: number; audience: number; influence: number } | null;
  overrides: Record<OutcomeOverrideKind, number>;
}

const DAY = 86_400_000;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 1000) / whole) / 10 : null);
const days = (from: Date, to: Date) => Math.round(((to.getTime() - from.getTime()) / DAY) * 10) / 10;
const mean1 = (sum: number, n: number) => Math.round((sum * 10) / n) / 10;

/**
 * The answers to "did you have a real say?". Nothing is shown from fewer than five answers. Of the distribution,
 * scores given by 1–4 people are suppressed; if that hides only one score, the next smallest is hidden too (else
 * the total would give it away); the mean is shown only when no score is hidden; and if everyone gave the same
 * score neither is shown, since they would tell each person's answer.
 */
export function sayOutcome(say: readonly number[], ballots: number): SayOutcome {
  const responses = say.reduce((a, b) => a + b, 0);
  if (responses < SMALL_COUNT) return { responses: suppress(responses), ratePct: null, distribution: null, mean: null };
  const ratePct = ballots > 0 ? Math.min(100, pct(responses, ballots) ?? 0) : null;
  if (say.some((n) => n === responses)) return { responses, ratePct, distribution: null, mean: null };
  const distribution: Count[] = say.map(suppress);
  const hidden = distribution.filter((c) => c === null).length;
  if (hidden === 1) {
    let smallest = -1;
    for (let i = 0; i < say.length; i++)
      if (distribution[i] !== null && say[i]! > 0 && (smallest < 0 || say[i]! < say[smallest]!)) smallest = i;
    if (smallest >= 0) distribution[smallest] = null;
  }
  // With any score hidden the mean is not shown either: with the shown scores it could give the hidden ones away.
  if (distribution.some((c) => c === null)) return { responses, ratePct, distribution, mean: null };
  const sum = say.reduce((a, n, i) => a + n * (i + 1), 0);
  return { responses, ratePct, distribution, mean: mean1(sum, responses) };
}

export function roundOutcome(f: RoundFacts): RoundOutcome {
  const funded = f.decision?.funded ?? [];
  const fundedAmount = funded.reduce((a, p) => a + p.cost, 0);
  const fundedYouth = funded.filter((p) => p.byYouth).reduce((a, p) => a + p.cost, 0);
  const impl = funded.map((p) => f.implementation.get(p.id));
  const implementedCount = impl.filter((i) => i?.doneAt).length;
  const spent = impl.reduce((a, i) => a + (i?.spent ?? 0), 0);
  const firstIdea = f.firstIdeaAt;
  // Done when every funded idea is done or given up; the last of them to get there is when the round was done.
  const finished = funded.length > 0 && impl.every((i) => i && (i.doneAt || i.cancelled));
  const doneAt = finished ? impl.reduce<Date | null>((a, i) => (i?.doneAt && (!a || i.doneAt > a) ? i.doneAt : a), null) : null;
  const ballots = suppress(f.ballots);
  return {
    roundId: f.roundId,
    title: f.title,
    groupId: f.groupId,
    groupName: f.groupName,
    organisationId: f.organisationId,
    organisationName: f.organisationName,
    phase: f.phase,
    currency: f.currency,
    createdAt: f.createdAt.toISOString(),
    amount: f.amount,
    eligible: f.eligible,
    ballots,
    turnoutPct: ballots === null ? null : pct(f.ballots, f.eligible),
    ideasYouth: suppress(f.ideasYouth),
    ideasStaff: f.ideasStaff,
    fundedCount: funded.length,
    fundedAmount,
    youthMoneyPct: pct(fundedYouth, fundedAmount),
    implementedCount,
    spent,
    daysIdeaToDecision: firstIdea && f.decision ? days(firstIdea, f.decision.firstAt) : null,
    daysDecisionToDone: doneAt && f.decision ? days(f.decision.firstAt, doneAt) : null,
    say: sayOutcome(f.say, f.ballots),
    lundy: f.lundy.n
      ? {
          assessments: f.lundy.n,
          space: mean1(f.lundy.space, f.lundy.n),
          voice: mean1(f.lundy.voice, f.lundy.n),
          audience: mean1(f.lundy.audience, f.lundy.n),
          influence: mean1(f.lundy.influence, f.lundy.n),
        }
      : null,
    overrides: f.overrides,
  };
}

export interface GroupFacts {
  groupId: string;
  groupName: string;
  organisationId: string;
  organisationName: string;
  youthMessages: number;
  staffMessages: number;
  nudges: number;
}

export interface GroupOutcome extends Omit<GroupFacts, 'youthMessages'> {
  rounds: number;
  youthMessages: Count;
  /** Staff's share of all messages captured in the group's chat, percent. */
  staffSharePct: number | null;
  /** Ballots per young member, over the group's rounds with a decision, percent. */
  turnoutPct: number | null;
  fundedAmount: number;
  youthMoneyPct: number | null;
  spent: number;
  overrides: number;
}

/** One row per group: its chat's talk share and nudges, and its rounds taken together. */
export function groupOutcome(g: GroupFacts, rounds: readonly RoundFacts[], outcomes: readonly RoundOutcome[]): GroupOutcome {
  const decided = rounds.filter((r) => r.decision);
  const ballots = decided.reduce((a, r) => a + r.ballots, 0);
  const eligible = decided.reduce((a, r) => a + r.eligible, 0);
  const fundedAmount = outcomes.reduce((a, r) => a + r.fundedAmount, 0);
  const fundedYouth = outcomes.reduce((a, r) => a + ((r.youthMoneyPct ?? 0) * r.fundedAmount) / 100, 0);
  const total = g.youthMessages + g.staffMessages;
  return {
    ...g,
    rounds: rounds.length,
    youthMessages: suppress(g.youthMessages),
    staffSharePct: suppress(g.youthMessages) === null ? null : pct(g.staffMessages, total),
    turnoutPct: suppress(ballots) === null ? null : pct(ballots, eligible),
    fundedAmount,
    youthMoneyPct: pct(fundedYouth, fundedAmount),
    spent: outcomes.reduce((a, r) => a + r.spent, 0),
    overrides: outcomes.reduce((a, r) => a + Object.values(r.overrides).reduce((x, y) => x + y, 0), 0),
  };
}

export interface PeriodPoint {
  /** "2026-03": the month rounds were started in. */
  period: string;
  rounds: number;
  turnoutPct: number | null;
  youthMoneyPct: number | null;
}

/** Trends over rounds: the rounds with a decision grouped by the month they started, taken together. */
export function trend(rounds: readonly RoundFacts[], outcomes: readonly RoundOutcome[]): PeriodPoint[] {
  const by = new Map<string, { rounds: number; ballots: number; eligible: number; funded: number; youth: number }>();
  rounds.forEach((r, i) => {
    if (!r.decision) return;
    const o = outcomes[i]!;
    const key = r.createdAt.toISOString().slice(0, 7);
    const p = by.get(key) ?? { rounds: 0, ballots: 0, eligible: 0, funded: 0, youth: 0 };
    p.rounds++;
    p.ballots += r.ballots;
    p.eligible += r.eligible;
    p.funded += o.fundedAmount;
    p.youth += ((o.youthMoneyPct ?? 0) * o.fundedAmount) / 100;
    by.set(key, p);
  });
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, p]) => ({
      period,
      rounds: p.rounds,
      turnoutPct: suppress(p.ballots) === null ? null : pct(p.ballots, p.eligible),
      youthMoneyPct: pct(p.youth, p.funded),
    }));
}

/**
 * How many young people said privately "I disagree" with each of a kind's decisions, and with all of them.
 * Each decision's count of 1–4 is shown as "fewer than 5". The kind's total is withheld (`'withheld'`) when, set
 * beside the shown counts, it would tell a hidden one: the hidden ones add up to total − shown, each is 1–4, and if
 * that leaves any of them only one possible value (one hidden; or all 1; or all 4) the total is not shown. A total
 * of 1–4 is itself "fewer than 5".
 */
export function disagreementOutcome(counts: readonly number[]): { each: Count[]; total: Count | 'withheld' } {
  const each = counts.map(suppress);
  const total = counts.reduce((a, b) => a + b, 0);
  const hidden = counts.filter((n, i) => each[i] === null).length;
  if (!hidden || total < SMALL_COUNT) return { each, total: suppress(total) };
  const rest = counts.reduce((a, n, i) => (each[i] === null ? a + n : a), 0);
  // Each hidden count lies in [lo, hi]; if the range is one value, the total would give it away.
  const lo = Math.max(1, rest - (SMALL_COUNT - 1) * (hidden - 1));
  const hi = Math.min(SMALL_COUNT - 1, rest - (hidden - 1));
  return { each, total: lo === hi ? 'withheld' : total };
}
