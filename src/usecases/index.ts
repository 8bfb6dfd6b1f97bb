import { ballotsUseCases } from './ballots.ts';
import { createContext, type PuljeDeps } from './context.ts';
import { implementationUseCases } from './implementation.ts';
import { logUseCases } from './log.ts';
import { proposalsUseCases } from './proposals.ts';
import { resultsUseCases } from './results.ts';
import { roundsUseCases } from './rounds.ts';
import { setupUseCases } from './setup.ts';
import { directoryUseCases, handledEventsUseCases } from './directory.ts';
import { draftsUseCases } from './drafts.ts';
import { webChatUseCases } from './web-chat.ts';
import { localFeed } from './live.ts';
import { healthUseCases } from './health.ts';

/**
 * Everything a chat adapter (web chat, Discord, Slack) may ask Pulje to do. Each use case takes the acting
 * person (`{ personId }`, from `setup.resolveActor`) and an `unknown` input it validates itself; it checks the
 * actor's role in the group, changes the database in one transaction (logging what it decides), and returns a
 * plain view object. Anything a person did or asked wrongly is a `PuljeError` (render it with `.localize(locale)`),
 * and then nothing has changed.
 */
export function createPulje(deps: PuljeDeps) {
  const ctx = createContext(deps);
  const defaultLocale = deps.defaultLocale ?? 'da';
  return {
    /** Who is behind a platform account, which group a chat place belongs to, and enrolment of newcomers. */
    directory: directoryUseCases(ctx, defaultLocale),
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
  };
}

export type Pulje = ReturnType<typeof createPulje>;
export type { Actor, PuljeDeps } from './context.ts';
export type { Role } from '../domain/roles.ts';
export type * from './views.ts';
export type { BallotReceipt, OwnBallotView, TurnoutView, BallotItem } from './ballots.ts';
export type { ResultView, ResultProposalView } from './results.ts';
export type { ImplementationView, ProgressUpdateView } from './implementation.ts';
export type { LogEntryView } from './log.ts';
export type { ResolvedActor, Platform } from './setup.ts';
export type { DirectoryConversation, DirectoryPerson, PlatformAccount } from './directory.ts';
export type { WebMessageRow, WebRoom } from './web-chat.ts';
export type { LiveFeed, LiveNotice } from '../db/live.ts';
export { isDatabaseUnavailable } from '../db/errors.ts';
