import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type CrisisLevel, detectCrisis } from '../../src/safeguarding/index.ts';

const caseSchema = z.object({
  id: z.string(),
  lang: z.enum(['da', 'en']),
  text: z.string(),
  expect: z.enum(['none', 'concern', 'urgent']),
  note: z.string().optional(),
});
export type CrisisCase = z.infer<typeof caseSchema>;

export function loadCrisisCorpus(file: string): CrisisCase[] {
  const raw = JSON.parse(readFileSync(new URL(`../fixtures/safeguarding/${file}`, import.meta.url), 'utf8'));
  return z.object({ cases: z.array(caseSchema) }).parse(raw).cases;
}

export interface CrisisScore {
  cases: number;
  byExpected: Record<CrisisLevel, number>;
  /** Expected urgent, found urgent. */
  urgentRecall: number;
  /** Expected concern or urgent, found concern or urgent. */
  recall: number;
  /** Found concern or urgent, expected concern or urgent. */
  precision: number;
  /** Same level as expected. */
  levelAgreement: number;
  perLang: Record<string, { urgentRecall: number; recall: number; precision: number }>;
  wrong: Array<{ id: string; text: string; expected: CrisisLevel; got: CrisisLevel; signals: string[] }>;
}

function rates(rows: Array<{ expected: CrisisLevel; got: CrisisLevel }>) {
  const share = (a: number, b: number) => (b ? a / b : 1);
  const urgent = rows.filter((r) => r.expected === 'urgent');
  const positive = rows.filter((r) => r.expected !== 'none');
  const flagged = rows.filter((r) => r.got !== 'none');
  return {
    urgentRecall: share(urgent.filter((r) => r.got === 'urgent').length, urgent.length),
    recall: share(positive.filter((r) => r.got !== 'none').length, positive.length),
    precision: share(flagged.filter((r) => r.expected !== 'none').length, flagged.length),
  };
}

export function scoreCrisisCorpus(cases: CrisisCase[]): CrisisScore {
  const rows = cases.map((c) => {
    const result = detectCrisis(c.text);
    return {
      c,
      expected: c.expect,
      got: result.level,
      signals: result.signals.map((s) => `${s.id}${s.downgraded ? `(${s.downgraded})` : ''}`),
    };
  });
  const byExpected = { none: 0, concern: 0, urgent: 0 };
  for (const r of rows) byExpected[r.expected]++;
  const perLang: CrisisScore['perLang'] = {};
  for (const lang of ['da', 'en']) perLang[lang] = rates(rows.filter((r) => r.c.lang === lang));
  return {
    cases: cases.length,
    byExpected,
    ...rates(rows),
    levelAgreement: rows.filter((r) => r.expected === r.got).length / rows.length,
    perLang,
    wrong: rows
      .filter((r) => r.expected !== r.got)
      .map((r) => ({ id: r.c.id, text: r.c.text, expected: r.expected, got: r.got, signals: r.signals })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatCrisisScore(title: string, s: CrisisScore): string {
  return [
    `${title}: ${s.cases} cases (${s.byExpected.urgent} urgent, ${s.byExpected.concern} concern, ${s.byExpected.none} none)`,
    `  urgent recall ${pct(s.urgentRecall)}  recall ${pct(s.recall)}  precision ${pct(s.precision)}  same level ${pct(s.levelAgreement)}`,
    ...Object.entries(s.perLang).map(
      ([l, r]) => `  ${l}: urgent recall ${pct(r.urgentRecall)}  recall ${pct(r.recall)}  precision ${pct(r.precision)}`,
    ),
    ...s.wrong.map((w) => `  ${w.expected.toUpperCase()}→${w.got} ${w.id} "${w.text}" ${JSON.stringify(w.signals)}`),
  ].join('\n');
}
