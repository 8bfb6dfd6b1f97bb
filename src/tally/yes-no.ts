import { formatCount, type Locale } from './money.ts';
import { TallyInputError } from './types.ts';

/** Counts of a yes/no vote on one proposal. */
export interface YesNoVotes {
  readonly yes: number;
  readonly no: number;
  /** Blank / abstain ballots: handed in, but neither yes nor no. Default 0. */
  readonly blank?: number;
}

export interface YesNoRule {
  /** Minimum turnout (ballots handed in, blank ones included) for the vote to count. Default 0. */
  readonly quorum?: number;
  /** Required share of yes votes as an exact fraction. Default 1/2. */
  readonly threshold?: { readonly numerator: number; readonly denominator: number };
  /**
   * `true` (default): the yes share must be strictly greater than the threshold (1/2 means "a
   * majority"; a tie fails). `false`: at least the threshold (2/3 means "two thirds or more").
   */
  readonly strict?: boolean;
  /**
   * What a blank ballot does. `abstain` (default): counts toward the quorum only; the yes share is
   * yes / (yes + no). `no`: also counts like a no in the share, yes / (yes + no + blank).
   */
  readonly blank?: 'abstain' | 'no';
}

export type YesNoOutcome = 'passed' | 'quorum_not_met' | 'not_enough_yes';

export interface YesNoResult {
  readonly passed: boolean;
  readonly outcome: YesNoOutcome;
  readonly yes: number;
  readonly no: number;
  readonly blank: number;
  /** yes + no + blank. */
  readonly turnout: number;
  readonly quorum: number;
  readonly threshold: { readonly numerator: number; readonly denominator: number };
  readonly strict: boolean;
  /** Votes the share is taken over: yes + no, plus blank when blanks count as no. */
  readonly decisive: number;
}

function count(value: number | undefined, what: string): number {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v) || v < 0) throw new TallyInputError(`${what} must be a non-negative integer`);
  return v;
}

/**
 * Decides a yes/no vote: it passes iff turnout ≥ quorum and the yes share meets the threshold
 * (compared exactly: yes·den > num·decisive, or ≥ when not strict). With no decisive votes at
 * all (everyone blank) it does not pass.
 */
export function tallyYesNo(votes: YesNoVotes, rule: YesNoRule = {}): YesNoResult {
  const yes = count(votes.yes, 'yes');
  const no = count(votes.no, 'no');
  const blank = count(votes.blank, 'blank');
  const quorum = count(rule.quorum, 'quorum');
  const threshold = rule.threshold ?? { numerator: 1, denominator: 2 };
  const num = count(threshold.numerator, 'threshold numerator');
  const den = count(threshold.denominator, 'threshold denominator');
  if (den === 0 || num > den) throw new TallyInputError('threshold must be a fraction between 0 and 1');
  const strict = rule.strict ?? true;
  const turnout = yes + no + blank;
  const decisive = yes + no + (rule.blank === 'no' ? blank : 0);
  const left = BigInt(yes) * BigInt(den);
  const right = BigInt(num) * BigInt(decisive);
  const shareOk = decisive > 0 && (strict ? left > right : left >= right);
  const outcome: YesNoOutcome = turnout < quorum ? 'quorum_not_met' : shareOk ? 'passed' : 'not_enough_yes';
  return {
    passed: outcome === 'passed',
    outcome,
    yes,
    no,
    blank,
    turnout,
    quorum,
    threshold: { numerator: num, denominator: den },
    strict,
    decisive,
  };
}

/** Counts yes/no/blank ballots. */
export function countYesNo(ballots: Iterable<'yes' | 'no' | 'blank'>): YesNoVotes {
  let yes = 0;
  let no = 0;
  let blank = 0;
  for (const b of ballots) {
    if (b === 'yes') yes++;
    else if (b === 'no') no++;
    else if (b === 'blank') blank++;
    else throw new TallyInputError(`unknown yes/no ballot ${JSON.stringify(b)}`);
  }
  return { yes, no, blank };
}

/** A percentage with at most one decimal, rounded down: da "66,6 %", en "66.6%". */
function percent(numerator: number, denominator: number, locale: Locale): string {
  const tenths = Number((BigInt(numerator) * 1000n) / BigInt(denominator));
  const whole = Math.floor(tenths / 10);
  const rest = tenths % 10;
  const text = rest === 0 ? String(whole) : `${whole}${locale === 'da' ? ',' : '.'}${rest}`;
  return locale === 'da' ? `${text} %` : `${text}%`;
}

/** The threshold as a percentage when that is exact to one decimal, else as a fraction ("2/3"). */
function thresholdText(t: { numerator: number; denominator: number }, locale: Locale): string {
  if ((t.numerator * 1000) % t.denominator === 0) return percent(t.numerator, t.denominator, locale);
  return `${t.numerator}/${t.denominator}`;
}

/**
 * One short sentence about a yes/no result, e.g. da "Vedtaget: 14 ja, 6 nej (70 % ja)" /
 * en "Passed: 14 yes, 6 no (70% yes)". Shares are shown rounded down to one decimal.
 */
export function explainYesNo(r: YesNoResult, locale: Locale): string {
  const da = locale === 'da';
  const n = (x: number) => formatCount(x, locale);
  const share = r.decisive > 0 ? percent(r.yes, r.decisive, locale) : da ? '0 %' : '0%';
  const counts = da ? `${n(r.yes)} ja, ${n(r.no)} nej (${share} ja)` : `${n(r.yes)} yes, ${n(r.no)} no (${share} yes)`;
  switch (r.outcome) {
    case 'passed':
      return da ? `Vedtaget: ${counts}` : `Passed: ${counts}`;
    case 'quorum_not_met':
      return da
        ? `Ikke vedtaget: kun ${n(r.turnout)} stemte, der skulle mindst ${n(r.quorum)} til`
        : `Not passed: only ${n(r.turnout)} voted, at least ${n(r.quorum)} needed`;
    case 'not_enough_yes': {
      const needed = thresholdText(r.threshold, locale);
      if (da) return `Ikke vedtaget: ${counts}, der skulle ${r.strict ? 'over' : 'mindst'} ${needed} ja til`;
      return `Not passed: ${counts}, needed ${r.strict ? 'more than' : 'at least'} ${needed} yes`;
    }
  }
}
