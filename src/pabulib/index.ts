/** Reading and writing pabulib `.pb` files (https://pabulib.org/format). */
export { parsePb } from './parse.ts';
export { writePb } from './write.ts';
export { buildPb, type PbExport, type PbExportProject } from './build.ts';
export {
  PbConvertError,
  columnIndex,
  metaValue,
  pbBallots,
  pbMethod,
  pbMoneyDecimals,
  pbProjects,
  pbSelected,
  pbThreshold,
  pbToTallyInput,
} from './convert.ts';
export { readPb, PbReadError, type PbRead } from './read.ts';
export { PbParseError, type PbElection, type PbFormat, type PbTable } from './types.ts';
