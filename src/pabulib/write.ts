import type { PbElection, PbFormat, PbTable } from './types.ts';

const SECTION_NAMES: ReadonlySet<string> = new Set(['META', 'PROJECTS', 'VOTES']);

/** Quotes a field when a reader could otherwise split or misread it. */
function field(value: string): string {
  if (/[;"\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

function record(fields: readonly string[]): string {
  // A reader would take a lone blank field for a blank line, and a section name followed by
  // nothing but empty fields for a section header: quote the first field then.
  const first = fields[0] ?? '';
  let restEmpty = true;
  for (let i = 1; i < fields.length && restEmpty; i++) restEmpty = fields[i]!.trim() === '';
  const ambiguous = restEmpty && (fields.length === 1 && first.trim() === '' ? true : SECTION_NAMES.has(first.trim().toUpperCase()));
  if (!ambiguous) {
    // Fast path: nothing to quote when the joined line has no quote or line break and exactly the
    // separators the join put there.
    const joined = fields.join(';');
    if (!/["\r\n]/.test(joined) && countSeparators(joined) === fields.length - 1) return joined;
  }
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += ';';
    const value = fields[i]!;
    out += i === 0 && ambiguous ? `"${value.replaceAll('"', '""')}"` : field(value);
  }
  return out;
}

function countSeparators(line: string): number {
  let n = 0;
  for (let i = line.indexOf(';'); i !== -1; i = line.indexOf(';', i + 1)) n++;
  return n;
}

function checkTable(name: string, table: PbTable, firstColumn: string): void {
  if (table.columns[0]?.trim() !== firstColumn) throw new Error(`${name} must start with a ${firstColumn} column`);
  const width = table.columns.length;
  table.rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new Error(`${name} row ${i + 1} has ${row.length} fields but the header has ${width}`);
    }
  });
}

/**
 * Writes an election as `.pb` text: META (`key;value`), PROJECTS and VOTES in that order.
 *
 * Fields containing `;`, `"`, CR or LF are quoted (`"` doubled inside), everything else is written
 * as is, so `writePb(parsePb(text))` gives back `text` for files written with that convention
 * (all pabulib files we have seen). Layout defaults to the election's parsed `format`, else LF line
 * endings with a final newline and no BOM; `options` overrides either.
 */
export function writePb(election: PbElection, options: Partial<PbFormat> = {}): string {
  const format: PbFormat = {
    eol: '\n',
    finalNewline: true,
    bom: false,
    ...election.format,
    ...options,
  };
  checkTable('PROJECTS', election.projects, 'project_id');
  checkTable('VOTES', election.votes, 'voter_id');
  const lines: string[] = ['META', 'key;value'];
  for (const [key, value] of election.meta) lines.push(record([key, value]));
  lines.push('PROJECTS', record(election.projects.columns));
  for (const row of election.projects.rows) lines.push(record(row));
  lines.push('VOTES', record(election.votes.columns));
  for (const row of election.votes.rows) lines.push(record(row));
  let text = lines.join(format.eol);
  if (format.finalNewline) text += format.eol;
  return format.bom ? `\uFEFF${text}` : text;
}
