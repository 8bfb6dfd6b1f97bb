import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId, newOrderedId } from '../core/ids.ts';
import { isRole, isStaffRole, STAFF, type Role } from '../domain/roles.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';
import { readStaffSettings } from './staff-settings.ts';
import { recordRead } from './audit.ts';
import type { IsoTime } from './views.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const captureInput = z.object({
  conversationId: idField,
  /** The platform's message id, prefixed with the platform: a message is captured once. */
  sourceKey: z.string().min(1).max(300),
  text: z.string().max(8000),
  threadId: z.string().min(1).max(200).nullish(),
  /** The thread's name: "#3 Bænke" ties it to idea 3. */
  threadName: z.string().max(200).nullish(),
  link: z.url().max(500).nullish(),
});

export const threadInput = z.object({
  platform: z.enum(['web', 'discord', 'slack']),
  channelId: z.string().min(1).max(200),
  threadId: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
});

export const windowInput = z.object({
  groupId: idField,
  /** Messages of the last `days` days (within the summary window) … */
  days: z.int().min(1).max(365).optional(),
  /** … or of one idea's discussion: its thread, and messages that name it (#3). */
  proposalNumber: z.int().min(1).max(9_999_999).optional(),
  limit: z.int().min(1).max(2000).default(400),
  /** Why a staff member reads it, for the audit (default: a summary). */
  why: z.string().max(200).optional(),
});

export interface NudgeView {
  sharePct: number;
  staffMessages: number;
  totalMessages: number;
  windowHours: number;
}

export interface CaptureResult {
  captured: boolean;
  /** Set when this message took a staff member past the group's talk share: the one nudge of the window. */
  nudge: NudgeView | null;
}

export interface DiscussionMessageView {
  id: string;
  role: Role;
  /** The writer, when the text is still kept; null afterwards for young people. */
  authorId: string | null;
  text: string;
  link: string | null;
  threadId: string | null;
  proposalNumber: number | null;
  at: IsoTime;
}

export interface DiscussionWindow {
  groupId: string;
  groupName: string;
  locale: Locale;
  namesInSummaries: boolean;
  messages: DiscussionMessageView[];
  /** Everyone in the group (for pseudonyms: every member gets a letter, named in a message or not). */
  members: Array<{ personId: string; displayName: string; role: Role }>;
  /** What the reader asked for, clamped to the summary window. */
  since: IsoTime;
}

export interface SummaryRecord {
  id: string;
  groupId: string;
  at: IsoTime;
  source: 'model' | 'offline';
  payload: unknown;
}

const ideaMention = (n: number) => new RegExp(`(?:#|\\b(?:idé|ide|idea|forslag|proposal)\\s*(?:nr\\.?\\s*)?)${n}(?!\\d)`, 'iu');

/**
 * What was said in a group's bound conversations, captured for summaries and the talk-share nudge. Text is kept
 * only for the summary window (`retentionDays`); `purge` clears it, and a young person's id with it, leaving who
 * (role) wrote how much and when.
 */
export function discussionUseCases(ctx: Ctx, opts: { retentionDays: number }) {
  const { prisma } = ctx;
  const windowStart = () => new Date(ctx.now().getTime() - opts.retentionDays * DAY);

  return {
    /**
     * Records one message by a member in a bound conversation. For staff it then counts their share of the
     * conversation's messages over the group's window: past the share (and the minimum count), and not nudged
     * in this conversation within the window, a nudge is recorded and returned, in the same transaction.
     */
    async capture(actor: unknown, input: unknown): Promise<CaptureResult> {
      const who = parseActor(actor);
      const data = parseInput(captureInput, input);
      const conversation = await prisma.conversation.findUnique({
        where: { id: data.conversationId },
        select: { groupId: true, platform: true },
      });
      if (!conversation) throw notFound('conversation');
      const member = await membershipOf(prisma, who, conversation.groupId);
      const staff = isStaffRole(member.role);
      // A thread without a name in the event (Slack's replies carry only thread_ts): the name Pulje gave it.
      const threadName =
        data.threadName?.trim() ||
        (data.threadId
          ? ((
              await prisma.discussionThread.findUnique({
                where: { conversationId_threadId: { conversationId: data.conversationId, threadId: data.threadId } },
                select: { name: true },
              })
            )?.name ?? null)
          : null);
      const number = threadName ? /^#(\d{1,7})(?!\d)/.exec(threadName.trim()) : null;
      return ctx.tx(async (tx) => {
        // Staff messages of one conversation are counted one at a time (the conversation's row lock, a write that
        // changes nothing), so two at once cannot both find no nudge yet and both send one (PostgreSQL).
        if (staff) await tx.conversation.updateMany({ where: { id: data.conversationId }, data: { platform: conversation.platform } });
        if (await tx.discussionMessage.findUnique({ where: { sourceKey: data.sourceKey }, select: { id: true } }))
          return { captured: false, nudge: null };
        const now = ctx.now();
        await tx.discussionMessage.create({
          data: {
            id: newOrderedId(),
            sourceKey: data.sourceKey,
            groupId: conversation.groupId,
            conversationId: data.conversationId,
            threadId: data.threadId ?? null,
            proposalNumber: number ? Number(number[1]) : null,
            role: member.role,
            authorId: who.personId,
            chars: [...data.text].length,
            // A message without words (a picture, a sticker) still counts towards who talks how much.
            text: data.text.trim() ? data.text : null,
            link: data.link ?? null,
            at: now,
          },
        });
        // The dashboard's counts per day and role (its talk share never reads the messages themselves).
        const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
        const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
        const groupId = conversation.groupId;
        const add = staff ? { youth: 0, staff: 1 } : { youth: 1, staff: 0 };
        const bump = staff ? { staff: { increment: 1 } } : { youth: { increment: 1 } };
        await tx.discussionDaily.upsert({ where: { groupId_day: { groupId, day } }, create: { groupId, day, ...add }, update: bump });
        await tx.discussionMonthly.upsert({
          where: { groupId_month: { groupId, month } },
          create: { groupId, month, ...add },
          update: bump,
        });
        await tx.discussionTotal.upsert({ where: { groupId }, create: { groupId, ...add }, update: bump });
        if (!staff) return { captured: true, nudge: null };
        const settings = await readStaffSettings(tx, conversation.groupId);
        if (!settings.nudgeEnabled) return { captured: true, nudge: null };
        const since = new Date(now.getTime() - settings.nudgeWindowHours * HOUR);
        const where = { conversationId: data.conversationId, at: { gte: since } };
        const [total, mine] = await Promise.all([
          tx.discussionMessage.count({ where }),
          tx.discussionMessage.count({ where: { ...where, authorId: who.personId } }),
        ]);
        // "More than 30 %": strictly above the share, in whole messages (no rounding).
        if (total < settings.nudgeMinMessages || mine * 100 <= settings.nudgeSharePct * total) return { captured: true, nudge: null };
        const recent = await tx.staffNudge.findFirst({
          where: { staffId: who.personId, conversationId: data.conversationId, at: { gte: since } },
          select: { id: true },
        });
        if (recent) return { captured: true, nudge: null };
        const sharePct = Math.round((mine * 100) / total);
        await tx.discussionTotal.update({ where: { groupId: conversation.groupId }, data: { nudges: { increment: 1 } } });
        await tx.staffNudge.create({
          data: {
            id: newId(),
            groupId: conversation.groupId,
            conversationId: data.conversationId,
            staffId: who.personId,
            at: now,
            sharePct,
            staffMessages: mine,
            totalMessages: total,
          },
        });
        return { captured: true, nudge: { sharePct, staffMessages: mine, totalMessages: total, windowHours: settings.nudgeWindowHours } };
      });
    },

    /**
     * A discussion thread Pulje opened on a public card in a bound conversation (Pulje itself: the adapter reports
     * what it posted), for platforms whose replies name only the thread's id (Slack's `thread_ts`): replies are then
     * tied to the idea its name starts with ("#3 …"). Returns whether the place is a bound conversation.
     */
    async threadOpened(input: unknown): Promise<{ recorded: boolean }> {
      const data = parseInput(threadInput, input);
      const conversation = await prisma.conversation.findUnique({
        where: { platform_channelId: { platform: data.platform, channelId: data.channelId } },
        select: { id: true },
      });
      if (!conversation) return { recorded: false };
      const number = /^#(\d{1,7})(?!\d)/.exec(data.name);
      const row = { name: data.name, proposalNumber: number ? Number(number[1]) : null, at: ctx.now() };
      await prisma.discussionThread.upsert({
        where: { conversationId_threadId: { conversationId: conversation.id, threadId: data.threadId } },
        create: { conversationId: conversation.id, threadId: data.threadId, ...row },
        update: row,
      });
      return { recorded: true };
    },

    /**
     * The messages a summary draws on, with the group's members: staff of the group, and its young people for
     * their own group. Never older than the summary window, whatever is asked.
     */
    async window(actor: unknown, input: unknown): Promise<DiscussionWindow> {
      const who = parseActor(actor);
      const data = parseInput(windowInput, input);
      const reader = await membershipOf(prisma, who, data.groupId);
      if (isStaffRole(reader.role))
        await recordRead(prisma, ctx.now(), {
          readerId: who.personId,
          groupId: data.groupId,
          what: 'messages',
          why: data.why ?? '/summary',
        });
      const floor = windowStart();
      const asked = data.days !== undefined ? new Date(ctx.now().getTime() - data.days * DAY) : floor;
      const since = new Date(Math.max(asked.getTime(), floor.getTime()));
      const [group, settings, memberships] = await Promise.all([
        prisma.group.findUniqueOrThrow({ where: { id: data.groupId }, select: { name: true, locale: true } }),
        readStaffSettings(prisma, data.groupId),
        prisma.membership.findMany({ where: { groupId: data.groupId }, include: { person: { select: { displayName: true } } } }),
      ]);
      const rows = await prisma.discussionMessage.findMany({
        where: { groupId: data.groupId, at: { gte: since }, text: { not: null } },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        // An idea's discussion is picked from a wider read: its thread, or a mention of its number.
        take: data.proposalNumber !== undefined ? data.limit * 5 : data.limit,
      });
      const mention = data.proposalNumber !== undefined ? ideaMention(data.proposalNumber) : null;
      const picked = rows
        .filter((r) => !mention || r.proposalNumber === data.proposalNumber || mention.test(r.text ?? ''))
        .slice(0, data.limit)
        .reverse();
      return {
        groupId: data.groupId,
        groupName: group.name,
        locale: asLocale(group.locale),
        namesInSummaries: settings.namesInSummaries,
        since: since.toISOString(),
        members: memberships.flatMap((m) =>
          isRole(m.role) ? [{ personId: m.personId, displayName: m.person.displayName, role: m.role }] : [],
        ),
        messages: picked.map((r) => ({
          id: r.id,
          role: isRole(r.role) ? r.role : 'youth',
          authorId: r.authorId,
          text: r.text ?? '',
          link: r.link,
          threadId: r.threadId,
          proposalNumber: r.proposalNumber,
          at: r.at.toISOString(),
        })),
      };
    },

    /** The group's members (for pseudonyms in what a staff member sends a model): staff of the group only. */
    async members(actor: unknown, input: unknown): Promise<Array<{ personId: string; displayName: string; role: Role }>> {
      const who = parseActor(actor);
      const { groupId, why } = parseInput(z.object({ groupId: idField, why: z.string().max(200).default('/sparring') }), input);
      requireRole(await membershipOf(prisma, who, groupId), STAFF);
      await recordRead(prisma, ctx.now(), { readerId: who.personId, groupId, what: 'members', why });
      const rows = await prisma.membership.findMany({
        where: { groupId, person: { erasedAt: null } },
        include: { person: { select: { displayName: true } } },
      });
      return rows.flatMap((m) => (isRole(m.role) ? [{ personId: m.personId, displayName: m.person.displayName, role: m.role }] : []));
    },

    /** Keeps a summary that was shown (already without personal data), for the digest's "latest summary". */
    async saveSummary(actor: unknown, input: unknown): Promise<SummaryRecord> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ groupId: idField, source: z.enum(['model', 'offline']), payload: z.unknown() }), input);
      await membershipOf(prisma, who, data.groupId);
      const row = await prisma.discussionSummary.create({
        data: {
          id: newId(),
          groupId: data.groupId,
          requestedBy: who.personId,
          at: ctx.now(),
          source: data.source,
          payload: JSON.stringify(data.payload ?? null),
        },
      });
      return { id: row.id, groupId: row.groupId, at: row.at.toISOString(), source: data.source, payload: data.payload };
    },

    /** The group's newest kept summary, for its staff (digests). */
    async latestSummary(actor: unknown, input: unknown): Promise<SummaryRecord | null> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      requireRole(await membershipOf(prisma, who, groupId), STAFF);
      await recordRead(prisma, ctx.now(), { readerId: who.personId, groupId, what: 'summary', why: 'digest' });
      const row = await prisma.discussionSummary.findFirst({ where: { groupId, at: { gte: windowStart() } }, orderBy: { at: 'desc' } });
      if (!row) return null;
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        throw new PuljeError('internal');
      }
      return { id: row.id, groupId, at: row.at.toISOString(), source: row.source === 'model' ? 'model' : 'offline', payload };
    },

    /** Talk share and nudges per staff member over a period, for the dashboard (staff of the group). */
    async talkShare(actor: unknown, input: unknown) {
      const who = parseActor(actor);
      const data = parseInput(z.object({ groupId: idField, days: z.int().min(1).max(3650).default(30) }), input);
      requireRole(await membershipOf(prisma, who, data.groupId), STAFF);
      const since = new Date(ctx.now().getTime() - data.days * DAY);
      const [byRole, byStaff, nudges] = await Promise.all([
        prisma.discussionMessage.groupBy({ by: ['role'], where: { groupId: data.groupId, at: { gte: since } }, _count: { _all: true } }),
        prisma.discussionMessage.groupBy({
          by: ['authorId'],
          where: { groupId: data.groupId, at: { gte: since }, role: { in: [...STAFF] } },
          _count: { _all: true },
        }),
        prisma.staffNudge.groupBy({ by: ['staffId'], where: { groupId: data.groupId, at: { gte: since } }, _count: { _all: true } }),
      ]);
      const total = byRole.reduce((n, r) => n + r._count._all, 0);
      return {
        groupId: data.groupId,
        since: since.toISOString(),
        messages: total,
        byRole: Object.fromEntries(byRole.map((r) => [r.role, r._count._all])),
        staff: byStaff.flatMap((s) =>
          s.authorId
            ? [
                {
                  personId: s.authorId,
                  messages: s._count._all,
                  sharePct: total ? Math.round((s._count._all * 100) / total) : 0,
                  nudges: nudges.find((n) => n.staffId === s.authorId)?._count._all ?? 0,
                },
              ]
            : [],
        ),
      };
    },

    /**
     * The scheduled purge (Pulje itself, no actor): text older than the summary window is deleted, and so is a
     * young person's id on it; kept summaries go too, and sparring requests typed in the web chat. Returns how
     * many rows changed.
     */
    async purge(): Promise<{ messages: number; authors: number; summaries: number; sparring: number }> {
      const before = windowStart();
      return ctx.tx(async (tx) => {
        // A /sparring typed in the web chat is stored there as the staff member's private echo; it goes too.
        const sparring = await tx.webMessage.deleteMany({
          where: { author: 'member', recipientId: { not: null }, createdAt: { lt: before }, body: { startsWith: '{"text":"/sparring' } },
        });
        const messages = await tx.discussionMessage.updateMany({
          where: { at: { lt: before }, text: { not: null } },
          data: { text: null },
        });
        const authors = await tx.discussionMessage.updateMany({
          where: { at: { lt: before }, role: 'youth', authorId: { not: null } },
          data: { authorId: null },
        });
        const summaries = await tx.discussionSummary.deleteMany({ where: { at: { lt: before } } });
        return { messages: messages.count, authors: authors.count, summaries: summaries.count, sparring: sparring.count };
      });
    },
  };
}
