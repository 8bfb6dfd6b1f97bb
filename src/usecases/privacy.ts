import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notFound, parseInput } from '../core/errors.ts';
import { forbidden } from '../domain/roles.ts';
import { newId } from '../core/ids.ts';
import type { Prisma, Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { recordRead } from './audit.ts';
import { idField, parseActor, type Ctx } from './context.ts';

export const AGE_BANDS = ['under-15', '15-17', '18-24', '25-30', 'over-30'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** What an erased person is called from then on (ideas they wrote show it). */
export const FORMER_MEMBER = 'tidligere medlem';

/** How long a /mydata link works (once). */
export const EXPORT_LINK_TTL_MS = 60 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Everything Pulje holds about one person, as handed to them (GDPR art. 15 and 20). */
export interface PersonalDataExport {
  exportedAt: string;
  person: {
    id: string;
    displayName: string;
    locale: string | null;
    ageBand: string | null;
    createdAt: string;
    lastSeenAt: string | null;
  };
  accounts: Array<{ platform: string; externalId: string }>;
  memberships: Array<{ group: string; groupId: string; role: string; since: string }>;
  ideas: Array<{
    round: string;
    number: number;
    title: string;
    description: string;
    cost: number;
    category: string | null;
    status: string;
    createdAt: string;
  }>;
  /** The person's own ballots: only they ever see them. */
  ballots: Array<{ round: string; choice: unknown; receiptCode: string; revision: number; updatedAt: string }>;
  ballotDrafts: Array<{ round: string; choice: unknown; updatedAt: string }>;
  /** What was typed into a refused form, kept a day for its next opening. */
  formDrafts: Array<{ fields: unknown; updatedAt: string }>;
  chatMessages: Array<{ at: string; text: string | null }>;
  capturedMessages: Array<{ at: string; text: string | null; threadId: string | null }>;
  decisionReactions: Array<{ kind: string; at: string; withdrawn: boolean }>;
  reminders: Array<{ round: string; at: string; outcome: string }>;
  /** The "real say" question sent on its own after a result (when, and whether it arrived). */
  sayInvites: Array<{ round: string; at: string; outcome: string }>;
  reminderOptOuts: Array<{ groupId: string; at: string }>;
  digestSubscriptions: Array<{ groupId: string; frequency: string; since: string }>;
  /** Answers to "did you have a real say?" (1–5). */
  sayAnswers: Array<{ round: string; score: number; at: string }>;
  /** Staff: their own Lundy self-assessments of rounds. */
  lundyAssessments: Array<{
    round: string;
    space: number;
    voice: number;
    audience: number;
    influence: number;
    note: string | null;
    at: string;
  }>;
  /** Staff: that dashboard sign-in links and sessions exist and when they expire (never their tokens or hashes). */
  dashboardLinks: Array<{ createdAt: string; expiresAt: string; usedAt: string | null }>;
  dashboardSessions: Array<{ createdAt: string; expiresAt: string; revokedAt: string | null }>;
  /** Programme staff: the organisations whose groups they follow on the dashboard, and who granted it. */
  programmeAccess: Array<{ organisation: string; organisationId: string; grantedById: string; since: string }>;
  /** Staff: the private nudges Pulje sent them about their share of a group's talk. */
  staffNudges: Array<{ groupId: string; at: string; sharePct: number; staffMessages: number; totalMessages: number }>;
  /** That a crisis signal was noticed (level and categories only; the text was never kept). */
  safeguardingNotes: Array<{ at: string; source: string; level: string; categories: unknown; alerted: number }>;
  /** Who among staff and admins read this person's data, and why. */
  readsOfMyData: Array<{ at: string; readerId: string; what: string; why: string }>;
}

const json = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

async function collect(db: Prisma | Tx, personId: string, now: Date): Promise<PersonalDataExport> {
  const person = await db.person.findUnique({ where: { id: personId } });
  if (!person) throw notFound('person');
  const [
    [identities, memberships, proposals, ballots, drafts, web, captured, reactions, reminders, optOuts, digests, alerts, reads, forms],
    [says, lundy, dashboardLinks, dashboardSessions, programme, nudges, sayInvites],
  ] = await Promise.all([
    Promise.all([
      db.identity.findMany({ where: { personId } }),
      db.membership.findMany({ where: { personId }, include: { group: { select: { name: true } } } }),
      db.proposal.findMany({
        where: { authorId: personId },
        include: { round: { select: { title: true } } },
        orderBy: { createdAt: 'asc' },
      }),
      db.ballot.findMany({ where: { voterId: personId }, include: { round: { select: { title: true } } } }),
      db.ballotDraft.findMany({ where: { voterId: personId } }),
      db.webMessage.findMany({ where: { author: 'member', authorId: personId }, orderBy: { seq: 'asc' } }),
      db.discussionMessage.findMany({ where: { authorId: personId }, orderBy: { at: 'asc' } }),
      db.decisionReaction.findMany({ where: { personId } }),
      db.voteReminder.findMany({ where: { personId } }),
      db.reminderOptOut.findMany({ where: { personId } }),
      db.digestSubscription.findMany({ where: { personId } }),
      db.safeguardingAlert.findMany({ where: { personId }, orderBy: { at: 'asc' } }),
      db.accessAudit.findMany({ where: { subjectId: personId }, orderBy: { at: 'asc' } }),
      db.formDraft.findMany({ where: { personId } }),
    ]),
    Promise.all([
      db.sayAnswer.findMany({ where: { personId }, orderBy: { at: 'asc' } }),
      db.lundyAssessment.findMany({ where: { personId }, orderBy: { at: 'asc' } }),
      db.dashboardLink.findMany({ where: { personId }, orderBy: { createdAt: 'asc' } }),
      db.dashboardSession.findMany({ where: { personId }, orderBy: { createdAt: 'asc' } }),
      db.programmeStaff.findMany({ where: { personId }, orderBy: { createdAt: 'asc' } }),
      db.staffNudge.findMany({ where: { staffId: personId }, orderBy: { at: 'asc' } }),
      db.sayInvite.findMany({ where: { personId }, orderBy: { at: 'asc' } }),
    ]),
  ]);
  const roundTitles = new Map<string, string>();
  const roundIds = [...new Set([...drafts, ...reminders, ...says, ...sayInvites, ...lundy].map((r) => r.roundId))];
  const organisations = new Map<string, string>();
  if (programme.length)
    for (const o of await db.organisation.findMany({
      where: { id: { in: programme.map((g) => g.organisationId) } },
      select: { id: true, name: true },
    }))
      organisations.set(o.id, o.name);
  if (roundIds.length)
    for (const r of await db.round.findMany({ where: { id: { in: roundIds } }, select: { id: true, title: true } }))
      roundTitles.set(r.id, r.title);
  const iso = (d: Date) => d.toISOString();
  return {
    exportedAt: iso(now),
    person: {
      id: person.id,
      displayName: person.displayName,
      locale: person.locale,
      ageBand: person.ageBand,
      createdAt: iso(person.createdAt),
      lastSeenAt: person.lastSeenAt ? iso(person.lastSeenAt) : null,
    },
    accounts: identities.map((i) => ({ platform: i.platform, externalId: i.externalId })),
    memberships: memberships.map((m) => ({ group: m.group.name, groupId: m.groupId, role: m.role, since: iso(m.createdAt) })),
    ideas: proposals.map((p) => ({
      round: p.round.title,
      number: p.number,
      title: p.title,
      description: p.description,
      cost: p.cost,
      category: p.category,
      status: p.status,
      createdAt: iso(p.createdAt),
    })),
    ballots: ballots.map((b) => ({
      round: b.round.title,
      choice: json(b.choice),
      receiptCode: b.receiptCode,
      revision: b.revision,
      updatedAt: iso(b.updatedAt),
    })),
    ballotDrafts: drafts.map((d) => ({
      round: roundTitles.get(d.roundId) ?? d.roundId,
      choice: json(d.choice),
      updatedAt: iso(d.updatedAt),
    })),
    formDrafts: forms.map((f) => ({ fields: json(f.fields), updatedAt: iso(f.updatedAt) })),
    chatMessages: web.map((m) => {
      const body = json(m.body) as { text?: unknown };
      return { at: iso(m.createdAt), text: typeof body?.text === 'string' ? body.text : null };
    }),
    capturedMessages: captured.map((m) => ({ at: iso(m.at), text: m.text, threadId: m.threadId })),
    decisionReactions: reactions.map((r) => ({ kind: r.kind, at: iso(r.createdAt), withdrawn: r.withdrawnAt !== null })),
    reminders: reminders.map((r) => ({ round: roundTitles.get(r.roundId) ?? r.roundId, at: iso(r.at), outcome: r.outcome })),
    sayInvites: sayInvites.map((r) => ({ round: roundTitles.get(r.roundId) ?? r.roundId, at: iso(r.at), outcome: r.outcome })),
    reminderOptOuts: optOuts.map((o) => ({ groupId: o.groupId, at: iso(o.at) })),
    digestSubscriptions: digests.map((d) => ({ groupId: d.groupId, frequency: d.frequency, since: iso(d.createdAt) })),
    sayAnswers: says.map((a) => ({ round: roundTitles.get(a.roundId) ?? a.roundId, score: a.score, at: iso(a.at) })),
    lundyAssessments: lundy.map((a) => ({
      round: roundTitles.get(a.roundId) ?? a.roundId,
      space: a.space,
      voice: a.voice,
      audience: a.audience,
      influence: a.influence,
      note: a.note,
      at: iso(a.at),
    })),
    dashboardLinks: dashboardLinks.map((l) => ({
      createdAt: iso(l.createdAt),
      expiresAt: iso(l.expiresAt),
      usedAt: l.usedAt ? iso(l.usedAt) : null,
    })),
    dashboardSessions: dashboardSessions.map((x) => ({
      createdAt: iso(x.createdAt),
      expiresAt: iso(x.expiresAt),
      revokedAt: x.revokedAt ? iso(x.revokedAt) : null,
    })),
    programmeAccess: programme.map((g) => ({
      organisation: organisations.get(g.organisationId) ?? g.organisationId,
      organisationId: g.organisationId,
      grantedById: g.grantedBy,
      since: iso(g.createdAt),
    })),
    staffNudges: nudges.map((n) => ({
      groupId: n.groupId,
      at: iso(n.at),
      sharePct: n.sharePct,
      staffMessages: n.staffMessages,
      totalMessages: n.totalMessages,
    })),
    safeguardingNotes: alerts.map((a) => ({
      at: iso(a.at),
      source: a.source,
      level: a.level,
      categories: json(a.categories),
      alerted: a.alerted,
    })),
    readsOfMyData: reads.map((r) => ({ at: iso(r.at), readerId: r.readerId, what: r.what, why: r.why })),
  };
}

export interface ErasureReport {
  /** Kept, anonymously: they still count. */
  ballotsKept: number;
  /** Kept, shown as written by "tidligere medlem". */
  ideasKept: number;
  messagesDeleted: number;
  accountsRemoved: number;
}

const eraseInput = z.object({ personId: idField.optional(), reason: z.string().trim().max(500).optional() });

export function privacyUseCases(ctx: Ctx) {
  /** Whether `reader` is an admin of a group `subject` is in (admins act on requests for their own organisation). */
  async function adminOver(db: Prisma | Tx, readerId: string, subjectId: string): Promise<string[]> {
    const [mine, theirs] = await Promise.all([
      db.membership.findMany({ where: { personId: readerId, role: 'admin' }, select: { groupId: true } }),
      db.membership.findMany({ where: { personId: subjectId }, select: { groupId: true } }),
    ]);
    const admin = new Set(mine.map((m) => m.groupId));
    return theirs.map((m) => m.groupId).filter((g) => admin.has(g));
  }

  return {
    /** The person's self-reported age band, or null (never a birth date). */
    async ageBand(actor: unknown): Promise<AgeBand | null> {
      const who = parseActor(actor);
      const p = await ctx.prisma.person.findUnique({ where: { id: who.personId }, select: { ageBand: true } });
      return (AGE_BANDS as readonly string[]).includes(p?.ageBand ?? '') ? (p!.ageBand as AgeBand) : null;
    },

    async setAgeBand(actor: unknown, input: unknown): Promise<AgeBand | null> {
      const who = parseActor(actor);
      const { ageBand } = parseInput(z.object({ ageBand: z.enum(AGE_BANDS).nullable() }), input);
      await ctx.prisma.person.update({ where: { id: who.personId }, data: { ageBand } });
      return ageBand;
    },

    /**
     * Ends every web session and invite link issued so far for the actor, or for a member an admin names (a lost
     * phone, a link sent to the wrong person). New ones can be issued at once.
     */
    async revokeTokens(actor: unknown, input: unknown): Promise<{ revokedAt: Date }> {
      const who = parseActor(actor);
      const { personId } = parseInput(z.object({ personId: idField.optional() }), input);
      const subjectId = personId ?? who.personId;
      if (subjectId !== who.personId && !(await adminOver(ctx.prisma, who.personId, subjectId)).length) throw forbidden(['admin']);
      const revokedAt = ctx.now();
      await ctx.prisma.person.update({ where: { id: subjectId }, data: { tokensValidFrom: revokedAt } });
      return { revokedAt };
    },

    /** Everything Pulje holds about the actor. */
    async exportMine(actor: unknown): Promise<PersonalDataExport> {
      const who = parseActor(actor);
      return collect(ctx.prisma, who.personId, ctx.now());
    },

    /** A one-time link token for the actor's export (the web adapter serves it as a readable page and JSON). */
    async exportLink(actor: unknown): Promise<{ token: string; expiresAt: Date }> {
      const who = parseActor(actor);
      const token = randomBytes(24).toString('base64url');
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + EXPORT_LINK_TTL_MS);
      await ctx.prisma.dataExportLink.create({ data: { tokenHash: hashToken(token), personId: who.personId, expiresAt, createdAt: now } });
      return { token, expiresAt };
    },

    /**
     * An access request that reached the organisation another way: an admin of one of the person's groups gets a
     * one-time link to that person's export, to hand on to them. Audited as an export of the person's data.
     */
    async exportLinkFor(actor: unknown, input: unknown): Promise<{ token: string; expiresAt: Date }> {
      const who = parseActor(actor);
      const { personId, reason } = parseInput(z.object({ personId: idField, reason: z.string().trim().min(1).max(200) }), input);
      const groups = await adminOver(ctx.prisma, who.personId, personId);
      if (!groups.length) throw forbidden(['admin']);
      const subject = await ctx.prisma.person.findUnique({ where: { id: personId }, select: { erasedAt: true } });
      if (!subject || subject.erasedAt) throw notFound('person');
      await recordRead(ctx.prisma, ctx.now(), {
        readerId: who.personId,
        groupId: groups[0]!,
        subjectId: personId,
        what: 'export',
        why: reason,
      });
      const token = randomBytes(24).toString('base64url');
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + EXPORT_LINK_TTL_MS);
      await ctx.prisma.dataExportLink.create({ data: { tokenHash: hashToken(token), personId, expiresAt, createdAt: now } });
      return { token, expiresAt };
    },

    /** Uses a link: the export once, then never again (null for unknown, used or expired links alike). */
    async redeemExportLink(token: unknown): Promise<PersonalDataExport | null> {
      const parsed = z
        .string()
        .regex(/^[A-Za-z0-9_-]{20,64}$/)
        .safeParse(token);
      if (!parsed.success) return null;
      const now = ctx.now();
      const tokenHash = hashToken(parsed.data);
      const used = await ctx.prisma.dataExportLink.updateMany({
        where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (used.count !== 1) return null;
      const link = await ctx.prisma.dataExportLink.findUniqueOrThrow({ where: { tokenHash } });
      return collect(ctx.prisma, link.personId, now);
    },

    /**
     * Erases a person's identity (GDPR art. 17): their own request, or an admin of one of their groups acting on
     * one. Ballots stay and still count, held by a nameless record; ideas stay, by "tidligere medlem"; disagreements
     * with decisions stay, linked to no one; messages, accounts, drafts, reminders, subscriptions, "real say" answers
     * (counted already), dashboard links and sessions, programme staff grants and the notes of Lundy assessments
     * are deleted (their scores, like nudges, stay with the nameless record). Each of their groups' decision logs
     * gets an entry saying that an erasure happened and what was kept, never who.
     */
    async erase(actor: unknown, input: unknown): Promise<ErasureReport> {
      const who = parseActor(actor);
      const data = parseInput(eraseInput, input);
      const subjectId = data.personId ?? who.personId;
      const byAdmin = subjectId !== who.personId;
      const report = await ctx.tx(async (tx) => {
        const subject = await tx.person.findUnique({ where: { id: subjectId } });
        if (!subject || subject.erasedAt) throw notFound('person');
        if (byAdmin && !(await adminOver(tx, who.personId, subjectId)).length) throw forbidden(['admin']);
        const now = ctx.now();
        const groups = (await tx.membership.findMany({ where: { personId: subjectId }, select: { groupId: true } })).map((m) => m.groupId);
        const ballotsKept = await tx.ballot.count({ where: { voterId: subjectId } });
        const ideasKept = await tx.proposal.count({ where: { authorId: subjectId } });
        const web = await tx.webMessage.deleteMany({
          where: { OR: [{ author: 'member', authorId: subjectId }, { recipientId: subjectId }] },
        });
        const captured = await tx.discussionMessage.deleteMany({ where: { authorId: subjectId } });
        const accounts = await tx.identity.deleteMany({ where: { personId: subjectId } });
        await tx.ballotDraft.deleteMany({ where: { voterId: subjectId } });
        await tx.formDraft.deleteMany({ where: { personId: subjectId } });
        await tx.voteReminder.deleteMany({ where: { personId: subjectId } });
        await tx.reminderOptOut.deleteMany({ where: { personId: subjectId } });
        await tx.digestSubscription.deleteMany({ where: { personId: subjectId } });
        await tx.dataExportLink.deleteMany({ where: { personId: subjectId } });
        await tx.safeguardingAlert.updateMany({ where: { personId: subjectId }, data: { personId: null } });
        // "Did you have a real say?" answers were counted as they came (SayTally), which is all the dashboard reads.
        await tx.sayAnswer.deleteMany({ where: { personId: subjectId } });
        await tx.sayInvite.deleteMany({ where: { personId: subjectId } });
        // A disagreement is counted from its row (staff see how many disagree): it stays, no longer anyone's.
        await tx.decisionReaction.updateMany({ where: { personId: subjectId }, data: { personId: null } });
        await tx.dashboardLink.deleteMany({ where: { personId: subjectId } });
        await tx.dashboardSession.deleteMany({ where: { personId: subjectId } });
        await tx.programmeStaff.deleteMany({ where: { personId: subjectId } });
        // Staff's Lundy scores count on the dashboard and stay with the nameless record; the note was theirs alone.
        await tx.lundyAssessment.updateMany({ where: { personId: subjectId }, data: { note: null } });
        await tx.person.update({
          where: { id: subjectId },
          data: {
            displayName: FORMER_MEMBER,
            locale: null,
            ageBand: null,
            lastSeenAt: null,
            erasedAt: now,
            tokensValidFrom: now,
          },
        });
        const report: ErasureReport = {
          ballotsKept,
          ideasKept,
          messagesDeleted: web.count + captured.count,
          accountsRemoved: accounts.count,
        };
        for (const groupId of groups) {
          await appendLog(tx, {
            groupId,
            kind: 'privacy',
            // The admin who acted on a request is named; a person erasing themselves is not.
            actorId: byAdmin ? who.personId : null,
            data: { action: 'erasure', by: byAdmin ? 'admin' : 'self', ...report },
            at: now,
          });
        }
        if (byAdmin) {
          const org = await tx.person.findUniqueOrThrow({ where: { id: who.personId }, select: { organisationId: true } });
          await tx.accessAudit.create({
            data: {
              id: newId(),
              organisationId: org.organisationId,
              groupId: groups[0] ?? null,
              readerId: who.personId,
              subjectId,
              what: 'erasure',
              why: data.reason ?? 'erasure request',
              at: now,
            },
          });
        }
        return report;
      });
      // Ideas of rounds in voting are kept in memory with their author's name.
      ctx.forgetProposals();
      return report;
    },
  };
}
