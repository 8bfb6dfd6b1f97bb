import { prepare } from '../tally/prepare.ts';
import type { BallotSet } from '../tally/types.ts';
import type { PbElection } from './types.ts';

export interface PbExportProject {
  readonly id: string;
  /** Whole currency units as the file should show them. */
  readonly cost: number;
  readonly name?: string;
  /** Written as the `selected` column (1/0) when any project sets it. */
  readonly selected?: boolean;
  /** Further PROJECTS columns (e.g. `category`), in order; columns are the union over all projects. */
  readonly extra?: ReadonlyArray<readonly [column: string, value: string]>;
}

export interface PbExport {
  /**
   * META entries written first, in order (e.g. `description`, `country`, `unit`, `instance`,
   * `currency`, `rule`, `date_begin`). `num_projects`, `num_votes`, `budget` and `vote_type` are
   * computed and must not be given.
   */
  readonly meta?: ReadonlyArray<readonly [key: string, value: string]>;
  readonly budget: number;
  readonly projects: readonly PbExportProject[];
  /** Weighted ballots are written as that many voters. */
  readonly ballots: BallotSet;
  /**
   * `sorted` (default): voters are written in a canonical order of their votes, so the order in
   * which people voted cannot be read from the file. `given`: in the order passed.
   */
  readonly voterOrder?: 'sorted' | 'given';
}

const COMPUTED = new Set(['num_projects', 'num_votes', 'budget', 'vote_type']);

/**
 * Builds a pabulib election from plain data, without identities: voters are numbered 1..n.
 * PROJECTS gets `project_id;cost;votes` (+ `score` for cumulative and ranked ballots, `name`,
 * `selected` and extra columns when given); VOTES gets `voter_id;vote` (+ `points` for cumulative
 * ballots; for ranked ballots the vote lists projects best first). For ranked ballots with the
 * default scores META `max_length` is set so the file reads back with the same scoring.
 * Validates like the tally does (unknown ids, repeats, non-integer amounts). Write it with `writePb`.
 */
export function buildPb(data: PbExport): PbElection {
  for (const [key] of data.meta ?? []) {
    if (COMPUTED.has(key)) throw new Error(`META ${key} is computed by buildPb and must not be given`);
  }
  const p = prepare({ projects: data.projects, budget: data.budget, ballots: data.ballots });
  const set = data.ballots;

  const rows: { vote: string; points?: string }[] = [];
  for (const ballot of set.ballots) {
    let row: { vote: string; points?: string };
    if (set.type === 'approval') row = { vote: (ballot as { approved: readonly string[] }).approved.join(',') };
    else if (set.type === 'ordinal') row = { vote: (ballot as { ranking: readonly string[] }).ranking.join(',') };
    else {
      const given = (ballot as { points: ReadonlyArray<readonly [string, number]> }).points.filter(([, pts]) => pts > 0);
      row = { vote: given.map(([id]) => id).join(','), points: given.map(([, pts]) => String(pts)).join(',') };
    }
    for (let w = 0; w < (ballot.weight ?? 1); w++) rows.push(row);
  }
  if ((data.voterOrder ?? 'sorted') === 'sorted') {
    rows.sort((a, b) => compare(a.vote, b.vote) || compare(a.points ?? '', b.points ?? ''));
  }

  const meta = new Map<string, string>(data.meta ?? []);
  meta.set('num_projects', String(p.m));
  meta.set('num_votes', String(rows.length));
  meta.set('budget', String(data.budget));
  meta.set('vote_type', set.type);
  if (set.type === 'ordinal' && !set.scores) {
    let longest = 0;
    for (const b of set.ballots) longest = Math.max(longest, b.ranking.length);
    if (!meta.has('max_length')) meta.set('max_length', String(longest));
  }

  const extraColumns: string[] = [];
  for (const project of data.projects) {
    for (const [column] of project.extra ?? []) if (!extraColumns.includes(column)) extraColumns.push(column);
  }
  const withScore = set.type !== 'approval';
  const withName = data.projects.some((x) => x.name !== undefined);
  const withSelected = data.projects.some((x) => x.selected !== undefined);
  const columns = [
    'project_id',
    'cost',
    'votes',
    ...(withScore ? ['score'] : []),
    ...(withName ? ['name'] : []),
    ...(withSelected ? ['selected'] : []),
    ...extraColumns,
  ];
  const projectRows = data.projects.map((project, j) => {
    const extra = new Map(project.extra ?? []);
    return [
      project.id,
      String(project.cost),
      String(p.voters[j]),
      ...(withScore ? [String(p.support[j])] : []),
      ...(withName ? [project.name ?? ''] : []),
      ...(withSelected ? [project.selected ? '1' : '0'] : []),
      ...extraColumns.map((c) => extra.get(c) ?? ''),
    ];
  });

  const voteColumns = set.type === 'cumulative' ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'];
  const voteRows = rows.map((row, i) =>
    set.type === 'cumulative' ? [String(i + 1), row.vote, row.points ?? ''] : [String(i + 1), row.vote],
  );
  return { meta, projects: { columns, rows: projectRows }, votes: { columns: voteColumns, rows: voteRows } };
}

/** Plain code-unit order (locale-independent, deterministic). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
