import type { Prepared } from './prepare.ts';
import type { GreedyTieBreak, ProjectExplanation, Stage } from './types.ts';

/**
 * Project indices in greedy order: higher support first; ties by lower cost then earlier project
 * order (`cost-then-order`), or by project order alone (`order`). A total order, so the result is
 * deterministic.
 */
export function supportOrder(p: Prepared, tieBreak: GreedyTieBreak): number[] {
  const order = Array.from({ length: p.m }, (_, j) => j);
  const { support, costs } = p;
  order.sort((a, b) => {
    const bySupport = support[b]! - support[a]!;
    if (bySupport !== 0) return bySupport;
    if (tieBreak === 'cost-then-order') {
      const byCost = costs[a]! - costs[b]!;
      if (byCost !== 0) return byCost;
    }
    return a - b;
  });
  return order;
}

export interface GreedyOptions {
  readonly tieBreak: GreedyTieBreak;
  /** Stop at the first eligible project that does not fit (`greedy-no-skip`). */
  readonly noSkip: boolean;
  /** Minimum support to be eligible (projects with no support at all are never eligible). */
  readonly threshold: number;
  readonly stage: Stage;
}

export interface GreedyPass {
  /** Funded indices in selection order (only those funded by this pass). */
  readonly selected: number[];
  readonly spent: number;
  /** Explanations for every project this pass looked at (those not already funded). */
  readonly explanations: Map<number, ProjectExplanation>;
}

/** Base explanation fields shared by all rules. */
export function baseExplanation(p: Prepared, j: number): Omit<ProjectExplanation, 'outcome' | 'stage'> {
  return {
    projectId: p.ids[j]!,
    cost: p.costs[j]!,
    voters: p.voters[j]!,
    support: p.support[j]!,
    supportUnit: p.unit,
  };
}

/**
 * One greedy pass over the projects in support order, skipping those in `alreadyFunded` and
 * spending at most `money`. With `alreadyFunded` empty and `money` the budget this is the greedy
 * rule itself; after equal shares it is the greedy completion.
 */
export function greedyPass(
  p: Prepared,
  options: GreedyOptions,
  money: number,
  alreadyFunded: ReadonlySet<number> = new Set(),
  fundedBefore = 0,
): GreedyPass {
  const order = supportOrder(p, options.tieBreak);
  const selected: number[] = [];
  const explanations = new Map<number, ProjectExplanation>();
  let left = money;
  let stopped = false;
  const threshold = Math.max(options.threshold, Number.MIN_VALUE);
  order.forEach((j, position) => {
    if (alreadyFunded.has(j)) return;
    const base = { ...baseExplanation(p, j), stage: options.stage, rank: position + 1 };
    const support = p.support[j]!;
    if (support < threshold || p.voters[j] === 0) {
      explanations.set(j, {
        ...base,
        outcome: 'not_enough_support',
        ...(options.threshold > 0 ? { threshold: options.threshold } : {}),
      });
      return;
    }
    if (stopped) {
      explanations.set(j, { ...base, outcome: 'not_reached' });
      return;
    }
    const cost = p.costs[j]!;
    if (cost <= left) {
      left -= cost;
      selected.push(j);
      explanations.set(j, { ...base, outcome: 'funded', fundedAs: fundedBefore + selected.length });
    } else {
      explanations.set(j, { ...base, outcome: 'did_not_fit', moneyLeft: left });
      if (options.noSkip) stopped = true;
    }
  });
  return { selected, spent: money - left, explanations };
}
