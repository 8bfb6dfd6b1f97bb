import { ballotsUseCases } from './ballots.ts';
import { createContext, type PuljeDeps } from './context.ts';
import { implementationUseCases } from './implementation.ts';
import { logUseCases } from './log.ts';
import { proposalsUseCases } from './proposals.ts';
import { resultsUseCases } from './results.ts';
import { roundsUseCases } from './rounds.ts';
import { setupUseCases } from './setup.ts';

/**
 * Everything a chat adapter (web chat, Discord, Slack) may ask Pulje to do. Each use case takes the acting
 * person (`{ personId }`, from `setup.resolveActor`) and an `unknown` input it validates itself; it checks the
 * actor's role in the group, changes the database in one transaction (logging what it decides), and returns a
 * plain view object. Anything a person did or asked wrongly is a `PuljeError` (render it with `.localize(locale)`),
 * and then nothing has changed.
 */
export function createPulje(deps: PuljeDeps) {
  const ctx = createContext(deps);
  return {
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
export type { Actor, PuljeDeps, Role } from './context.ts';
export type * from './views.ts';
export type { BallotReceipt, OwnBallotView, TurnoutView, BallotItem } from './ballots.ts';
export type { ResultView, ResultProposalView } from './results.ts';
export type { ImplementationView, ProgressUpdateView } from './implementation.ts';
export type { LogEntryView } from './log.ts';
export type { ResolvedActor, Platform } from './setup.ts';
