import { preparedFromArrays, type Prepared } from '../tally/prepare.ts';
import type { VoteType } from '../tally/types.ts';
import { parseDecimal, scaled, type Decimal } from './amounts.ts';
import { isBlank, RecordReader, sectionOf, type SectionName } from './parse.ts';
import { PbParseError } from './types.ts';

/**
 * Reading a pabulib file for tallying, in one pass and leniently.
 *
 * `parsePb` keeps every field as a string so a file can be written back byte for byte; this reader
 * is for counting: META and PROJECTS through the same record reader, then VOTES straight from the
 * text into the tally's typed arrays (no row arrays, no id substrings), with every oddity of real
 * files turned into a warning instead of an error. Only a file that cannot be tallied at all (no
 * VOTES or PROJECTS section, no budget, an unknown vote type) throws.
 *
 * Oddities (from the pabulib format description and pabutools' reader, which this follows where it
 * decides something):
 * - money with decimals, point or comma ("1647263.73", "1647263,73"): every amount of the file is
 *   scaled to one minor unit (10^d for the most decimals used), so ratios such as MES's budget per
 *   voter are unchanged; a decimal comma is reported;
 * - a project named twice in one ballot: approval counts it once, ordinal keeps its first place,
 *   cumulative keeps the last points given (pabutools' dictionary does the same);
 * - empty ids in a vote ("1,,2", a trailing comma) are skipped; ids are trimmed;
 * - an id in a vote that is not among the projects is skipped;
 * - non-integer or negative points: points are scaled like money; negative ones are dropped;
 * - points and ids of different lengths: the shorter decides;
 * - a project without a readable cost, a negative cost, or an id used twice: it is left out;
 * - `None` fields (pabutools' empty value) count as empty;
 * - META: missing `vote_type` (approval assumed), a key given twice (the last wins), `num_votes` or
 *   `num_projects` that disagree with the file, ballots longer than `max_length` (ranks past it
 *   score 0) or shorter than `min_length`, choose-1 ballots with more than one project;
 * - rows longer than their header (extra fields ignored), repeated voter ids (every row counts).
 * Warnings are one line per kind, with a count and the first example.
 */
export interface PbRead {
  /** META entries, keys trimmed and lower-cased (the last of repeated keys). */
  readonly meta: ReadonlyMap<string, string>;
  readonly voteType: VoteType;
  /** The file's own vote type word (`approval`, `choose-1`, `cumulative`, `scoring`, `ordinal`). */
  readonly fileVoteType: string;
  /** Minor units per currency unit: amounts in `prepared` are the file's amounts times this. */
  readonly moneyScale: number;
  /** log10 of moneyScale: how many decimals amounts are shown with. */
  readonly moneyDecimals: number;
  /** Points per point written in the file (cumulative ballots with decimal points), else 1. */
  readonly pointsScale: number;
  /** Ballots, projects (file order, those left out excluded) and budget, ready for `tallyPrepared`. */
  readonly prepared: Prepared;
  /** Ids of projects marked selected = 1 in the file. */
  readonly officialSelected: readonly string[];
  /** One line per kind of oddity. */
  readonly warnings: readonly string[];
}

export class PbReadError extends Error {
  override readonly name = 'PbReadError';
}

const VOTE_TYPES: ReadonlyMap<string, VoteType> = new Map([
  ['approval', 'approval'],
  ['choose-1', 'approval'],
  ['cumulative', 'cumulative'],
  ['scoring', 'cumulative'],
  ['ordinal', 'ordinal'],
]);

/** Counts one kind of oddity, keeping the first example. */
class Oddities {
  private readonly kinds = new Map<string, { count: number; example: string; unit: string }>();
  add(kind: string, example: string, unit = 'time'): void {
    const known = this.kinds.get(kind);
    if (known) known.count++;
    else this.kinds.set(kind, { count: 1, example, unit });
  }
  lines(): string[] {
    return [...this.kinds].map(([kind, { count, example, unit }]) =>
      count === 1
        ? `${kind} (${example})`
        : `${kind}: ${count} ${unit.endsWith('y') ? `${unit.slice(0, -1)}ies` : `${unit}s`} (first: ${example})`,
    );
  }
}

const isNone = (text: string) => text.length === 4 && text.toLowerCase() === 'none';

/** Reads a pabulib file for tallying. Throws {@link PbReadError} (or PbParseError) only when it cannot be tallied. */
export function readPb(text: string): PbRead {
  const odd = new Oddities();
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const reader = new RecordReader(text, start);
  const meta = new Map<string, string>();
  const projectRows: { fields: string[]; line: number }[] = [];
  let projectHeader: string[] | undefined;
  let votes: VotesSection | undefined;
  let section: SectionName | null = null;
  let header: string[] | null = null;

  for (let rec = reader.next(); rec; rec = reader.next()) {
    if (isBlank(rec)) continue;
    const name = sectionOf(rec);
    if (name) {
      section = name;
      header = null;
      continue;
    }
    if (!section) throw new PbParseError('expected a section name (META, PROJECTS or VOTES)', rec.line);
    if (!header) {
      header = rec.fields.map((f) => f.trim());
      if (section === 'PROJECTS') projectHeader = header;
      if (section === 'VOTES') {
        if (votes) throw new PbParseError('section VOTES appears twice', rec.line);
        const end = skipVotes(text, reader.offset);
        votes = { header, offset: reader.offset, line: reader.lineNumber, end: end.offset };
        reader.seek(end.offset, reader.lineNumber + end.lines);
        section = null;
      }
      continue;
    }
    if (section === 'META') {
      const key = rec.fields[0]!.trim().toLowerCase();
      if (meta.has(key)) odd.add('META key given twice, the last one is used', key, 'key');
      meta.set(key, (rec.fields[1] ?? '').trim());
    } else if (section === 'PROJECTS') projectRows.push({ fields: rec.fields, line: rec.line });
  }
  if (!projectHeader) throw new PbReadError('the file has no PROJECTS section');
  if (!votes) throw new PbReadError('the file has no VOTES section');

  const fileVoteType = (meta.get('vote_type') ?? '').toLowerCase();
  if (fileVoteType === '') odd.add('META has no vote_type; read as approval', 'vote_type');
  const voteType = fileVoteType === '' ? 'approval' : VOTE_TYPES.get(fileVoteType);
  if (!voteType) throw new PbReadError(`unsupported vote_type ${JSON.stringify(fileVoteType)}`);

  // Money: budget and costs as exact decimals, then one scale for all.
  const budgetText = meta.get('budget');
  if (budgetText === undefined) throw new PbReadError('META has no budget');
  const budgetDecimal = parseDecimal(budgetText);
  if (!budgetDecimal || budgetDecimal.negative)
    throw new PbReadError(`META budget must be a non-negative amount, got ${JSON.stringify(budgetText)}`);
  const idCol = projectHeader.indexOf('project_id');
  const costCol = projectHeader.indexOf('cost');
  const selectedCol = projectHeader.indexOf('selected');
  if (idCol === -1) throw new PbReadError('PROJECTS has no project_id column');
  if (costCol === -1) throw new PbReadError('PROJECTS has no cost column');
  const ids: string[] = [];
  const costDecimals: Decimal[] = [];
  const officialSelected: string[] = [];
  const seen = new Set<string>();
  let comma = budgetDecimal.comma;
  for (const { fields, line } of projectRows) {
    if (fields.length > projectHeader.length) odd.add('rows longer than their header; extra fields ignored', `line ${line}`, 'row');
    const id = (fields[idCol] ?? '').trim();
    const costText = (fields[costCol] ?? '').trim();
    if (id === '') {
      odd.add('projects without an id left out', `line ${line}`, 'project');
      continue;
    }
    if (seen.has(id)) {
      odd.add('project ids given twice; the first is used', id, 'project');
      continue;
    }
    const cost = isNone(costText) ? undefined : parseDecimal(costText);
    if (!cost || cost.negative) {
      odd.add('projects without a readable cost left out', `${id}: ${JSON.stringify(costText)}`, 'project');
      continue;
    }
    seen.add(id);
    comma ||= cost.comma;
    ids.push(id);
    costDecimals.push(cost);
    if (selectedCol !== -1 && (fields[selectedCol] ?? '').trim() === '1') officialSelected.push(id);
  }
  if (comma) odd.add('amounts written with a decimal comma', budgetText);
  let moneyDecimals = budgetDecimal.decimals;
  for (const c of costDecimals) moneyDecimals = Math.max(moneyDecimals, c.decimals);
  const budget = scaled(budgetDecimal, moneyDecimals);
  if (budget === undefined) throw new PbReadError(`META budget ${budgetText} is too large to count exactly`);
  const costs = new Float64Array(ids.length);
  costDecimals.forEach((c, j) => {
    const value = scaled(c, moneyDecimals);
    if (value === undefined) throw new PbReadError(`cost of project ${ids[j]} is too large to count exactly`);
    costs[j] = value;
  });
  if (moneyDecimals > 0) {
    odd.add(`amounts have decimals; counted in units of 1/${10 ** moneyDecimals}`, budgetText);
  }
  const numProjects = meta.get('num_projects');
  if (numProjects !== undefined && numProjects !== '' && Number(numProjects) !== projectRows.length) {
    odd.add('META num_projects differs from the PROJECTS rows', `${numProjects} vs ${projectRows.length}`);
  }

  const ballots = readVotes(text, votes, ids, voteType, fileVoteType, meta, odd);
  const prepared = preparedFromArrays({
    ids,
    costs,
    budget,
    type: voteType,
    ballotStart: ballots.ballotStart,
    entryProject: ballots.entryProject,
    entryValue: ballots.entryValue,
    ballotWeight: ballots.ballotWeight,
  });
  const numVotes = meta.get('num_votes');
  if (numVotes !== undefined && numVotes !== '' && Number(numVotes) !== ballots.ballotWeight.length) {
    odd.add('META num_votes differs from the VOTES rows', `${numVotes} vs ${ballots.ballotWeight.length}`);
  }
  return {
    meta,
    voteType,
    fileVoteType: fileVoteType || 'approval',
    moneyScale: 10 ** moneyDecimals,
    moneyDecimals,
    pointsScale: ballots.pointsScale,
    prepared,
    officialSelected,
    warnings: odd.lines(),
  };
}

/** The end of the VOTES rows: the start of the next section header line, or the end of the text. */
function skipVotes(text: string, offset: number): { offset: number; lines: number } {
  let lines = 0;
  let pos = offset;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    if (looksLikeSection(text, pos, nl)) return { offset: pos, lines };
    pos = nl + 1;
    lines++;
  }
  return { offset: text.length, lines };
}

/** Whether the line [a, b) is a section header (META/PROJECTS/VOTES, any case, blank fields after it). */
function looksLikeSection(text: string, a: number, b: number): boolean {
  let i = a;
  while (i < b && text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i) | 0x20;
  if (c !== 0x6d && c !== 0x70 && c !== 0x76) return false; // m, p, v
  const line = text.slice(a, b).replace(/\r$/, '');
  const fields = line.split(';');
  for (let f = 1; f < fields.length; f++) if (fields[f]!.trim() !== '') return false;
  const name = fields[0]!.trim().toUpperCase();
  return name === 'META' || name === 'PROJECTS' || name === 'VOTES';
}

interface VotesSection {
  readonly header: string[];
  /** Text offset of the first row, its line number, and the offset just past the last row. */
  readonly offset: number;
  readonly line: number;
  readonly end: number;
}

interface Ballots {
  ballotStart: Int32Array;
  entryProject: Int32Array;
  entryValue: Float64Array;
  ballotWeight: Float64Array;
  pointsScale: number;
}

/**
 * Open-addressing table from project id to index, looked up by a range of the text (no substring).
 */
class IdTable {
  private readonly mask: number;
  private readonly slots: Int32Array;
  constructor(private readonly ids: readonly string[]) {
    let size = 16;
    while (size < 4 * ids.length) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    ids.forEach((id, j) => {
      let h = hashString(id) & this.mask;
      while (this.slots[h] !== -1) h = (h + 1) & this.mask;
      this.slots[h] = j;
    });
  }
  /** Index of the id text[a, b), or −1. */
  find(text: string, a: number, b: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = a; i < b; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const j = this.slots[s]!;
      if (j === -1) return -1;
      const id = this.ids[j]!;
      if (id.length === b - a && text.startsWith(id, a)) return j;
    }
  }
}

function hashString(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h;
}

/** Growable typed arrays for the entries. */
class Entries {
  project = new Int32Array(1 << 16);
  value = new Float64Array(1 << 16);
  length = 0;
  push(j: number, v: number): void {
    if (this.length === this.project.length) this.grow();
    this.project[this.length] = j;
    this.value[this.length++] = v;
  }
  private grow(): void {
    {
      const p = new Int32Array(this.project.length * 2);
      p.set(this.project);
      this.project = p;
      const v2 = new Float64Array(this.value.length * 2);
      v2.set(this.value);
      this.value = v2;
    }
  }
}

const COMMA = 44;
const SEMI = 59;
const SPACE = 32;
const TAB = 9;
const CR = 13;

/** VOTES rows straight into arrays. */
function readVotes(
  text: string,
  votes: VotesSection,
  ids: readonly string[],
  voteType: VoteType,
  fileVoteType: string,
  meta: ReadonlyMap<string, string>,
  odd: Oddities,
): Ballots {
  const voteCol = votes.header.indexOf('vote');
  if (voteCol === -1) throw new PbReadError('VOTES has no vote column');
  const pointsCol = votes.header.indexOf('points');
  if (voteType === 'cumulative' && pointsCol === -1) throw new PbReadError(`${fileVoteType} votes need a points column`);
  const voterCol = votes.header.indexOf('voter_id');
  const width = votes.header.length;
  const table = new IdTable(ids);
  const m = ids.length;
  const stamp = new Int32Array(m).fill(-1);
  const at = new Int32Array(m);
  const entries = new Entries();
  let starts = new Int32Array(1 << 14);
  let nb = 0;
  const maxLength = integerMeta(meta, 'max_length');
  const minLength = integerMeta(meta, 'min_length');
  const voterIds = new Set<string>();
  const numericVoters = new Set<number>();
  /** Cumulative: raw points per entry as decimals, scaled once all are read. */
  const rawPoints: Decimal[] = [];
  let pointsDecimals = 0;
  let longest = 0;

  const end = votes.end;
  let fields: Int32Array<ArrayBuffer> = new Int32Array(64); // start/end pairs of the current row's fields
  let seenBits = new Uint8Array(1 << 12);
  let nextQuote = text.indexOf('"', votes.offset);
  let pos = votes.offset;
  let line = votes.line;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    let lineEnd = nl;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    const rowLine = line;
    const rowStart = pos;
    pos = nl + 1;
    line++;
    if (isBlankRange(text, rowStart, lineEnd)) continue;
    if (nextQuote !== -1 && nextQuote < rowStart) nextQuote = text.indexOf('"', rowStart);
    let src = text;
    let nFields = 0;
    if (nextQuote !== -1 && nextQuote < lineEnd) {
      // Quoted fields (rare in VOTES): this record through the general reader (it may span lines); the
      // unquoted fields are laid out in a string of their own, separated by a character ids never contain.
      const reader = new RecordReader(text, rowStart);
      const rec = reader.next()!;
      for (let i = nl + 1; i < reader.offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
      pos = Math.max(pos, reader.offset);
      src = '';
      for (const f of rec.fields) {
        if (2 * nFields + 2 > fields.length) fields = grow(fields);
        fields[2 * nFields] = src.length;
        fields[2 * nFields++ + 1] = src.length + f.length;
        src += `${f}\u0000`;
      }
    } else {
      // Field boundaries at `;`, into a reused typed array.
      let s = rowStart;
      for (let i = rowStart; i <= lineEnd; i++) {
        if (i === lineEnd || text.charCodeAt(i) === SEMI) {
          if (2 * nFields + 2 > fields.length) fields = grow(fields);
          fields[2 * nFields] = s;
          fields[2 * nFields++ + 1] = i;
          s = i + 1;
        }
      }
    }
    if (nFields > width) odd.add('rows longer than their header; extra fields ignored', `line ${rowLine}`, 'row');
    if (nb + 1 >= starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[nb] = entries.length;
    const b = nb++;
    if (voterCol !== -1 && voterCol < nFields) {
      // Repeated voter ids: numeric ids (nearly all files) in a Set of numbers, others as strings.
      const fa = fields[2 * voterCol]!;
      const fb = fields[2 * voterCol + 1]!;
      let id = 0;
      let numeric = fb > fa && fb - fa < 16 && (fb - fa === 1 || src.charCodeAt(fa) !== 48);
      for (let i = fa; numeric && i < fb; i++) {
        const d = src.charCodeAt(i) - 48;
        if (d < 0 || d > 9) numeric = false;
        else id = id * 10 + d;
      }
      if (numeric && id < 1 << 24) {
        // A bitmap for the usual 1..n.
        if (id >> 3 >= seenBits.length) {
          const bigger = new Uint8Array(Math.max(seenBits.length * 2, (id >> 3) + 1));
          bigger.set(seenBits);
          seenBits = bigger;
        }
        const bit = 1 << (id & 7);
        if (seenBits[id >> 3]! & bit) odd.add('voter ids used twice; every row is counted', String(id), 'voter');
        else seenBits[id >> 3]! |= bit;
      } else if (numeric) {
        if (numericVoters.has(id)) odd.add('voter ids used twice; every row is counted', String(id), 'voter');
        else numericVoters.add(id);
      } else {
        const voter = src.slice(fa, fb).trim();
        if (voterIds.has(voter)) odd.add('voter ids used twice; every row is counted', voter, 'voter');
        else voterIds.add(voter);
      }
    }
    if (voteCol >= nFields) continue;
    let va = fields[2 * voteCol]!;
    let vb = fields[2 * voteCol + 1]!;
    while (va < vb && (src.charCodeAt(va) === SPACE || src.charCodeAt(va) === TAB)) va++;
    while (vb > va && (src.charCodeAt(vb - 1) === SPACE || src.charCodeAt(vb - 1) === TAB)) vb--;
    if (va === vb || (vb - va === 4 && isNone(src.slice(va, vb)))) continue; // an empty ballot
    // Points, for cumulative ballots: the k-th number goes with the k-th id.
    let pa = 0;
    let pb = -1;
    if (voteType === 'cumulative' && pointsCol < nFields) {
      pa = fields[2 * pointsCol]!;
      pb = fields[2 * pointsCol + 1]!;
    }
    let rank = 0;
    for (let k = va; k <= vb; ) {
      let c = k;
      while (c < vb && src.charCodeAt(c) !== COMMA) c++;
      let a = k;
      let z = c;
      k = c + 1;
      while (a < z && (src.charCodeAt(a) === SPACE || src.charCodeAt(a) === TAB)) a++;
      while (z > a && (src.charCodeAt(z - 1) === SPACE || src.charCodeAt(z - 1) === TAB)) z--;
      let points: Decimal | undefined;
      if (voteType === 'cumulative') {
        if (pa > pb) {
          odd.add('ballots with fewer points than projects; the rest is ignored', `line ${rowLine}`, 'ballot');
          break;
        }
        let pc = pa;
        while (pc < pb && src.charCodeAt(pc) !== COMMA) pc++;
        const ptext = src.slice(pa, pc);
        pa = pc + 1;
        points = parseDecimal(ptext);
        if (z > a && !points) {
          odd.add('unreadable points; that project is skipped', `line ${rowLine}: ${JSON.stringify(ptext)}`, 'entry');
          continue;
        }
      }
      if (z === a) {
        odd.add('empty ids in votes skipped', `line ${rowLine}`, 'entry');
        continue;
      }
      const j = table.find(src, a, z);
      if (j === -1) {
        odd.add('unknown project ids in votes skipped', `line ${rowLine}: ${JSON.stringify(src.slice(a, z))}`, 'entry');
        continue;
      }
      if (stamp[j] === b) {
        if (voteType === 'approval') odd.add('a project named twice in one ballot; counted once', `line ${rowLine}: ${ids[j]}`, 'ballot');
        else if (voteType === 'ordinal')
          odd.add('a project ranked twice in one ballot; its first place is kept', `line ${rowLine}: ${ids[j]}`, 'ballot');
        else {
          odd.add('a project given points twice in one ballot; the last points are kept', `line ${rowLine}: ${ids[j]}`, 'ballot');
          rawPoints[at[j]!] = points!;
          pointsDecimals = Math.max(pointsDecimals, points!.decimals);
        }
        continue;
      }
      stamp[j] = b;
      at[j] = entries.length;
      if (voteType === 'cumulative') {
        rawPoints[entries.length] = points!;
        pointsDecimals = Math.max(pointsDecimals, points!.decimals);
        entries.push(j, 0);
      } else {
        entries.push(j, rank);
        rank++;
      }
    }
    if (voteType === 'cumulative' && pa <= pb && src.slice(pa, pb).trim() !== '') {
      odd.add('ballots with more points than projects; the rest is ignored', `line ${rowLine}`, 'ballot');
    }
    const length = entries.length - starts[b]!;
    if (length > longest) longest = length;
    if (maxLength !== undefined && length > maxLength) odd.add(`ballots longer than max_length ${maxLength}`, `line ${rowLine}`, 'ballot');
    if (minLength !== undefined && length > 0 && length < minLength) {
      odd.add(`ballots shorter than min_length ${minLength}`, `line ${rowLine}`, 'ballot');
    }
    if (fileVoteType === 'choose-1' && length > 1) odd.add('choose-1 ballots naming more than one project', `line ${rowLine}`, 'ballot');
  }
  starts[nb] = entries.length;

  let n = entries.length;
  let entryProject = entries.project.slice(0, n);
  let entryValue = entries.value.slice(0, n);
  let pointsScale = 1;
  if (voteType === 'cumulative') {
    if (pointsDecimals > 0) odd.add(`points have decimals; counted in units of 1/${10 ** pointsDecimals}`, `${10 ** pointsDecimals}`);
    pointsScale = 10 ** pointsDecimals;
    // Scale, and drop entries with no points (0 is no support; negative points are reported).
    let negative = 0;
    let out = 0;
    for (let b = 0; b < nb; b++) {
      const e0 = starts[b]!;
      const e1 = starts[b + 1]!;
      starts[b] = out;
      for (let e = e0; e < e1; e++) {
        const v = scaled(rawPoints[e]!, pointsDecimals);
        if (v === undefined) throw new PbReadError('points too large to count exactly');
        if (v < 0) negative++;
        if (v <= 0) continue;
        entryProject[out] = entryProject[e]!;
        entryValue[out++] = v;
      }
    }
    starts[nb] = out;
    n = out;
    entryProject = entryProject.slice(0, n);
    entryValue = entryValue.slice(0, n);
    if (negative > 0) odd.add('negative points counted as no support', `${negative}`, 'entry');
  } else if (voteType === 'ordinal') {
    // Rank k (0-based) scores L − k with L the max_length, else the longest ranking (Kraków: 3, 2, 1).
    const L = maxLength ?? longest;
    for (let e = 0; e < n; e++) entryValue[e] = Math.max(0, L - entryValue[e]!);
  } else {
    entryValue.fill(1);
  }
  return {
    ballotStart: starts.slice(0, nb + 1),
    entryProject,
    entryValue,
    ballotWeight: new Float64Array(nb).fill(1),
    pointsScale,
  };
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isBlankRange(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

function integerMeta(meta: ReadonlyMap<string, string>, key: string): number | undefined {
  const value = meta.get(key);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
