import { describe, expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import {
  BALLOT_TYPES,
  COMPLETIONS,
  RULES,
  RULES_FOR_BALLOT,
  applySettingsPatch,
  ballotTypePatch,
  createSettingsSchema,
  DEFAULT_POINTS,
  DEFAULT_ROUND_SETTINGS,
  rulePatch,
  settingsForNewRound,
  type RoundSettings,
} from '../../src/domain/round-config.ts';

const create = (input: Record<string, unknown>) =>
  settingsForNewRound(createSettingsSchema.parse({ title: 'Pulje', amount: 100_000, ...input }));
const issueKeys = (run: () => unknown): string[] => {
  try {
    run();
  } catch (e) {
    if (e instanceof PuljeError) return e.details.map((d) => d.key);
    throw e;
  }
  return [];
};

describe('round settings', () => {
  it('allow exactly the documented ballot type × rule pairs', () => {
    const allowed: string[] = [];
    for (const ballotType of BALLOT_TYPES)
      for (const rule of RULES) {
        const extra = { ...(ballotType === 'cumulative' ? { points: 10 } : {}), ...(rule === 'greedy-threshold' ? { minSupport: 2 } : {}) };
        if (issueKeys(() => create({ ballotType, rule, ...extra })).length === 0) allowed.push(`${ballotType}:${rule}`);
      }
    const greedy = ['greedy', 'greedy-no-skip', 'greedy-threshold'];
    expect(allowed.sort()).toEqual(
      [
        ...['approval', 'knapsack', 'cumulative'].flatMap((t) => [...greedy, 'equal-shares'].map((r) => `${t}:${r}`)),
        ...greedy.map((r) => `ranked:${r}`),
        'yesno:yes-no',
      ].sort(),
    );
    expect(RULES_FOR_BALLOT.ranked).not.toContain('equal-shares');
  });

  it('name the rule and ballot type when they do not fit, in both languages', () => {
    try {
      create({ ballotType: 'ranked', rule: 'equal-shares' });
      expect.unreachable();
    } catch (e) {
      expect((e as PuljeError).code).toBe('invalid_input');
      expect((e as PuljeError).localize('da')).toBe(
        'Det kunne jeg ikke bruge: reglen "lige andele" kan ikke bruges med rangordens-stemmesedler',
      );
      expect((e as PuljeError).localize('en')).toBe('I couldn\'t use that: the rule "equal shares" cannot be used with ranked ballots');
    }
  });

  it('allow every completion with equal shares and only "none" with other rules', () => {
    for (const completion of COMPLETIONS) {
      expect(issueKeys(() => create({ ballotType: 'approval', rule: 'equal-shares', completion }))).toEqual([]);
      expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy', completion }))).toEqual(
        completion === 'none' ? [] : ['issue.completion_needs_equal_shares'],
      );
    }
  });

  it('need points for cumulative ballots and a minimum for greedy-threshold', () => {
    expect(issueKeys(() => create({ ballotType: 'cumulative', rule: 'greedy' }))).toEqual(['issue.required']);
    expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy-threshold' }))).toEqual(['issue.required']);
    expect(create({ ballotType: 'cumulative', rule: 'greedy', points: 10 }).points).toBe(10);
  });

  it('refuse settings given for a ballot type that does not use them', () => {
    expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy', points: 10 }))).toEqual(['issue.not_for_ballot']);
    expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy', quorum: 5 }))).toEqual(['issue.not_for_ballot']);
    expect(issueKeys(() => create({ ballotType: 'yesno', rule: 'yes-no', maxPicks: 2 }))).toEqual(['issue.not_for_ballot']);
    expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy', minSupport: 3 }))).toEqual(['issue.not_for_ballot']);
  });

  it('check limits, thresholds and deadlines against each other', () => {
    expect(issueKeys(() => create({ ballotType: 'approval', rule: 'greedy', minPicks: 4, maxPicks: 3 }))).toEqual(['issue.min_over_max']);
    expect(issueKeys(() => create({ ballotType: 'yesno', rule: 'yes-no', thresholdNum: 3, thresholdDen: 2 }))).toEqual([
      'issue.threshold_invalid',
    ]);
    expect(issueKeys(() => create({ ballotType: 'yesno', rule: 'yes-no', thresholdNum: 2 }))).toEqual(['issue.threshold_invalid']);
    expect(
      issueKeys(() =>
        create({ ballotType: 'approval', rule: 'greedy', ideasDeadline: '2026-05-02T10:00:00Z', votingDeadline: '2026-05-01T10:00:00Z' }),
      ),
    ).toEqual(['issue.deadline_order']);
  });

  it('give yes/no rounds a simple majority unless told otherwise', () => {
    const s = create({ ballotType: 'yesno', rule: 'yes-no' });
    expect([s.thresholdNum, s.thresholdDen, s.thresholdStrict, s.quorum]).toEqual([1, 2, true, null]);
    const two = create({ ballotType: 'yesno', rule: 'yes-no', thresholdNum: 2, thresholdDen: 3, thresholdStrict: false, quorum: 10 });
    expect([two.thresholdNum, two.thresholdDen, two.thresholdStrict, two.quorum]).toEqual([2, 3, false, 10]);
  });

  it('refuse amounts that are not whole, positive and within a 32-bit column', () => {
    expect(createSettingsSchema.safeParse({ title: 'x', amount: 0, ballotType: 'approval', rule: 'greedy' }).success).toBe(false);
    expect(createSettingsSchema.safeParse({ title: 'x', amount: 10.5, ballotType: 'approval', rule: 'greedy' }).success).toBe(false);
    expect(createSettingsSchema.safeParse({ title: 'x', amount: 2 ** 31, ballotType: 'approval', rule: 'greedy' }).success).toBe(false);
    expect(createSettingsSchema.safeParse({ title: '   ', amount: 100, ballotType: 'approval', rule: 'greedy' }).success).toBe(false);
  });

  describe('changes', () => {
    const cumulative: RoundSettings = create({
      ballotType: 'cumulative',
      rule: 'equal-shares',
      completion: 'add1',
      points: 10,
      maxPicks: 5,
    });

    it('keep what is not mentioned and drop what no longer applies', () => {
      const next = applySettingsPatch(cumulative, { ballotType: 'approval' });
      expect(next).toMatchObject({ ballotType: 'approval', rule: 'equal-shares', completion: 'add1', points: null, maxPicks: 5 });
      const greedy = applySettingsPatch(cumulative, { rule: 'greedy' });
      expect(greedy.completion).toBe('none');
    });

    it('clear a setting with null, and refuse a change that does not fit', () => {
      expect(applySettingsPatch(cumulative, { maxPicks: null }).maxPicks).toBeNull();
      expect(issueKeys(() => applySettingsPatch(cumulative, { ballotType: 'ranked' }))).toEqual(['issue.rule_not_for_ballot']);
      expect(issueKeys(() => applySettingsPatch(cumulative, { points: null }))).toEqual(['issue.required']);
    });
  });
});

describe('round-setting defaults when staff switch (shared by every surface)', () => {
  it('switching the ballot type keeps the round valid: yes/no gets its rule, unusable rules fall back, cumulative gets points', () => {
    expect(ballotTypePatch({ rule: 'greedy', points: null }, 'yesno')).toEqual({ ballotType: 'yesno', rule: 'yes-no' });
    expect(ballotTypePatch({ rule: 'yes-no', points: null }, 'approval')).toEqual({
      ballotType: 'approval',
      rule: DEFAULT_ROUND_SETTINGS.rule,
    });
    expect(ballotTypePatch({ rule: 'equal-shares', points: null }, 'cumulative')).toEqual({
      ballotType: 'cumulative',
      points: DEFAULT_POINTS,
    });
    expect(ballotTypePatch({ rule: 'greedy', points: 7 }, 'cumulative')).toEqual({ ballotType: 'cumulative' });
    expect(ballotTypePatch({ rule: 'equal-shares', points: null }, 'ranked')).toEqual({ ballotType: 'ranked', rule: 'greedy' });
  });

  it('switching the rule: a threshold needs a minimum, Equal Shares completes with add1', () => {
    expect(rulePatch({ minSupport: null }, 'greedy-threshold')).toEqual({ rule: 'greedy-threshold', minSupport: 1 });
    expect(rulePatch({ minSupport: 4 }, 'greedy-threshold')).toEqual({ rule: 'greedy-threshold' });
    expect(rulePatch({ minSupport: null }, 'equal-shares')).toEqual({ rule: 'equal-shares', completion: 'add1' });
    expect(rulePatch({ minSupport: null }, 'greedy')).toEqual({ rule: 'greedy' });
  });

  it('every patch applies to a valid round and leaves it valid', () => {
    const base = settingsForNewRound(createSettingsSchema.parse({ title: 'Pulje', amount: 100_000, ...DEFAULT_ROUND_SETTINGS }));
    for (const type of BALLOT_TYPES) {
      const typed = applySettingsPatch(base, ballotTypePatch(base, type));
      for (const rule of RULES_FOR_BALLOT[type]) expect(() => applySettingsPatch(typed, rulePatch(typed, rule))).not.toThrow();
    }
  });
});
