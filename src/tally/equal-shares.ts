import { MesInstance, type MesRun } from './mes.ts';
import type { Prepared } from './prepare.ts';
import type { Completion } from './types.ts';

export interface EqualSharesOutcome {
  readonly run: MesRun;
  /** Money each project's supporters held at the end of `run` (minor units, float). */
  readonly supportersMoney: Float64Array;
  /** Budgets tried by the add1 scan after the first run. */
  readonly add1Steps: number;
  readonly instance: MesInstance;
}

/**
 * Runs MES with the budget split equally (b₀ = B/n), then the add1 scan if asked.
 *
 * add1 (as the equalshares.net tool runs it): start from the whole-unit per-voter budget
 * floor(B/n/step)·step, raise every voter's budget by `step` minor units per try, and keep the
 * last outcome whose cost is ≤ B; the scan stops at the first try that costs more than B. Until
 * a try is accepted the result is the plain run with b₀ = B/n. `add1-exhaustive` also stops as
 * soon as the current outcome is exhaustive (no unchosen supported project fits the money left).
 *
 * Outcome costs are not monotone in the per-voter budget, so every step is run; nothing is
 * bisected. The scan also stops once every supported project is chosen (raising the budget
 * further cannot change that, and the plain rule would otherwise never end when all supported
 * projects together cost no more than B).
 *
 * Each run is first done in floats alone (certified by error bounds, see `MesInstance.runFloat`)
 * and replayed with exact bookkeeping only when a decision was too close for floats. The money of
 * the kept run is copied after it, so no run is repeated to explain it.
 */
export function equalShares(p: Prepared, completion: Completion, step = 1): EqualSharesOutcome {
  const instance = new MesInstance(p);
  const B = BigInt(p.budget);
  const n = BigInt(p.nVoters);
  /** A run (float, else replayed exactly) and every group's money at its end. */
  const runOnce = (num: bigint, den: bigint): { run: MesRun; money: Float64Array } => {
    const float = instance.runFloat(num, den);
    if (float) return { run: float, money: instance.moneySnapshot() };
    const exact = instance.run(num, den);
    return { run: exact, money: instance.exactRunMoney() };
  };
  const first = runOnce(p.nVoters === 0 ? 0n : B, p.nVoters === 0 ? 1n : n);
  let best = first.run;
  let bestMoney = first.money;
  if (p.nVoters === 0 || (completion !== 'add1' && completion !== 'add1-exhaustive')) {
    return { run: best, supportersMoney: instance.supportersMoneyOf(bestMoney), add1Steps: 0, instance };
  }

  let supportedCount = 0;
  for (let j = 0; j < p.m; j++) if (instance.supported(j)) supportedCount++;
  const stepBig = BigInt(step);
  let perVoter = (B / n / stepBig) * stepBig;
  let steps = 0;
  for (;;) {
    if (best.selected.length === supportedCount) break;
    if (completion === 'add1-exhaustive' && isExhaustive(p, instance, best)) break;
    perVoter += stepBig;
    steps++;
    const next = runOnce(perVoter, 1n);
    if (next.run.cost > p.budget) break;
    best = next.run;
    bestMoney = next.money;
  }
  return { run: best, supportersMoney: instance.supportersMoneyOf(bestMoney), add1Steps: steps, instance };
}

function isExhaustive(p: Prepared, instance: MesInstance, run: MesRun): boolean {
  const chosen = new Set(run.selected);
  const left = p.budget - run.cost;
  for (let j = 0; j < p.m; j++) {
    if (!chosen.has(j) && instance.supported(j) && p.costs[j]! <= left) return false;
  }
  return true;
}
