import { equalShares } from './equal-shares.ts';
import { baseExplanation, greedyPass } from './greedy.ts';
import { prepare, type Prepared } from './prepare.ts';
import {
  TallyInputError,
  type Completion,
  type GreedyTieBreak,
  type ProjectExplanation,
  type TallyInput,
  type TallyMethod,
  type TallyResult,
} from './types.ts';

const DEFAULT_TIE_BREAK: GreedyTieBreak = 'cost-then-order';

/**
 * Tallies a round: a pure, deterministic function of its arguments.
 *
 * - `greedy`: projects in order of support (ties: see {@link GreedyTieBreak}); each is funded if
 *   it fits the money left, otherwise skipped. Projects nobody supported are never funded.
 * - `greedy-no-skip`: the same order, but counting stops at the first project that does not fit.
 * - `greedy-threshold`: `greedy` over the projects whose support is at least `threshold`.
 * - `equal-shares`: the Method of Equal Shares (see `mes.ts`) with the chosen completion:
 *   `none`; `greedy` (spend what is left greedily by support); `add1` / `add1-exhaustive`
 *   (see `equal-shares.ts`; `add1Step` is the per-voter increment in minor units, default 1 —
 *   use 100 for "one krone" when amounts are in øre).
 *
 * Ties (all total orders, never dependent on object key order or sort stability):
 * - greedy and the greedy completion: higher support, then lower cost, then earlier project
 *   (`tieBreak: 'cost-then-order'`, default), or higher support, then earlier project
 *   (`tieBreak: 'order'`, how the cities' official results come out);
 * - equal shares: lower ρ (exact), then lower cost, then more voters, then earlier project
 *   (the equalshares.net convention).
 *
 * `selected` lists the funded ids in selection order; `explanations` has one entry per project
 * in input order.
 *
 * Throws {@link TallyInputError} on invalid input (unknown or repeated ids, negative or
 * fractional money, …).
 */
export function tally(input: TallyInput, method: TallyMethod, options: { add1Step?: number } = {}): TallyResult {
  return tallyPrepared(prepare(input), method, options);
}

/** {@link tally} on ballots already in array form (`prepare` or a file reader made them). */
export function tallyPrepared(p: Prepared, method: TallyMethod, options: { add1Step?: number } = {}): TallyResult {
  switch (method.rule) {
    case 'greedy':
    case 'greedy-no-skip':
    case 'greedy-threshold': {
      const threshold = method.rule === 'greedy-threshold' ? method.threshold : 0;
      if (!Number.isFinite(threshold) || threshold < 0) throw new TallyInputError('threshold must be a non-negative number');
      const pass = greedyPass(
        p,
        {
          tieBreak: method.tieBreak ?? DEFAULT_TIE_BREAK,
          noSkip: method.rule === 'greedy-no-skip',
          threshold,
          stage: 'greedy',
        },
        p.budget,
      );
      return finish(p, method, pass.selected, pass.explanations);
    }
    case 'equal-shares':
      return tallyEqualShares(p, method, method.completion ?? 'none', options.add1Step ?? 1);
    default:
      throw new TallyInputError(`unknown rule ${JSON.stringify((method as { rule: unknown }).rule)}`);
  }
}

function tallyEqualShares(
  p: Prepared,
  method: TallyMethod & { rule: 'equal-shares' },
  completion: Completion,
  add1Step: number,
): TallyResult {
  if (!['none', 'greedy', 'add1', 'add1-exhaustive'].includes(completion)) {
    throw new TallyInputError(`unknown completion ${JSON.stringify(completion)}`);
  }
  if (!Number.isSafeInteger(add1Step) || add1Step < 1) throw new TallyInputError('add1Step must be a positive integer');
  const { run, supportersMoney, add1Steps, instance } = equalShares(p, completion, add1Step);
  const explanations = new Map<number, ProjectExplanation>();
  run.selected.forEach((j, position) => {
    explanations.set(j, {
      ...baseExplanation(p, j),
      outcome: 'funded',
      stage: 'equal-shares',
      fundedAs: position + 1,
      maxPayment: Math.round(run.maxPayment[position]!),
    });
  });
  const chosen = new Set(run.selected);
  for (let j = 0; j < p.m; j++) {
    if (chosen.has(j)) continue;
    // Supporters in the MES sense (for ranked ballots the last place is worth nothing).
    const supporters = instance.voters[j]!;
    const startMoneyNum = BigInt(supporters) * run.b0num;
    const affordableAtStart = supporters > 0 && startMoneyNum >= BigInt(p.costs[j]!) * run.b0den;
    explanations.set(j, {
      ...baseExplanation(p, j),
      stage: 'equal-shares',
      ...(affordableAtStart
        ? { outcome: 'shares_used_up', supportersMoney: Math.floor(supportersMoney[j]! * (1 + 1e-12)) }
        : { outcome: 'not_enough_support', supportersMoney: Number(startMoneyNum / run.b0den) }),
    });
  }
  const selected = [...run.selected];
  if (completion === 'greedy') {
    const pass = greedyPass(
      p,
      { tieBreak: method.tieBreak ?? DEFAULT_TIE_BREAK, noSkip: false, threshold: 0, stage: 'completion' },
      p.budget - run.cost,
      chosen,
      selected.length,
    );
    for (const [j, e] of pass.explanations) {
      if (e.outcome === 'funded' || e.outcome === 'did_not_fit') explanations.set(j, e);
    }
    selected.push(...pass.selected);
  }
  return {
    ...finish(p, method, selected, explanations),
    equalShares: {
      perVoterBudget: { numerator: run.b0num, denominator: run.b0den },
      add1Steps,
      equalSharesSelected: run.selected.map((j) => p.ids[j]!),
    },
  };
}

function finish(
  p: Prepared,
  method: TallyMethod,
  selected: readonly number[],
  explanations: ReadonlyMap<number, ProjectExplanation>,
): TallyResult {
  let totalCost = 0;
  for (const j of selected) totalCost += p.costs[j]!;
  return {
    method,
    selected: selected.map((j) => p.ids[j]!),
    totalCost,
    budget: p.budget,
    explanations: p.ids.map((_, j) => explanations.get(j)!),
  };
}
