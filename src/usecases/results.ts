import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import type { Prisma } from '../db/database.ts';
import { parseStoredChoice } from '../domain/ballot-choice.ts';
import { explainMyBallot, type MyBallotExplanation } from '../domain/my-ballot.ts';
import type { ResultPayload, ResultProposal } from '../domain/outcome.ts';
import { PHASES_FOR, assertPhase } from '../domain/phases.ts';
import { settingsFromRow, type BallotType, type CompletionName, type RuleName } from '../domain/round-config.ts';
import { asLocale, localeSchema, type Locale } from '../i18n/index.ts';
import { idField, loadRound, parseActor, requireRole, type Actor, type Ctx, type RoundRow } from './context.ts';
import { viewerOf } from './dashboard-access.ts';
import { ANY_MEMBER, STAFF } from '../domain/roles.ts';
import { explanationText } from './explain.ts';
import { roundToPb } from './export-pb.ts';
import { recordRead } from './audit.ts';
import { randomInt } from 'node:crypto';

/** Fisher–Yates with a cryptographic source. */
function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
import type { IsoTime } from './views.ts';

export const resultInput = z.object({ roundId: idField, locale: localeSchema.optional() });
export const exportInput = z.object({ roundId: idField });

/** A proposal of a published result as stored, with its explanation also in the reader's language. */
export interface ResultProposalView extends ResultProposal {
  /** The explanation in the reader's language. */
  text: string;
}

export interface ResultView {
  roundId: string;
  /** 1 for the first result; a round whose voting was reopened and closed again has a later one. */
  seq: number;
  publishedAt: IsoTime;
  /** True while voting is reopened: this result stands until the round closes again. */
  reopened: boolean;
  ballotType: BallotType;
  rule: RuleName;
  completion: CompletionName;
  budget: number;
  currency: string;
  totalCost: number;
  ballotsCounted: number;
  /** Young members when voting closed. */
  eligibleVoters: number | null;
  /** Funded proposal ids in the order the rule chose them. */
  selected: string[];
  proposals: ResultProposalView[];
  /** Receipt codes of the counted ballots, sorted: each voter can check theirs is there. */
  receipts: string[];
  locale: Locale;
}

/** "What did my vote do?": the actor's own counted ballot held against the round's newest result (see domain/my-ballot.ts). */
export interface MyBallotView extends MyBallotExplanation {
  roundId: string;
  /** Which published result this is about (1 for the first). */
  seq: number;
  receiptCode: string;
  currency: string;
  budget: number;
  totalCost: number;
}

/** The reader's language: their own preference, else their group's. */
export async function readerLocale(prisma: Prisma, personId: string, groupId: string): Promise<Locale> {
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { locale: true } });
  if (person?.locale) return asLocale(person.locale);
  const group = await prisma.group.findUnique({ where: { id: groupId }, select: { locale: true } });
  return asLocale(group?.locale);
}

export function parsePayload(text: string): ResultPayload {
  try {
    return JSON.parse(text) as ResultPayload;
  } catch {
    throw new PuljeError('internal');
  }
}

export function resultView(round: RoundRow, result: { seq: number; payload: string; createdAt: Date }, locale: Locale): ResultView {
  const payload = parsePayload(result.payload);
  return {
    roundId: round.id,
    seq: result.seq,
    publishedAt: result.createdAt.toISOString(),
    reopened: round.phase === 'voting',
    ballotType: payload.ballotType,
    rule: payload.rule,
    completion: payload.completion,
    budget: payload.budget,
    currency: payload.currency,
    totalCost: payload.totalCost,
    ballotsCounted: payload.ballotsCounted,
    eligibleVoters: payload.eligibleVoters ?? null,
    selected: payload.selected,
    proposals: payload.proposals.map((p) => ({ ...p, text: explanationText(p.explanation, payload, locale) })),
    receipts: payload.receipts,
    locale,
  };
}

export function resultsUseCases(ctx: Ctx) {
  async function latest(roundId: string) {
    const result = await ctx.prisma.result.findFirst({ where: { roundId }, orderBy: { seq: 'desc' } });
    if (!result) throw notFound('result');
    return result;
  }

  return {
    /** The round's newest published result, for any member, in their language (or `locale`). */
    async get(actor: unknown, input: unknown): Promise<ResultView> {
      const who = parseActor(actor);
      const data = parseInput(resultInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, ANY_MEMBER);
      const result = await latest(round.id);
      return resultView(round, result, data.locale ?? (await readerLocale(ctx.prisma, who.personId, round.groupId)));
    },

    /**
     * The actor's own ballot against the newest published result, once the round is decided: which of their picks
     * were funded and why, what it would have taken, and what their ballot changed. Only their own ballot is read (it
     * is theirs to know); every other ballot enters only through the public result, so the explanation can say
     * nothing about anyone else that the result does not (and withholds counts in small groups, see the module).
     */
    async myBallot(actor: unknown, input: unknown): Promise<MyBallotView> {
      const who = parseActor(actor);
      const data = parseInput(resultInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, ANY_MEMBER);
      // While voting is reopened the ballot may be changing: the result it was counted in no longer stands.
      assertPhase(round.phase, PHASES_FOR.decided);
      const result = await latest(round.id);
      const ballot = await ctx.prisma.ballot.findUnique({
        where: { roundId_voterId: { roundId: round.id, voterId: who.personId } },
        select: { choice: true, receiptCode: true },
      });
      if (!ballot) throw notFound('ballot');
      const payload = parsePayload(result.payload);
      const explanation = explainMyBallot({
        result: payload,
        rules: settingsFromRow(round),
        choice: parseStoredChoice(ballot.choice),
        receiptCode: ballot.receiptCode,
      });
      return {
        ...explanation,
        roundId: round.id,
        seq: result.seq,
        receiptCode: ballot.receiptCode,
        currency: payload.currency,
        budget: payload.budget,
        totalCost: payload.totalCost,
      };
    },

    /**
     * The decided round as a pabulib `.pb` file (for researchers and the programme's records): proposals, the
     * counted ballots under anonymous numbers, no names, accounts or receipt codes. Staff only.
     */
    async exportPb(actor: unknown, input: unknown): Promise<{ filename: string; text: string }> {
      const who = parseActor(actor);
      const { roundId } = parseInput(exportInput, input);
      const round = await exportableRound(ctx, who, roundId);
      assertPhase(round.phase, PHASES_FOR.decided);
      await recordRead(ctx.prisma, ctx.now(), { readerId: who.personId, groupId: round.groupId, what: 'export', why: 'pabulib export' });
      const result = await latest(round.id);
      const payload = parsePayload(result.payload);
      const [group, proposals, ballots] = await Promise.all([
        ctx.prisma.group.findUniqueOrThrow({ where: { id: round.groupId }, include: { organisation: true } }),
        ctx.prisma.proposal.findMany({ where: { roundId, status: 'submitted' }, orderBy: { number: 'asc' } }),
        ctx.prisma.ballot.findMany({ where: { roundId }, select: { choice: true, receiptCode: true } }),
      ]);
      const counted = new Set(payload.receipts);
      const text = roundToPb({
        round,
        group: { name: group.name, organisation: group.organisation.name },
        proposals,
        payload,
        // In random order: the order rows come back in can follow the order people voted in.
        choices: shuffled(ballots.filter((b) => counted.has(b.receiptCode)).map((b) => b.choice)),
        votingClosedAt: result.createdAt,
      });
      return { filename: `pulje_${round.id}_${result.seq}.pb`, text };
    },
  };
}

/**
 * A round the actor may export: as staff of its group, or from the dashboard as programme staff or an admin
 * whose scope covers the group (they are not members of every group they follow).
 */
async function exportableRound(ctx: Ctx, who: Actor, roundId: string) {
  try {
    const { round, member } = await loadRound(ctx.prisma, who, roundId);
    requireRole(member, STAFF);
    return round;
  } catch (error) {
    if (!(error instanceof PuljeError)) throw error;
    const round = await ctx.prisma.round.findUnique({ where: { id: roundId } });
    const viewer = await viewerOf(ctx.prisma, who.personId).catch(() => null);
    if (!round || !viewer || (viewer.groupIds && !viewer.groupIds.includes(round.groupId))) throw error;
    return round;
  }
}
