import { describe, expect, it } from 'vitest';
import type { StoredChoice } from '../../src/domain/ballot-choice.ts';
import { computeOutcome, rankScores, toTallyInput, toTallyMethod, type OutcomeInput } from '../../src/domain/outcome.ts';
import { createSettingsSchema, settingsForNewRound } from '../../src/domain/round-config.ts';

const proposals = [
  { id: 'a', number: 1, title: 'Skatepark', cost: 60_000 },
  { id: 'b', number: 2, title: 'Musikrum', cost: 50_000 },
  { id: 'c', number: 3, title: 'Filmaften', cost: 20_000 },
];
function input(settings: Record<string, unknown>, choices: StoredChoice[], list = proposals): OutcomeInput {
  const s = settingsForNewRound(createSettingsSchema.parse({ title: 'x', amount: 100_000, ...settings }));
  return {
    rules: s,
    amount: s.amount,
    currency: s.currency,
    proposals: list,
    ballots: choices.map((choice, i) => ({ choice, receiptCode: `R${String(9 - i)}` })),
  };
}
const approve = (...ids: string[]): StoredChoice => ({ type: 'approval', approved: ids });

describe('translating a round into tally input', () => {
  it('lists proposals in number order with their costs, the pot as budget, approvals as approval ballots', () => {
    const i = input({ ballotType: 'approval', rule: 'greedy' }, [approve('a', 'c'), approve('b')]);
    expect(toTallyInput(i)).toEqual({
      projects: [
        { id: 'a', cost: 60_000 },
        { id: 'b', cost: 50_000 },
        { id: 'c', cost: 20_000 },
      ],
      budget: 100_000,
      ballots: { type: 'approval', ballots: [{ approved: ['a', 'c'] }, { approved: ['b'] }] },
    });
  });

  it('scores rankings L, L−1, …, 1 with L the most places (else the number of proposals)', () => {
    const settings = settingsForNewRound(
      createSettingsSchema.parse({ title: 'x', amount: 1, ballotType: 'ranked', rule: 'greedy', maxPicks: 2 }),
    );
    expect(rankScores(settings, 3)).toEqual([2, 1]);
    expect(rankScores({ ...settings, maxPicks: null }, 3)).toEqual([3, 2, 1]);
    const i = input({ ballotType: 'ranked', rule: 'greedy' }, [{ type: 'ranked', ranking: ['c', 'a'] }]);
    expect(toTallyInput(i).ballots).toEqual({ type: 'ordinal', ballots: [{ ranking: ['c', 'a'] }], scores: [3, 2, 1] });
  });

  it('passes cumulative points and drops picks of proposals no longer on the ballot', () => {
    const i = input({ ballotType: 'cumulative', rule: 'greedy', points: 5 }, [
      {
        type: 'cumulative',
        points: [
          ['a', 2],
          ['gone', 3],
        ],
      },
    ]);
    expect(toTallyInput(i).ballots).toEqual({ type: 'cumulative', ballots: [{ points: [['a', 2]] }] });
  });

  it('maps the rule and its options', () => {
    const rules = (s: Record<string, unknown>) => settingsForNewRound(createSettingsSchema.parse({ title: 'x', amount: 1, ...s }));
    expect(toTallyMethod(rules({ ballotType: 'approval', rule: 'greedy-threshold', minSupport: 3 }))).toEqual({
      rule: 'greedy-threshold',
      threshold: 3,
    });
    expect(toTallyMethod(rules({ ballotType: 'knapsack', rule: 'equal-shares', completion: 'add1' }))).toEqual({
      rule: 'equal-shares',
      completion: 'add1',
    });
    expect(toTallyMethod(rules({ ballotType: 'ranked', rule: 'greedy-no-skip' }))).toEqual({ rule: 'greedy-no-skip' });
  });
});

describe('computing an outcome', () => {
  it('funds by the rule, explains every proposal and lists the receipts sorted', () => {
    // Support: a 3, b 2, c 1. Greedy: a (60.000) fits, b (50.000) does not, c (20.000) does.
    const out = computeOutcome(
      input({ ballotType: 'approval', rule: 'greedy' }, [approve('a', 'b'), approve('a', 'b', 'c'), approve('a')]),
    );
    expect(out.selected).toEqual(['a', 'c']);
    expect(out.totalCost).toBe(80_000);
    expect(out.ballotsCounted).toBe(3);
    expect(out.receipts).toEqual(['R7', 'R8', 'R9']);
    expect(out.proposals.map((p) => [p.number, p.selected, p.explanation.outcome])).toEqual([
      [1, true, 'funded'],
      [2, false, 'did_not_fit'],
      [3, true, 'funded'],
    ]);
    expect(out.proposals[1]!.explanation).toMatchObject({ voters: 2, support: 2, moneyLeft: 40_000 });
  });

  it('stops at the first misfit with greedy-no-skip', () => {
    const out = computeOutcome(
      input({ ballotType: 'approval', rule: 'greedy-no-skip' }, [approve('a', 'b'), approve('a', 'b', 'c'), approve('a')]),
    );
    expect(out.selected).toEqual(['a']);
    expect(out.proposals[2]!.explanation.outcome).toBe('not_reached');
  });

  it('counts ranked ballots by score', () => {
    const ranked = (...ids: string[]): StoredChoice => ({ type: 'ranked', ranking: ids });
    // Scores 3/2/1: c 3+3 = 6, b 2+2 = 4, a 1+1 = 2 → c, b fit (70.000), a does not.
    const out = computeOutcome(input({ ballotType: 'ranked', rule: 'greedy' }, [ranked('c', 'b', 'a'), ranked('c', 'b', 'a')]));
    expect(out.selected).toEqual(['c', 'b']);
    expect(out.proposals.find((p) => p.proposalId === 'c')!.explanation).toMatchObject({ support: 6, supportUnit: 'score' });
  });

  it('records equal shares details as text, so the payload is JSON', () => {
    const out = computeOutcome(
      input({ ballotType: 'approval', rule: 'equal-shares', completion: 'greedy' }, [approve('a'), approve('b'), approve('c')]),
    );
    expect(out.equalShares).toBeDefined();
    expect(typeof out.equalShares!.perVoterBudget.numerator).toBe('string');
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('decides a yes/no round by quorum and threshold', () => {
    const one = [proposals[2]!];
    const yn = (vote: 'yes' | 'no' | 'blank'): StoredChoice => ({ type: 'yesno', proposalId: 'c', vote });
    const pass = computeOutcome(input({ ballotType: 'yesno', rule: 'yes-no' }, [yn('yes'), yn('yes'), yn('no')], one));
    expect(pass.selected).toEqual(['c']);
    expect(pass.proposals[0]!.explanation).toMatchObject({ stage: 'yes-no', outcome: 'passed', yes: 2, no: 1 });
    const tie = computeOutcome(input({ ballotType: 'yesno', rule: 'yes-no' }, [yn('yes'), yn('no')], one));
    expect(tie.selected).toEqual([]);
    const quorum = computeOutcome(input({ ballotType: 'yesno', rule: 'yes-no', quorum: 4 }, [yn('yes'), yn('yes'), yn('blank')], one));
    expect(quorum.proposals[0]!.explanation.outcome).toBe('quorum_not_met');
    const atLeast = computeOutcome(
      input({ ballotType: 'yesno', rule: 'yes-no', thresholdNum: 1, thresholdDen: 2, thresholdStrict: false }, [yn('yes'), yn('no')], one),
    );
    expect(atLeast.selected).toEqual(['c']);
  });

  it('funds nothing when nobody voted', () => {
    for (const rule of ['greedy', 'equal-shares'] as const) {
      const out = computeOutcome(input({ ballotType: 'approval', rule }, []));
      expect([out.selected, out.totalCost, out.ballotsCounted, out.receipts]).toEqual([[], 0, 0, []]);
      expect(out.proposals.every((p) => p.explanation.outcome === 'not_enough_support')).toBe(true);
    }
  });

  it('is deterministic: the same round gives the same payload', () => {
    const i = input({ ballotType: 'approval', rule: 'equal-shares', completion: 'add1' }, [
      approve('a', 'c'),
      approve('b'),
      approve('c'),
      approve('a'),
    ]);
    expect(JSON.stringify(computeOutcome(i))).toBe(JSON.stringify(computeOutcome(i)));
  });
});
