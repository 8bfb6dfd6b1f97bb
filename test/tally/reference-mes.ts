/**
 * A deliberately simple Method of Equal Shares, written straight from the definition, used as an
 * oracle in tests. `Q` (exact fractions with BigInt) or `F` (plain float64) arithmetic.
 * Voter-by-voter, no grouping, no laziness: slow but easy to check by eye.
 */

export interface Arith<T> {
  of(n: bigint, d?: bigint): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  cmp(a: T, b: T): number;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b) [a, b] = [b, a % b];
  return a;
}

export type Frac = readonly [bigint, bigint];
const norm = (n: bigint, d: bigint): Frac => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
};

export const Q: Arith<Frac> = {
  of: (n, d = 1n) => norm(n, d),
  add: (a, b) => norm(a[0] * b[1] + b[0] * a[1], a[1] * b[1]),
  sub: (a, b) => norm(a[0] * b[1] - b[0] * a[1], a[1] * b[1]),
  mul: (a, b) => norm(a[0] * b[0], a[1] * b[1]),
  div: (a, b) => norm(a[0] * b[1], a[1] * b[0]),
  cmp: (a, b) => {
    const l = a[0] * b[1];
    const r = b[0] * a[1];
    return l < r ? -1 : l > r ? 1 : 0;
  },
};

export const F: Arith<number> = {
  of: (n, d = 1n) => Number(n) / Number(d),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
};

export interface RefInstance {
  costs: number[];
  /** One entry per voter: [project index, utility] pairs (utility = cost for approval). */
  voters: [number, number][][];
}

/** MES with every voter holding b0; ties: lower cost, more supporters, lower index. */
export function referenceMes<T>(A: Arith<T>, inst: RefInstance, b0: T): number[] {
  const m = inst.costs.length;
  const budget = inst.voters.map(() => b0);
  const chosen = new Set<number>();
  const supporters = Array.from({ length: m }, () => [] as { v: number; u: number }[]);
  inst.voters.forEach((entries, v) => entries.forEach(([j, u]) => supporters[j]!.push({ v, u })));
  const order: number[] = [];
  for (;;) {
    let best = -1;
    let bestRho: T | undefined;
    for (let j = 0; j < m; j++) {
      if (chosen.has(j) || supporters[j]!.length === 0) continue;
      const c = A.of(BigInt(inst.costs[j]!));
      let total = A.of(0n);
      for (const s of supporters[j]!) total = A.add(total, budget[s.v]!);
      if (A.cmp(total, c) < 0) continue;
      if (inst.costs[j] === 0) {
        const rho = A.of(0n);
        if (best === -1 || better(A, rho, j, bestRho!, best, inst)) [best, bestRho] = [j, rho];
        continue;
      }
      const sorted = [...supporters[j]!].sort((a, b) =>
        A.cmp(A.div(budget[a.v]!, A.of(BigInt(a.u))), A.div(budget[b.v]!, A.of(BigInt(b.u)))),
      );
      let paid = A.of(0n);
      let util = A.of(0n);
      for (const s of sorted) util = A.add(util, A.of(BigInt(s.u)));
      let rho = A.div(c, util);
      for (const s of sorted) {
        const b = budget[s.v]!;
        const u = A.of(BigInt(s.u));
        if (A.cmp(b, A.mul(rho, u)) >= 0) break;
        paid = A.add(paid, b);
        util = A.sub(util, u);
        if (A.cmp(util, A.of(0n)) === 0) break;
        rho = A.div(A.sub(c, paid), util);
      }
      if (best === -1 || better(A, rho, j, bestRho!, best, inst)) [best, bestRho] = [j, rho];
    }
    if (best === -1) return order;
    chosen.add(best);
    order.push(best);
    for (const s of supporters[best]!) {
      const pay = A.mul(bestRho!, A.of(BigInt(s.u)));
      budget[s.v] = A.cmp(budget[s.v]!, pay) <= 0 ? A.of(0n) : A.sub(budget[s.v]!, pay);
    }
  }
}

function better<T>(A: Arith<T>, rho: T, j: number, bestRho: T, best: number, inst: RefInstance): boolean {
  const c = A.cmp(rho, bestRho);
  if (c !== 0) return c < 0;
  const cj = inst.costs[j]!;
  const cb = inst.costs[best]!;
  if (cj !== cb) return cj < cb;
  const vj = inst.voters.filter((e) => e.some(([p]) => p === j)).length;
  const vb = inst.voters.filter((e) => e.some(([p]) => p === best)).length;
  if (vj !== vb) return vj > vb;
  return j < best;
}
