import { registerLanguage } from './language.ts';
import type { Router } from '../conversation/router.ts';
import type { Pulje } from '../usecases/index.ts';
import { registerBallot } from './ballot.ts';
import { registerBind } from './bind.ts';
import { registerDecisions } from './decisions.ts';
import { registerLog } from './log.ts';
import { registerProgress } from './progress.ts';
import { registerProposals } from './proposals.ts';
import { registerResults } from './results.ts';
import { registerRounds } from './rounds.ts';
import { registerTurnout } from './turnout.ts';
import { registerSay } from './say.ts';
import { registerPrivacy } from './privacy.ts';
import type { Safeguard } from './safeguarding.ts';

/**
 * Every youth and staff flow: binding a channel, rounds, proposals, the private ballot, turnout, results,
 * implementation progress, the decision log, and staff decisions in the open. Commands carry English names with Danish aliases; every text
 * comes from the catalogs, private answers in the reader's language and public ones in the group's.
 */
export function registerFlows(router: Router, pulje: Pulje, opts: { safeguard?: Safeguard; publicUrl?: string | undefined } = {}): Router {
  registerBind(router, pulje);
  registerRounds(router, pulje, pulje.drafts);
  registerProposals(router, pulje, opts.safeguard);
  registerBallot(router, pulje, pulje.drafts);
  registerTurnout(router, pulje);
  registerResults(router, pulje);
  registerProgress(router, pulje);
  registerLog(router, pulje);
  registerDecisions(router, pulje);
  registerLanguage(router, pulje);
  registerSay(router, pulje);
  registerPrivacy(router, pulje, opts.safeguard, { publicUrl: opts.publicUrl });
  return router;
}
