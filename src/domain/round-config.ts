import { z } from 'zod';
import { PuljeError, type Detail } from '../core/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { dateInput, moneySchema, shortText } from './values.ts';

export const BALLOT_TYPES = ['approval', 'knapsack', 'cumulative', 'ranked', 'yesno'] as const;
export type BallotType = (typeof BALLOT_TYPES)[number];

export const RULES = ['greedy', 'greedy-no-skip', 'greedy-threshold', 'equal-shares', 'yes-no'] as const;
export type RuleName = (typeof RULES)[number];

export const COMPLETIONS = ['none', 'greedy', 'add1', 'add1-exhaustive'] as const;
export type CompletionName = (typeof COMPLETIONS)[number];

const GREEDY_FAMILY = ['greedy', 'greedy-no-skip', 'greedy-threshold'] as const satisfies readonly RuleName[];

/**
 * Which rules can count which ballots. Equal shares needs to split a project's cost among its supporters,
 * which a ranking does not say; a yes/no vote on one proposal has its own rule.
 */
export const RULES_FOR_BALLOT: Record<BallotType, readonly RuleName[]> = {
  approval: [...GREEDY_FAMILY, 'equal-shares'],
  knapsack: [...GREEDY_FAMILY, 'equal-shares'],
  cumulative: [...GREEDY_FAMILY, 'equal-shares'],
  ranked: GREEDY_FAMILY,
  yesno: ['yes-no'],
};

export const ballotKey = (t: BallotType): MessageKey => `ballot.${t}`;
export const ruleKey = (r: RuleName): MessageKey => `rule.${r}`;

/** Everything that decides how ballots are filled in and counted; frozen (with the amount) when voting opens. */
export interface BallotRules {
  ballotType: BallotType;
  rule: RuleName;
  completion: CompletionName;
  /** Fewest proposals a ballot must name (null: 1). Not for yes/no. */
  minPicks: number | null;
  /** Most proposals a ballot may name (null: no limit). Not for yes/no. */
  maxPicks: number | null;
  /** Cumulative: points each voter may spread (at most this many). */
  points: number | null;
  /** greedy-threshold: the support a proposal needs to be funded at all. */
  minSupport: number | null;
  /** yes/no: ballots needed for a valid vote (null: none). */
  quorum: number | null;
  /** yes/no: share of yes among the ballots needed, thresholdNum/thresholdDen; strict means "more than". */
  thresholdNum: number | null;
  thresholdDen: number | null;
  thresholdStrict: boolean;
}

export interface RoundSettings extends BallotRules {
  title: string;
  /** Minor units. */
  amount: number;
  currency: string;
  ideasDeadline: Date | null;
  votingDeadline: Date | null;
}

/** Settings frozen when voting opens. */
export const LOCKED_FIELDS = [
  'amount',
  'currency',
  'ballotType',
  'rule',
  'completion',
  'minPicks',
  'maxPicks',
  'points',
  'minSupport',
  'quorum',
  'thresholdNum',
  'thresholdDen',
  'thresholdStrict',
] as const satisfies readonly (keyof RoundSettings)[];

const count = z.int().min(1).max(100_000);

/** Each setting on its own; how they fit together is checked by {@link settingsIssues}. */
export const settingsFields = {
  title: shortText(120),
  amount: moneySchema,
  currency: z.string().regex(/^[A-Z]{3}$/),
  ballotType: z.enum(BALLOT_TYPES),
  rule: z.enum(RULES),
  completion: z.enum(COMPLETIONS),
  minPicks: count.nullable(),
  maxPicks: count.nullable(),
  points: count.nullable(),
  minSupport: count.nullable(),
  quorum: count.nullable(),
  thresholdNum: z.int().min(0).max(1000).nullable(),
  thresholdDen: z.int().min(1).max(1000).nullable(),
  thresholdStrict: z.boolean(),
  ideasDeadline: dateInput.nullable(),
  votingDeadline: dateInput.nullable(),
};

/** New round: title, amount, ballot type and rule are needed; the rest has defaults. */
export const createSettingsSchema = z.object({
  title: settingsFields.title,
  amount: settingsFields.amount,
  currency: settingsFields.currency.default('DKK'),
  ballotType: settingsFields.ballotType,
  rule: settingsFields.rule,
  completion: settingsFields.completion.optional(),
  minPicks: settingsFields.minPicks.optional(),
  maxPicks: settingsFields.maxPicks.optional(),
  points: settingsFields.points.optional(),
  minSupport: settingsFields.minSupport.optional(),
  quorum: settingsFields.quorum.optional(),
  thresholdNum: settingsFields.thresholdNum.optional(),
  thresholdDen: settingsFields.thresholdDen.optional(),
  thresholdStrict: settingsFields.thresholdStrict.optional(),
  ideasDeadline: settingsFields.ideasDeadline.optional(),
  votingDeadline: settingsFields.votingDeadline.optional(),
});
export type CreateSettingsInput = z.output<typeof createSettingsSchema>;

/** A change to some settings; a field left out keeps its value, `null` clears it. */
export const settingsPatchSchema = z.object(settingsFields).partial();
export type SettingsPatch = z.output<typeof settingsPatchSchema>;

type Applicable = (s: BallotRules) => boolean;
/** Settings that only mean something for some ballot types or rules. */
const APPLIES: Partial<Record<keyof BallotRules, Applicable>> = {
  minPicks: (s) => s.ballotType !== 'yesno',
  maxPicks: (s) => s.ballotType !== 'yesno',
  points: (s) => s.ballotType === 'cumulative',
  minSupport: (s) => s.rule === 'greedy-threshold',
  quorum: (s) => s.ballotType === 'yesno',
  thresholdNum: (s) => s.ballotType === 'yesno',
  thresholdDen: (s) => s.ballotType === 'yesno',
};

const fieldKey = (name: string): MessageKey => `field.${name}` as MessageKey;

/** What is wrong with a whole set of settings, as localizable details (empty when they fit together). */
export function settingsIssues(s: RoundSettings, explicit: ReadonlySet<string> = new Set()): Detail[] {
  const issues: Detail[] = [];
  if (!RULES_FOR_BALLOT[s.ballotType].includes(s.rule)) {
    issues.push({
      key: 'issue.rule_not_for_ballot',
      params: { rule: { key: ruleKey(s.rule) }, ballotType: { key: ballotKey(s.ballotType) } },
    });
  }
  if (s.completion !== 'none' && s.rule !== 'equal-shares') {
    issues.push({ key: 'issue.completion_needs_equal_shares', params: { completion: s.completion } });
  }
  for (const [name, applies] of Object.entries(APPLIES) as [keyof BallotRules, Applicable][]) {
    if (s[name] !== null && explicit.has(name) && !applies(s)) {
      issues.push({
        key: 'issue.not_for_ballot',
        params: { field: { key: fieldKey(name) }, ballotType: { key: ballotKey(s.ballotType) }, rule: { key: ruleKey(s.rule) } },
      });
    }
  }
  if (s.ballotType === 'cumulative' && s.points === null)
    issues.push({ key: 'issue.required', params: { field: { key: 'field.points' } } });
  if (s.rule === 'greedy-threshold' && s.minSupport === null)
    issues.push({ key: 'issue.required', params: { field: { key: 'field.minSupport' } } });
  if (s.minPicks !== null && s.maxPicks !== null && s.minPicks > s.maxPicks) {
    issues.push({ key: 'issue.min_over_max', params: { min: s.minPicks, max: s.maxPicks } });
  }
  if (s.ballotType === 'yesno') {
    if (
      (s.thresholdNum === null) !== (s.thresholdDen === null) ||
      (s.thresholdNum !== null && s.thresholdDen !== null && s.thresholdNum > s.thresholdDen)
    ) {
      issues.push({ key: 'issue.threshold_invalid' });
    }
  }
  if (s.ideasDeadline && s.votingDeadline && s.ideasDeadline >= s.votingDeadline) issues.push({ key: 'issue.deadline_order' });
  return issues;
}

/**
 * Clears settings that do not apply to the ballot type and rule (unless they were given explicitly, which
 * {@link settingsIssues} reports) and fills the yes/no defaults: more than half of the ballots say yes.
 */
export function normalizeSettings(s: RoundSettings, explicit: ReadonlySet<string>): RoundSettings {
  const out = { ...s };
  for (const [name, applies] of Object.entries(APPLIES) as [keyof BallotRules, Applicable][]) {
    if (!explicit.has(name) && !applies(out)) (out as Record<string, unknown>)[name] = null;
  }
  if (out.rule !== 'equal-shares' && !explicit.has('completion')) out.completion = 'none';
  if (out.ballotType === 'yesno' && out.thresholdNum === null && out.thresholdDen === null) {
    out.thresholdNum = 1;
    out.thresholdDen = 2;
    out.thresholdStrict = true;
  }
  return out;
}

function settle(s: RoundSettings, explicit: ReadonlySet<string>): RoundSettings {
  const normalized = normalizeSettings(s, explicit);
  const issues = settingsIssues(normalized, explicit);
  if (issues.length) throw new PuljeError('invalid_input', {}, issues);
  return normalized;
}

/** Names of the fields an input object actually carried (so defaults are not mistaken for choices). */
function givenFields(input: object): Set<string> {
  return new Set(
    Object.entries(input)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k),
  );
}

/** The full settings of a new round from validated input; throws `invalid_input` if they do not fit together. */
export function settingsForNewRound(input: CreateSettingsInput): RoundSettings {
  return settle(
    {
      title: input.title,
      amount: input.amount,
      currency: input.currency,
      ballotType: input.ballotType,
      rule: input.rule,
      completion: input.completion ?? 'none',
      minPicks: input.minPicks ?? null,
      maxPicks: input.maxPicks ?? null,
      points: input.points ?? null,
      minSupport: input.minSupport ?? null,
      quorum: input.quorum ?? null,
      thresholdNum: input.thresholdNum ?? null,
      thresholdDen: input.thresholdDen ?? null,
      thresholdStrict: input.thresholdStrict ?? true,
      ideasDeadline: input.ideasDeadline ?? null,
      votingDeadline: input.votingDeadline ?? null,
    },
    givenFields(input),
  );
}

/** Current settings with a change applied; throws `invalid_input` if the result does not fit together. */
export function applySettingsPatch(current: RoundSettings, patch: SettingsPatch): RoundSettings {
  const given = givenFields(patch);
  const merged = { ...current } as Record<string, unknown>;
  for (const name of given) merged[name] = (patch as Record<string, unknown>)[name];
  // A new ballot type or rule lets the settings that no longer apply go, unless they were just given.
  return settle(merged as unknown as RoundSettings, given);
}

/** The fields of a change that differ from the current settings (used for the `config` log entry and locks). */
export function changedFields(current: RoundSettings, next: RoundSettings): (keyof RoundSettings)[] {
  return (Object.keys(next) as (keyof RoundSettings)[]).filter((k) => {
    const a = current[k];
    const b = next[k];
    if (a instanceof Date || b instanceof Date) return (a as Date | null)?.getTime() !== (b as Date | null)?.getTime();
    return a !== b;
  });
}

const rulesRowSchema = z.object({
  ballotType: z.enum(BALLOT_TYPES),
  rule: z.enum(RULES),
  completion: z.enum(COMPLETIONS),
  minPicks: z.int().nullable(),
  maxPicks: z.int().nullable(),
  points: z.int().nullable(),
  minSupport: z.int().nullable(),
  quorum: z.int().nullable(),
  thresholdNum: z.int().nullable(),
  thresholdDen: z.int().nullable(),
  thresholdStrict: z.boolean(),
});

/** A round as stored: the same fields, with the choices as plain strings. */
export type RoundSettingsRow = { [K in keyof RoundSettings]: RoundSettings[K] extends string ? string : RoundSettings[K] };

/** Narrows a stored round to typed settings; a corrupt row is an internal error, not the reader's fault. */
export function settingsFromRow(row: RoundSettingsRow): RoundSettings {
  const parsed = rulesRowSchema.safeParse(row);
  if (!parsed.success) throw new PuljeError('internal');
  return {
    ...parsed.data,
    title: row.title,
    amount: row.amount,
    currency: row.currency,
    ideasDeadline: row.ideasDeadline,
    votingDeadline: row.votingDeadline,
  };
}

/** A new round unless staff choose otherwise: approval ballots, counted "most votes first". */
export const DEFAULT_ROUND_SETTINGS = { ballotType: 'approval', rule: 'greedy' } as const satisfies Partial<RoundSettings>;
/** Points each voter gets to spread when a round switches to cumulative ballots without a number set. */
export const DEFAULT_POINTS = 10;

/**
 * What else changes when staff pick another ballot type, so the round stays valid and sensible: yes/no has its
 * own rule, a rule the new type cannot use falls back to the default, cumulative ballots get points to spread.
 * Every surface that lets staff switch (chat, dashboard) applies the same patch.
 */
export function ballotTypePatch(current: Pick<RoundSettings, 'rule' | 'points'>, type: BallotType): SettingsPatch {
  const patch: SettingsPatch = { ballotType: type };
  if (type === 'yesno') patch.rule = 'yes-no';
  else if (!RULES_FOR_BALLOT[type].includes(current.rule)) patch.rule = DEFAULT_ROUND_SETTINGS.rule;
  if (type === 'cumulative' && current.points === null) patch.points = DEFAULT_POINTS;
  return patch;
}

/**
 * What else changes when staff pick another rule: a threshold rule needs a minimum (1 until staff set one), and
 * Equal Shares leaves money unspent on its own, so it completes with "add one", raising everyone's share until
 * the money is used.
 */
export function rulePatch(current: Pick<RoundSettings, 'minSupport'>, rule: RuleName): SettingsPatch {
  const patch: SettingsPatch = { rule };
  if (rule === 'greedy-threshold' && current.minSupport === null) patch.minSupport = 1;
  if (rule === 'equal-shares') patch.completion = 'add1';
  return patch;
}
