import { describe, expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import { choiceToInput, parseStoredChoice, validateChoice, type ChoiceContext } from '../../src/domain/ballot-choice.ts';
import { createSettingsSchema, settingsForNewRound } from '../../src/domain/round-config.ts';

const proposals = [
  { id: 'p1', number: 1, cost: 40_000 },
  { id: 'p2', number: 2, cost: 50_000 },
  { id: 'p3', number: 3, cost: 30_000 },
  { id: 'p5', number: 5, cost: 10_000 },
];
function ctx(settings: Record<string, unknown>, list = proposals): ChoiceContext {
  const s = settingsForNewRound(createSettingsSchema.parse({ title: 'x', amount: 100_000, ...settings }));
  return { rules: s, amount: s.amount, currency: s.currency, proposals: list };
}
function refused(c: ChoiceContext, choice: unknown): PuljeError {
  try {
    validateChoice(c, choice);
  } catch (e) {
    expect(e).toBeInstanceOf(PuljeError);
    expect((e as PuljeError).code).toBe('ballot_invalid');
    return e as PuljeError;
  }
  throw new Error('expected the ballot to be refused');
}
const keys = (e: PuljeError) => e.details.map((d) => d.key);

describe('ballot choices', () => {
  const approval = ctx({ ballotType: 'approval', rule: 'greedy', maxPicks: 3 });

  it('store approvals by proposal id in number order', () => {
    expect(validateChoice(approval, { type: 'approval', picks: [3, 1] })).toEqual({ type: 'approval', approved: ['p1', 'p3'] });
  });

  it('keep within the fewest and most picks (at least one by default)', () => {
    expect(keys(refused(approval, { type: 'approval', picks: [] }))).toEqual(['issue.too_few_picks']);
    expect(keys(refused(approval, { type: 'approval', picks: [1, 2, 3, 5] }))).toEqual(['issue.too_many_picks']);
    const atLeastTwo = ctx({ ballotType: 'approval', rule: 'greedy', minPicks: 2 });
    expect(refused(atLeastTwo, { type: 'approval', picks: [1] }).localize('da')).toBe('Stemmesedlen er ikke gyldig: vælg mindst 2');
  });

  it('name proposals that are not on the ballot, and ones picked twice', () => {
    // #4 does not exist; a withdrawn, hidden or ineligible proposal is simply not in the list.
    const e = refused(approval, { type: 'approval', picks: [4, 1, 1] });
    expect(keys(e)).toEqual(['issue.unknown_proposal', 'issue.duplicate_proposal']);
    expect(e.localize('en')).toBe("The ballot is not valid: proposal #4 doesn't exist or can't be voted on; proposal #1 is listed twice");
  });

  it('refuse the wrong kind of ballot and malformed input', () => {
    expect(refused(approval, { type: 'ranked', ranking: [1] }).localize('en')).toBe(
      'The ballot is not valid: this round uses approval ballots',
    );
    expect(keys(refused(approval, { type: 'approval', picks: ['1'] }))).toEqual(['issue.invalid']);
    expect(keys(refused(approval, null))).not.toEqual([]);
    expect(keys(refused(approval, { type: 'approval', picks: [1.5] }))).toEqual(['issue.not_integer']);
  });

  it("keep a knapsack within the pot, in kroner in the reader's language", () => {
    const knapsack = ctx({ ballotType: 'knapsack', rule: 'greedy' });
    expect(validateChoice(knapsack, { type: 'knapsack', picks: [2, 1, 5] })).toEqual({ type: 'knapsack', approved: ['p1', 'p2', 'p5'] });
    const e = refused(knapsack, { type: 'knapsack', picks: [1, 2, 3] });
    expect(e.localize('da')).toBe('Stemmesedlen er ikke gyldig: dine valg koster 1.200 kr., men der er kun 1.000 kr.');
    expect(e.localize('en')).toBe('The ballot is not valid: your picks cost DKK 1,200, but there is only DKK 1,000');
  });

  it("let cumulative points add up to at most the round's points", () => {
    const cumulative = ctx({ ballotType: 'cumulative', rule: 'greedy', points: 10 });
    expect(
      validateChoice(cumulative, {
        type: 'cumulative',
        points: [
          { proposal: 3, points: 6 },
          { proposal: 1, points: 4 },
        ],
      }),
    ).toEqual({
      type: 'cumulative',
      points: [
        ['p1', 4],
        ['p3', 6],
      ],
    });
    expect(validateChoice(cumulative, { type: 'cumulative', points: [{ proposal: 2, points: 3 }] })).toEqual({
      type: 'cumulative',
      points: [['p2', 3]],
    });
    expect(
      refused(cumulative, {
        type: 'cumulative',
        points: [
          { proposal: 1, points: 6 },
          { proposal: 2, points: 5 },
        ],
      }).localize('en'),
    ).toBe('The ballot is not valid: you used 11 points but only have 10');
    expect(keys(refused(cumulative, { type: 'cumulative', points: [{ proposal: 1, points: 0 }] }))).toEqual(['issue.too_small']);
  });

  it("keep a ranking in the voter's order, without repeats and within the most places", () => {
    const ranked = ctx({ ballotType: 'ranked', rule: 'greedy', maxPicks: 2 });
    expect(validateChoice(ranked, { type: 'ranked', ranking: [5, 1] })).toEqual({ type: 'ranked', ranking: ['p5', 'p1'] });
    expect(keys(refused(ranked, { type: 'ranked', ranking: [5, 5] }))).toEqual(['issue.duplicate_proposal']);
    expect(keys(refused(ranked, { type: 'ranked', ranking: [5, 1, 2] }))).toEqual(['issue.too_many_picks']);
  });

  it('take yes, no or blank on the single proposal of a yes/no round', () => {
    const one = ctx({ ballotType: 'yesno', rule: 'yes-no' }, [proposals[0]!]);
    expect(validateChoice(one, { type: 'yesno', vote: 'yes' })).toEqual({ type: 'yesno', proposalId: 'p1', vote: 'yes' });
    expect(validateChoice(one, { type: 'yesno', vote: 'blank' })).toEqual({ type: 'yesno', proposalId: 'p1', vote: 'blank' });
    expect(keys(refused(one, { type: 'yesno', vote: 'maybe' }))).toEqual(['issue.invalid']);
    expect(keys(refused(ctx({ ballotType: 'yesno', rule: 'yes-no' }), { type: 'yesno', vote: 'yes' }))).toEqual([
      'issue.yesno_one_proposal',
    ]);
  });

  it("read back in the voter's terms", () => {
    const numbers = new Map(proposals.map((p) => [p.id, p.number]));
    const stored = validateChoice(ctx({ ballotType: 'ranked', rule: 'greedy' }), { type: 'ranked', ranking: [3, 1] });
    expect(choiceToInput(parseStoredChoice(JSON.stringify(stored)), numbers)).toEqual({ type: 'ranked', ranking: [3, 1] });
    expect(() => parseStoredChoice('{"type":"approval"}')).toThrow(PuljeError);
  });
});
