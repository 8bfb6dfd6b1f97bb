import { createHash } from 'node:crypto';
import type { Ctx } from './context.ts';

const DAY = 24 * 3600 * 1000;
/** Months as days, for cut-offs: a month is 30 days here (a retention limit, not a calendar). */
const MONTH = 30 * DAY;

export interface RetentionPolicy {
  /** The summary window (PULJE_RETENTION_DAYS): message text, crisis notes' link to a person. */
  retentionDays: number;
  /** PULJE_INACTIVE_MONTHS: a person who has not used Pulje for this long gets a pseudonym instead of a name. */
  inactiveMonths: number;
  /** PULJE_AUDIT_MONTHS: how long the audit of staff reads is kept. */
  auditMonths: number;
}

export interface RetentionReport {
  /** Web chat messages past the window: members' messages and Pulje's private answers, deleted. */
  webMessages: number;
  /** Crisis notes past the window whose person was unlinked (the counts stay). */
  alertsUnlinked: number;
  /** People inactive for longer than the limit who were given a pseudonym. */
  pseudonymised: number;
  /** /mydata links that expired or were used. */
  exportLinks: number;
  /** Audit entries past their keeping time. */
  auditEntries: number;
  /** What was typed into refused forms, kept a day for the form's next opening. */
  formDrafts: number;
  /** Kept public Discord/Slack cards of rounds that are done (or gone), whose buttons no retire took off. */
  publicCards: number;
  /** Dashboard sign-in links that expired or were used. */
  dashboardLinks: number;
  /** Dashboard sessions that expired or were signed out. */
  dashboardSessions: number;
}

/** A stable pseudonym from the person id: the same person gets the same one, and it says nothing about them. */
export const pseudonymFor = (personId: string) =>
  `Deltager ${createHash('sha256').update(`pulje-inactive\u0000${personId}`).digest('hex').slice(0, 6).toUpperCase()}`;

/**
 * Pulje's own retention (issue 15 item 4), run by the scheduler: what is past its time goes, and the run says how
 * much. Captured discussion text is purged by the staff side's own job (discussion.purge); this covers the rest.
 */
export function retentionUseCases(ctx: Ctx, policy: RetentionPolicy, activity?: { flushSeen(): Promise<void> }) {
  return {
    policy,
    async run(): Promise<RetentionReport> {
      // Activity noted but not yet written (it is written every few seconds) counts: nobody active is "inactive".
      await activity?.flushSeen();
      const now = ctx.now().getTime();
      const window = new Date(now - policy.retentionDays * DAY);
      const inactiveBefore = new Date(now - policy.inactiveMonths * MONTH);
      const auditBefore = new Date(now - policy.auditMonths * MONTH);
      const web = await ctx.prisma.webMessage.deleteMany({
        where: { createdAt: { lt: window }, OR: [{ author: 'member' }, { recipientId: { not: null } }] },
      });
      const alerts = await ctx.prisma.safeguardingAlert.updateMany({
        where: { at: { lt: window }, personId: { not: null } },
        data: { personId: null },
      });
      const links = await ctx.prisma.dataExportLink.deleteMany({
        where: { OR: [{ expiresAt: { lt: new Date(now) } }, { usedAt: { not: null } }] },
      });
      const audit = await ctx.prisma.accessAudit.deleteMany({ where: { at: { lt: auditBefore } } });
      const drafts = await ctx.prisma.formDraft.deleteMany({ where: { updatedAt: { lt: new Date(now - DAY) } } });
      // Kept for a retire of their scope, which normally forgets them; what is left (a retire that failed) goes
      // once its round is done, or with its round.
      const keptRounds = [
        ...new Set(
          (await ctx.prisma.publicCard.findMany({ where: { roundId: { not: null } }, select: { roundId: true } })).map((k) => k.roundId!),
        ),
      ];
      const going = new Set(
        (await ctx.prisma.round.findMany({ where: { id: { in: keptRounds }, phase: { not: 'done' } }, select: { id: true } })).map(
          (r) => r.id,
        ),
      );
      const prunable = keptRounds.filter((id) => !going.has(id));
      const cards = prunable.length ? await ctx.prisma.publicCard.deleteMany({ where: { roundId: { in: prunable } } }) : { count: 0 };
      const dashboardLinks = await ctx.prisma.dashboardLink.deleteMany({
        where: { OR: [{ expiresAt: { lte: new Date(now) } }, { usedAt: { not: null } }] },
      });
      const dashboardSessions = await ctx.prisma.dashboardSession.deleteMany({
        where: { OR: [{ expiresAt: { lte: new Date(now) } }, { revokedAt: { not: null } }] },
      });
      const inactive = await ctx.prisma.person.findMany({
        where: {
          erasedAt: null,
          pseudonymisedAt: null,
          OR: [{ lastSeenAt: { lt: inactiveBefore } }, { lastSeenAt: null, createdAt: { lt: inactiveBefore } }],
        },
        select: { id: true },
        take: 5000,
      });
      for (const p of inactive) {
        await ctx.prisma.person.update({
          where: { id: p.id },
          data: { displayName: pseudonymFor(p.id), ageBand: null, pseudonymisedAt: new Date(now) },
        });
      }
      if (inactive.length) ctx.forgetProposals();
      return {
        webMessages: web.count,
        alertsUnlinked: alerts.count,
        pseudonymised: inactive.length,
        exportLinks: links.count,
        auditEntries: audit.count,
        formDrafts: drafts.count,
        publicCards: cards.count,
        dashboardLinks: dashboardLinks.count,
        dashboardSessions: dashboardSessions.count,
      };
    },
  };
}
