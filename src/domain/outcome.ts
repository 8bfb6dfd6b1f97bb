import { PuljeError } from '../core/errors.ts';
import { tally } from '../tally/tally.ts';
import type { BallotSet, ProjectExplanation, TallyInput, TallyMethod } from '../tally/types.ts';
import type { StoredChoice } from './ballot-choice.ts';
import type { BallotRules, BallotType, CompletionName, RuleName } from './round-config.ts';
import { countYesNo, tallyYesNo, type YesNoResult } from '../tally/yes-no.ts';

/** A proposal on the ballot, as the tally sees it (status `submitted`), in number order. */
export interface OutcomeProposal {
  id: string;
  number: number;
  title: string;
  cost: number;
}

export interface CountedBallot {
  choice: StoredChoice;
  receiptCode: string;
}

export interface OutcomeInput {
  rules: BallotRules;
  amount: number;
  currency: string;
  proposals: readonly OutcomeProposal[];
  ballots: readonly CountedBallot[];
}

/** Why the single proposal of a yes/no round was or was not adopted: the yes/no tally with the project's id. */
export interface YesNoExplanation extends YesNoResult {
  projectId: string;
  stage: 'yes-no';
  cost: number;
}

export type Explanation = ProjectExplanation | YesNoExplanation;

export interface ResultProposal {
  proposalId: string;
  number: number;
  title: string;
  cost: number;
  selected: boolean;
  /** Code and numbers (see `ProjectExplanation` in `src/tally/types.ts`, or the yes/no explanation). */
  explanation: Explanation;
}

/**
 * What a published result stores (`Result.payload`): enough to show and re-check the decision without any
 * identity. `receipts` lists the receipt codes of the counted ballots (sorted, so their order says nothing
 * about who voted when); a voter finds their own code there, but nobody can tell from it who chose what.
 */
export interface ResultPayload {
  format: 1;
  ballotType: BallotType;
  rule: RuleName;
  completion: CompletionName;
  budget: number;
  currency: string;
  /** Funded proposal ids in selection order. */
  selected: string[];
  totalCost: number;
  ballotsCounted: number;
  /** One per proposal on the ballot, in number order. */
  proposals: ResultProposal[];
  receipts: string[];
  /** Young members of the group when voting closed (turnout = ballotsCounted / eligibleVoters); set by the caller. */
  eligibleVoters?: number;
  /** Equal shares: the per-voter budget used (exact fraction, minor units) and the add1 steps tried. */
  equalShares?: { perVoterBudget: { numerator: string; denominator: string }; add1Steps: number; equalSharesSelected: string[] };
}

/** Per-voter increment of the add1 completions: one krone (100 øre) rather than one øre, as people count money. */
export const ADD1_STEP = 100;

/**
 * Ranked ballots score like Kraków's: with L places (the round's maxPicks, else the number of proposals),
 * first place scores L, second L − 1, …, last 1; fixed in advance rather than depending on the longest ballot.
 */
export function rankScores(rules: BallotRules, proposals: number): number[] {
  const places = rules.maxPicks ?? proposals;
  return Array.from({ length: places }, (_, k) => places - k);
}

/**
 * Turns a round's proposals and ballots into the tally engine's input. Picks of proposals that are not on the
 * ballot are dropped (opening voting freezes the list, so there should be none).
 */
export function toTallyInput(input: OutcomeInput): TallyInput {
  const onBallot = new Set(input.proposals.map((p) => p.id));
  const keep = (id: string) => onBallot.has(id);
  const projects = input.proposals.map((p) => ({ id: p.id, cost: p.cost }));
  const choices = input.ballots.map((b) => b.choice);
  let ballots: BallotSet;
  switch (input.rules.ballotType) {
    case 'approval':
    case 'knapsack':
      ballots = {
        type: 'approval',
        ballots: choices.map((c) => ({ approved: c.type === 'approval' || c.type === 'knapsack' ? c.approved.filter(keep) : [] })),
      };
      break;
    case 'cumulative':
      ballots = {
        type: 'cumulative',
        ballots: choices.map((c) => ({ points: c.type === 'cumulative' ? c.points.filter(([id]) => keep(id)) : [] })),
      };
      break;
    case 'ranked':
      ballots = {
        type: 'ordinal',
        ballots: choices.map((c) => ({ ranking: c.type === 'ranked' ? c.ranking.filter(keep) : [] })),
        scores: rankScores(input.rules, input.proposals.length),
      };
      break;
    case 'yesno':
      throw new PuljeError('internal');
  }
  return { projects, budget: input.amount, ballots };
}

/** The tally method for a round's rule (not for yes/no, which {@link computeOutcome} decides itself). */
export function toTallyMethod(rules: BallotRules): TallyMethod {
  switch (rules.rule) {
    case 'greedy':
    case 'greedy-no-skip':
      return { rule: rules.rule };
    case 'greedy-threshold':
      return { rule: 'greedy-threshold', threshold: rules.minSupport ?? 0 };
    case 'equal-shares':
      return { rule: 'equal-shares', completion: rules.completion };
    case 'yes-no':
      throw new PuljeError('internal');
  }
}

/** Counts a round: the payload to publish. Pure and deterministic (receipts sorted, proposals in number order). */
export function computeOutcome(input: OutcomeInput): ResultPayload {
  const proposals = [...input.proposals].sort((a, b) => a.number - b.number);
  const ordered = { ...input, proposals };
  const receipts = input.ballots.map((b) => b.receiptCode).sort();
  const base = {
    format: 1 as const,
    ballotType: input.rules.ballotType,
    rule: input.rules.rule,
    completion: input.rules.completion,
    budget: input.amount,
    currency: input.currency,
    ballotsCounted: input.ballots.length,
    receipts,
  };

  if (input.rules.rule === 'yes-no') {
    const only = proposals[0];
    if (!only || proposals.length !== 1) throw new PuljeError('internal');
    const votes = input.ballots.flatMap((b) => (b.choice.type === 'yesno' && b.choice.proposalId === only.id ? [b.choice.vote] : []));
    const decided = tallyYesNo(countYesNo(votes), {
      quorum: input.rules.quorum ?? 0,
      threshold: { numerator: input.rules.thresholdNum ?? 1, denominator: input.rules.thresholdDen ?? 2 },
      strict: input.rules.thresholdStrict,
      blank: 'abstain',
    });
    const adopted = decided.passed && only.cost <= input.amount;
    return {
      ...base,
      selected: adopted ? [only.id] : [],
      totalCost: adopted ? only.cost : 0,
      proposals: [
        {
          proposalId: only.id,
          number: only.number,
          title: only.title,
          cost: only.cost,
          selected: adopted,
          explanation: { ...decided, projectId: only.id, stage: 'yes-no', cost: only.cost },
        },
      ],
    };
  }

  const result = tally(toTallyInput(ordered), toTallyMethod(input.rules), { add1Step: ADD1_STEP });
  const selected = new Set(result.selected);
  return {
    ...base,
    selected: [...result.selected],
    totalCost: result.totalCost,
    proposals: proposals.map((p, i) => ({
      proposalId: p.id,
      number: p.number,
      title: p.title,
      cost: p.cost,
      selected: selected.has(p.id),
      explanation: result.explanations[i]!,
    })),
    ...(result.equalShares
      ? {
          equalShares: {
            perVoterBudget: {
              numerator: String(result.equalShares.perVoterBudget.numerator),
              denominator: String(result.equalShares.perVoterBudget.denominator),
            },
            add1Steps: result.equalShares.add1Steps,
            equalSharesSelected: [...result.equalShares.equalSharesSelected],
          },
        }
      : {}),
  };
}
