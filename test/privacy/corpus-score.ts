import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  findPersonalData,
  knownNameSchema,
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  type PersonalDataSpan,
} from '../../src/privacy/index.ts';

const caseSchema = z.object({
  id: z.string(),
  locale: z.enum(['da', 'en']),
  text: z.string(),
  expect: z.array(z.tuple([z.enum(PERSONAL_DATA_KINDS), z.string().min(1)])),
  knownNames: z.array(knownNameSchema).optional(),
  note: z.string().optional(),
});
export type CorpusCase = z.infer<typeof caseSchema>;

export function loadCorpus(file: string): CorpusCase[] {
  const raw = JSON.parse(readFileSync(new URL(`../fixtures/privacy/${file}`, import.meta.url), 'utf8'));
  return z.object({ cases: z.array(caseSchema) }).parse(raw).cases;
}

interface Expected {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

/** Places each expected substring in the text, in order (the n-th occurrence after the previous one). */
export function locate(c: CorpusCase): Expected[] {
  let from = 0;
  return c.expect.map(([kind, sub]) => {
    let at = c.text.indexOf(sub, from);
    if (at < 0) at = c.text.indexOf(sub);
    if (at < 0) throw new Error(`${c.id}: "${sub}" is not in the text`);
    from = at + sub.length;
    return { kind, start: at, end: at + sub.length };
  });
}

export interface KindScore {
  expected: number;
  found: number;
  /** Expected spans fully covered by a found span of the same kind. */
  truePositives: number;
  /** Found spans that overlap an expected span of the same kind. */
  correctFound: number;
  recall: number;
  precision: number;
}

export interface CorpusScore {
  cases: number;
  perKind: Record<string, KindScore>;
  overall: KindScore;
  /** Expected spans covered by a found span of any kind: what redaction protects whatever the label. */
  protectedShare: number;
  misses: Array<{ id: string; kind: string; text: string; found: Array<[string, string]> }>;
  falsePositives: Array<{ id: string; kind: string; text: string; found: string }>;
}

const covers = (s: PersonalDataSpan, e: Expected) => s.start <= e.start && s.end >= e.end;
const overlaps = (s: PersonalDataSpan, e: Expected) => s.start < e.end && e.start < s.end;

export function scoreCorpus(cases: CorpusCase[]): CorpusScore {
  const tally = new Map<string, { expected: number; found: number; tp: number; correct: number }>();
  const bump = (kind: string) => {
    if (!tally.has(kind)) tally.set(kind, { expected: 0, found: 0, tp: 0, correct: 0 });
    return tally.get(kind)!;
  };
  let protectedCount = 0;
  let expectedTotal = 0;
  const misses: CorpusScore['misses'] = [];
  const falsePositives: CorpusScore['falsePositives'] = [];
  for (const c of cases) {
    const expected = locate(c);
    const found = findPersonalData(c.text, { locale: c.locale, knownNames: c.knownNames ?? [] });
    for (const e of expected) {
      const t = bump(e.kind);
      t.expected++;
      expectedTotal++;
      if (found.some((s) => s.kind === e.kind && covers(s, e))) t.tp++;
      else misses.push({ id: c.id, kind: e.kind, text: c.text.slice(e.start, e.end), found: found.map((s) => [s.kind, s.text]) });
      if (found.some((s) => covers(s, e))) protectedCount++;
    }
    for (const s of found) {
      const t = bump(s.kind);
      t.found++;
      if (expected.some((e) => e.kind === s.kind && overlaps(s, e))) t.correct++;
      else falsePositives.push({ id: c.id, kind: s.kind, text: c.text, found: s.text });
    }
  }
  const score = (t: { expected: number; found: number; tp: number; correct: number }): KindScore => ({
    expected: t.expected,
    found: t.found,
    truePositives: t.tp,
    correctFound: t.correct,
    recall: t.expected ? t.tp / t.expected : 1,
    precision: t.found ? t.correct / t.found : 1,
  });
  const perKind: Record<string, KindScore> = {};
  const all = { expected: 0, found: 0, tp: 0, correct: 0 };
  for (const [kind, t] of [...tally.entries()].sort()) {
    perKind[kind] = score(t);
    all.expected += t.expected;
    all.found += t.found;
    all.tp += t.tp;
    all.correct += t.correct;
  }
  return {
    cases: cases.length,
    perKind,
    overall: score(all),
    protectedShare: expectedTotal ? protectedCount / expectedTotal : 1,
    misses,
    falsePositives,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatScore(title: string, s: CorpusScore): string {
  const rows = Object.entries(s.perKind).map(
    ([k, v]) =>
      `  ${k.padEnd(12)} expected ${String(v.expected).padStart(3)}  found ${String(v.found).padStart(3)}  recall ${pct(v.recall).padStart(6)}  precision ${pct(v.precision).padStart(6)}`,
  );
  return [
    `${title}: ${s.cases} cases`,
    ...rows,
    `  ${'overall'.padEnd(12)} expected ${String(s.overall.expected).padStart(3)}  found ${String(s.overall.found).padStart(3)}  recall ${pct(s.overall.recall).padStart(6)}  precision ${pct(s.overall.precision).padStart(6)}`,
    `  covered by some placeholder (any kind): ${pct(s.protectedShare)}`,
    ...s.misses.map((m) => `  MISS ${m.id} ${m.kind} "${m.text}" found ${JSON.stringify(m.found)}`),
    ...s.falsePositives.map((f) => `  FALSE ${f.id} ${f.kind} "${f.found}" in "${f.text}"`),
  ].join('\n');
}
