import { z } from 'zod';
import { normalise } from './normalise.ts';
import { HUMOUR, IDIOMS, MEDIA, NEGATORS, PHRASES, type CrisisCategory, type CrisisLevel, type Phrase } from './phrases.ts';

// ---------------------------------------------------------------- the pattern language (see phrases.ts)

const W = '[a-z0-9]+';

function word(w: string): string {
  const star = w.endsWith('*');
  const body = normalise(star ? w.slice(0, -1) : w).text;
  if (w === '#') return '\\d+';
  if (!/^[a-z0-9 ]+$/.test(body)) throw new Error(`phrase word "${w}" normalises to "${body}"`);
  return body.split(' ').join(' ') + (star ? '[a-z0-9]*' : '');
}

/** Splits a pattern at top-level spaces, keeping {…} groups whole. */
function splitTokens(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of pattern.trim()) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ' ' && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

interface Piece {
  src: string;
  optional: boolean;
  gap: boolean;
}

function piece(token: string): Piece {
  const gap = /^~(\d?)$/.exec(token);
  if (gap) return { src: `(?: ${W}){0,${gap[1] || 3}}`, optional: false, gap: true };
  const group = /^\{(.*)\}(\?)?$/.exec(token);
  if (group) return { src: `(?:${group[1]!.split('/').map(compileSequence).join('|')})`, optional: !!group[2], gap: false };
  const opt = /^\[(.*)\]$/.exec(token);
  const alts = (opt ? opt[1]! : token).split('|').map(word);
  return { src: alts.length > 1 ? `(?:${alts.join('|')})` : alts[0]!, optional: !!opt, gap: false };
}

function compileSequence(pattern: string): string {
  let out = '';
  for (const p of splitTokens(pattern).map(piece)) {
    if (p.gap) out += p.src;
    else if (!out) out = p.optional ? `(?:${p.src} )?` : p.src;
    else out += p.optional ? `(?: ${p.src})?` : ` ${p.src}`;
  }
  return out;
}

/** Compiles one pattern to a regular expression over normalised text (exported for the phrase-list tests). */
export function compilePattern(pattern: string, notAfter?: string, notBefore?: string): RegExp {
  const after = notAfter ? `(?! (?:${compileSequence(notAfter)})(?![a-z0-9]))` : '';
  const before = notBefore ? `(?<!(?<![a-z0-9])(?:${compileSequence(notBefore)}) )` : '';
  return new RegExp(`(?<![a-z0-9])${before}(?:${compileSequence(pattern)})(?![a-z0-9])${after}`, 'g');
}

/**
 * The words a match of `pattern` can begin with (a trailing "*" = any word starting so), or null when any word can
 * (a leading gap or number). Lets detectCrisis skip a pattern when no word of the message can start it: most
 * messages contain no trigger word at all.
 */
export function firstWords(pattern: string): string[] | null {
  const out: string[] = [];
  for (const token of splitTokens(pattern)) {
    if (/^~\d?$/.test(token) || token === '#') return null;
    const group = /^\{(.*)\}(\?)?$/.exec(token);
    const opt = /^\[(.*)\]$/.exec(token);
    if (group) {
      for (const alt of group[1]!.split('/')) {
        const first = firstWords(alt);
        if (!first) return null;
        out.push(...first);
      }
    } else {
      for (const w of (opt ? opt[1]! : token).split('|')) {
        if (w === '#') return null;
        out.push(w.endsWith('*') ? `${normalise(w.slice(0, -1)).text}*` : normalise(w).text.split(' ')[0]!);
      }
    }
    // An optional first token: the match may also begin with the next one.
    if (!(opt || group?.[2])) return out;
  }
  return null;
}

interface Compiled {
  phrase: Phrase;
  res: Array<{ re: RegExp; first: string[] | null }>;
}

const COMPILED: Compiled[] = PHRASES.map((phrase) => ({
  phrase,
  res: phrase.patterns.map((p) => ({ re: compilePattern(p, phrase.notAfter, phrase.notBefore), first: firstWords(p) })),
}));

function canStart(first: string[] | null, words: ReadonlySet<string>, wordList: readonly string[]): boolean {
  if (!first) return true;
  for (const f of first) {
    if (f.endsWith('*')) {
      const prefix = f.slice(0, -1);
      if (wordList.some((w) => w.startsWith(prefix))) return true;
    } else if (words.has(f)) return true;
  }
  return false;
}
const IDIOM_RES = IDIOMS.map((p) => compilePattern(p));
// A negation directly before the match, or before a modal that leads into it ("not going to", "ikke tænkt mig at").
const NEGATED = new RegExp(
  `(?<![a-z0-9])(?:${compileSequence(NEGATORS)})(?: (?:${compileSequence('{going to/gonna/want to/wanna/kommer til at/har tænkt mig at/tænkt mig at/vil/ville/skal}')}))? $`,
);

// ---------------------------------------------------------------- detection

export interface CrisisSignal {
  /** The phrase-list entry that matched, e.g. "da.suicide.kill-self". */
  id: string;
  category: CrisisCategory;
  level: Exclude<CrisisLevel, 'none'>;
  /** Offsets of the match in the input (UTF-16). Never show the text itself in a public place. */
  start: number;
  end: number;
  /** Why the level is lower than the phrase's own: a negation before it or a joking tone. */
  downgraded?: 'negated' | 'humour';
}

export interface CrisisResult {
  level: CrisisLevel;
  signals: CrisisSignal[];
}

export const crisisInputSchema = z.string().max(200_000);

const RANK: Record<CrisisLevel, number> = { none: 0, concern: 1, urgent: 2 };

/** Quoted spans in the original text: a title when the text also names a song, film or book. */
function quotedRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(/["“”„«»'‘’]([^"“”„«»'‘’\n]{1,80})["“”„«»'‘’]/gu)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Crisis signals in a message or idea, Danish or English. Deterministic and pure. `urgent`: intent, a plan or
 * method, self-harm, overdose, ongoing violence, sexual abuse or grooming. `concern`: the topic named, distress,
 * harassment, or an urgent phrase negated or said jokingly. False positives are cheap (the answer is kind and
 * private) but everyday idioms ("jeg dør af grin") must not fire.
 */
export function detectCrisis(input: string): CrisisResult {
  const text = crisisInputSchema.parse(input);
  const norm = normalise(text);
  let masked = norm.text;
  for (const re of IDIOM_RES) {
    masked = masked.replace(re, (m) => '_'.repeat(m.length));
  }
  const humour = HUMOUR.test(text);
  const titles = MEDIA.test(text) ? quotedRanges(text) : [];
  const signals: CrisisSignal[] = [];
  const wordList = masked.split(/[^a-z0-9]+/).filter(Boolean);
  const words = new Set(wordList);
  for (const { phrase, res } of COMPILED) {
    for (const { re, first } of res) {
      if (!canStart(first, words, wordList)) continue;
      re.lastIndex = 0;
      for (const m of masked.matchAll(re)) {
        const start = norm.map[m.index]!;
        const lastChar = norm.map[m.index + m[0].length - 1]!;
        const end = lastChar + (text.codePointAt(lastChar)! > 0xffff ? 2 : 1);
        if (titles.some(([a, b]) => start >= a && end <= b)) continue;
        let level = phrase.level;
        let downgraded: CrisisSignal['downgraded'];
        if (level === 'urgent' && NEGATED.test(masked.slice(Math.max(0, m.index - 30), m.index))) {
          level = 'concern';
          downgraded = 'negated';
        } else if (level === 'urgent' && humour) {
          level = 'concern';
          downgraded = 'humour';
        }
        const signal: CrisisSignal = { id: phrase.id, category: phrase.category, level, start, end };
        if (downgraded) signal.downgraded = downgraded;
        signals.push(signal);
      }
    }
  }
  // One signal per place: where matches overlap, keep the strongest (then the longest).
  signals.sort((a, b) => RANK[b.level] - RANK[a.level] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: CrisisSignal[] = [];
  for (const s of signals) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  kept.sort((a, b) => a.start - b.start);
  const level = kept.reduce<CrisisLevel>((acc, s) => (RANK[s.level] > RANK[acc] ? s.level : acc), 'none');
  return { level, signals: kept };
}
