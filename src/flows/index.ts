import type { Router } from '../conversation/router.ts';
import type { Pulje } from '../usecases/index.ts';
import { registerBallot } from './ballot.ts';
import { registerBind } from './bind.ts';
import type { BallotDraftStore } from './drafts.ts';
import { registerLog } from './log.ts';
import { registerProgress } from './progress.ts';
import { registerProposals } from './proposals.ts';
import { registerResults } from './results.ts';
import { registerRounds } from './rounds.ts';
import { registerTurnout } from './turnout.ts';

export { memoryBallotDrafts, prismaBallotDrafts, type BallotDraftStore, type DraftChoice } from './drafts.ts';

export interface FlowDeps {
  /** Where private ballots being filled in are kept between clicks (the database, so any process can continue). */
  drafts: BallotDraftStore;
}

/**
 * Every youth and staff flow: binding a channel, rounds, proposals, the private ballot, turnout, results,
 * implementation progress and the decision log. Commands carry English names with Danish aliases; every text
 * comes from the catalogs, private answers in the reader's language and public ones in the group's.
 */
export function registerFlows(router: Router, pulje: Pulje, deps: FlowDeps): Router {
  registerBind(router, pulje);
  registerRounds(router, pulje, deps.drafts);
  registerProposals(router, pulje);
  registerBallot(router, pulje, deps.drafts);
  registerTurnout(router, pulje);
  registerResults(router, pulje);
  registerProgress(router, pulje);
  registerLog(router, pulje);
  return router;
}
