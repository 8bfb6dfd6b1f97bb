import { slackInstallationsUseCases } from './installations.ts';
import { ballotsUseCases } from './ballots.ts';
import { createContext, type PuljeDeps } from './context.ts';
import { implementationUseCases } from './implementation.ts';
import { decisionsUseCases } from './decisions.ts';
import { logUseCases } from './log.ts';
import { proposalsUseCases } from './proposals.ts';
import { resultsUseCases } from './results.ts';
import { roundsUseCases } from './rounds.ts';
import { setupUseCases } from './setup.ts';
import { directoryUseCases, handledEventsUseCases } from './directory.ts';
import { draftsUseCases } from './drafts.ts';
import { webChatUseCases } from './web-chat.ts';
import { deadlinesUseCases } from './deadlines.ts';
import { digestsUseCases } from './digests.ts';
import { discussionUseCases } from './discussion.ts';
import { jobRunsUseCases } from './job-runs.ts';
import { overridesUseCases } from './overrides.ts';
import { noticesUseCases } from './notices.ts';
import { remindersUseCases } from './reminders.ts';
import { staffSettingsUseCases } from './staff-settings.ts';
import { localFeed } from './live.ts';
import { healthUseCases } from './health.ts';
import { dashboardAccessUseCases } from './dashboard-access.ts';
import { outcomesUseCases } from './outcomes.ts';
import { voiceUseCases } from './voice.ts';
import { privacyUseCases } from './privacy.ts';
import { safeguardingUseCases } from './safeguarding.ts';
import { auditUseCases } from './audit.ts';
import { retentionUseCases } from './retention.ts';
import { formDraftsUseCases } from './form-drafts.ts';
import { publicCardsUseCases } from './public-cards.ts';

/**
 * Everything a chat adapter (web chat, Discord, Slack) may ask Pulje to do. Each use case takes the acting
 * person (`{ personId }`, from `setup.resolveActor`) and an `unknown` input it validates itself; it checks the
 * actor's role in the group, changes the database in one transaction (logging what it decides), and returns a
 * plain view object. Anything a person did or asked wrongly is a `PuljeError` (render it with `.localize(locale)`),
 * and then nothing has changed.
 */
export function createPulje(deps: PuljeDeps & { retentionDays?: number; inactiveMonths?: number; auditMonths?: number }) {
  const ctx = createContext(deps);
  const defaultLocale = deps.defaultLocale ?? 'da';
  const directory = directoryUseCases(ctx, defaultLocale);
  return {
    /** Who is behind a platform account, which group a chat place belongs to, and enrolment of newcomers. */
    directory,
    /** Inbound events already handled (platform redeliveries act once). */
    events: handledEventsUseCases(ctx, deps.claimLeaseMs ? { leaseMs: deps.claimLeaseMs } : {}),
    /** Whether the database answers (health checks). */
    health: healthUseCases(ctx),
    /** Private ballots being filled in, between clicks. */
    drafts: draftsUseCases(ctx),
    /** The built-in web chat's rooms, history and invites. */
    webChat: webChatUseCases(ctx, defaultLocale),
    /** What changed, for open screens served by other processes (PostgreSQL LISTEN/NOTIFY). */
    live: deps.live ?? localFeed(),
    setup: setupUseCases(ctx),
    rounds: roundsUseCases(ctx),
    proposals: proposalsUseCases(ctx),
    ballots: ballotsUseCases(ctx),
    results: resultsUseCases(ctx),
    implementation: implementationUseCases(ctx),
    log: logUseCases(ctx),
    /** The staff side (issue 12): captured discussion, summaries kept, talk share; text kept `retentionDays` (30). */
    discussion: discussionUseCases(ctx, { retentionDays: deps.retentionDays ?? 30 }),
    staffSettings: staffSettingsUseCases(ctx),
    overrides: overridesUseCases(ctx),
    reminders: remindersUseCases(ctx),
    digests: digestsUseCases(ctx),
    /** Pulje itself at a deadline: voting closes and the result is published. */
    deadlines: deadlinesUseCases(ctx),
    /** Leases of scheduled jobs (one run per slot across processes). */
    jobRuns: jobRunsUseCases(ctx),
    /** Where Pulje reaches a group and its people on its own (reminders, digests, results at a deadline). */
    notices: noticesUseCases(ctx),
    /** Staff decisions in the open: read from the log, with young people's private disagreement. */
    decisions: decisionsUseCases(ctx),
    /** The programme dashboard's sign-in: one-time links, sessions kept in the database (issue 14). */
    dashboardAccess: dashboardAccessUseCases(ctx),
    /** The dashboard's outcome figures, scoped to what the viewer may see. */
    outcomes: outcomesUseCases(ctx),
    /** "Did you have a real say?" and the staff's Lundy self-assessment. */
    voice: voiceUseCases(ctx),
    /** Crisis signposting (issue 15): per-organisation settings and the record of signals (never the text). */
    safeguarding: safeguardingUseCases(ctx),
    /** A person's own data: export (/mydata), erasure (/forgetme), age band. */
    privacy: privacyUseCases(ctx),
    /** Staff and admin reads of young people's data, for admins to see. */
    audit: auditUseCases(ctx),
    /** What is past its time goes (issue 15 item 4): web chat text, crisis notes' person, inactive names, old audit. */
    retention: retentionUseCases(
      ctx,
      {
        retentionDays: deps.retentionDays ?? 30,
        inactiveMonths: deps.inactiveMonths ?? 12,
        auditMonths: deps.auditMonths ?? 24,
      },
      directory,
    ),
    /** Slack workspaces that installed Pulje through OAuth, with their bot tokens. */
    slackInstallations: slackInstallationsUseCases(ctx),
    /** What was typed into a refused form, for the next time it opens (the router's, like `events`). */
    formDrafts: formDraftsUseCases(ctx),
    /** Public Discord and Slack cards whose buttons a round's next phase takes off (the adapters' surfaces). */
    publicCards: publicCardsUseCases(ctx),
  };
}

export type Pulje = ReturnType<typeof createPulje>;
export type { Actor, PuljeDeps } from './context.ts';
export type { Role } from '../domain/roles.ts';
export type * from './views.ts';
export type { BallotReceipt, OwnBallotView, TurnoutView, BallotItem } from './ballots.ts';
export type { ResultView, ResultProposalView, MyBallotView } from './results.ts';
export type * from '../domain/my-ballot.ts';
export type { ImplementationView, ProgressUpdateView } from './implementation.ts';
export type { LogEntryView } from './log.ts';
export type { SlackInstallationView } from './installations.ts';
export type { DecisionView, DecisionKind, StaffShown } from './decisions.ts';
export type { DashboardViewer } from './dashboard-access.ts';
export type { Outcomes, OutcomeFilter, OverrideReason } from './outcomes.ts';
export type * from '../domain/outcomes.ts';
export type { ResolvedActor, Platform } from './setup.ts';
export type { DirectoryConversation, DirectoryPerson, PlatformAccount } from './directory.ts';
export type { WebMessageRow, WebRoom } from './web-chat.ts';
export type { CaptureResult, DiscussionWindow, DiscussionMessageView, NudgeView, SummaryRecord } from './discussion.ts';
export type { StaffSettingsView } from './staff-settings.ts';
export type { OverrideCounts, OverrideKind } from './overrides.ts';
export type { DueReminder, ReminderOutcome } from './reminders.ts';
export type { DigestFrequency, DigestSubscriptionView } from './digests.ts';
export type { ClosedAtDeadline } from './deadlines.ts';
export type { LiveFeed, LiveNotice } from '../db/live.ts';
export type { SafeguardingSettingsView, RecordedSignal, AlertTo } from './safeguarding.ts';
export type { PersonalDataExport, ErasureReport, AgeBand } from './privacy.ts';
export type { AuditEntryView } from './audit.ts';
export type { RetentionReport, RetentionPolicy } from './retention.ts';
export { isDatabaseUnavailable } from '../db/errors.ts';
