import { describe, expect, it } from 'vitest';
import { explain, formatDkk, plainMoney, tally, type ProjectExplanation, type TallyInput } from '../../src/tally/index.ts';

const base = { projectId: 'p', cost: 450_000, voters: 12, support: 12, supportUnit: 'votes' as const };

describe('money', () => {
  it('formats DKK from øre, showing øre only when non-zero', () => {
    expect(formatDkk(450_000, 'da')).toBe('4.500 kr.');
    expect(formatDkk(450_000, 'en')).toBe('DKK 4,500');
    expect(formatDkk(450_050, 'da')).toBe('4.500,50 kr.');
    expect(formatDkk(450_005, 'en')).toBe('DKK 4,500.05');
    expect(formatDkk(123_456_789_00, 'da')).toBe('123.456.789 kr.');
    expect(formatDkk(0, 'en')).toBe('DKK 0');
    expect(formatDkk(99, 'da')).toBe('0,99 kr.');
  });
});

describe('explain', () => {
  const cases: [Partial<ProjectExplanation> & Pick<ProjectExplanation, 'outcome' | 'stage'>, string, string][] = [
    [{ outcome: 'funded', stage: 'greedy' }, 'Fik penge: 12 stemmer, koster 4.500 kr.', 'Funded: 12 votes, costs DKK 4,500'],
    [
      { outcome: 'funded', stage: 'completion' },
      'Fik penge af dem, der var tilbage: 12 stemmer, koster 4.500 kr.',
      'Funded from the money left over: 12 votes, costs DKK 4,500',
    ],
    [
      { outcome: 'did_not_fit', stage: 'greedy', moneyLeft: 200_000 },
      'Ikke plads i budgettet: koster 4.500 kr., men der var kun 2.000 kr. tilbage',
      'Did not fit: costs DKK 4,500, but only DKK 2,000 was left',
    ],
    [
      { outcome: 'not_enough_support', stage: 'greedy', threshold: 100, support: 80, voters: 80 },
      'Ikke nok opbakning: 80 stemmer, men der skulle mindst 100 stemmer til',
      'Not enough support: 80 votes, needed at least 100 votes',
    ],
    [{ outcome: 'not_enough_support', stage: 'greedy', support: 0, voters: 0 }, 'Ingen stemte på idéen', 'Nobody voted for this idea'],
    [
      { outcome: 'not_enough_support', stage: 'equal-shares', support: 3, voters: 3, supportersMoney: 120_000 },
      'Ikke nok opbakning: de 3, der stemte på det, havde tilsammen 1.200 kr., men det koster 4.500 kr.',
      'Not enough support: the 3 people who voted for it had DKK 1,200 together, but it costs DKK 4,500',
    ],
    [
      { outcome: 'shares_used_up', stage: 'equal-shares', supportersMoney: 100_000 },
      'Andelene var brugt: de 12, der stemte på det, havde kun 1.000 kr. tilbage efter andre vindere, men det koster 4.500 kr.',
      'Shares used up: the 12 people who voted for it had only DKK 1,000 left after other winners, but it costs DKK 4,500',
    ],
    [
      { outcome: 'not_reached', stage: 'greedy' },
      'Ikke nået: optællingen stoppede ved en idé før, der ikke kunne være i budgettet',
      'Not reached: counting stopped at an earlier idea that did not fit the budget',
    ],
    [
      { outcome: 'funded', stage: 'greedy', support: 1, voters: 1 },
      'Fik penge: 1 stemme, koster 4.500 kr.',
      'Funded: 1 vote, costs DKK 4,500',
    ],
    [
      { outcome: 'funded', stage: 'greedy', support: 1, supportUnit: 'points', voters: 1 },
      'Fik penge: 1 point, koster 4.500 kr.',
      'Funded: 1 point, costs DKK 4,500',
    ],
  ];
  for (const [fields, da, en] of cases) {
    it(`${fields.outcome} (${fields.stage}${fields.voters === 0 ? ', no voters' : ''})`, () => {
      const e = { ...base, ...fields } as ProjectExplanation;
      expect(explain(e, 'da')).toBe(da);
      expect(explain(e, 'en')).toBe(en);
    });
  }

  it('uses a pluggable money formatter', () => {
    const e: ProjectExplanation = { ...base, outcome: 'funded', stage: 'greedy', cost: 1_500_000 };
    expect(explain(e, 'en', plainMoney('en', 'PLN'))).toBe('Funded: 12 votes, costs 1,500,000 PLN');
    expect(explain(e, 'da', (minor) => `€${minor / 100}`)).toBe('Fik penge: 12 stemmer, koster €15000');
  });

  it('explains a whole tally in both languages', () => {
    const input: TallyInput = {
      projects: [
        { id: 'skate', cost: 450_000 },
        { id: 'cinema', cost: 700_000 },
        { id: 'cakes', cost: 50_050 },
      ],
      budget: 1_000_000,
      ballots: {
        type: 'approval',
        ballots: [{ approved: ['skate', 'cinema'] }, { approved: ['skate', 'cakes'] }, { approved: ['cinema'] }],
      },
    };
    const r = tally(input, { rule: 'greedy' });
    expect(r.explanations.map((e) => explain(e, 'da'))).toEqual([
      'Fik penge: 2 stemmer, koster 4.500 kr.',
      'Ikke plads i budgettet: koster 7.000 kr., men der var kun 5.500 kr. tilbage',
      'Fik penge: 1 stemme, koster 500,50 kr.',
    ]);
    expect(explain(r.explanations[1]!, 'en')).toBe('Did not fit: costs DKK 7,000, but only DKK 5,500 was left');
  });
});
