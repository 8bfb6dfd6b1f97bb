/**
 * Input and output types of the tally engine. Everything here is plain data: no classes, no I/O.
 *
 * Money is an integer number of minor units (øre for DKK; for a pabulib file whatever unit the
 * file uses). Project ids are opaque strings; they are never used as object keys, so ids like
 * `"11"` and `"2"` keep the order they are given in.
 */

export interface TallyProject {
  /** Opaque id, unique within the round. */
  readonly id: string;
  /** Cost in minor units: a non-negative safe integer. */
  readonly cost: number;
}

/**
 * Optional `weight` (a positive integer, default 1) lets a caller pass one ballot standing for
 * several identical ones; results are the same as repeating the ballot `weight` times.
 */
interface Weighted {
  readonly weight?: number;
}

/** Approval, knapsack or choose-1: the set of projects the voter supports. */
export interface ApprovalBallot extends Weighted {
  readonly approved: readonly string[];
}

/** Cumulative ("dots"): points spread over projects. Points are non-negative integers; 0 means no support. */
export interface CumulativeBallot extends Weighted {
  readonly points: ReadonlyArray<readonly [projectId: string, points: number]>;
}

/** Ranked: most preferred first. */
export interface OrdinalBallot extends Weighted {
  readonly ranking: readonly string[];
}

export type BallotSet =
  | { readonly type: 'approval'; readonly ballots: readonly ApprovalBallot[] }
  | { readonly type: 'cumulative'; readonly ballots: readonly CumulativeBallot[] }
  | {
      readonly type: 'ordinal';
      readonly ballots: readonly OrdinalBallot[];
      /**
       * Points for rank 1, 2, 3, …; ranks beyond the vector score 0. Default: with L the longest
       * ranking, rank k (1-based) scores L − k + 1, i.e. L, L−1, …, 1 (Kraków: 3, 2, 1).
       */
      readonly scores?: readonly number[];
    };

export type VoteType = BallotSet['type'];

export interface TallyInput {
  /** The projects in their "project order": the order used to break remaining ties. */
  readonly projects: readonly TallyProject[];
  /** Money to distribute, minor units (non-negative safe integer). */
  readonly budget: number;
  readonly ballots: BallotSet;
}

/**
 * How ties in support are broken by the greedy rules (and by the greedy completion of equal shares):
 * - `cost-then-order` (Pulje's default): higher support, then lower cost, then earlier in project order.
 * - `order`: higher support, then earlier in project order (how the cities' official results come out).
 */
export type GreedyTieBreak = 'cost-then-order' | 'order';

/** Completion of the Method of Equal Shares; see README.md. */
export type Completion = 'none' | 'greedy' | 'add1' | 'add1-exhaustive';

export type TallyMethod =
  | { readonly rule: 'greedy'; readonly tieBreak?: GreedyTieBreak }
  | { readonly rule: 'greedy-no-skip'; readonly tieBreak?: GreedyTieBreak }
  | {
      readonly rule: 'greedy-threshold';
      /** Projects with support below this (votes, points or score) are not eligible. */
      readonly threshold: number;
      readonly tieBreak?: GreedyTieBreak;
    }
  | {
      readonly rule: 'equal-shares';
      /** Default `none`. */
      readonly completion?: Completion;
      /** Tie-break of the `greedy` completion; default `cost-then-order`. */
      readonly tieBreak?: GreedyTieBreak;
    };

export type Rule = TallyMethod['rule'];

/**
 * Why a project was or was not funded.
 * - `funded`
 * - `not_enough_support`: no votes, support below the threshold, or (equal shares) its supporters'
 *   shares together never covered the cost, even before anything was bought.
 * - `did_not_fit`: when its turn came, less money was left than it costs.
 * - `not_reached`: `greedy-no-skip` stopped at an earlier project that did not fit.
 * - `shares_used_up`: (equal shares) its supporters could have paid for it at the start, but spent
 *   their shares on other winners first.
 */
export type Outcome = 'funded' | 'not_enough_support' | 'did_not_fit' | 'not_reached' | 'shares_used_up';

/** Which part of the method decided the project's fate. */
export type Stage = 'greedy' | 'equal-shares' | 'completion';

/** What greedy ranks by: votes for approval, points for cumulative, score for ranked ballots. */
export type SupportUnit = 'votes' | 'points' | 'score';

export interface ProjectExplanation {
  readonly projectId: string;
  readonly outcome: Outcome;
  readonly stage: Stage;
  /** Minor units. */
  readonly cost: number;
  /** Number of voters who supported the project (approved it, gave it points, or ranked it). */
  readonly voters: number;
  /** Support in `supportUnit` (equals `voters` for approval ballots). */
  readonly support: number;
  readonly supportUnit: SupportUnit;
  /** 1-based position in the support order (greedy stages). */
  readonly rank?: number;
  /** 1-based position among the funded projects, in selection order. */
  readonly fundedAs?: number;
  /** `did_not_fit`: money left (minor units) when its turn came. */
  readonly moneyLeft?: number;
  /** `not_enough_support` under `greedy-threshold`: the minimum support. */
  readonly threshold?: number;
  /**
   * Equal shares, not funded: money (minor units, rounded down) its supporters still held when the
   * method ended (`shares_used_up`), or held at the start (`not_enough_support`).
   */
  readonly supportersMoney?: number;
  /** Equal shares, funded by the equal-shares stage: the largest amount one supporter paid (minor units, rounded up). */
  readonly maxPayment?: number;
}

export interface EqualSharesDetails {
  /** Per-voter budget of the run that was used, as an exact fraction of minor units. */
  readonly perVoterBudget: { readonly numerator: bigint; readonly denominator: bigint };
  /** How many budgets the add1 scan tried (0 without add1). */
  readonly add1Steps: number;
  /** Projects chosen by the equal-shares stage, in selection order (before any greedy completion). */
  readonly equalSharesSelected: readonly string[];
}

export interface TallyResult {
  readonly method: TallyMethod;
  /** Funded project ids in selection order. */
  readonly selected: readonly string[];
  /** Sum of the funded projects' costs, minor units. */
  readonly totalCost: number;
  readonly budget: number;
  /** One per project, in the input project order. */
  readonly explanations: readonly ProjectExplanation[];
  readonly equalShares?: EqualSharesDetails;
}

export class TallyInputError extends Error {
  override readonly name = 'TallyInputError';
}
