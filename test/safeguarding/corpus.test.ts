import { describe, expect, it } from 'vitest';
import { formatCrisisScore, loadCrisisCorpus, scoreCrisisCorpus } from './corpus-score.ts';

describe('crisis corpus', () => {
  const cases = loadCrisisCorpus('corpus.json');
  const score = scoreCrisisCorpus(cases);
  process.stdout.write(`${formatCrisisScore('crisis corpus', score)}\n`);

  it('has Danish and English cases with hard negatives', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(score.byExpected.none).toBeGreaterThanOrEqual(80);
    expect(cases.filter((c) => c.lang === 'en').length).toBeGreaterThanOrEqual(60);
  });

  it('finds at least 95% of urgent messages and is right at least 90% of the time it fires', () => {
    expect(score.urgentRecall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.9);
    for (const lang of ['da', 'en']) expect(score.perLang[lang]!.urgentRecall, lang).toBeGreaterThanOrEqual(0.95);
  });
});

// Written after the lists were frozen and never used to tune them: the honest estimate for new phrasing. Two
// earlier held-out sets were measured the same way, then moved into corpus.json (see src/safeguarding/README.md).
describe('held-out crisis corpus', () => {
  const cases = loadCrisisCorpus('holdout.json');
  const score = scoreCrisisCorpus(cases);
  process.stdout.write(`${formatCrisisScore('crisis holdout', score)}\n`);

  it('stays above a floor on phrasing the lists were not tuned on', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(score.urgentRecall).toBeGreaterThanOrEqual(0.8);
    expect(score.precision).toBeGreaterThanOrEqual(0.9);
  });
});
