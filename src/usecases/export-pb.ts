import { parseStoredChoice, type StoredChoice } from '../domain/ballot-choice.ts';
import { rankScores, toTallyInput, type ResultPayload } from '../domain/outcome.ts';
import { settingsFromRow } from '../domain/round-config.ts';
import { buildPb } from '../pabulib/build.ts';
import { writePb } from '../pabulib/write.ts';
import type { BallotSet } from '../tally/types.ts';
import type { RoundRow } from './context.ts';

export interface PbExportInput {
  round: RoundRow;
  group: { name: string; organisation: string };
  /** Proposals on the ballot (submitted), in number order. */
  proposals: readonly { id: string; number: number; title: string; cost: number; category: string | null }[];
  payload: ResultPayload;
  /** The counted ballots' stored choices only. */
  choices: readonly string[];
  votingClosedAt: Date;
}

const pbDate = (d: Date) =>
  `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;

/** The same ballots with every project id replaced (proposal ids → the numbers people know). */
function renameIds(set: BallotSet, name: (id: string) => string): BallotSet {
  switch (set.type) {
    case 'approval':
      return { type: 'approval', ballots: set.ballots.map((b) => ({ approved: b.approved.map(name) })) };
    case 'cumulative':
      return { type: 'cumulative', ballots: set.ballots.map((b) => ({ points: b.points.map(([id, pts]) => [name(id), pts] as const) })) };
    case 'ordinal':
      return {
        type: 'ordinal',
        ballots: set.ballots.map((b) => ({ ranking: b.ranking.map(name) })),
        ...(set.scores ? { scores: set.scores } : {}),
      };
  }
}

/**
 * A decided round as pabulib `.pb` text, built with the pabulib builder: projects are named by proposal
 * number, voters are numbered 1…n in a canonical order of their votes (nothing about who voted, when, or
 * under which receipt). Money is in whole kroner when every amount is whole, else in øre (`comment` says
 * which). A yes/no round is written as approval of its one project: an approval is yes, an empty vote no or blank.
 */
export function roundToPb(input: PbExportInput): string {
  const { round, payload } = input;
  const settings = settingsFromRow(round);
  const whole = [payload.budget, ...input.proposals.map((p) => p.cost)].every((a) => a % 100 === 0);
  const money = (minor: number) => (whole ? minor / 100 : minor);
  const numberOf = new Map(input.proposals.map((p) => [p.id, String(p.number)]));
  const selected = new Set(payload.selected);
  const choices: StoredChoice[] = input.choices.map(parseStoredChoice);

  let ballots: BallotSet;
  if (settings.ballotType === 'yesno') {
    ballots = {
      type: 'approval',
      ballots: choices.map((c) => ({
        approved: c.type === 'yesno' && c.vote === 'yes' && numberOf.has(c.proposalId) ? [numberOf.get(c.proposalId)!] : [],
      })),
    };
  } else {
    const tallyInput = toTallyInput({
      rules: settings,
      amount: settings.amount,
      currency: settings.currency,
      proposals: input.proposals,
      ballots: choices.map((choice) => ({ choice, receiptCode: '' })),
    });
    ballots = renameIds(tallyInput.ballots, (id) => numberOf.get(id)!);
  }

  const rule =
    settings.rule === 'equal-shares'
      ? settings.completion === 'none'
        ? 'equalshares'
        : `equalshares/${settings.completion}`
      : settings.rule === 'yes-no'
        ? 'unknown'
        : settings.rule;
  const comments = [
    `Exported by Pulje. ${whole ? `Money in whole ${payload.currency}.` : `Money in minor units (1/100 ${payload.currency}).`}`,
    'Greedy ties are broken by lower cost, then lower project number.',
  ];
  if (settings.ballotType === 'yesno') {
    comments.push(
      `Yes/no vote on one project: an approval is yes, an empty vote is no or blank. Adopted if ${settings.thresholdStrict ? 'more than' : 'at least'} ${settings.thresholdNum}/${settings.thresholdDen} of the yes and no votes are yes${settings.quorum ? ` and at least ${settings.quorum} voted` : ''}.`,
    );
  }
  const meta: [string, string][] = [
    ['description', `${input.group.organisation} – ${input.group.name}: ${round.title}`],
    ['country', 'Denmark'],
    ['unit', input.group.organisation],
    ['instance', String(input.votingClosedAt.getUTCFullYear())],
    ['rule', rule],
    ['currency', payload.currency],
  ];
  if (round.lockedAt) meta.push(['date_begin', pbDate(round.lockedAt)]);
  meta.push(['date_end', pbDate(input.votingClosedAt)]);
  if (settings.ballotType === 'yesno') meta.push(['max_length', '1']);
  else {
    meta.push(['min_length', String(settings.minPicks ?? 1)]);
    // Ranked: the file must say how many places score (L, L−1, …, 1) to be re-counted the same way.
    const maxLength = settings.ballotType === 'ranked' ? rankScores(settings, input.proposals.length).length : settings.maxPicks;
    if (maxLength !== null) meta.push(['max_length', String(maxLength)]);
  }
  if (settings.ballotType === 'knapsack') meta.push(['max_sum_cost', String(money(payload.budget))]);
  if (settings.ballotType === 'cumulative' && settings.points !== null) meta.push(['max_sum_points', String(settings.points)]);
  if (settings.rule === 'greedy-threshold' && settings.minSupport !== null)
    meta.push(['min_project_score_threshold', String(settings.minSupport)]);
  meta.push(['comment', comments.join(' ')]);

  return writePb(
    buildPb({
      meta,
      budget: money(payload.budget),
      projects: input.proposals.map((p) => ({
        id: String(p.number),
        cost: money(p.cost),
        name: p.title,
        selected: selected.has(p.id),
        extra: [['category', p.category ?? '']],
      })),
      ballots,
      voterOrder: 'sorted',
    }),
  );
}
