/**
 * Pulje's tally engine: pure, deterministic functions from ballots to funded projects, with an
 * explanation per project. No I/O. See README.md in this folder for the rules and tie-breaking.
 */
export { tally } from './tally.ts';
export { explain } from './explain.ts';
export { formatDkk, formatCount, plainMoney, type Locale, type MoneyFormatter } from './money.ts';
export {
  tallyYesNo,
  countYesNo,
  explainYesNo,
  type YesNoVotes,
  type YesNoRule,
  type YesNoResult,
  type YesNoOutcome,
} from './yes-no.ts';
export {
  TallyInputError,
  type ApprovalBallot,
  type BallotSet,
  type Completion,
  type CumulativeBallot,
  type EqualSharesDetails,
  type GreedyTieBreak,
  type OrdinalBallot,
  type Outcome,
  type ProjectExplanation,
  type Rule,
  type Stage,
  type SupportUnit,
  type TallyInput,
  type TallyMethod,
  type TallyProject,
  type TallyResult,
  type VoteType,
} from './types.ts';
