import { z } from 'zod';
import { recordRead } from './audit.ts';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { PHASES_FOR } from '../domain/phases.ts';
import { dateParam, moneyParam, moneySchema, personText, shortText } from '../domain/values.ts';
import {
  idField,
  loadRound,
  lockRound,
  lockRoundInPhase,
  parseActor,
  phaseOf,
  reasonField,
  requireReason,
  requireRole,
  type Actor,
  type Ctx,
  type MemberOf,
} from './context.ts';
import { ANY_MEMBER, STAFF, YOUTH, isStaffRole } from '../domain/roles.ts';
import { canSeeProposal, proposalView, type ProposalStatus, type ProposalView } from './views.ts';

const description = personText(4000);
const category = shortText(60).nullable();

export const submitProposalInput = z.object({
  roundId: idField,
  title: shortText(120),
  description,
  cost: moneySchema,
  category: category.optional(),
});
export const editProposalInput = z.object({
  proposalId: idField,
  title: shortText(120).optional(),
  description: description.optional(),
  cost: moneySchema.optional(),
  category: category.optional(),
});
export const proposalRefInput = z.object({ proposalId: idField });
export const moderateProposalInput = z.object({ proposalId: idField, reason: reasonField });
export const eligibilityInput = z.object({ proposalId: idField, eligible: z.boolean(), note: reasonField });
export const listProposalsInput = z.object({ roundId: idField });

const withAuthor = { author: { select: { displayName: true } } } as const;

async function loadProposal(db: Prisma | Tx, actor: Actor, proposalId: string) {
  const proposal = await db.proposal.findUnique({ where: { id: proposalId } });
  if (!proposal) throw notFound('proposal');
  let loaded;
  try {
    loaded = await loadRound(db, actor, proposal.roundId);
  } catch (error) {
    if (error instanceof PuljeError && error.code === 'not_found') throw notFound('proposal');
    throw error;
  }
  if (!canSeeProposal(proposal, loaded.member)) throw notFound('proposal');
  return { proposal, ...loaded };
}

/**
 * The ballot's list is frozen once voting opens: proposals change (edit, withdraw, moderate, judge) only while
 * the round is a draft or collecting ideas. Takes the round lock so opening voting cannot slip in between.
 */
async function lockForProposalChange(tx: Tx, roundId: string): Promise<void> {
  if (await lockRound(tx, roundId, PHASES_FOR.changeProposals)) return;
  const round = await tx.round.findUnique({ where: { id: roundId }, select: { phase: true } });
  if (!round) throw notFound('round');
  phaseOf(round);
  throw new PuljeError('locked', { what: { key: 'locked.proposals' } });
}

const statusIssue = (status: string) =>
  new PuljeError('invalid_input', {}, [
    { key: 'issue.proposal_status', params: { status: { key: `status.${status as ProposalStatus}` } } },
  ]);

export function proposalsUseCases(ctx: Ctx) {
  /** Re-reads a proposal inside the transaction (after the round lock) and checks it is still in an allowed status. */
  async function current(tx: Tx, proposalId: string, allowed: readonly ProposalStatus[]) {
    const p = await tx.proposal.findUnique({ where: { id: proposalId } });
    if (!p) throw notFound('proposal');
    if (!(allowed as readonly string[]).includes(p.status)) throw statusIssue(p.status);
    return p;
  }

  async function view(tx: Tx, proposalId: string, reader: MemberOf): Promise<ProposalView> {
    return proposalView(await tx.proposal.findUniqueOrThrow({ where: { id: proposalId }, include: withAuthor }), reader);
  }

  /** Staff moderation and eligibility: one status change, logged with the staff member's reason. */
  async function staffChange(
    actor: unknown,
    proposalId: string,
    kind: 'moderation' | 'eligibility',
    from: readonly ProposalStatus[],
    to: ProposalStatus,
    reason: string | undefined,
    reasonRequired: boolean,
  ): Promise<ProposalView> {
    const who = parseActor(actor);
    const { round, member } = await loadProposal(ctx.prisma, who, proposalId);
    requireRole(member, STAFF);
    const why = reasonRequired ? requireReason(reason) : reason?.trim() || null;
    return ctx.tx(async (tx) => {
      await lockForProposalChange(tx, round.id);
      const p = await current(tx, proposalId, from);
      if (p.status === to && p.statusNote === (to === 'submitted' ? null : why)) return view(tx, p.id, member);
      await tx.proposal.update({ where: { id: p.id }, data: { status: to, statusNote: to === 'submitted' ? null : why } });
      // The log keeps the staff member's reason, never the young person's text: the log cannot forget.
      await appendLog(tx, {
        groupId: round.groupId,
        roundId: round.id,
        kind,
        actorId: who.personId,
        reason: why,
        data: { proposalId: p.id, number: p.number, from: p.status, to },
        at: ctx.now(),
      });
      return view(tx, p.id, member);
    });
  }

  return {
    /**
     * A young person's idea, while the round collects ideas (and before its ideas deadline). Staff and admins
     * do not propose: they are sparring partners who help young people shape ideas, not proposers.
     */
    async submit(actor: unknown, input: unknown): Promise<ProposalView> {
      const who = parseActor(actor);
      const data = parseInput(submitProposalInput, input);
      const { member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, YOUTH);
      return ctx.tx(async (tx) => {
        await lockRoundInPhase(tx, data.roundId, PHASES_FOR.propose);
        const round = await tx.round.findUniqueOrThrow({ where: { id: data.roundId } });
        if (round.ideasDeadline && round.ideasDeadline <= ctx.now()) {
          throw new PuljeError('invalid_input', {}, [
            { key: 'issue.ideas_deadline_passed', params: { deadline: dateParam(round.ideasDeadline) } },
          ]);
        }
        if (data.cost > round.amount)
          throw new PuljeError('invalid_input', {}, [
            {
              key: 'issue.cost_over_amount',
              params: { cost: moneyParam(data.cost, round.currency), amount: moneyParam(round.amount, round.currency) },
            },
          ]);
        // Numbers are given out under the round lock, so two ideas at once still get #n and #n+1.
        const last = await tx.proposal.findFirst({ where: { roundId: round.id }, orderBy: { number: 'desc' }, select: { number: true } });
        const p = await tx.proposal.create({
          data: {
            id: newId(),
            roundId: round.id,
            number: (last?.number ?? 0) + 1,
            title: data.title,
            description: data.description,
            cost: data.cost,
            category: data.category ?? null,
            authorId: who.personId,
          },
        });
        return view(tx, p.id, member);
      });
    },

    /** The author changes their idea until voting opens. */
    async edit(actor: unknown, input: unknown): Promise<ProposalView> {
      const who = parseActor(actor);
      const { proposalId, ...patch } = parseInput(editProposalInput, input);
      const given = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (!given.length) throw new PuljeError('invalid_input', {}, [{ key: 'issue.nothing_to_change' }]);
      const { proposal, round, member } = await loadProposal(ctx.prisma, who, proposalId);
      if (proposal.authorId !== who.personId) throw new PuljeError('not_author');
      return ctx.tx(async (tx) => {
        await lockForProposalChange(tx, round.id);
        const p = await current(tx, proposalId, ['submitted', 'ineligible', 'hidden']);
        const fresh = await tx.round.findUniqueOrThrow({ where: { id: round.id } });
        if (patch.cost !== undefined && patch.cost > fresh.amount) {
          throw new PuljeError('invalid_input', {}, [
            {
              key: 'issue.cost_over_amount',
              params: { cost: moneyParam(patch.cost, fresh.currency), amount: moneyParam(fresh.amount, fresh.currency) },
            },
          ]);
        }
        await tx.proposal.update({ where: { id: p.id }, data: Object.fromEntries(given) });
        return view(tx, p.id, member);
      });
    },

    /** The author takes their idea back, until voting opens. Final: a withdrawn idea is not brought back. */
    async withdraw(actor: unknown, input: unknown): Promise<ProposalView> {
      const who = parseActor(actor);
      const { proposalId } = parseInput(proposalRefInput, input);
      const { proposal, round, member } = await loadProposal(ctx.prisma, who, proposalId);
      if (proposal.authorId !== who.personId) throw new PuljeError('not_author');
      return ctx.tx(async (tx) => {
        await lockForProposalChange(tx, round.id);
        const p = await current(tx, proposalId, ['submitted', 'ineligible', 'hidden']);
        await tx.proposal.update({ where: { id: p.id }, data: { status: 'withdrawn' } });
        return view(tx, p.id, member);
      });
    },

    /** Staff hide a proposal (moderation: offensive, personal data …) with a reason; only staff and the author still see it. */
    async hide(actor: unknown, input: unknown): Promise<ProposalView> {
      const data = parseInput(moderateProposalInput, input);
      return staffChange(actor, data.proposalId, 'moderation', ['submitted', 'ineligible'], 'hidden', data.reason, true);
    },

    /** Staff undo a hiding, with a reason; the proposal is back on the list as submitted. */
    async unhide(actor: unknown, input: unknown): Promise<ProposalView> {
      const data = parseInput(moderateProposalInput, input);
      return staffChange(actor, data.proposalId, 'moderation', ['hidden'], 'submitted', data.reason, true);
    },

    /**
     * Staff judge feasibility: not eligible needs a note everyone can read (technical reasons only: cost, law,
     * safety, who owns the place — never taste, which is the young people's call); eligible again clears it.
     */
    async setEligibility(actor: unknown, input: unknown): Promise<ProposalView> {
      const data = parseInput(eligibilityInput, input);
      return data.eligible
        ? staffChange(actor, data.proposalId, 'eligibility', ['submitted', 'ineligible'], 'submitted', data.note, false)
        : staffChange(actor, data.proposalId, 'eligibility', ['submitted', 'ineligible'], 'ineligible', data.note, true);
    },

    /** A round's proposals in number order, as the reader may see them (hidden and withdrawn: staff and author only). */
    async list(actor: unknown, input: unknown): Promise<ProposalView[]> {
      const who = parseActor(actor);
      const { roundId } = parseInput(listProposalsInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, ANY_MEMBER);
      const rows = await ctx.proposalsOf(round);
      // Staff see who wrote each idea: a read of young people's data, so it is audited.
      if (isStaffRole(member.role))
        await recordRead(ctx.prisma, ctx.now(), {
          readerId: who.personId,
          groupId: round.groupId,
          what: 'ideas',
          why: 'ideas with authors',
        });
      return rows.filter((p) => canSeeProposal(p, member)).map((p) => proposalView(p, member));
    },

    /** One proposal, if the reader may see it. */
    async get(actor: unknown, input: unknown): Promise<ProposalView> {
      const who = parseActor(actor);
      const { proposalId } = parseInput(proposalRefInput, input);
      const { member } = await loadProposal(ctx.prisma, who, proposalId);
      const p = await ctx.prisma.proposal.findUniqueOrThrow({ where: { id: proposalId }, include: withAuthor });
      if (isStaffRole(member.role) && p.authorId !== who.personId)
        await recordRead(ctx.prisma, ctx.now(), {
          readerId: who.personId,
          groupId: member.groupId,
          subjectId: p.authorId,
          what: 'ideas',
          why: `idea #${p.number}`,
        });
      return proposalView(p, member);
    },
  };
}
