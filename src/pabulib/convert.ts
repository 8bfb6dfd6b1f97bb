import type {
  ApprovalBallot,
  BallotSet,
  Completion,
  CumulativeBallot,
  OrdinalBallot,
  TallyInput,
  TallyMethod,
  TallyProject,
} from '../tally/types.ts';
import { parseDecimal, scaled } from './amounts.ts';
import type { PbElection, PbTable } from './types.ts';

export class PbConvertError extends Error {
  override readonly name = 'PbConvertError';
}

/** Index of a column by its (trimmed) name, or -1. */
export function columnIndex(table: PbTable, name: string): number {
  return table.columns.findIndex((c) => c.trim() === name);
}

/** A META value by key (keys compared trimmed and case-insensitively). */
export function metaValue(election: Pick<PbElection, 'meta'>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of election.meta) if (k.trim().toLowerCase() === wanted) return v.trim();
  return undefined;
}

/** Parses a whole number ("1500", "1500.0"); anything else is an error. */
function integer(text: string, what: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(value)) {
    throw new PbConvertError(`${what} must be a whole number, got ${JSON.stringify(text)}`);
  }
  return value;
}

const SPACE = /\s/;

function splitList(text: string): string[] {
  if (text === '') return [];
  if (!SPACE.test(text)) return text.split(',');
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((s) => s.trim());
}

/** Projects (id and cost) in file order. */
export function pbProjects(election: PbElection): TallyProject[] {
  const cost = columnIndex(election.projects, 'cost');
  if (cost === -1) throw new PbConvertError('PROJECTS has no cost column');
  return election.projects.rows.map((row) => {
    const id = row[0]!.trim();
    return { id, cost: integer(row[cost]!, `cost of project ${id}`) };
  });
}

/** Ids of the projects marked `selected` = 1 in the file, in file order ([] if there is no such column). */
export function pbSelected(election: PbElection): string[] {
  const col = columnIndex(election.projects, 'selected');
  if (col === -1) return [];
  return election.projects.rows.filter((row) => row[col]!.trim() === '1').map((row) => row[0]!.trim());
}

export type PbVoteType = 'approval' | 'choose-1' | 'cumulative' | 'scoring' | 'ordinal';

/** The ballots of the file. `scoring` votes are read like `cumulative` ones (points per project). */
export function pbBallots(election: PbElection): BallotSet {
  const type = (metaValue(election, 'vote_type') ?? 'approval').toLowerCase();
  const votes = election.votes;
  const vote = columnIndex(votes, 'vote');
  if (vote === -1) throw new PbConvertError('VOTES has no vote column');
  switch (type) {
    case 'approval':
    case 'choose-1': {
      const ballots: ApprovalBallot[] = votes.rows.map((row) => ({ approved: splitList(row[vote]!) }));
      return { type: 'approval', ballots };
    }
    case 'cumulative':
    case 'scoring': {
      const pointsCol = columnIndex(votes, 'points');
      if (pointsCol === -1) throw new PbConvertError(`${type} votes need a points column`);
      const ballots: CumulativeBallot[] = votes.rows.map((row) => {
        const ids = splitList(row[vote]!);
        const points = splitList(row[pointsCol]!);
        if (points.length !== ids.length) {
          throw new PbConvertError(`voter ${row[0]}: ${ids.length} projects but ${points.length} points`);
        }
        return { points: ids.map((id, i) => [id, integer(points[i]!, `points of voter ${row[0]}`)] as const) };
      });
      return { type: 'cumulative', ballots };
    }
    case 'ordinal': {
      const ballots: OrdinalBallot[] = votes.rows.map((row) => ({ ranking: splitList(row[vote]!) }));
      const maxLength = metaValue(election, 'max_length');
      if (maxLength === undefined) return { type: 'ordinal', ballots };
      const L = integer(maxLength, 'META max_length');
      // Rank k (1-based) scores L − k + 1: the 3/2/1 of Kraków with max_length 3.
      return { type: 'ordinal', ballots, scores: Array.from({ length: L }, (_, k) => L - k) };
    }
    default:
      throw new PbConvertError(`unsupported vote_type ${JSON.stringify(type)}`);
  }
}

/**
 * Decimals of the file's money: the most decimals any amount (budget or cost) is written with
 * ("1647263.73" → 2). Amounts are counted in units of 10^-decimals.
 */
export function pbMoneyDecimals(election: PbElection): number {
  const cost = columnIndex(election.projects, 'cost');
  let decimals = parseDecimal(metaValue(election, 'budget') ?? '')?.decimals ?? 0;
  if (cost !== -1) for (const row of election.projects.rows) decimals = Math.max(decimals, parseDecimal(row[cost]!)?.decimals ?? 0);
  return decimals;
}

function minorUnits(text: string, decimals: number, what: string): number {
  const parsed = parseDecimal(text);
  const value = parsed && !parsed.negative ? scaled(parsed, decimals) : undefined;
  if (value === undefined) throw new PbConvertError(`${what} must be a non-negative amount, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * Tally input (projects in file order, budget, ballots) for a parsed file. Money with decimals is
 * scaled to a common minor unit (10^{@link pbMoneyDecimals} per unit, so ratios such as MES's
 * budget per voter are unchanged); a project named twice in an approval ballot is counted once.
 * `readPb` (read.ts) is the lenient one-pass reader the CLI uses; this one keeps the strings' view.
 */
export function pbToTallyInput(election: PbElection): TallyInput {
  const budget = metaValue(election, 'budget');
  if (budget === undefined) throw new PbConvertError('META has no budget');
  const decimals = pbMoneyDecimals(election);
  const cost = columnIndex(election.projects, 'cost');
  if (cost === -1) throw new PbConvertError('PROJECTS has no cost column');
  const projects = election.projects.rows.map((row) => {
    const id = row[0]!.trim();
    return { id, cost: minorUnits(row[cost]!, decimals, `cost of project ${id}`) };
  });
  let ballots = pbBallots(election);
  if (ballots.type === 'approval')
    ballots = { type: 'approval', ballots: ballots.ballots.map((b) => ({ approved: [...new Set(b.approved)] })) };
  return { projects, budget: minorUnits(budget, decimals, 'META budget'), ballots };
}

/** META keys read as the greedy-threshold minimum, first match wins. */
const THRESHOLD_KEYS = ['min_project_score_threshold', 'min_project_score', 'threshold'];

/** The minimum support for greedy-threshold given in META, if any. */
export function pbThreshold(election: Pick<PbElection, 'meta'>): number | undefined {
  for (const key of THRESHOLD_KEYS) {
    const value = metaValue(election, key);
    if (value !== undefined && value !== '') return integer(value, `META ${key}`);
  }
  return undefined;
}

/**
 * The tally method named by META `rule`, reproducing how official results are computed: greedy
 * ties follow the file's project order. Recognised: `greedy`, `greedy-no-skip`,
 * `greedy-threshold` (minimum from `min_project_score_threshold`), `equalshares` (no completion),
 * `equalshares/add1`, `equalshares/add1-exhaustive`, `equalshares/greedy`. Returns undefined for
 * anything else (e.g. `unknown`).
 */
export function pbMethod(election: Pick<PbElection, 'meta'>): TallyMethod | undefined {
  const rule = (metaValue(election, 'rule') ?? '').toLowerCase();
  switch (rule) {
    case 'greedy':
      return { rule: 'greedy', tieBreak: 'order' };
    case 'greedy-no-skip':
      return { rule: 'greedy-no-skip', tieBreak: 'order' };
    case 'greedy-threshold': {
      const threshold = pbThreshold(election);
      if (threshold === undefined) throw new PbConvertError('rule greedy-threshold but META has no min_project_score_threshold');
      return { rule: 'greedy-threshold', threshold, tieBreak: 'order' };
    }
    default: {
      const match = /^equalshares(?:\/(add1|add1-exhaustive|greedy))?$/.exec(rule);
      if (!match) return undefined;
      const completion: Completion = (match[1] as Completion | undefined) ?? 'none';
      return { rule: 'equal-shares', completion, tieBreak: 'order' };
    }
  }
}
