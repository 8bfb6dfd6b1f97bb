import type { Locale } from '../../src/i18n/index.ts';
import { OUTCOME_OVERRIDE_KINDS } from '../../src/domain/outcomes.ts';
import type {
  Count,
  GroupOutcome,
  OutcomeOverrideKind,
  Outcomes,
  OverrideReason,
  PeriodPoint,
  RoundOutcome,
} from '../../src/usecases/index.ts';
import type { Cell } from './csv.ts';
import { type DashKey, dashText } from './texts.ts';

/** Any dashboard text by key, with loose parameters (the catalog test checks every key and parameter). */
export const T = (locale: Locale, key: DashKey, params?: Record<string, string | number>): string =>
  (dashText as unknown as (l: Locale, k: string, p?: Record<string, string | number>) => string)(locale, key, params);

/**
 * The columns of each view, once: the page's tables and the CSV files read the same definitions, so what is
 * downloaded is what was shown. `csv` gives the raw value (suppressed counts as "<5"); `show` the page's text.
 */
export interface Column<R> {
  key: DashKey;
  csv(r: R): Cell;
  show?(r: R, locale: Locale): string;
  numeric?: boolean;
}

const SMALL_CSV = '<5';
const count = (c: Count): Cell => (c === null ? SMALL_CSV : c);
const kr = (minor: number) => Math.round(minor) / 100;
/** Formatters per language and digits, made once: making an Intl.NumberFormat costs more than formatting with it. */
const formatters = new Map<string, Intl.NumberFormat>();
export const fmtNumber = (locale: Locale, n: number, digits = 1) => {
  const k = `${locale}:${digits}`;
  let f = formatters.get(k);
  if (!f) formatters.set(k, (f = new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: digits })));
  return f.format(n);
};
const showCount = (c: Count, locale: Locale) => (c === null ? T(locale, 'dash.small') : fmtNumber(locale, c, 0));
const showMaybe = (n: number | null, locale: Locale) => (n === null ? T(locale, 'dash.none') : fmtNumber(locale, n));
const showKr = (minor: number, locale: Locale) => fmtNumber(locale, kr(minor), 2);
const phaseKey = (phase: string) => `dash.phase.${phase}` as DashKey;

function col<R>(key: DashKey, csv: (r: R) => Cell, show?: (r: R, locale: Locale) => string, numeric = true): Column<R> {
  return { key, csv, numeric, ...(show ? { show } : {}) };
}

const cnt = <R>(key: DashKey, get: (r: R) => Count) =>
  col<R>(
    key,
    (r) => count(get(r)),
    (r, l) => showCount(get(r), l),
  );
const num = <R>(key: DashKey, get: (r: R) => number | null) => col<R>(key, get, (r, l) => showMaybe(get(r), l));
const money = <R>(key: DashKey, get: (r: R) => number) =>
  col<R>(
    key,
    (r) => kr(get(r)),
    (r, l) => showKr(get(r), l),
  );
const text = <R>(key: DashKey, get: (r: R) => string, show?: (r: R, l: Locale) => string) => col<R>(key, get, show ?? get, false);

export const ROUND_COLUMNS = {
  round: text<RoundOutcome>('dash.col.round', (r) => r.title),
  group: text<RoundOutcome>('dash.col.group', (r) => r.groupName),
  organisation: text<RoundOutcome>('dash.col.organisation', (r) => r.organisationName),
  phase: text<RoundOutcome>(
    'dash.col.phase',
    (r) => r.phase,
    (r, l) => T(l, phaseKey(r.phase)),
  ),
  started: text<RoundOutcome>('dash.col.started', (r) => r.createdAt.slice(0, 10)),
  eligible: num<RoundOutcome>('dash.col.eligible', (r) => r.eligible),
  ballots: cnt<RoundOutcome>('dash.col.ballots', (r) => r.ballots),
  turnout: num<RoundOutcome>('dash.col.turnout', (r) => r.turnoutPct),
  ideasYouth: cnt<RoundOutcome>('dash.col.ideas_youth', (r) => r.ideasYouth),
  ideasStaff: num<RoundOutcome>('dash.col.ideas_staff', (r) => r.ideasStaff),
  budget: money<RoundOutcome>('dash.col.budget', (r) => r.amount),
  funded: money<RoundOutcome>('dash.col.funded', (r) => r.fundedAmount),
  fundedCount: num<RoundOutcome>('dash.col.funded_count', (r) => r.fundedCount),
  youthMoney: num<RoundOutcome>('dash.col.youth_money', (r) => r.youthMoneyPct),
  implemented: num<RoundOutcome>('dash.col.implemented', (r) => r.implementedCount),
  spent: money<RoundOutcome>('dash.col.spent', (r) => r.spent),
  ideaToDecision: num<RoundOutcome>('dash.col.idea_to_decision', (r) => r.daysIdeaToDecision),
  decisionToDone: num<RoundOutcome>('dash.col.decision_to_done', (r) => r.daysDecisionToDone),
  sayResponses: cnt<RoundOutcome>('dash.col.say_responses', (r) => r.say.responses),
  sayRate: num<RoundOutcome>('dash.col.say_rate', (r) => r.say.ratePct),
  sayMean: num<RoundOutcome>('dash.col.say_mean', (r) => r.say.mean),
  lundyN: num<RoundOutcome>('dash.col.lundy_n', (r) => r.lundy?.assessments ?? 0),
  space: num<RoundOutcome>('dash.col.space', (r) => r.lundy?.space ?? null),
  voice: num<RoundOutcome>('dash.col.voice', (r) => r.lundy?.voice ?? null),
  audience: num<RoundOutcome>('dash.col.audience', (r) => r.lundy?.audience ?? null),
  influence: num<RoundOutcome>('dash.col.influence', (r) => r.lundy?.influence ?? null),
  overrides: num<RoundOutcome>('dash.col.overrides', (r) => Object.values(r.overrides).reduce((a, b) => a + b, 0)),
};

const sayN = (i: number): Column<RoundOutcome> => ({
  key: 'dash.col.say_n',
  numeric: true,
  csv: (r) => (r.say.distribution ? count(r.say.distribution[i] ?? null) : ''),
});

const R = ROUND_COLUMNS;
export const ROUND_CSV: Column<RoundOutcome>[] = [
  ...Object.values(R).slice(0, 20),
  sayN(0),
  sayN(1),
  sayN(2),
  sayN(3),
  sayN(4),
  ...Object.values(R).slice(20),
];

export const GROUP_COLUMNS: Column<GroupOutcome>[] = [
  text('dash.col.group', (g) => g.groupName),
  text('dash.col.organisation', (g) => g.organisationName),
  num('dash.col.rounds', (g) => g.rounds),
  num('dash.col.turnout', (g) => g.turnoutPct),
  num('dash.col.youth_money', (g) => g.youthMoneyPct),
  money('dash.col.spent', (g) => g.spent),
  cnt('dash.col.youth_messages', (g) => g.youthMessages),
  num('dash.col.staff_messages', (g) => g.staffMessages),
  num('dash.col.staff_share', (g) => g.staffSharePct),
  num('dash.col.nudges', (g) => g.nudges),
  num('dash.col.overrides', (g) => g.overrides),
];

export const OVERRIDE_COLUMNS: Column<OverrideReason>[] = [
  text('dash.col.when', (o) => o.at.slice(0, 10)),
  text('dash.col.group', (o) => o.groupName),
  text('dash.col.round', (o) => o.roundTitle ?? ''),
  text(
    'dash.col.kind',
    (o) => o.kind,
    (o, l) => T(l, `dash.kind.${o.kind}` as DashKey),
  ),
  text('dash.col.reason', (o) => o.reason ?? ''),
  cnt('dash.col.disagree', (o) => o.disagree),
];

/** Overrides per kind: how many, and how many young people disagreed with them ("withheld": would tell a hidden count). */
export interface OverrideKindRow {
  kind: OutcomeOverrideKind;
  n: number;
  disagree: Count | 'withheld';
}
export const overrideKindRows = (o: Outcomes): OverrideKindRow[] =>
  OUTCOME_OVERRIDE_KINDS.map((kind) => ({ kind, n: o.overrides.byKind[kind], disagree: o.overrides.disagreeByKind[kind] }));

export const OVERRIDE_KIND_COLUMNS: Column<OverrideKindRow>[] = [
  text(
    'dash.col.kind',
    (r) => r.kind,
    (r, l) => T(l, `dash.kind.${r.kind}` as DashKey),
  ),
  num('dash.col.count', (r) => r.n),
  col(
    'dash.col.disagree_total',
    (r) => (r.disagree === 'withheld' ? '' : count(r.disagree)),
    (r, l) => (r.disagree === 'withheld' ? T(l, 'dash.none') : showCount(r.disagree, l)),
  ),
];

export const TREND_COLUMNS: Column<PeriodPoint>[] = [
  text('dash.col.period', (p) => p.period),
  num('dash.col.rounds', (p) => p.rounds),
  num('dash.col.turnout', (p) => p.turnoutPct),
  num('dash.col.youth_money', (p) => p.youthMoneyPct),
];

/** The CSV views: their name in the URL, columns and rows. */
export const CSV_VIEWS = {
  rounds: { columns: ROUND_CSV, rows: (o: Outcomes) => o.rounds },
  groups: { columns: GROUP_COLUMNS, rows: (o: Outcomes) => o.perGroup },
  overrides: { columns: OVERRIDE_COLUMNS, rows: (o: Outcomes) => o.overrides.reasons },
  'override-kinds': { columns: OVERRIDE_KIND_COLUMNS, rows: overrideKindRows },
  trend: { columns: TREND_COLUMNS, rows: (o: Outcomes) => o.trend },
} as const;
export type CsvView = keyof typeof CSV_VIEWS;
export const isCsvView = (v: string): v is CsvView => v in CSV_VIEWS;

export function headerOf<Row>(columns: readonly Column<Row>[], locale: Locale): string[] {
  return columns.map((c, i) => (c.key === 'dash.col.say_n' ? T(locale, c.key, { score: say(columns, i) }) : T(locale, c.key)));
}
// The n-th "answered n" column: its score is its place among them.
const say = <Row>(columns: readonly Column<Row>[], i: number) => columns.slice(0, i + 1).filter((c) => c.key === 'dash.col.say_n').length;
