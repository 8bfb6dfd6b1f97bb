import conversation from '../conversation/texts.ts';
import ballot from '../flows/texts/ballot.ts';
import bind from '../flows/texts/bind.ts';
import decisions from '../flows/texts/decisions.ts';
import flowCommon from '../flows/texts/common.ts';
import home from '../flows/texts/home.ts';
import log from '../flows/texts/log.ts';
import mine from '../flows/texts/mine.ts';
import progress from '../flows/texts/progress.ts';
import proposals from '../flows/texts/proposals.ts';
import results from '../flows/texts/results.ts';
import rounds from '../flows/texts/rounds.ts';
import turnout from '../flows/texts/turnout.ts';
import say from '../flows/texts/say.ts';
import staff from '../staff/texts.ts';
import privacy from '../flows/texts/privacy.ts';
import safeguarding from '../safeguarding/texts.ts';
import core from './texts/core.ts';

/**
 * Every catalog of src/, one per module (each module keeps its texts beside its code). Adapters keep theirs in
 * adapters/<platform>/texts.ts and format them with the same machinery (createTranslator).
 */
export const SOURCE_CATALOGS = {
  core,
  conversation,
  flowCommon,
  home,
  ballot,
  bind,
  decisions,
  log,
  mine,
  progress,
  proposals,
  results,
  rounds,
  turnout,
  say,
  staff,
  privacy,
  safeguarding,
};
