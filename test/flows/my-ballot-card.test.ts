import { describe, expect, it } from 'vitest';
import type { Counterfactual, MyPick, PickReason } from '../../src/domain/my-ballot.ts';
import { myBallotCard } from '../../src/flows/my-ballot.ts';
import type { MyBallotView } from '../../src/usecases/index.ts';

/** Every reason and counterfactual the explanation can hold, rendered in both languages: whole sentences, no gaps. */

const reasons: PickReason[] = [
  { kind: 'funded', stage: 'greedy', unit: 'votes', support: 1 },
  { kind: 'funded', stage: 'greedy', unit: 'points' },
  { kind: 'funded', stage: 'equal-shares', unit: 'votes' },
  { kind: 'funded', stage: 'completion', unit: 'score', support: 7 },
  { kind: 'below_threshold', threshold: 5, unit: 'votes', support: 3, missing: 2 },
  { kind: 'below_threshold', threshold: 12, unit: 'score' },
  { kind: 'did_not_fit', cost: 4_500_00, moneyLeft: 3_300_00, short: 1_200_00, stage: 'greedy' },
  { kind: 'did_not_fit', cost: 4_500_00, moneyLeft: 0, short: 4_500_00, stage: 'completion' },
  { kind: 'not_reached' },
  { kind: 'shares_used_up', cost: 3_000_00 },
  { kind: 'shares_used_up', cost: 3_000_00, supportersMoney: 1_000_00, short: 2_000_00 },
  { kind: 'shares_too_small', cost: 9_000_00 },
  { kind: 'shares_too_small', cost: 9_000_00, supportersMoney: 5_000_00, short: 4_000_00 },
  { kind: 'yes_passed' },
  { kind: 'yes_passed', yes: 14, no: 6 },
  { kind: 'quorum_not_met', turnout: 3, quorum: 5, missing: 2 },
  { kind: 'not_enough_yes', threshold: { numerator: 1, denominator: 2 }, strict: true },
  { kind: 'not_enough_yes', threshold: { numerator: 2, denominator: 3 }, strict: false, yes: 5, no: 4 },
  { kind: 'over_budget', cost: 12_000_00, budget: 10_000_00 },
];
const counterfactuals: Counterfactual[] = [
  { kind: 'more_support', amount: 1, unit: 'votes' },
  { kind: 'more_support', amount: 3, unit: 'points' },
  { kind: 'more_support', amount: 4, unit: 'score' },
  { kind: 'cheaper', by: 1_200_00 },
  { kind: 'more_yes', votes: 1 },
  { kind: 'more_no', votes: 2 },
];

function view(picks: MyPick[], withoutMe: MyBallotView['withoutMe']): MyBallotView {
  return {
    counted: true,
    ballotType: 'approval',
    rule: 'greedy',
    otherBallots: 9,
    smallGroup: false,
    picks,
    alsoFunded: [{ proposalId: 'z', number: 9, title: 'Bænke' }],
    withoutMe,
    roundId: 'r',
    seq: 1,
    receiptCode: 'ABC-DEF-GHJ',
    currency: 'DKK',
    budget: 10_000_00,
    totalCost: 0,
  };
}

const text = (m: ReturnType<typeof myBallotCard>) => JSON.stringify(m);

describe('the "what did my vote do?" card', () => {
  for (const locale of ['da', 'en'] as const) {
    it(`renders every reason, counterfactual and "without you" in plain sentences (${locale})`, () => {
      const picks: MyPick[] = reasons.map((reason, i) => ({
        proposalId: `p${i}`,
        number: i + 1,
        title: `Idé ${i + 1}`,
        cost: 1_000_00,
        mine:
          i % 4 === 0
            ? { kind: 'vote' }
            : i % 4 === 1
              ? { kind: 'points', points: 3 }
              : i % 4 === 2
                ? { kind: 'rank', rank: 2, score: 4 }
                : { kind: 'yesno', vote: 'yes' },
        funded: reason.kind === 'funded' || reason.kind === 'yes_passed',
        exact: i % 2 === 0,
        reason,
        counterfactuals: [counterfactuals[i % counterfactuals.length]!],
      }));
      const withouts: MyBallotView['withoutMe'][] = [
        { kind: 'same' },
        {
          kind: 'changed',
          gained: [{ proposalId: 'p0', number: 1, title: 'Idé 1' }],
          lost: [{ proposalId: 'p1', number: 2, title: 'Idé 2' }],
        },
        { kind: 'unknown', why: 'equal-shares' },
        { kind: 'unknown', why: 'small-group' },
      ];
      for (const withoutMe of withouts) {
        const card = myBallotCard(locale, 'Sommerpuljen', view(picks, withoutMe));
        const all = text(card);
        expect(all).not.toMatch(/\{\w+[,}]/);
        expect(all).not.toMatch(/flow\.mine/);
        // Danish amounts end in "kr.": never a second full stop after one.
        expect(all).not.toContain('kr..');
        expect(card.fields).toHaveLength(picks.length + 1);
        for (const f of card.fields!) expect(f.value, f.label).toMatch(/[.!]$/);
      }
    });
  }
});
