import { TallyInputError, type SupportUnit, type TallyInput, type VoteType } from './types.ts';

/**
 * Validated input in array form: projects by index (input order), ballots flattened into
 * compressed rows. Internal to the engine.
 */
export interface Prepared {
  readonly m: number;
  readonly ids: readonly string[];
  /** Costs by project index (safe integers). */
  readonly costs: Float64Array;
  readonly budget: number;
  readonly type: VoteType;
  readonly unit: SupportUnit;
  /** Total ballot weight (number of voters, empty ballots included). */
  readonly nVoters: number;
  /** Weighted number of voters supporting each project. */
  readonly voters: Float64Array;
  /** Greedy support of each project: votes, points or score. */
  readonly support: Float64Array;
  /** Ballot b covers entries `ballotStart[b] .. ballotStart[b+1]-1`. */
  readonly ballotStart: Int32Array;
  /** Project index of each entry. */
  readonly entryProject: Int32Array;
  /** Value of each entry: 1 (approval), points (cumulative), score of the rank (ordinal). */
  readonly entryValue: Float64Array;
  readonly ballotWeight: Float64Array;
}

const fail = (message: string): never => {
  throw new TallyInputError(message);
};

function checkMoney(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    fail(`${what} must be a non-negative integer number of minor units, got ${String(value)}`);
  }
}

function checkWeight(weight: number | undefined, b: number): number {
  if (weight === undefined) return 1;
  if (!Number.isSafeInteger(weight) || weight < 1) fail(`ballot ${b + 1}: weight must be a positive integer`);
  return weight;
}

/** Validates the input and converts it to array form. Throws {@link TallyInputError}. */
export function prepare(input: TallyInput): Prepared {
  checkMoney('budget', input.budget);
  const m = input.projects.length;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const costs = new Float64Array(m);
  input.projects.forEach((p, j) => {
    if (typeof p.id !== 'string' || p.id === '') fail(`project ${j + 1}: id must be a non-empty string`);
    if (index.has(p.id)) fail(`project id ${JSON.stringify(p.id)} appears twice`);
    checkMoney(`cost of project ${JSON.stringify(p.id)}`, p.cost);
    index.set(p.id, j);
    ids.push(p.id);
    costs[j] = p.cost;
  });

  const { ballots: set } = input;
  const nb = set.ballots.length;
  let entries = 0;
  for (const ballot of set.ballots) {
    entries +=
      set.type === 'approval'
        ? (ballot as { approved: readonly string[] }).approved.length
        : set.type === 'cumulative'
          ? (ballot as { points: readonly unknown[] }).points.length
          : (ballot as { ranking: readonly string[] }).ranking.length;
  }
  const ballotStart = new Int32Array(nb + 1);
  const entryProject = new Int32Array(entries);
  const entryValue = new Float64Array(entries);
  const ballotWeight = new Float64Array(nb);
  const stamp = new Int32Array(m).fill(-1);
  let e = 0;

  const lookup = (id: string, b: number): number => {
    const j = index.get(id);
    if (j === undefined) fail(`ballot ${b + 1}: unknown project id ${JSON.stringify(id)}`);
    if (stamp[j!] === b) fail(`ballot ${b + 1}: project ${JSON.stringify(id)} appears twice`);
    stamp[j!] = b;
    return j!;
  };

  let scores: readonly number[] = [];
  if (set.type === 'ordinal') {
    if (set.scores) {
      scores = set.scores;
      scores.forEach((s, k) => {
        if (!Number.isSafeInteger(s) || s < 0) fail(`score for rank ${k + 1} must be a non-negative integer`);
      });
    } else {
      let longest = 0;
      for (const ballot of set.ballots) longest = Math.max(longest, ballot.ranking.length);
      scores = Array.from({ length: longest }, (_, k) => longest - k);
    }
  }

  for (let b = 0; b < nb; b++) {
    ballotStart[b] = e;
    ballotWeight[b] = checkWeight(set.ballots[b]!.weight, b);
    if (set.type === 'approval') {
      for (const id of set.ballots[b]!.approved) {
        entryProject[e] = lookup(id, b);
        entryValue[e++] = 1;
      }
    } else if (set.type === 'cumulative') {
      for (const [id, points] of set.ballots[b]!.points) {
        if (!Number.isSafeInteger(points) || points < 0) {
          fail(`ballot ${b + 1}: points for ${JSON.stringify(id)} must be a non-negative integer`);
        }
        const j = lookup(id, b);
        if (points === 0) continue;
        entryProject[e] = j;
        entryValue[e++] = points;
      }
    } else {
      const ranking = set.ballots[b]!.ranking;
      for (let k = 0; k < ranking.length; k++) {
        entryProject[e] = lookup(ranking[k]!, b);
        entryValue[e++] = scores[k] ?? 0;
      }
    }
  }
  ballotStart[nb] = e;
  return preparedFromArrays({
    ids,
    costs,
    budget: input.budget,
    type: set.type,
    ballotStart,
    entryProject: e === entries ? entryProject : entryProject.slice(0, e),
    entryValue: e === entries ? entryValue : entryValue.slice(0, e),
    ballotWeight,
  });
}

/** Ballots already in array form (e.g. read straight from a file): ids unique, entries valid, no repeats within a ballot. */
export interface PreparedArrays {
  readonly ids: readonly string[];
  readonly costs: Float64Array;
  readonly budget: number;
  readonly type: VoteType;
  readonly ballotStart: Int32Array;
  readonly entryProject: Int32Array;
  readonly entryValue: Float64Array;
  readonly ballotWeight: Float64Array;
}

/** Completes array-form ballots with the per-project counts; checks the budget and that the sums stay exact. */
export function preparedFromArrays(a: PreparedArrays): Prepared {
  checkMoney('budget', a.budget);
  const m = a.ids.length;
  const voters = new Float64Array(m);
  const support = new Float64Array(m);
  const nb = a.ballotWeight.length;
  let nVoters = 0;
  for (let b = 0; b < nb; b++) {
    const w = a.ballotWeight[b]!;
    nVoters += w;
    for (let x = a.ballotStart[b]!; x < a.ballotStart[b + 1]!; x++) {
      const j = a.entryProject[x]!;
      voters[j]! += w;
      support[j]! += w * a.entryValue[x]!;
    }
  }
  if (!Number.isSafeInteger(nVoters)) fail('total ballot weight is too large');
  for (let j = 0; j < m; j++) {
    if (!Number.isSafeInteger(support[j]!)) fail(`support of project ${JSON.stringify(a.ids[j])} is too large`);
  }
  const unit: SupportUnit = a.type === 'approval' ? 'votes' : a.type === 'cumulative' ? 'points' : 'score';
  return { m, ...a, unit, nVoters, voters, support };
}
