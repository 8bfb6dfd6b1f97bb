import { z } from 'zod';
import { PuljeError, zodDetails, type Detail } from '../core/errors.ts';
import { ballotKey, type BallotRules, type BallotType } from './round-config.ts';
import { moneyParam } from './values.ts';

/**
 * What a voter sends. Proposals are named by the number people see (#1, #2 …); numbers never change within a
 * round. The `type` must match the round's ballot type, so a stale screen cannot cast the wrong kind of ballot.
 */
const proposalNumber = z.int().min(1).max(1_000_000);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(1000);

export const choiceInputSchema = z.discriminatedUnion('type', [
  /** Approve any number of proposals (within the round's limits). */
  z.object({ type: z.literal('approval'), picks: list(proposalNumber) }),
  /** Approve proposals whose costs together fit the pot. */
  z.object({ type: z.literal('knapsack'), picks: list(proposalNumber) }),
  /** Spread points over proposals; at most the round's number of points in all. */
  z.object({ type: z.literal('cumulative'), points: list(z.object({ proposal: proposalNumber, points: z.int().min(1).max(100_000) })) }),
  /** Proposals in order of preference, most wanted first. */
  z.object({ type: z.literal('ranked'), ranking: list(proposalNumber) }),
  /** Yes or no to the round's single proposal; blank counts toward the quorum but neither way. */
  z.object({ type: z.literal('yesno'), vote: z.enum(['yes', 'no', 'blank']) }),
]);
export type ChoiceInput = z.output<typeof choiceInputSchema>;

/**
 * What is stored (JSON text in `Ballot.choice`): proposals by id, in a canonical order, so the tally does not
 * depend on numbering and two equal ballots are stored the same.
 */
export const storedChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('approval'), approved: z.array(z.string()) }),
  z.object({ type: z.literal('knapsack'), approved: z.array(z.string()) }),
  z.object({ type: z.literal('cumulative'), points: z.array(z.tuple([z.string(), z.int().min(1)])) }),
  z.object({ type: z.literal('ranked'), ranking: z.array(z.string()) }),
  z.object({ type: z.literal('yesno'), proposalId: z.string(), vote: z.enum(['yes', 'no', 'blank']) }),
]);
export type StoredChoice = z.output<typeof storedChoiceSchema>;

/** A proposal that can be voted on (status `submitted`). */
export interface BallotProposal {
  id: string;
  number: number;
  cost: number;
}

export interface ChoiceContext {
  rules: BallotRules;
  /** Minor units. */
  amount: number;
  currency: string;
  /** The proposals on the ballot: submitted ones only (not withdrawn, hidden or ineligible). */
  proposals: readonly BallotProposal[];
}

const ref = (n: number) => `#${n}`;

/**
 * Checks a voter's choice against the round and turns it into the stored form. Every problem is reported at
 * once as `ballot_invalid` with one detail each, in the reader's language.
 */
export function validateChoice(ctx: ChoiceContext, input: unknown): StoredChoice {
  // reportInput: zodDetails tells a wrong value ("not valid") from a missing one by the issue's input.
  const parsed = choiceInputSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new PuljeError('ballot_invalid', {}, zodDetails(parsed.error));
  const choice = parsed.data;
  const { rules } = ctx;
  if (choice.type !== rules.ballotType) {
    throw new PuljeError('ballot_invalid', {}, [
      { key: 'issue.wrong_ballot_type', params: { expected: { key: ballotKey(rules.ballotType) } } },
    ]);
  }
  const byNumber = new Map(ctx.proposals.map((p) => [p.number, p]));
  const issues: Detail[] = [];

  if (choice.type === 'yesno') {
    // The round has exactly one proposal on the ballot; opening voting made sure.
    const only = ctx.proposals.length === 1 ? ctx.proposals[0]! : undefined;
    if (!only) throw new PuljeError('ballot_invalid', {}, [{ key: 'issue.yesno_one_proposal', params: { count: ctx.proposals.length } }]);
    return { type: 'yesno', proposalId: only.id, vote: choice.vote };
  }

  const numbers =
    choice.type === 'cumulative' ? choice.points.map((a) => a.proposal) : choice.type === 'ranked' ? choice.ranking : choice.picks;
  const seen = new Set<number>();
  const repeated = new Set<number>();
  const picked: BallotProposal[] = [];
  for (const n of numbers) {
    if (seen.has(n)) {
      if (!repeated.has(n)) issues.push({ key: 'issue.duplicate_proposal', params: { ref: ref(n) } });
      repeated.add(n);
      continue;
    }
    seen.add(n);
    const proposal = byNumber.get(n);
    if (proposal) picked.push(proposal);
    else issues.push({ key: 'issue.unknown_proposal', params: { ref: ref(n) } });
  }
  const distinct = seen.size;
  const min = rules.minPicks ?? 1;
  if (distinct < min) issues.push({ key: 'issue.too_few_picks', params: { min } });
  if (rules.maxPicks !== null && distinct > rules.maxPicks) issues.push({ key: 'issue.too_many_picks', params: { max: rules.maxPicks } });

  if (choice.type === 'knapsack') {
    const total = picked.reduce((sum, p) => sum + p.cost, 0);
    if (total > ctx.amount)
      issues.push({
        key: 'issue.over_budget',
        params: { total: moneyParam(total, ctx.currency), amount: moneyParam(ctx.amount, ctx.currency) },
      });
  }
  if (choice.type === 'cumulative') {
    const used = choice.points.reduce((sum, a) => sum + a.points, 0);
    const points = rules.points ?? 0;
    if (used > points) issues.push({ key: 'issue.points_over', params: { used, points } });
  }
  if (issues.length) throw new PuljeError('ballot_invalid', {}, issues);

  const byNumberAsc = (a: BallotProposal, b: BallotProposal) => a.number - b.number;
  switch (choice.type) {
    case 'approval':
    case 'knapsack':
      return { type: choice.type, approved: [...picked].sort(byNumberAsc).map((p) => p.id) };
    case 'cumulative': {
      const points = new Map(choice.points.map((a) => [a.proposal, a.points]));
      return { type: 'cumulative', points: [...picked].sort(byNumberAsc).map((p) => [p.id, points.get(p.number)!] as [string, number]) };
    }
    case 'ranked':
      return { type: 'ranked', ranking: picked.map((p) => p.id) };
  }
}

/** Reads a stored choice; a row that does not parse is an internal error (never the voter's fault). */
export function parseStoredChoice(json: string): StoredChoice {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new PuljeError('internal');
  }
  const parsed = storedChoiceSchema.safeParse(raw);
  if (!parsed.success) throw new PuljeError('internal');
  return parsed.data;
}

/** The stored choice back in the voter's terms (proposal numbers), for confirming a ballot. */
export function choiceToInput(choice: StoredChoice, numberOf: ReadonlyMap<string, number>): ChoiceInput {
  const n = (id: string) => numberOf.get(id) ?? 0;
  switch (choice.type) {
    case 'approval':
    case 'knapsack':
      return { type: choice.type, picks: choice.approved.map(n) };
    case 'cumulative':
      return { type: 'cumulative', points: choice.points.map(([id, points]) => ({ proposal: n(id), points })) };
    case 'ranked':
      return { type: 'ranked', ranking: choice.ranking.map(n) };
    case 'yesno':
      return { type: 'yesno', vote: choice.vote };
  }
}

/** Proposal ids a stored choice names, in its order. */
export function choiceProposalIds(choice: StoredChoice): string[] {
  switch (choice.type) {
    case 'approval':
    case 'knapsack':
      return [...choice.approved];
    case 'cumulative':
      return choice.points.map(([id]) => id);
    case 'ranked':
      return [...choice.ranking];
    case 'yesno':
      return [choice.proposalId];
  }
}

export type { BallotType };
