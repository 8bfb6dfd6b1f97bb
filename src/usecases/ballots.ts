import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId, newReceiptCode } from '../core/ids.ts';
import { choiceToInput, parseStoredChoice, validateChoice, type ChoiceInput } from '../domain/ballot-choice.ts';
import type { ResultPayload } from '../domain/outcome.ts';
import { wrongPhase } from '../domain/phases.ts';
import { settingsFromRow } from '../domain/round-config.ts';
import { castWhileVoting, idField, loadRound, loadRoundForVoter, parseActor, phaseOf, requireRole, type Ctx } from './context.ts';
import { ANY_MEMBER, YOUTH } from '../domain/roles.ts';
import type { ProposalRow } from './context.ts';
import type { IsoTime } from './views.ts';
import type { Phase } from '../domain/phases.ts';
import { parseDraft, type StoredDraft } from '../domain/ballot-draft.ts';
import { storedDate } from '../db/raw-values.ts';

export const castBallotInput = z.object({ roundId: idField, choice: z.unknown() });
export const roundBallotInput = z.object({ roundId: idField });

export interface BallotReceipt {
  roundId: string;
  /** The voter's receipt: the same for every change of this ballot; listed in the published result when counted. */
  receiptCode: string;
  /** 1 for the first ballot, +1 for every change. */
  revision: number;
  /** Whether this replaced an earlier ballot. */
  changed: boolean;
  updatedAt: IsoTime;
  /** The ballot as it now stands, in the voter's terms (what `confirm` shows). */
  ballot: OwnBallotView;
}

export interface BallotItem {
  number: number;
  title: string;
  cost: number;
  /** Cumulative ballots: points given. */
  points?: number;
  /** Ranked ballots: 1 = most wanted. */
  rank?: number;
  /** Yes/no ballots. */
  vote?: 'yes' | 'no' | 'blank';
}

export interface OwnBallotView {
  roundId: string;
  receiptCode: string;
  revision: number;
  castAt: IsoTime;
  updatedAt: IsoTime;
  /** The choice in the voter's terms (proposal numbers), as they would send it again. */
  choice: ChoiceInput;
  items: BallotItem[];
  /** After a result is published: whether this receipt is among those counted. Null while voting is open. */
  counted: boolean | null;
}

export interface TurnoutView {
  roundId: string;
  phase: Phase;
  /** Ballots cast so far (never who cast them or what they chose). */
  ballots: number;
  /** Young members of the group: those who may vote. */
  eligibleVoters: number;
}

const CLOSED_PHASES: readonly Phase[] = ['decided', 'implementing', 'done'];

type BallotRow = { roundId: string; choice: string; receiptCode: string; revision: number; createdAt: Date; updatedAt: Date };

/** A voter's own ballot in their terms: proposal numbers and titles, with the receipt. */
function ownView(ballot: BallotRow, proposals: readonly ProposalRow[], counted: boolean | null): OwnBallotView {
  const choice = parseStoredChoice(ballot.choice);
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const item = (id: string): BallotItem => {
    const p = byId.get(id);
    return { number: p?.number ?? 0, title: p?.title ?? '', cost: p?.cost ?? 0 };
  };
  const items: BallotItem[] =
    choice.type === 'cumulative'
      ? choice.points.map(([id, points]) => ({ ...item(id), points }))
      : choice.type === 'ranked'
        ? choice.ranking.map((id, i) => ({ ...item(id), rank: i + 1 }))
        : choice.type === 'yesno'
          ? [{ ...item(choice.proposalId), vote: choice.vote }]
          : choice.approved.map(item);
  return {
    roundId: ballot.roundId,
    receiptCode: ballot.receiptCode,
    revision: ballot.revision,
    castAt: ballot.createdAt.toISOString(),
    updatedAt: ballot.updatedAt.toISOString(),
    choice: choiceToInput(choice, new Map(proposals.map((p) => [p.id, p.number]))),
    items,
    counted,
  };
}

/**
 * Only young members vote. Staff and admins keep the process fair and feasible but do not decide: a group's
 * money is the young people's call, so a staff ballot would be a thumb on the scale.
 */
export function ballotsUseCases(ctx: Ctx) {
  async function cast(actor: unknown, input: unknown, mustExist: boolean): Promise<BallotReceipt> {
    const who = parseActor(actor);
    const data = parseInput(castBallotInput, input);
    const { round, member } = await loadRound(ctx.prisma, who, data.roundId);
    requireRole(member, YOUTH);
    const phase = phaseOf(round);
    const now = ctx.now();
    if (CLOSED_PHASES.includes(phase)) throw new PuljeError('voting_closed');
    if (phase !== 'voting') throw wrongPhase(phase, ['voting']);
    if (round.votingDeadline && round.votingDeadline <= now) throw new PuljeError('voting_closed');
    // Settings and the list of proposals are frozen while voting (and stay so if it is reopened), so the
    // choice can be checked before taking the lock.
    const settings = settingsFromRow(round);
    const allProposals = await ctx.proposalsOf(round);
    const proposals = allProposals.filter((p) => p.status === 'submitted');
    const choice = JSON.stringify(
      validateChoice({ rules: settings, amount: settings.amount, currency: settings.currency, proposals }, data.choice),
    );

    // A ballot, once cast, is never deleted: whether there is one to change can be checked before the lock.
    if (
      mustExist &&
      !(await ctx.prisma.ballot.findUnique({
        where: { roundId_voterId: { roundId: round.id, voterId: who.personId } },
        select: { id: true },
      }))
    ) {
      throw notFound('ballot');
    }
    return ctx.tx(async (tx) => {
      // Written only if the round is still voting and before the deadline, holding it in voting until commit: a
      // close either committed before (no row: refused) or waits until this ballot is in. One statement.
      const ballot = await castWhileVoting(
        tx,
        ctx.engine,
        { id: newId(), roundId: round.id, voterId: who.personId, choice, receiptCode: newReceiptCode() },
        now,
      );
      if (!ballot) throw new PuljeError('voting_closed');
      // The draft it was filled in from is kept: it now reads as the ballot (the next ballot card starts from
      // it without a write), holds nothing the ballot row does not, and goes when voting closes like every draft.
      return {
        roundId: round.id,
        receiptCode: ballot.receiptCode,
        revision: ballot.revision,
        changed: ballot.revision > 1,
        updatedAt: ballot.updatedAt.toISOString(),
        // The voter's receipt as confirm() would show it (nothing is counted while voting).
        ballot: ownView(ballot, allProposals, null),
      };
    });
  }

  async function mine(actor: unknown, input: unknown): Promise<OwnBallotView | null> {
    const who = parseActor(actor);
    const { roundId } = parseInput(roundBallotInput, input);
    const { round, member } = await loadRound(ctx.prisma, who, roundId);
    requireRole(member, ANY_MEMBER);
    const ballot = await ctx.prisma.ballot.findUnique({ where: { roundId_voterId: { roundId, voterId: who.personId } } });
    if (!ballot) return null;
    let counted: boolean | null = null;
    if (CLOSED_PHASES.includes(phaseOf(round))) {
      const result = await ctx.prisma.result.findFirst({ where: { roundId }, orderBy: { seq: 'desc' }, select: { payload: true } });
      counted = result ? (JSON.parse(result.payload) as ResultPayload).receipts.includes(ballot.receiptCode) : false;
    }
    return ownView(ballot, await ctx.proposalsOf(round), counted);
  }

  /**
   * The actor's ballot and their draft of the next one, read with the round in one statement (every ballot
   * click needs all three); the round answers the click's later reads of it (loadRoundForVoter).
   */
  async function inProgress(actor: unknown, input: unknown): Promise<{ cast: OwnBallotView | null; draft: StoredDraft | null }> {
    const who = parseActor(actor);
    const { roundId } = parseInput(roundBallotInput, input);
    const { round, member, voter } = await loadRoundForVoter(ctx.prisma, who, roundId);
    requireRole(member, ANY_MEMBER);
    if (CLOSED_PHASES.includes(phaseOf(round))) return { cast: await mine(who, { roundId }), draft: null };
    const cast = voter.ballot ? ownView({ roundId, ...voter.ballot }, await ctx.proposalsOf(round), null) : null;
    const draft = voter.draft ? { choice: parseDraft(voter.draft.choice), version: voter.draft.version } : null;
    return { cast, draft };
  }

  return {
    /** The actor's own ballot (as `mine`) and their ballot draft, read together. */
    inProgress: (actor: unknown, input: unknown) => inProgress(actor, input),

    /** Casts the actor's ballot, or replaces it if they already voted (revision + 1); refused with `voting_closed` after close or deadline. */
    cast: (actor: unknown, input: unknown) => cast(actor, input, false),

    /** Changes an existing ballot (`not_found` if the actor has not voted yet). */
    change: (actor: unknown, input: unknown) => cast(actor, input, true),

    /** The actor's own current ballot and receipt; nobody can read anyone else's. `not_found` if they have none. */
    async confirm(actor: unknown, input: unknown): Promise<OwnBallotView> {
      const own = await mine(actor, input);
      if (!own) throw notFound('ballot');
      return own;
    },

    /** Like confirm, but null when the actor has not voted (the ballot flow asks on every click). */
    mine: (actor: unknown, input: unknown) => mine(actor, input),

    /** How many have voted out of how many may: numbers only, for every member. */
    async turnout(actor: unknown, input: unknown): Promise<TurnoutView> {
      const who = parseActor(actor);
      const { roundId } = parseInput(roundBallotInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, ANY_MEMBER);
      const ballots = await ctx.prisma.ballot.count({ where: { roundId } });
      const eligibleVoters = await ctx.prisma.membership.count({ where: { groupId: round.groupId, role: 'youth' } });
      return { roundId, phase: phaseOf(round), ballots, eligibleVoters };
    },
  };
}
