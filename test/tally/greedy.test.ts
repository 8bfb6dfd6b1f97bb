import { describe, expect, it } from 'vitest';
import { tally, TallyInputError, type BallotSet, type TallyInput } from '../../src/tally/index.ts';

const approval = (...ballots: string[][]): BallotSet => ({ type: 'approval', ballots: ballots.map((approved) => ({ approved })) });
const projects = (...list: [string, number][]) => list.map(([id, cost]) => ({ id, cost }));
const outcomes = (r: ReturnType<typeof tally>) => Object.fromEntries(r.explanations.map((e) => [e.projectId, e.outcome]));

describe('greedy', () => {
  // a: 4 votes, b: 3, c: 2, d: 1
  const input: TallyInput = {
    projects: projects(['a', 600], ['b', 500], ['c', 300], ['d', 100]),
    budget: 1000,
    ballots: approval(['a', 'b', 'c', 'd'], ['a', 'b', 'c'], ['a', 'b'], ['a']),
  };

  it('funds by support and skips what does not fit', () => {
    const r = tally(input, { rule: 'greedy' });
    expect(r.selected).toEqual(['a', 'c', 'd']);
    expect(r.totalCost).toBe(1000);
    expect(outcomes(r)).toEqual({ a: 'funded', b: 'did_not_fit', c: 'funded', d: 'funded' });
    const b = r.explanations[1]!;
    expect(b).toMatchObject({ outcome: 'did_not_fit', moneyLeft: 400, rank: 2, support: 3, voters: 3, supportUnit: 'votes' });
    expect(r.explanations[2]).toMatchObject({ outcome: 'funded', fundedAs: 2, rank: 3 });
  });

  it('greedy-no-skip stops at the first project that does not fit', () => {
    const r = tally(input, { rule: 'greedy-no-skip' });
    expect(r.selected).toEqual(['a']);
    expect(r.totalCost).toBe(600);
    expect(outcomes(r)).toEqual({ a: 'funded', b: 'did_not_fit', c: 'not_reached', d: 'not_reached' });
  });

  it('greedy-threshold: support below the minimum is not eligible; the minimum itself is', () => {
    const r = tally(input, { rule: 'greedy-threshold', threshold: 2 });
    expect(r.selected).toEqual(['a', 'c']);
    expect(r.explanations[3]).toMatchObject({ outcome: 'not_enough_support', threshold: 2, support: 1 });
    expect(tally(input, { rule: 'greedy-threshold', threshold: 5 }).selected).toEqual([]);
  });

  it('never funds a project nobody voted for, even when money is left', () => {
    const r = tally({ ...input, projects: [...input.projects, { id: 'e', cost: 0 }], budget: 10_000 }, { rule: 'greedy' });
    expect(r.selected).toEqual(['a', 'b', 'c', 'd']);
    expect(r.explanations[4]).toMatchObject({ outcome: 'not_enough_support', voters: 0 });
  });

  it('ties: cost-then-order (default) prefers the cheaper project, order keeps the project order', () => {
    const tie: TallyInput = {
      projects: projects(['x', 700], ['y', 400], ['z', 400]),
      budget: 800,
      ballots: approval(['x', 'y', 'z'], ['x', 'y', 'z']),
    };
    expect(tally(tie, { rule: 'greedy' }).selected).toEqual(['y', 'z']);
    expect(tally(tie, { rule: 'greedy', tieBreak: 'cost-then-order' }).selected).toEqual(['y', 'z']);
    expect(tally(tie, { rule: 'greedy', tieBreak: 'order' }).selected).toEqual(['x']);
    // Same cost: earlier project first, whatever the ids look like (no object-key reordering).
    const ids: TallyInput = {
      projects: projects(['11', 500], ['2', 500], ['b', 500]),
      budget: 500,
      ballots: approval(['11', '2', 'b']),
    };
    expect(tally(ids, { rule: 'greedy' }).selected).toEqual(['11']);
    expect(tally({ ...ids, projects: [...ids.projects].reverse() }, { rule: 'greedy' }).selected).toEqual(['b']);
  });

  it('weights count as repeated ballots', () => {
    const weighted: TallyInput = {
      projects: projects(['a', 10], ['b', 10]),
      budget: 10,
      ballots: {
        type: 'approval',
        ballots: [{ approved: ['a'], weight: 2 }, { approved: ['b'] }, { approved: ['b'] }, { approved: ['b'] }],
      },
    };
    expect(tally(weighted, { rule: 'greedy' }).selected).toEqual(['b']);
    expect(tally(weighted, { rule: 'greedy' }).explanations[0]!.support).toBe(2);
  });
});

describe('cumulative and ranked support', () => {
  it('cumulative: points decide, not the number of voters', () => {
    const input: TallyInput = {
      projects: projects(['a', 5], ['b', 5]),
      budget: 5,
      ballots: {
        type: 'cumulative',
        ballots: [
          { points: [['a', 5]] },
          {
            points: [
              ['b', 2],
              ['a', 0],
            ],
          },
          { points: [['b', 2]] },
        ],
      },
    };
    const r = tally(input, { rule: 'greedy' });
    expect(r.selected).toEqual(['a']);
    expect(r.explanations.map((e) => [e.support, e.voters, e.supportUnit])).toEqual([
      [5, 1, 'points'],
      [4, 2, 'points'],
    ]);
  });

  it('ranked: default scores L, L−1, …, 1 by position (3/2/1 like Kraków, not Borda 2/1/0)', () => {
    // 3/2/1: a = 3+1 = 4, b = 2+3 = 5, c = 1+2+3 = 6 (ranked first alone on the last ballot).
    // Borda 2/1/0: a = 2+0 = 2, b = 1+2 = 3, c = 0+1+2 = 3.
    const input: TallyInput = {
      projects: projects(['a', 1], ['b', 1], ['c', 1]),
      budget: 1,
      ballots: { type: 'ordinal', ballots: [{ ranking: ['a', 'b', 'c'] }, { ranking: ['b', 'c', 'a'] }, { ranking: ['c'] }] },
    };
    const r = tally(input, { rule: 'greedy' });
    expect(r.explanations.map((e) => e.support)).toEqual([4, 5, 6]);
    expect(r.selected).toEqual(['c']);
    const borda = tally({ ...input, ballots: { ...input.ballots, scores: [2, 1, 0] } as BallotSet }, { rule: 'greedy' });
    expect(borda.explanations.map((e) => e.support)).toEqual([2, 3, 3]);
    expect(borda.selected).toEqual(['b']); // b and c tie at 3: same cost, b comes first
  });
});

describe('input validation', () => {
  const base: TallyInput = { projects: projects(['a', 10]), budget: 10, ballots: approval(['a']) };
  const bad: [string, TallyInput][] = [
    ['unknown id', { ...base, ballots: approval(['zz']) }],
    ['repeated pick', { ...base, ballots: approval(['a', 'a']) }],
    ['fractional cost', { ...base, projects: projects(['a', 10.5]) }],
    ['negative budget', { ...base, budget: -1 }],
    ['duplicate project', { ...base, projects: projects(['a', 1], ['a', 2]) }],
    ['bad weight', { ...base, ballots: { type: 'approval', ballots: [{ approved: ['a'], weight: 0 }] } }],
    ['negative points', { ...base, ballots: { type: 'cumulative', ballots: [{ points: [['a', -1]] }] } }],
  ];
  for (const [what, input] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => tally(input, { rule: 'greedy' })).toThrow(TallyInputError);
    });
  }
  it('equal shares on ranked ballots: a ballot ranking one project gives it utility ℓ − k − 1 = 0 (pabutools), so nothing is bought', () => {
    const r = tally({ ...base, ballots: { type: 'ordinal', ballots: [{ ranking: ['a'] }] } }, { rule: 'equal-shares' });
    expect(r.selected).toEqual([]);
    expect(r.explanations.find((e) => e.projectId === 'a')).toMatchObject({ outcome: 'not_enough_support', voters: 1 });
  });
});
