import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PuljeError, notFound, parseInput, type Detail } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { parseStoredChoice } from '../domain/ballot-choice.ts';
import { computeOutcome, type ResultPayload } from '../domain/outcome.ts';
import { PHASES_FOR, transitionKind, wrongPhase, type Phase } from '../domain/phases.ts';
import {
  LOCKED_FIELDS,
  applySettingsPatch,
  changedFields,
  createSettingsSchema,
  settingsForNewRound,
  settingsFromRow,
  settingsPatchSchema,
  type RoundSettings,
} from '../domain/round-config.ts';
import { dateInput, dateParam, moneyParam } from '../domain/values.ts';
import {
  idField,
  loadRound,
  lockRound,
  lockRoundInPhase,
  membershipOf,
  parseActor,
  phaseOf,
  roundsForMember,
  votingRoundsOf,
  reasonField,
  requireReason,
  requireRole,
  type Ctx,
  type MemberOf,
  type RoundRow,
} from './context.ts';
import { ANY_MEMBER, STAFF } from '../domain/roles.ts';
import { readerLocale, resultView, type ResultView } from './results.ts';
import { roundView, type RoundView } from './views.ts';

export const createRoundInput = createSettingsSchema.extend({ groupId: idField });
export const configureRoundInput = settingsPatchSchema.extend({ roundId: idField });
export const roundRefInput = z.object({ roundId: idField });
export const listRoundsInput = z.object({ groupId: idField });
/** A deadline this many days from now (chat forms ask for days; the use case's clock decides when now is). */
const votingDays = z.int().min(1).max(90);
export const reopenVotingInput = z.object({
  roundId: idField,
  reason: reasonField,
  votingDeadline: dateInput.nullable().optional(),
  /** Instead of `votingDeadline`: open for this many days from now. */
  votingDays: votingDays.optional(),
  alongside: z.boolean().optional(),
});
/** `alongside`: staff know another round of the group is voting and want both open at once (logged). */
export const openVotingInput = z.object({ roundId: idField, alongside: z.boolean().optional() });
/** `votingDays` instead of `votingDeadline`: this many days after the current deadline (or now, if it has passed). */
export const extendVotingInput = z
  .object({ roundId: idField, reason: reasonField, votingDeadline: dateInput.optional(), votingDays: votingDays.optional() })
  .refine((d) => (d.votingDeadline === undefined) !== (d.votingDays === undefined), { path: ['votingDeadline'] });

const deadlineFields = ['ideasDeadline', 'votingDeadline'] as const;
const DAY_MS = 24 * 3_600_000;

/** Deadlines being set now must lie ahead: a round with a deadline already behind it is a typo, not a plan. */
function pastDeadlines(s: RoundSettings, fields: readonly string[], now: Date): Detail[] {
  return deadlineFields
    .filter((f) => fields.includes(f))
    .flatMap((f) => {
      const at = s[f];
      return at && at <= now ? [{ key: 'issue.deadline_past' as const, params: { deadline: dateParam(at) } }] : [];
    });
}

function settingsData(s: RoundSettings) {
  return {
    title: s.title,
    amount: s.amount,
    currency: s.currency,
    ballotType: s.ballotType,
    rule: s.rule,
    completion: s.completion,
    minPicks: s.minPicks,
    maxPicks: s.maxPicks,
    points: s.points,
    minSupport: s.minSupport,
    quorum: s.quorum,
    thresholdNum: s.thresholdNum,
    thresholdDen: s.thresholdDen,
    thresholdStrict: s.thresholdStrict,
    ideasDeadline: s.ideasDeadline,
    votingDeadline: s.votingDeadline,
  };
}

/** Settings as log data: dates as ISO text. */
function loggable(s: Partial<RoundSettings>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}

async function freshRound(tx: Tx, roundId: string) {
  const round = await tx.round.findUnique({ where: { id: roundId } });
  if (!round) throw notFound('round');
  return round;
}

/** Proposals that are on the ballot: submitted, in number order. */
export function ballotProposals(tx: Tx, roundId: string) {
  return tx.proposal.findMany({
    where: { roundId, status: 'submitted' },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, title: true, cost: true },
  });
}

/**
 * A group votes on one round at a time, so "the current round" is never ambiguous for its young people: another
 * round of the group in voting refuses, naming it, unless staff chose to run them `alongside` (then logged).
 * Returns the other voting rounds' ids.
 */
async function othersVoting(tx: Tx, round: { id: string; groupId: string }, alongside: boolean | undefined): Promise<string[]> {
  const others = await tx.round.findMany({
    where: { groupId: round.groupId, phase: 'voting', id: { not: round.id } },
    select: { id: true, title: true },
  });
  if (others.length && !alongside) {
    throw new PuljeError('invalid_input', {}, [{ key: 'issue.another_round_voting', params: { round: others[0]!.title } }]);
  }
  return others.map((o) => o.id);
}

/**
 * voting → decided inside the caller's transaction: moves the phase first (the row lock orders it against every
 * ballot), counts the ballots with the round's rule and publishes the result, logging both. `actorId` null: Pulje
 * itself closed it at the deadline (`extra` says so in the log).
 */
export async function closeInTx(ctx: Ctx, tx: Tx, roundId: string, actorId: string | null, extra: Record<string, unknown> = {}) {
  if (!(await lockRound(tx, roundId, ['voting'], {}, { phase: 'decided' }))) {
    throw wrongPhase(phaseOf(await freshRound(tx, roundId)), ['voting']);
  }
  const round = await freshRound(tx, roundId);
  const settings = settingsFromRow(round);
  // Read after the phase moved: every ballot that committed before is here, none can follow.
  const proposals = await ballotProposals(tx, roundId);
  const ballots = await tx.ballot.findMany({ where: { roundId }, select: { choice: true, receiptCode: true } });
  const eligibleVoters = await tx.membership.count({ where: { groupId: round.groupId, role: 'youth' } });
  const last = await tx.result.findFirst({ where: { roundId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  const payload: ResultPayload = {
    ...computeOutcome({
      rules: settings,
      amount: settings.amount,
      currency: settings.currency,
      proposals,
      ballots: ballots.map((b) => ({ choice: parseStoredChoice(b.choice), receiptCode: b.receiptCode })),
    }),
    eligibleVoters,
  };
  const text = JSON.stringify(payload);
  const now = ctx.now();
  const result = await tx.result.create({
    data: { id: newId(), roundId, seq: (last?.seq ?? 0) + 1, payload: text, ballotsCounted: ballots.length, createdAt: now },
  });
  await appendLog(tx, {
    groupId: round.groupId,
    roundId,
    kind: 'phase',
    actorId,
    data: { from: 'voting', to: 'decided', ...extra },
    at: now,
  });
  await appendLog(tx, {
    groupId: round.groupId,
    roundId,
    kind: 'result',
    actorId,
    at: now,
    data: {
      resultId: result.id,
      seq: result.seq,
      selected: payload.selected,
      totalCost: payload.totalCost,
      ballotsCounted: payload.ballotsCounted,
      // Ties the log to the exact published text: change a byte of the result and this no longer matches.
      payloadSha256: createHash('sha256').update(text).digest('hex'),
    },
  });
  return { result, round };
}

export function roundsUseCases(ctx: Ctx) {
  /** An ordinary move forward (ideas, implementing, done): staff only, in one conditional update, logged as `phase`. */
  async function advance(actor: unknown, input: unknown, from: Phase, to: Phase): Promise<RoundView> {
    if (transitionKind(from, to) !== 'forward') throw new PuljeError('internal');
    const who = parseActor(actor);
    const { roundId } = parseInput(roundRefInput, input);
    const { round, member } = await loadRound(ctx.prisma, who, roundId);
    requireRole(member, STAFF);
    return ctx.tx(async (tx) => {
      if (!(await lockRound(tx, roundId, [from], {}, { phase: to }))) {
        throw wrongPhase(phaseOf(await freshRound(tx, roundId)), [from]);
      }
      await appendLog(tx, { groupId: round.groupId, roundId, kind: 'phase', actorId: who.personId, data: { from, to }, at: ctx.now() });
      return roundView(await freshRound(tx, roundId));
    });
  }

  /** Rounds of a group, as `read` finds them for a member of it (any member may look). */
  async function groupRounds(actor: unknown, input: unknown, read: (db: Ctx['prisma'], member: MemberOf) => Promise<RoundRow[]>) {
    const who = parseActor(actor);
    const { groupId } = parseInput(listRoundsInput, input);
    const member = await membershipOf(ctx.prisma, who, groupId);
    requireRole(member, ANY_MEMBER);
    return (await read(ctx.prisma, member)).map(roundView);
  }

  return {
    /** A new round, in draft: staff and admins only. The settings must fit together (see `domain/round-config.ts`). */
    async create(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const data = parseInput(createRoundInput, input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      const { groupId, ...settingsInput } = data;
      const settings = settingsForNewRound(settingsInput);
      const past = pastDeadlines(settings, deadlineFields, ctx.now());
      if (past.length) throw new PuljeError('invalid_input', {}, past);
      return ctx.tx(async (tx) => {
        const round = await tx.round.create({ data: { id: newId(), groupId, createdById: who.personId, ...settingsData(settings) } });
        await appendLog(tx, {
          groupId,
          roundId: round.id,
          kind: 'config',
          actorId: who.personId,
          data: { action: 'round_created', settings: loggable(settings) },
          at: ctx.now(),
        });
        return roundView(round);
      });
    },

    /**
     * Changes settings while the round is a draft or collecting ideas (`locked` once voting has opened). Fields
     * left out keep their value; changing the ballot type or rule drops settings that no longer apply.
     */
    async configure(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const { roundId, ...patch } = parseInput(configureRoundInput, input);
      const given = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      if (!given.length) throw new PuljeError('invalid_input', {}, [{ key: 'issue.nothing_to_change' }]);
      const { member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, STAFF);
      return ctx.tx(async (tx) => {
        if (!(await lockRound(tx, roundId, PHASES_FOR.configure))) {
          const now = await freshRound(tx, roundId);
          if (now.lockedAt && given.some((k) => (LOCKED_FIELDS as readonly string[]).includes(k)))
            throw new PuljeError('locked', { what: { key: 'locked.settings' } });
          throw wrongPhase(phaseOf(now), PHASES_FOR.configure);
        }
        const round = await freshRound(tx, roundId);
        const current = settingsFromRow(round);
        const next = applySettingsPatch(current, patch);
        const changed = changedFields(current, next);
        const issues = pastDeadlines(next, changed, ctx.now());
        if (changed.includes('amount')) {
          const tooDear = await tx.proposal.findMany({
            where: { roundId, status: { not: 'withdrawn' }, cost: { gt: next.amount } },
            orderBy: { number: 'asc' },
          });
          for (const p of tooDear)
            issues.push({
              key: 'issue.amount_below_proposal',
              params: { ref: `#${p.number}`, cost: moneyParam(p.cost, next.currency), amount: moneyParam(next.amount, next.currency) },
            });
        }
        if (issues.length) throw new PuljeError('invalid_input', {}, issues);
        if (!changed.length) return roundView(round);
        const updated = await tx.round.update({ where: { id: roundId }, data: settingsData(next) });
        const diff = Object.fromEntries(
          changed.map((k) => [k, { from: loggable({ [k]: current[k] })[k], to: loggable({ [k]: next[k] })[k] }]),
        );
        await appendLog(tx, {
          groupId: round.groupId,
          roundId,
          kind: 'config',
          actorId: who.personId,
          data: { action: 'round_configured', changed: diff },
          at: ctx.now(),
        });
        return roundView(updated);
      });
    },

    /** One round; members of its group (drafts: staff only). */
    async get(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const { roundId } = parseInput(roundRefInput, input);
      const { round } = await loadRound(ctx.prisma, who, roundId);
      return roundView(round);
    },

    /** A group's rounds, newest first; young people do not see drafts. */
    list: (actor: unknown, input: unknown) => groupRounds(actor, input, roundsForMember),

    /** A group's rounds in voting now, newest first (what /vote asks first; usually read with the request). */
    voting: (actor: unknown, input: unknown) => groupRounds(actor, input, votingRoundsOf),

    /** draft → ideas: young people may now propose. */
    openIdeas: (actor: unknown, input: unknown) => advance(actor, input, 'draft', 'ideas'),

    /**
     * ideas → voting. Needs at least one proposal on the ballot (yes/no: exactly one) and a reachable minimum of
     * picks. Freezes amount, ballot type, limits, rule and the list of proposals (`lockedAt`).
     */
    async openVoting(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const { roundId, alongside } = parseInput(openVotingInput, input);
      const { member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, STAFF);
      return ctx.tx(async (tx) => {
        await lockRoundInPhase(tx, roundId, ['ideas']);
        const round = await freshRound(tx, roundId);
        const settings = settingsFromRow(round);
        const proposals = await ballotProposals(tx, roundId);
        const issues: Detail[] = [];
        if (proposals.length === 0) issues.push({ key: 'issue.no_eligible_proposals' });
        else if (settings.ballotType === 'yesno' && proposals.length !== 1)
          issues.push({ key: 'issue.yesno_one_proposal', params: { count: proposals.length } });
        else if (settings.minPicks !== null && settings.minPicks > proposals.length)
          issues.push({ key: 'issue.min_picks_unreachable', params: { min: settings.minPicks, count: proposals.length } });
        const now = ctx.now();
        if (round.votingDeadline && round.votingDeadline <= now)
          issues.push({ key: 'issue.deadline_past', params: { deadline: dateParam(round.votingDeadline) } });
        const others = await othersVoting(tx, round, alongside);
        if (issues.length) throw new PuljeError('invalid_input', {}, issues);
        const updated = await tx.round.update({ where: { id: roundId }, data: { phase: 'voting', lockedAt: round.lockedAt ?? now } });
        await appendLog(tx, {
          groupId: round.groupId,
          roundId,
          kind: 'phase',
          actorId: who.personId,
          data: { from: 'ideas', to: 'voting', proposals: proposals.map((p) => p.id), ...(others.length ? { alongside: others } : {}) },
          at: now,
        });
        return roundView(updated);
      });
    },

    /**
     * voting → decided: counts the ballots with the round's rule and publishes the result, all in one transaction
     * that starts by moving the phase. A ballot either committed before it (and is counted) or finds voting
     * closed (and is refused); of two closes at once, exactly one publishes.
     */
    async close(actor: unknown, input: unknown): Promise<ResultView> {
      const who = parseActor(actor);
      const { roundId } = parseInput(roundRefInput, input);
      const { member } = await loadRound(ctx.prisma, who, roundId);
      requireRole(member, STAFF);
      const { result, round } = await ctx.tx((tx) => closeInTx(ctx, tx, roundId, who.personId));
      const locale = await readerLocale(ctx.prisma, who.personId, round.groupId);
      return resultView(round, result, locale);
    },

    /** decided → implementing: the money is being spent. */
    startImplementation: (actor: unknown, input: unknown) => advance(actor, input, 'decided', 'implementing'),

    /** implementing → done: the round is over. */
    finish: (actor: unknown, input: unknown) => advance(actor, input, 'implementing', 'done'),

    /**
     * decided → voting again (an override: staff, a reason, logged as `override`). Ballots stay and may be
     * changed; closing again publishes a new result (next `seq`). If the voting deadline has passed, a new one
     * must be given, or every ballot would be refused.
     */
    async reopenVoting(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const data = parseInput(reopenVotingInput, input);
      const { member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, STAFF);
      const reason = requireReason(data.reason);
      const now = ctx.now();
      return ctx.tx(async (tx) => {
        await lockRoundInPhase(tx, data.roundId, ['decided']);
        const round = await freshRound(tx, data.roundId);
        const deadline =
          data.votingDays !== undefined
            ? new Date(now.getTime() + data.votingDays * DAY_MS)
            : data.votingDeadline === undefined
              ? round.votingDeadline
              : data.votingDeadline;
        if (deadline && deadline <= now)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.deadline_past', params: { deadline: dateParam(deadline) } }]);
        const others = await othersVoting(tx, round, data.alongside);
        const updated = await tx.round.update({ where: { id: round.id }, data: { phase: 'voting', votingDeadline: deadline } });
        await appendLog(tx, {
          groupId: round.groupId,
          roundId: round.id,
          kind: 'override',
          actorId: who.personId,
          reason,
          at: now,
          data: {
            action: 'reopen_voting',
            from: 'decided',
            to: 'voting',
            votingDeadline: { from: round.votingDeadline?.toISOString() ?? null, to: deadline?.toISOString() ?? null },
            ...(others.length ? { alongside: others } : {}),
          },
        });
        return roundView(updated);
      });
    },

    /** A later voting deadline while voting (also after it has passed but before closing): staff, a reason, `override`. */
    async extendVoting(actor: unknown, input: unknown): Promise<RoundView> {
      const who = parseActor(actor);
      const data = parseInput(extendVotingInput, input);
      const { member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, STAFF);
      const reason = requireReason(data.reason);
      const now = ctx.now();
      return ctx.tx(async (tx) => {
        await lockRoundInPhase(tx, data.roundId, ['voting']);
        const round = await freshRound(tx, data.roundId);
        const from = round.votingDeadline && round.votingDeadline > now ? round.votingDeadline : now;
        const to = data.votingDeadline ?? new Date(from.getTime() + data.votingDays! * DAY_MS);
        const issues: Detail[] = [];
        if (to <= now) issues.push({ key: 'issue.deadline_past', params: { deadline: dateParam(to) } });
        if (round.votingDeadline && to <= round.votingDeadline)
          issues.push({ key: 'issue.deadline_not_later', params: { deadline: dateParam(round.votingDeadline) } });
        if (issues.length) throw new PuljeError('invalid_input', {}, issues);
        const updated = await tx.round.update({ where: { id: round.id }, data: { votingDeadline: to } });
        await appendLog(tx, {
          groupId: round.groupId,
          roundId: round.id,
          kind: 'override',
          actorId: who.personId,
          reason,
          at: now,
          data: { action: 'extend_voting', votingDeadline: { from: round.votingDeadline?.toISOString() ?? null, to: to.toISOString() } },
        });
        return roundView(updated);
      });
    },
  };
}
