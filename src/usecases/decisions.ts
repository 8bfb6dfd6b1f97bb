import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { appendLog } from '../db/decision-log.ts';
import { ANY_MEMBER, STAFF, YOUTH, isRole, type Role } from '../domain/roles.ts';
import { asLocale, localeSchema, type Locale } from '../i18n/index.ts';
import { redact } from '../privacy/index.ts';
import { idField, loadRound, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';
import type { IsoTime } from './views.ts';
import type { ChainedEntry } from '../decision-log/chain.ts';

/**
 * Staff decisions in the open: every time staff overrule or step in (a proposal found not possible or possible
 * again, hidden or shown again, voting reopened or extended, a result replaced by a new one), read from the
 * decision log, where the use cases that decide already write them. Everyone in the group may read them; young
 * people may say privately that they disagree, once per decision (changeable), and staff see how many do, never
 * who. Reasons are shown with personal data masked, and a hidden proposal is named by its number only: the
 * group learns that something was hidden and why, not what.
 */

export const STAFF_SHOWN = ['role_and_name', 'role'] as const;
export type StaffShown = (typeof STAFF_SHOWN)[number];

export type DecisionKind = 'ineligible' | 'eligible' | 'hidden' | 'unhidden' | 'reopened' | 'extended' | 'result_changed';

export interface DecisionView {
  /** The decision-log entry. */
  id: string;
  seq: number;
  roundId: string | null;
  kind: DecisionKind;
  at: IsoTime;
  /** Who decided: their role in the group, and their name unless the group shows staff by role only. */
  by: { role: Role | null; name: string | null };
  /** The reason staff gave, personal data masked ("[TELEFON]", "Deltager A"). */
  reason: string | null;
  /** The proposal it is about; `title` is null for a hidden one (what was hidden is not shown). */
  proposal: { number: number; title: string | null } | null;
  /** reopened / extended: the voting deadline before and after. */
  votingDeadline: { from: IsoTime | null; to: IsoTime | null } | null;
  /** result_changed: the new result's number and the proposals (by number) it funds that the one before did not, and back. */
  result: { seq: number; added: number[]; removed: number[] } | null;
  /** The reader's own reaction (young people); null for staff. */
  mine: 'disagree' | null;
  /** How many young people disagree now: for staff only (null for young readers and public cards). */
  disagree: number | null;
}

export const listDecisionsInput = z.object({ roundId: idField, locale: localeSchema.optional() });
export const decisionsSinceInput = z.object({ groupId: idField, afterSeq: z.int().min(0), locale: localeSchema.optional() });
export const markInput = z.object({ groupId: idField });
export const reactInput = z.object({ decisionId: idField, disagree: z.boolean() });
export const staffShownInput = z.object({ groupId: idField, staffShown: z.enum(STAFF_SHOWN) });

const DECISION_LOG_KINDS = ['override', 'eligibility', 'moderation', 'result'];

type Entry = Omit<ChainedEntry, 'groupId' | 'prevHash' | 'hash'>;

function parseData(e: Entry): Record<string, unknown> {
  try {
    return JSON.parse(e.data) as Record<string, unknown>;
  } catch {
    throw new PuljeError('internal');
  }
}

/** What kind of staff decision a log entry records, or null if it is none (an ordinary phase step, the first result). */
function decisionKind(kind: string, d: Record<string, unknown>): DecisionKind | null {
  switch (kind) {
    case 'override':
      return d.action === 'reopen_voting' ? 'reopened' : d.action === 'extend_voting' ? 'extended' : null;
    case 'eligibility':
      return d.to === 'ineligible' ? 'ineligible' : 'eligible';
    case 'moderation':
      return d.to === 'hidden' ? 'hidden' : 'unhidden';
    case 'result':
      return typeof d.seq === 'number' && d.seq > 1 ? 'result_changed' : null;
    default:
      return null;
  }
}

const iso = (v: unknown): IsoTime | null => (typeof v === 'string' ? v : null);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function decisionsUseCases(ctx: Ctx) {
  /**
   * Decision views of a group's log entries, as `reader` may see them (`staff`: with the count of young people
   * who disagree; `youth`: with their own reaction; `public`: neither, for a card everyone sees).
   */
  async function views(
    groupId: string,
    entries: Entry[],
    reader: { personId: string; audience: 'staff' | 'youth' | 'public' },
    locale: Locale,
  ): Promise<DecisionView[]> {
    const decided = entries.flatMap((e) => {
      const data = parseData(e);
      const kind = decisionKind(e.kind, data);
      return kind ? [{ e, data, kind }] : [];
    });
    if (!decided.length) return [];
    const group = await ctx.prisma.group.findUniqueOrThrow({ where: { id: groupId }, select: { staffShown: true } });
    const members = await ctx.prisma.membership.findMany({
      where: { groupId },
      orderBy: { personId: 'asc' },
      select: { personId: true, role: true, person: { select: { displayName: true } } },
    });
    const memberOf = new Map(members.map((m) => [m.personId, m]));
    const roundIds = [...new Set(decided.flatMap((x) => (x.e.roundId ? [x.e.roundId] : [])))];
    const proposals = await ctx.prisma.proposal.findMany({
      where: { roundId: { in: roundIds } },
      select: { id: true, number: true, title: true, status: true },
    });
    const proposalOf = new Map(proposals.map((p) => [p.id, p]));
    // A replaced result is compared with the one before it, and explained by the reopening that led to it.
    const earlier = await ctx.prisma.logEntry.findMany({
      where: { groupId, roundId: { in: roundIds }, kind: { in: ['result', 'override'] } },
      orderBy: { seq: 'asc' },
      select: { seq: true, roundId: true, kind: true, reason: true, data: true },
    });
    const decisionIds = decided.map((x) => x.e.id);
    const [mine, counts] = await Promise.all([
      reader.audience === 'youth'
        ? ctx.prisma.decisionReaction.findMany({
            where: { logEntryId: { in: decisionIds }, personId: reader.personId, withdrawnAt: null },
            select: { logEntryId: true },
          })
        : Promise.resolve([]),
      reader.audience === 'staff'
        ? ctx.prisma.decisionReaction.groupBy({
            by: ['logEntryId'],
            where: { logEntryId: { in: decisionIds }, withdrawnAt: null },
            _count: { _all: true },
          })
        : Promise.resolve([]),
    ]);
    const disagreeing = new Set(mine.map((r) => r.logEntryId));
    const countOf = new Map(counts.map((c) => [c.logEntryId, c._count._all]));
    const knownNames = members.map((m) => ({ id: m.personId, name: m.person.displayName }));
    // Staff named in a reason stay named where the cards name staff anyway ("ask Lene"): masking them there would
    // hide nothing and leave the young people guessing who "Deltager B" is. Young people are always masked.
    const named = new Set(
      group.staffShown === 'role' ? [] : members.filter((m) => isRole(m.role) && STAFF.includes(m.role)).map((m) => m.personId),
    );
    // Members named in a reason become "Deltager A", "Deltager B" …; the letters are keyed per decision, so they
    // say nothing about join order and cannot be matched up between decisions.
    const mask = (text: string | null, key: string) => {
      if (!text) return null;
      const r = redact(text, { locale, knownNames, pseudonymKey: `${groupId}:${key}` });
      const staffLetters = new Set([...named].flatMap((id) => (r.pseudonyms[id] ? [` ${r.pseudonyms[id]}`] : [])));
      if (!staffLetters.size) return r.text;
      let out = '';
      let at = 0;
      for (const x of r.replacements) {
        const keep = x.kind === 'memberName' && [...staffLetters].some((l) => x.replacement.endsWith(l));
        out += text.slice(at, x.start) + (keep ? x.original : x.replacement);
        at = x.end;
      }
      return out + text.slice(at);
    };

    return decided.map(({ e, data, kind }) => {
      const actor = e.actorId ? memberOf.get(e.actorId) : undefined;
      const role = actor && isRole(actor.role) ? actor.role : null;
      const name = group.staffShown === 'role' ? null : (actor?.person.displayName ?? null);
      const p = typeof data.proposalId === 'string' ? proposalOf.get(data.proposalId) : undefined;
      let reason = e.reason;
      let result: DecisionView['result'] = null;
      if (kind === 'result_changed') {
        const before = earlier.filter((x) => x.roundId === e.roundId && x.seq < e.seq);
        const previous = before.filter((x) => x.kind === 'result').at(-1);
        const reopen = before.filter((x) => x.kind === 'override' && JSON.parse(x.data).action === 'reopen_voting').at(-1);
        reason = reopen?.reason ?? null;
        const was = new Set(previous ? ids(JSON.parse(previous.data).selected) : []);
        const now = new Set(ids(data.selected));
        const numbers = (xs: string[]) =>
          xs.flatMap((id) => (proposalOf.has(id) ? [proposalOf.get(id)!.number] : [])).sort((a, b) => a - b);
        result = {
          seq: data.seq as number,
          added: numbers([...now].filter((id) => !was.has(id))),
          removed: numbers([...was].filter((id) => !now.has(id))),
        };
      }
      const deadline = data.votingDeadline as { from?: unknown; to?: unknown } | undefined;
      return {
        id: e.id,
        seq: e.seq,
        roundId: e.roundId,
        kind,
        at: e.at.toISOString(),
        by: { role, name },
        reason: mask(reason, e.id),
        proposal: p
          ? { number: p.number, title: kind === 'hidden' || p.status === 'hidden' ? null : p.title }
          : typeof data.number === 'number'
            ? { number: data.number, title: null }
            : null,
        votingDeadline: kind === 'reopened' || kind === 'extended' ? { from: iso(deadline?.from), to: iso(deadline?.to) } : null,
        result,
        mine: reader.audience === 'youth' ? (disagreeing.has(e.id) ? 'disagree' : null) : null,
        disagree: reader.audience === 'staff' ? (countOf.get(e.id) ?? 0) : null,
      };
    });
  }

  async function groupLocale(groupId: string): Promise<Locale> {
    const g = await ctx.prisma.group.findUnique({ where: { id: groupId }, select: { locale: true } });
    return asLocale(g?.locale);
  }

  return {
    /** A round's staff decisions, oldest first, for any member: staff see how many disagree, young people their own reaction. */
    async list(actor: unknown, input: unknown): Promise<DecisionView[]> {
      const who = parseActor(actor);
      const data = parseInput(listDecisionsInput, input);
      const { round, member } = await loadRound(ctx.prisma, who, data.roundId);
      requireRole(member, ANY_MEMBER);
      const entries = await ctx.prisma.logEntry.findMany({
        where: { groupId: round.groupId, roundId: round.id, kind: { in: DECISION_LOG_KINDS } },
        orderBy: { seq: 'asc' },
      });
      const audience = STAFF.includes(member.role) ? 'staff' : 'youth';
      return views(round.groupId, entries, { personId: who.personId, audience }, data.locale ?? (await groupLocale(round.groupId)));
    },

    /** Staff: where the group's log stands now, so that the decisions an action is about to make can be found after it. */
    async mark(actor: unknown, input: unknown): Promise<number> {
      const who = parseActor(actor);
      const { groupId } = parseInput(markInput, input);
      requireRole(await membershipOf(ctx.prisma, who, groupId), STAFF);
      const g = await ctx.prisma.group.findUniqueOrThrow({ where: { id: groupId }, select: { logSeq: true } });
      return g.logSeq;
    },

    /** Staff: the decisions they themselves made after `afterSeq`, as a public card shows them (to announce them). */
    async since(actor: unknown, input: unknown): Promise<DecisionView[]> {
      const who = parseActor(actor);
      const data = parseInput(decisionsSinceInput, input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      const entries = await ctx.prisma.logEntry.findMany({
        where: { groupId: data.groupId, seq: { gt: data.afterSeq }, actorId: who.personId, kind: { in: DECISION_LOG_KINDS } },
        orderBy: { seq: 'asc' },
      });
      return views(data.groupId, entries, { personId: who.personId, audience: 'public' }, data.locale ?? (await groupLocale(data.groupId)));
    },

    /**
     * A young person says privately that they disagree with a decision (`disagree: true`), or takes it back. Once
     * per person and decision: saying it again changes nothing. Returns the decision as they now see it.
     */
    async react(actor: unknown, input: unknown): Promise<DecisionView> {
      const who = parseActor(actor);
      const data = parseInput(reactInput, input);
      const entry = await ctx.prisma.logEntry.findUnique({ where: { id: data.decisionId } });
      if (!entry || !decisionKind(entry.kind, parseData(entry))) throw notFound('decision');
      let member;
      try {
        member = await membershipOf(ctx.prisma, who, entry.groupId);
      } catch (error) {
        // Not telling outsiders which decisions exist.
        if (error instanceof PuljeError && error.code === 'not_member') throw notFound('decision');
        throw error;
      }
      requireRole(member, YOUTH);
      const now = ctx.now();
      await ctx.tx(async (tx) => {
        const existing = await tx.decisionReaction.findUnique({
          where: { logEntryId_personId: { logEntryId: entry.id, personId: who.personId } },
        });
        if (!existing) {
          if (!data.disagree) return;
          await tx.decisionReaction.create({
            data: {
              id: newId(),
              groupId: entry.groupId,
              logEntryId: entry.id,
              personId: who.personId,
              kind: 'disagree',
              createdAt: now,
              updatedAt: now,
            },
          });
          return;
        }
        const active = existing.withdrawnAt === null;
        if (active === data.disagree) return;
        await tx.decisionReaction.update({ where: { id: existing.id }, data: { updatedAt: now, withdrawnAt: data.disagree ? null : now } });
      });
      const [view] = await views(entry.groupId, [entry], { personId: who.personId, audience: 'youth' }, await groupLocale(entry.groupId));
      return view!;
    },

    /** How staff appear on the group's decision cards: named with their role (default) or by role only. Staff; logged. */
    async setStaffShown(actor: unknown, input: unknown): Promise<StaffShown> {
      const who = parseActor(actor);
      const data = parseInput(staffShownInput, input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      return ctx.tx(async (tx) => {
        const g = await tx.group.findUniqueOrThrow({ where: { id: data.groupId }, select: { staffShown: true } });
        if (g.staffShown === data.staffShown) return data.staffShown;
        await tx.group.update({ where: { id: data.groupId }, data: { staffShown: data.staffShown } });
        await appendLog(tx, {
          groupId: data.groupId,
          kind: 'config',
          actorId: who.personId,
          data: { action: 'staff_shown', from: g.staffShown, to: data.staffShown },
          at: ctx.now(),
        });
        return data.staffShown;
      });
    },

    /** The group's setting, for any member (so a card can say how staff are shown). */
    async staffShown(actor: unknown, input: unknown): Promise<StaffShown> {
      const who = parseActor(actor);
      const { groupId } = parseInput(markInput, input);
      await membershipOf(ctx.prisma, who, groupId);
      const g = await ctx.prisma.group.findUniqueOrThrow({ where: { id: groupId }, select: { staffShown: true } });
      return g.staffShown === 'role' ? 'role' : 'role_and_name';
    },
  };
}
