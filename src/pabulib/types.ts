/**
 * Data model of a pabulib `.pb` file (https://pabulib.org/format).
 *
 * A file has three sections, each a `;`-separated table with a header row:
 * `META` (`key;value`), `PROJECTS` (first column `project_id`) and `VOTES`
 * (first column `voter_id`). Everything is kept as strings, in file order, so a
 * file can be written back unchanged; typed views live in `convert.ts`.
 */

/** One table: the header row and the data rows, every row as long as the header. */
export interface PbTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Layout details that do not change the content but are needed to write a file back byte for byte. */
export interface PbFormat {
  /** Line ending used between records. */
  readonly eol: '\n' | '\r\n';
  /** Whether the last record is followed by a line ending. */
  readonly finalNewline: boolean;
  /** Whether the text started with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

export interface PbElection {
  /** META entries in file order. Keys are case-sensitive as written. */
  readonly meta: ReadonlyMap<string, string>;
  /** PROJECTS table, rows in file order. */
  readonly projects: PbTable;
  /** VOTES table, rows in file order. */
  readonly votes: PbTable;
  /** Present on parsed files; `writePb` uses it unless told otherwise. */
  readonly format?: PbFormat;
}

export class PbParseError extends Error {
  override readonly name = 'PbParseError';
  constructor(
    message: string,
    /** 1-based line number where the problem was found (0 when not tied to a line). */
    readonly line: number,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
  }
}
