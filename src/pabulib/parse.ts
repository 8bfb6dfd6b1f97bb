import { PbParseError, type PbElection, type PbFormat, type PbTable } from './types.ts';

export type SectionName = 'META' | 'PROJECTS' | 'VOTES';
const SECTION_NAMES: ReadonlySet<string> = new Set(['META', 'PROJECTS', 'VOTES']);

export interface RawRecord {
  fields: string[];
  /** Whether any field was quoted (a quoted `"VOTES"` is data, not a section header). */
  quoted: boolean;
  line: number;
}

/**
 * Reads `;`-separated records with CSV quoting (`"a;b"`, `""` for a quote inside quotes,
 * quoted fields may span lines). Lines without a quote take a fast `split` path.
 */
export class RecordReader {
  private pos: number;
  private line = 1;
  /** Position of the next `"` at or after `pos` (or -1): kept so lines are not rescanned. */
  private nextQuote = -2;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
    this.nextQuote = text.indexOf('"', start);
  }

  /** Where the next record starts, and its line number (for a caller that reads some lines itself). */
  get offset(): number {
    return this.pos;
  }
  get lineNumber(): number {
    return this.line;
  }
  /** Continues at `offset` (the start of a line), numbered `line`. */
  seek(offset: number, line: number): void {
    this.pos = offset;
    this.line = line;
  }

  next(): RawRecord | null {
    const text = this.text;
    if (this.pos >= text.length) return null;
    const start = this.pos;
    const line = this.line;
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    if (this.nextQuote !== -1 && this.nextQuote < start) this.nextQuote = text.indexOf('"', start);
    if (this.nextQuote === -1 || this.nextQuote > nl) {
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      this.pos = nl + 1;
      this.line++;
      return { fields: text.slice(start, end).split(';'), quoted: false, line };
    }
    return this.slowRecord(line);
  }

  private slowRecord(line: number): RawRecord {
    const text = this.text;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let i = this.pos;
    let atFieldStart = true;
    for (;;) {
      if (i >= text.length) {
        fields.push(field);
        this.pos = i;
        return { fields, quoted, line };
      }
      const ch = text[i]!;
      if (atFieldStart && ch === '"') {
        quoted = true;
        i++;
        // Quoted field: read until a lone closing quote.
        for (;;) {
          if (i >= text.length) throw new PbParseError('unterminated quoted field', line);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') this.line++;
          field += c;
          i++;
        }
        atFieldStart = false;
        continue;
      }
      atFieldStart = false;
      if (ch === ';') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
        fields.push(field);
        this.pos = i + (ch === '\r' ? 2 : 1);
        this.line++;
        return { fields, quoted, line };
      } else {
        // Characters after a closing quote, or a stray quote inside an unquoted field, are kept as
        // written (the lenient behaviour of common CSV readers).
        field += ch;
        i++;
      }
    }
  }
}

export function isBlank(rec: RawRecord): boolean {
  return !rec.quoted && rec.fields.length === 1 && rec.fields[0]!.trim() === '';
}

/** A section header: the name alone (any case, spaces around it or empty fields after it allowed). */
export function sectionOf(rec: RawRecord): SectionName | null {
  if (rec.quoted) return null;
  for (let i = 1; i < rec.fields.length; i++) if (rec.fields[i]!.trim() !== '') return null;
  const name = rec.fields[0]!.trim().toUpperCase();
  return SECTION_NAMES.has(name) ? (name as SectionName) : null;
}

function detectFormat(text: string, bom: boolean): PbFormat {
  const nl = text.indexOf('\n');
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  return { eol, bom, finalNewline: text.endsWith('\n') };
}

/**
 * Parses the text of a pabulib `.pb` file.
 *
 * Accepts LF or CRLF line endings, a leading UTF-8 BOM, blank lines, quoted fields
 * (`"…;…"`, `""` inside quotes) and section names in any letter case. Rows shorter than the
 * header are padded with empty strings; longer rows are an error. All three sections are
 * required. Throws {@link PbParseError} with a line number on malformed input.
 */
export function parsePb(text: string): PbElection {
  let start = 0;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) start = 1;
  const format = detectFormat(text, bom);
  const reader = new RecordReader(text, start);

  const tables = new Map<SectionName, { columns: string[]; rows: string[][]; line: number }>();
  let current: { name: SectionName; columns: string[] | null; rows: string[][]; line: number } | null = null;

  const finish = (): void => {
    if (!current) return;
    if (!current.columns) throw new PbParseError(`section ${current.name} has no header row`, current.line);
    tables.set(current.name, { columns: current.columns, rows: current.rows, line: current.line });
  };

  for (let rec = reader.next(); rec; rec = reader.next()) {
    if (isBlank(rec)) continue;
    const section = sectionOf(rec);
    if (section) {
      finish();
      if (tables.has(section)) throw new PbParseError(`section ${section} appears twice`, rec.line);
      current = { name: section, columns: null, rows: [], line: rec.line };
      continue;
    }
    if (!current) throw new PbParseError('expected a section name (META, PROJECTS or VOTES)', rec.line);
    if (!current.columns) {
      current.columns = rec.fields;
      continue;
    }
    const width = current.columns.length;
    const fields = rec.fields;
    if (fields.length > width) {
      throw new PbParseError(`${current.name} row has ${fields.length} fields but the header has ${width}`, rec.line);
    }
    while (fields.length < width) fields.push('');
    current.rows.push(fields);
  }
  finish();

  for (const name of ['META', 'PROJECTS', 'VOTES'] as const) {
    if (!tables.has(name)) throw new PbParseError(`missing section ${name}`, 0);
  }
  const metaTable = tables.get('META')!;
  const meta = new Map<string, string>();
  for (const row of metaTable.rows) meta.set(row[0]!, row[1] ?? '');

  const table = (name: SectionName): PbTable => {
    const t = tables.get(name)!;
    return { columns: t.columns, rows: t.rows };
  };
  const projects = table('PROJECTS');
  const votes = table('VOTES');
  if (projects.columns[0]?.trim() !== 'project_id') {
    throw new PbParseError('PROJECTS must start with a project_id column', tables.get('PROJECTS')!.line + 1);
  }
  if (votes.columns[0]?.trim() !== 'voter_id') {
    throw new PbParseError('VOTES must start with a voter_id column', tables.get('VOTES')!.line + 1);
  }
  return { meta, projects, votes, format };
}
