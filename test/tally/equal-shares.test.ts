import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPb } from '../../src/pabulib/read.ts';
import { MesInstance } from '../../src/tally/mes.ts';
import { prepare } from '../../src/tally/prepare.ts';
import { tally, type BallotSet, type Completion, type TallyInput } from '../../src/tally/index.ts';
import { F, Q, referenceMes, type Arith, type RefInstance } from './reference-mes.ts';

const approval = (...ballots: string[][]): BallotSet => ({ type: 'approval', ballots: ballots.map((approved) => ({ approved })) });
const projects = (...list: [string, number][]) => list.map(([id, cost]) => ({ id, cost }));
const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);
const byId = (r: ReturnType<typeof tally>) => new Map(r.explanations.map((e) => [e.projectId, e]));

/** Reference add1 driver on top of the textbook MES (same scan as described in equal-shares.ts). */
function referenceAdd1<T>(A: Arith<T>, inst: RefInstance, B: number, exhaustive: boolean): number[] {
  const n = inst.voters.length;
  const cost = (sel: number[]) => sel.reduce((s, j) => s + inst.costs[j]!, 0);
  let best = referenceMes(A, inst, A.of(BigInt(B), BigInt(n)));
  let perVoter = Math.floor(B / n);
  const supported = inst.costs.filter((_, j) => inst.voters.some((v) => v.some(([p]) => p === j))).length;
  for (;;) {
    if (best.length === supported) break;
    if (exhaustive) {
      const left = B - cost(best);
      const fits = inst.costs.some((c, j) => !best.includes(j) && inst.voters.some((v) => v.some(([p]) => p === j)) && c <= left);
      if (!fits) break;
    }
    perVoter++;
    const next = referenceMes(A, inst, A.of(BigInt(perVoter)));
    if (cost(next) > B) break;
    best = next;
  }
  return best;
}

function toInput(inst: RefInstance, B: number, cumulative: boolean): TallyInput {
  return {
    projects: inst.costs.map((c, j) => ({ id: `p${j}`, cost: c })),
    budget: B,
    ballots: cumulative
      ? { type: 'cumulative', ballots: inst.voters.map((v) => ({ points: v.map(([j, u]) => [`p${j}`, u] as const) })) }
      : { type: 'approval', ballots: inst.voters.map((v) => ({ approved: v.map(([j]) => `p${j}`) })) },
  };
}
const indices = (ids: readonly string[]) => ids.map((id) => Number(id.slice(1)));

describe('equal shares on small instances', () => {
  // 10 voters, 1000 to spend (100 each). 6 like A1–A3, 4 like B1–B2; every project costs 300.
  const input: TallyInput = {
    projects: projects(['A1', 300], ['A2', 300], ['A3', 300], ['B1', 300], ['B2', 300]),
    budget: 1000,
    ballots: approval(...times(6, ['A1', 'A2', 'A3']), ...times(4, ['B1', 'B2'])),
  };

  it('is proportional where greedy is not', () => {
    expect(tally(input, { rule: 'greedy' }).selected).toEqual(['A1', 'A2', 'A3']);
    const r = tally(input, { rule: 'equal-shares' });
    // A1: 6 × 50 (ρ = 1/6); A2: 6 × 50, exactly all the A voters have left (ρ = 1/6); B1: 4 × 75 (ρ = 1/4).
    expect(r.selected).toEqual(['A1', 'A2', 'B1']);
    expect(r.totalCost).toBe(900);
    const e = byId(r);
    expect(e.get('A1')).toMatchObject({ outcome: 'funded', stage: 'equal-shares', fundedAs: 1, maxPayment: 50 });
    expect(e.get('B1')).toMatchObject({ outcome: 'funded', maxPayment: 75 });
    expect(e.get('A3')).toMatchObject({ outcome: 'shares_used_up', supportersMoney: 0, voters: 6 });
    expect(e.get('B2')).toMatchObject({ outcome: 'shares_used_up', supportersMoney: 100, voters: 4 });
    expect(r.equalShares).toMatchObject({ perVoterBudget: { numerator: 1000n, denominator: 10n }, add1Steps: 0 });
  });

  it('not_enough_support when the supporters’ shares never covered the cost', () => {
    const r = tally(
      {
        ...input,
        projects: [...input.projects, { id: 'C', cost: 250 }],
        ballots: approval(...times(6, ['A1', 'A2', 'A3']), ...times(2, ['B1', 'B2', 'C']), ...times(2, ['B1'])),
      },
      { rule: 'equal-shares' },
    );
    expect(byId(r).get('C')).toMatchObject({ outcome: 'not_enough_support', voters: 2, supportersMoney: 200 });
  });

  it('greedy completion spends what is left by support', () => {
    const withD: TallyInput = {
      projects: [...input.projects, { id: 'D', cost: 100 }],
      budget: 1000,
      ballots: approval(...times(6, ['A1', 'A2', 'A3']), ...times(4, ['B1', 'B2']), ['D']),
    };
    // 11 voters, 90.91 each. MES: A1 (6 × 50), B1 (4 × 75); then the A voters have 6 × 40.91 < 300 left.
    // Greedy over the remaining 400 by votes: A2 (300) fits, A3 does not (100 left), B2 neither, D (100) fits.
    const r = tally(withD, { rule: 'equal-shares', completion: 'greedy' });
    expect(r.equalShares!.equalSharesSelected).toEqual(['A1', 'B1']);
    expect(r.selected).toEqual(['A1', 'B1', 'A2', 'D']);
    expect(r.totalCost).toBe(1000);
    const e = byId(r);
    expect(e.get('A2')).toMatchObject({ outcome: 'funded', stage: 'completion', fundedAs: 3 });
    expect(e.get('A3')).toMatchObject({ outcome: 'did_not_fit', stage: 'completion', moneyLeft: 100 });
    expect(e.get('D')).toMatchObject({ outcome: 'funded', stage: 'completion', fundedAs: 4 });
    expect(tally(withD, { rule: 'equal-shares' }).selected).toEqual(['A1', 'B1']);
  });

  it('ties: equal ρ goes to the lower cost', () => {
    // Both voters can pay for X (200) or Y (100), ρ = 1/2 each. Y is cheaper; after it X is out of reach.
    const r = tally(
      { projects: projects(['X', 200], ['Y', 100]), budget: 200, ballots: approval(['X', 'Y'], ['X', 'Y']) },
      { rule: 'equal-shares' },
    );
    expect(r.selected).toEqual(['Y']);
  });

  it('ties: equal ρ and cost go to more voters, then to the project order', () => {
    // Cumulative: P gets 3 + 3 points from two voters, Q 6 points from one; both cost 6, ρ = 1 each.
    const cumulative = (order: string[]): TallyInput => ({
      projects: order.map((id) => ({ id, cost: 6 })),
      budget: 18,
      ballots: { type: 'cumulative', ballots: [{ points: [['P', 3]] }, { points: [['P', 3]] }, { points: [['Q', 6]] }] },
    });
    expect(tally(cumulative(['Q', 'P']), { rule: 'equal-shares' }).selected).toEqual(['P', 'Q']);
    expect(tally(cumulative(['P', 'Q']), { rule: 'equal-shares' }).selected).toEqual(['P', 'Q']);
    // Same ρ, cost and voters: the earlier project, whatever its id.
    const same = (order: string[]): TallyInput => ({
      projects: order.map((id) => ({ id, cost: 10 })),
      budget: 10,
      ballots: approval(order),
    });
    expect(tally(same(['11', '2']), { rule: 'equal-shares' }).selected).toEqual(['11']);
    expect(tally(same(['2', '11']), { rule: 'equal-shares' }).selected).toEqual(['2']);
  });

  it('cumulative ballots use the points as utility', () => {
    // b₀ = 10. M (cost 12): v1 gives 4 points, v2 2 → they pay 4ρ + 2ρ = 12, ρ = 2.
    // O (cost 8): v1 3 points, v2 1 → 4ρ = 8, ρ = 2 as well: a tie, and O is cheaper, so O first (v1 pays 6, v2 2).
    // Then M: v1 has 4 left and pays it all, v2 pays 2ρ with 4 + 2ρ = 12 → ρ = 4, v2 pays 8 (all she has).
    // N (cost 10): v3 gives 1 point, ρ = 10, pays her whole 10.
    const input: TallyInput = {
      projects: projects(['M', 12], ['N', 10], ['O', 8]),
      budget: 30,
      ballots: {
        type: 'cumulative',
        ballots: [
          {
            points: [
              ['M', 4],
              ['O', 3],
            ],
          },
          {
            points: [
              ['M', 2],
              ['O', 1],
            ],
          },
          { points: [['N', 1]] },
        ],
      },
    };
    const r = tally(input, { rule: 'equal-shares' });
    expect(r.selected).toEqual(['O', 'M', 'N']);
    expect(byId(r).get('M')!.maxPayment).toBe(8);
    expect(byId(r).get('O')!.maxPayment).toBe(6);
    const inst: RefInstance = {
      costs: [12, 10, 8],
      voters: [
        [
          [0, 4],
          [2, 3],
        ],
        [
          [0, 2],
          [2, 1],
        ],
        [[1, 1]],
      ],
    };
    expect(referenceMes(Q, inst, Q.of(10n))).toEqual([2, 0, 1]);
  });
});

describe('equal shares edge cases', () => {
  it('a free project with supporters goes first; no ballots or no money funds nothing else', () => {
    const input: TallyInput = {
      projects: projects(['paid', 50], ['free', 0], ['nobody', 0]),
      budget: 100,
      ballots: approval(['paid', 'free'], ['paid']),
    };
    const r = tally(input, { rule: 'equal-shares' });
    expect(r.selected).toEqual(['free', 'paid']);
    expect(byId(r).get('nobody')).toMatchObject({ outcome: 'not_enough_support', voters: 0 });
    expect(tally({ ...input, ballots: approval() }, { rule: 'equal-shares', completion: 'add1' }).selected).toEqual([]);
    expect(tally({ ...input, budget: 0 }, { rule: 'equal-shares', completion: 'add1-exhaustive' }).selected).toEqual(['free']);
  });

  it('empty ballots count as voters with a share they cannot spend', () => {
    const base: TallyInput = { projects: projects(['a', 60]), budget: 100, ballots: approval(['a']) };
    expect(tally(base, { rule: 'equal-shares' }).selected).toEqual(['a']); // 1 voter holds 100
    expect(tally({ ...base, ballots: approval(['a'], []) }, { rule: 'equal-shares' }).selected).toEqual([]); // 50 each
  });
});

describe('exact arithmetic', () => {
  it('funds a project its supporters can pay exactly, where float64 sums of B/n fall short', () => {
    // 6 voters share 250 000 (41 666.67 each). All 6 want p1 (250 000); 4 also want p0 (60 000).
    // Exactly, p1 is affordable with ρ = 1/6 < 1/4 = ρ(p0), so p1 wins and uses up all money.
    // In float64, six shares of 250000/6 add up to 249999.99999999997 < 250000: p1 looks unaffordable.
    const inst: RefInstance = {
      costs: [60000, 250000],
      voters: [
        ...times(4, [
          [0, 60000],
          [1, 250000],
        ] as [number, number][]),
        ...times(2, [[1, 250000]] as [number, number][]),
      ],
    };
    let floatSum = 0;
    for (let i = 0; i < 6; i++) floatSum += 250000 / 6;
    expect(floatSum).toBeLessThan(250000);
    expect(referenceMes(F, inst, F.of(250000n, 6n))).toEqual([0]); // float picks the wrong project
    expect(referenceMes(Q, inst, Q.of(250000n, 6n))).toEqual([1]);
    const r = tally(toInput(inst, 250000, false), { rule: 'equal-shares' });
    expect(r.selected).toEqual(['p1']);
    expect(byId(r).get('p0')).toMatchObject({ outcome: 'shares_used_up', supportersMoney: 0 });
  });

  it('decides close calls with exact arithmetic (12 young people, 1 000 kr., one project for exactly 1 000 kr.)', () => {
    const input: TallyInput = {
      projects: projects(['trip', 100_000], ['games', 30_000]),
      budget: 100_000,
      ballots: approval(...times(8, ['trip']), ...times(4, ['trip', 'games'])),
    };
    const instance = new MesInstance(prepare(input));
    const run = instance.run(100_000n, 12n);
    expect(run.selected).toEqual([0]);
    expect(instance.stats.exactEvaluations).toBeGreaterThan(0);
    expect(tally(input, { rule: 'equal-shares' }).selected).toEqual(['trip']);
  });

  it('agrees with a textbook exact-fraction implementation on 400 random small elections (many ties)', () => {
    let seed = 20240611;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
    let ties = 0;
    for (let round = 0; round < 400; round++) {
      const cumulative = round % 3 === 0;
      const n = [3, 6, 7, 12, 13][int(0, 4)]!;
      const m = int(2, 6);
      const B = [60, 100, 250, 1000, 250000][int(0, 4)]!;
      const costs = Array.from({ length: m }, () => {
        const a = int(1, n);
        return (B * a) % n === 0 && rnd() < 0.5 ? (B * a) / n : int(1, 6) * (B / 10);
      });
      const voters = Array.from({ length: n }, () =>
        costs.flatMap((c, j): [number, number][] => (rnd() < 0.5 ? [[j, cumulative ? int(1, 3) : c]] : [])),
      );
      const inst = { costs, voters };
      const expected = referenceMes(Q, inst, Q.of(BigInt(B), BigInt(n)));
      if (new Set(costs).size < costs.length) ties++;
      const got = tally(toInput(inst, B, cumulative), { rule: 'equal-shares' });
      expect(indices(got.selected), JSON.stringify({ inst, B })).toEqual(expected);
    }
    expect(ties).toBeGreaterThan(50);
  });
});

describe('add1 completion', () => {
  // 5 voters (one with an empty ballot), budget 11.
  const inst: RefInstance = {
    costs: [2, 3, 3, 5],
    voters: [
      [
        [0, 2],
        [2, 3],
        [3, 5],
      ],
      [
        [0, 2],
        [1, 3],
        [3, 5],
      ],
      [
        [1, 3],
        [2, 3],
        [3, 5],
      ],
      [
        [1, 3],
        [2, 3],
      ],
      [],
    ],
  };
  const input = toInput(inst, 11, false);

  it('add1 and add1-exhaustive differ: the exhaustive stop keeps an earlier, cheaper outcome', () => {
    const plain = tally(input, { rule: 'equal-shares', completion: 'add1' });
    const exhaustive = tally(input, { rule: 'equal-shares', completion: 'add1-exhaustive' });
    expect([...plain.selected].sort()).toEqual(['p1', 'p2', 'p3']);
    expect(plain.totalCost).toBe(11);
    expect([...exhaustive.selected].sort()).toEqual(['p0', 'p1', 'p2']);
    expect(exhaustive.totalCost).toBe(8); // 3 left, nothing unchosen costs ≤ 3: exhaustive, so it stops
    expect(indices(plain.selected).sort()).toEqual(referenceAdd1(Q, inst, 11, false).sort());
    expect(indices(exhaustive.selected).sort()).toEqual(referenceAdd1(Q, inst, 11, true).sort());
  });

  it('matches the reference scan on random small elections', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
    for (let round = 0; round < 150; round++) {
      const n = int(2, 6);
      const costs = Array.from({ length: int(2, 5) }, () => int(1, 9));
      const voters = Array.from({ length: n }, () => costs.flatMap((c, j): [number, number][] => (rnd() < 0.5 ? [[j, c]] : [])));
      const random = { costs, voters };
      const B = int(3, 15);
      for (const completion of ['add1', 'add1-exhaustive'] as Completion[]) {
        const got = tally(toInput(random, B, false), { rule: 'equal-shares', completion });
        expect(indices(got.selected), JSON.stringify({ random, B, completion })).toEqual(
          referenceAdd1(Q, random, B, completion === 'add1-exhaustive'),
        );
      }
    }
  });

  it('add1Step raises every share by that many minor units per try', () => {
    const big: TallyInput = {
      projects: projects(['a', 60_000], ['b', 50_000], ['c', 40_000]),
      budget: 100_000,
      ballots: approval(['a'], ['a', 'b'], ['b', 'c'], ['c']),
    };
    const r = tally(big, { rule: 'equal-shares', completion: 'add1' }, { add1Step: 100 });
    expect(r.equalShares!.perVoterBudget.denominator).toBe(1n);
    expect(r.equalShares!.perVoterBudget.numerator % 100n).toBe(0n);
    expect(r.totalCost).toBeLessThanOrEqual(100_000);
  });

  it('stops when every supported project is chosen (the plain scan would never end)', () => {
    const r = tally(
      { projects: projects(['a', 5], ['b', 5], ['z', 1]), budget: 100, ballots: approval(['a'], ['b']) },
      {
        rule: 'equal-shares',
        completion: 'add1',
      },
    );
    expect(r.selected).toEqual(['a', 'b']);
    expect(byId(r).get('z')).toMatchObject({ outcome: 'not_enough_support', voters: 0 });
  });
});

describe('float runs certified by error bounds (no exact bookkeeping unless a decision is too close)', () => {
  const rnd = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };

  it('give the same runs as the exact engine, or give up, on 300 random elections (many exact ties)', () => {
    const r = rnd(99);
    const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
    let gaveUp = 0;
    let certified = 0;
    for (let round = 0; round < 300; round++) {
      const cumulative = round % 3 === 0;
      const n = int(3, 14);
      const B = [60, 100, 250, 1000, 250000][int(0, 4)]!;
      const costs = Array.from({ length: int(2, 7) }, () => int(1, 6) * (B / 10));
      const voters = Array.from({ length: n }, () =>
        costs.flatMap((c, j): [number, number][] => (r() < 0.5 ? [[j, cumulative ? int(1, 3) : c]] : [])),
      );
      const instance = new MesInstance(prepare(toInput({ costs, voters }, B, cumulative)));
      for (const [num, den] of [
        [BigInt(B), BigInt(n)],
        [BigInt(Math.floor(B / n) + int(0, 3)), 1n],
      ] as const) {
        const float = instance.runFloat(num, den);
        const exact = instance.run(num, den);
        if (float === undefined) gaveUp++;
        else {
          certified++;
          expect(float.selected, JSON.stringify({ costs, voters, B })).toEqual(exact.selected);
          expect(float.cost).toBe(exact.cost);
        }
      }
    }
    expect(certified).toBeGreaterThan(300);
    expect(gaveUp).toBeGreaterThan(0); // exact ties that floats cannot settle are handed to the exact engine
    expect(gaveUp + certified).toBe(600);
  });

  it('explanations use the money of the run that was kept, certified float run or exact replay', () => {
    // 10 voters, 100 each. A (540): 6 voters pay 90 (ρ = 1/6). B (300): 4 voters pay 75 (ρ = 1/4), 25 left each.
    // C (250): 3 of them could pay it at the start (300) but hold 3 × 25 = 75 now: shares_used_up, 75.
    const input: TallyInput = {
      projects: projects(['A', 540], ['B', 300], ['C', 250]),
      budget: 1000,
      ballots: approval(...times(6, ['A']), ...times(3, ['B', 'C']), ['B']),
    };
    const instance = new MesInstance(prepare(input));
    expect(instance.runFloat(1000n, 10n)).toBeDefined();
    for (const completion of ['none', 'add1'] as const) {
      const e = byId(tally(input, { rule: 'equal-shares', completion }));
      expect(e.get('B')).toMatchObject({ outcome: 'funded' });
      if (completion === 'none') expect(e.get('C')).toMatchObject({ outcome: 'shares_used_up', supportersMoney: 75 });
    }
  });

  it('the 12-young-people close call: floats give up, the exact replay decides, tally() gets it right', () => {
    const input: TallyInput = {
      projects: projects(['trip', 100_000], ['games', 30_000]),
      budget: 100_000,
      ballots: approval(...times(8, ['trip']), ...times(4, ['trip', 'games'])),
    };
    const instance = new MesInstance(prepare(input));
    expect(instance.runFloat(100_000n, 12n)).toBeUndefined();
    expect(instance.stats.exactReplays).toBe(1);
    expect(tally(input, { rule: 'equal-shares' }).selected).toEqual(['trip']);
  });

  it('agree with the exact engine on every add1 budget of Łódź 2022 (certified, none replayed)', () => {
    const text = readFileSync(new URL('../fixtures/pabulib/Poland_Lodz_2022.pb', import.meta.url), 'utf8');
    const p = readPb(text).prepared;
    const instance = new MesInstance(p);
    const base = BigInt(Math.floor(p.budget / p.nVoters));
    for (let step = 0n; step <= 61n; step += 4n) {
      const float = instance.runFloat(base + step, 1n);
      const exact = instance.run(base + step, 1n);
      expect(float?.selected).toEqual(exact.selected);
    }
    expect(instance.stats.exactReplays).toBe(0);
  });
});

describe('equal shares on ranked ballots (pabutools: utility ℓ − k − 1 for place k of a ballot of length ℓ)', () => {
  it('matches the textbook MES on those utilities, 200 random elections', () => {
    let seed = 5;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
    for (let round = 0; round < 200; round++) {
      const m = int(2, 6);
      const n = int(2, 9);
      const B = [60, 100, 1000][int(0, 2)]!;
      const costs = Array.from({ length: m }, () => int(1, 9) * (B / 10));
      const rankings = Array.from({ length: n }, () => {
        const order = Array.from({ length: m }, (_, j) => j).sort(() => rnd() - 0.5);
        return order.slice(0, int(0, m));
      });
      const inst: RefInstance = {
        costs,
        voters: rankings.map((ranking) =>
          ranking.flatMap((j, k): [number, number][] => (ranking.length - k - 1 > 0 ? [[j, ranking.length - k - 1]] : [])),
        ),
      };
      const expected = referenceMes(Q, inst, Q.of(BigInt(B), BigInt(n)));
      const got = tally(
        {
          projects: costs.map((c, j) => ({ id: `p${j}`, cost: c })),
          budget: B,
          ballots: { type: 'ordinal', ballots: rankings.map((r) => ({ ranking: r.map((j) => `p${j}`) })) },
        },
        { rule: 'equal-shares' },
      );
      // The reference breaks ties by voters with positive utility, as the engine does for ranked ballots.
      expect(indices(got.selected), JSON.stringify({ costs, rankings, B })).toEqual(expected);
    }
  });
});
