import { describe, expect, it } from 'vitest';
import { formatScore, loadCorpus, scoreCorpus } from './corpus-score.ts';

// The corpus (test/fixtures/privacy/corpus.json) is data written for Pulje, kept apart from the detector: every
// case is a message with the spans a person would call personal data, or none (hard negatives: prices, dates,
// idea numbers, postcodes alone, counts).
describe('personal-data corpus', () => {
  const cases = loadCorpus('corpus.json');
  const score = scoreCorpus(cases);
  process.stdout.write(`${formatScore('privacy corpus', score)}\n`);

  it('is large enough and covers every kind with positives and hard negatives', () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
    expect(cases.filter((c) => c.expect.length === 0).length).toBeGreaterThanOrEqual(100);
    for (const kind of ['cpr', 'phone', 'email', 'address', 'bankAccount', 'iban', 'handle', 'memberName', 'personName']) {
      expect(score.perKind[kind]?.expected ?? 0, kind).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds at least 99% of the personal data and is right at least 95% of the time', () => {
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.99);
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('meets the same targets per kind where the kind has 20 or more cases', () => {
    for (const [kind, s] of Object.entries(score.perKind)) {
      if (s.expected < 20) continue;
      expect(s.recall, `${kind} recall`).toBeGreaterThanOrEqual(0.99);
      expect(s.precision, `${kind} precision`).toBeGreaterThanOrEqual(0.95);
    }
  });
});

// Written after the rules above were frozen and never used to tune them: the honest estimate for new text.
describe('held-out personal-data corpus', () => {
  const cases = loadCorpus('holdout.json');
  const score = scoreCorpus(cases);
  process.stdout.write(`${formatScore('privacy holdout', score)}\n`);

  it('stays above a floor on text the rules were not tuned on', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.95);
  });
});
