export { findPersonalData, createPersonalDataFinder, type PersonalDataFinder } from './find.ts';
export {
  redact,
  createRedactor,
  placeholderFor,
  assignPseudonyms,
  letterFor,
  redactOptionsSchema,
  type RedactOptions,
  type RedactResult,
  type Replacement,
  type Redactor,
} from './redact.ts';
export { fenceUserText, readFencedBlocks, neutraliseUserText, fenceInputSchema, type FenceInput, type FencedText } from './fence.ts';
export { personalDataWarning, WARNING_KINDS, type WarningKind } from './warn.ts';
export { isPlausibleCpr, cprYear, ibanChecksumOk } from './detect-numbers.ts';
export {
  PERSONAL_DATA_KINDS,
  findOptionsSchema,
  knownNameSchema,
  type PersonalDataKind,
  type PersonalDataSpan,
  type FindOptions,
  type KnownName,
} from './types.ts';
export { DATA_LEAVING, type DataFlow } from './outbound.ts';
