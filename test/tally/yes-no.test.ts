import { describe, expect, it } from 'vitest';
import { countYesNo, explainYesNo, tallyYesNo, TallyInputError } from '../../src/tally/index.ts';

describe('yes/no', () => {
  it('simple majority is strict by default: a tie fails', () => {
    expect(tallyYesNo({ yes: 6, no: 5 }).passed).toBe(true);
    expect(tallyYesNo({ yes: 5, no: 5 })).toMatchObject({ passed: false, outcome: 'not_enough_yes' });
    expect(tallyYesNo({ yes: 5, no: 5 }, { strict: false }).passed).toBe(true);
  });

  it('two thirds: exact at the edge, strict or not', () => {
    const twoThirds = { numerator: 2, denominator: 3 };
    expect(tallyYesNo({ yes: 10, no: 5 }, { threshold: twoThirds, strict: false }).passed).toBe(true);
    expect(tallyYesNo({ yes: 10, no: 5 }, { threshold: twoThirds, strict: true }).passed).toBe(false);
    expect(tallyYesNo({ yes: 11, no: 5 }, { threshold: twoThirds, strict: true }).passed).toBe(true);
    // 0.1 + 0.2 style float trouble does not apply: 1/3 of 3 is exactly 1.
    expect(tallyYesNo({ yes: 1, no: 2 }, { threshold: { numerator: 1, denominator: 3 }, strict: false }).passed).toBe(true);
  });

  it('quorum counts turnout including blank ballots; at the quorum is enough', () => {
    expect(tallyYesNo({ yes: 5, no: 1, blank: 4 }, { quorum: 10 }).passed).toBe(true);
    expect(tallyYesNo({ yes: 5, no: 1, blank: 3 }, { quorum: 10 })).toMatchObject({ passed: false, outcome: 'quorum_not_met', turnout: 9 });
  });

  it('blank ballots abstain by default, or count as no', () => {
    expect(tallyYesNo({ yes: 5, no: 4, blank: 3 }).passed).toBe(true);
    expect(tallyYesNo({ yes: 5, no: 4, blank: 3 }, { blank: 'no' })).toMatchObject({ passed: false, decisive: 12 });
  });

  it('nobody deciding means no', () => {
    expect(tallyYesNo({ yes: 0, no: 0, blank: 7 }, { threshold: { numerator: 0, denominator: 1 }, strict: false }).passed).toBe(false);
  });

  it('counts ballots and rejects bad input', () => {
    expect(countYesNo(['yes', 'no', 'blank', 'yes'])).toEqual({ yes: 2, no: 1, blank: 1 });
    expect(() => tallyYesNo({ yes: -1, no: 0 })).toThrow(TallyInputError);
    expect(() => tallyYesNo({ yes: 1, no: 0 }, { threshold: { numerator: 3, denominator: 2 } })).toThrow(TallyInputError);
  });

  it('explains in Danish and English', () => {
    const passed = tallyYesNo({ yes: 14, no: 6, blank: 2 });
    expect(explainYesNo(passed, 'da')).toBe('Vedtaget: 14 ja, 6 nej (70 % ja)');
    expect(explainYesNo(passed, 'en')).toBe('Passed: 14 yes, 6 no (70% yes)');
    const tie = tallyYesNo({ yes: 10, no: 10 });
    expect(explainYesNo(tie, 'da')).toBe('Ikke vedtaget: 10 ja, 10 nej (50 % ja), der skulle over 50 % ja til');
    expect(explainYesNo(tie, 'en')).toBe('Not passed: 10 yes, 10 no (50% yes), needed more than 50% yes');
    const few = tallyYesNo({ yes: 8, no: 0 }, { quorum: 10 });
    expect(explainYesNo(few, 'da')).toBe('Ikke vedtaget: kun 8 stemte, der skulle mindst 10 til');
    expect(explainYesNo(few, 'en')).toBe('Not passed: only 8 voted, at least 10 needed');
    const third = tallyYesNo({ yes: 1, no: 1 }, { threshold: { numerator: 2, denominator: 3 }, strict: false });
    expect(explainYesNo(third, 'en')).toBe('Not passed: 1 yes, 1 no (50% yes), needed at least 2/3 yes');
    expect(explainYesNo(tallyYesNo({ yes: 2, no: 1 }), 'da')).toBe('Vedtaget: 2 ja, 1 nej (66,6 % ja)');
  });
});
