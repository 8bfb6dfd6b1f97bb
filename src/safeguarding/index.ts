export { detectCrisis, crisisInputSchema, compilePattern, type CrisisResult, type CrisisSignal } from './detect.ts';
export { normalise, type Normalised } from './normalise.ts';
export { PHRASES, IDIOMS, CRISIS_CATEGORIES, type CrisisLevel, type CrisisCategory, type Phrase } from './phrases.ts';
export {
  HELP_LINES,
  helpLinesOpenAt,
  statusAt,
  copenhagenClock,
  helpLinesFileSchema,
  type HelpLine,
  type HelpLinesFile,
  type HelpLineChoice,
  type HelpLineStatus,
} from './help-lines.ts';
export { classifyWithModel, crisisJudgementSchema, type CrisisJudgement } from './classifier.ts';
