import { atSentenceStart } from './detect-address.ts';
import type { Candidate } from './detect-numbers.ts';
import { COMMON_WORDS, FIRST_NAMES, NAME_CUES, NOT_PERSONS, SURNAME_SET, SURNAME_SHAPE, TITLE_CUES } from './names-data.ts';
import type { KnownName, Locale } from './types.ts';

// A word: letters, with inner hyphens or apostrophes ("Anne-Marie", "Sofie's").
const WORD = /[\p{L}][\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*/gu;

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

const isCapitalised = (w: string) => /^\p{Lu}/u.test(w);
const isAllCaps = (w: string) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();

/** "Sofies" / "Sofie's" → "Sofie" (Danish and English genitive), with the length of the base. */
function genitiveBase(word: string): string[] {
  const out = [word];
  const apostrophe = /^(.+)['’]s?$/u.exec(word);
  if (apostrophe) out.push(apostrophe[1]!);
  else if (/s$/iu.test(word) && word.length > 3) out.push(word.slice(0, -1));
  return out;
}

/** The part of a hyphenated name that is a known first name: "Anne-Marie" → both parts. */
function nameGrade(word: string, locale: Locale) {
  const names = FIRST_NAMES[locale];
  const lower = word.toLowerCase();
  const direct = names.get(lower);
  if (direct) return direct;
  const parts = lower.split('-');
  if (parts.length > 1 && parts.every((p) => names.has(p))) return 'plain' as const;
  return undefined;
}

function isSurnameLike(word: string): boolean {
  if (!isCapitalised(word) || isAllCaps(word)) return false;
  const lower = word.toLowerCase();
  return SURNAME_SET.has(lower) || (SURNAME_SHAPE.test(lower) && word.length >= 5);
}

/** The word before token i if it is directly before it (one space, no punctuation), lower case and without a dot. */
function previousWord(text: string, list: Token[], i: number): string | undefined {
  const prev = list[i - 1];
  if (!prev) return undefined;
  const gap = text.slice(prev.end, list[i]!.start);
  if (!/^\.?\s{1,2}$/u.test(gap)) return undefined;
  return prev.text.toLowerCase();
}

// Words after a name that make it a person even first in a sentence: "Bo sagde", "Will said", "Rose og jeg".
const SAID = new Set([
  'sagde',
  'siger',
  'skrev',
  'skriver',
  'spurgte',
  'spørger',
  'mener',
  'synes',
  'foreslog',
  'foreslår',
  'said',
  'says',
  'asked',
  'wrote',
  'thinks',
]);
const WITH_ME = new Set(['og jeg', 'og mig', 'and i', 'and me']);

function saidAfter(text: string, list: Token[], i: number): boolean {
  const next = list[i + 1];
  if (!next || !/^,?\s{1,2}$/u.test(text.slice(list[i]!.end, next.start))) return false;
  if (SAID.has(next.text.toLowerCase())) return true;
  const after = list[i + 2];
  return !!after && WITH_ME.has(`${next.text.toLowerCase()} ${after.text.toLowerCase()}`);
}

function adjacent(text: string, a: Token, b: Token): boolean {
  return /^\s$/u.test(text.slice(a.end, b.start));
}

/** Person names by the first-name list (see names-data.ts for the three grades), with surnames and middle names. */
export function findPersonNames(text: string, locale: Locale): Candidate[] {
  const list = tokens(text);
  const out: Candidate[] = [];
  for (let i = 0; i < list.length; i++) {
    const tok = list[i]!;
    const prev = previousWord(text, list, i);
    const cue = prev !== undefined && NAME_CUES.has(prev);
    const title = prev !== undefined && TITLE_CUES.has(prev);
    let base: string | undefined;
    let grade: ReturnType<typeof nameGrade>;
    for (const b of genitiveBase(tok.text)) {
      grade = nameGrade(b, locale);
      if (grade) {
        base = b;
        break;
      }
    }
    if (!base || !grade) {
      // A surname alone after a title: "hr. Jensen", "Mrs Smith".
      if (title && isSurnameLike(tok.text)) out.push({ kind: 'personName', start: tok.start, end: tok.end });
      continue;
    }
    // Following surnames or middle names ("Anna Marie Jensen"), directly adjacent and capitalised.
    let last = i;
    let sawSurname = false;
    while (last + 1 < list.length && adjacent(text, list[last]!, list[last + 1]!)) {
      const next = list[last + 1]!;
      if (isSurnameLike(next.text)) {
        sawSurname = true;
        last++;
        continue;
      }
      if (isCapitalised(next.text) && !isAllCaps(next.text) && nameGrade(next.text, locale) === 'plain') {
        last++;
        continue;
      }
      break;
    }
    // Only a surname makes the chain: a trailing first name without one is its own name.
    const nextWord = list[i + 1] && adjacent(text, tok, list[i + 1]!) ? list[i + 1]!.text.toLowerCase() : '';
    if (NOT_PERSONS.has(`${base.toLowerCase()} ${nextWord}`)) continue;
    if (prev && NOT_PERSONS.has(`${prev} ${base.toLowerCase()}`)) continue;
    const capitalised = isCapitalised(tok.text) && !isAllCaps(tok.text);
    const sentenceStart = atSentenceStart(text, tok.start);
    let counts: boolean;
    if (grade === 'plain') counts = true;
    else if (grade === 'word') counts = cue || sawSurname || (capitalised && (!sentenceStart || saidAfter(text, list, i)));
    else counts = cue || (capitalised && sawSurname);
    if (!counts) continue;
    const end = last > i ? list[last]!.end : tok.start + base.length;
    out.push({ kind: 'personName', start: tok.start, end });
    i = last;
  }
  return out;
}

// ---------------------------------------------------------------- group members

export interface Member {
  key: string;
  name: string;
  /** The whole name and the aliases. */
  full: string[];
  /** The parts of a name of several words: "Sofie", "Jensen". */
  parts: string[];
}

/** The members from `knownNames`, each with the forms their name is found by. */
export function membersOf(knownNames: readonly KnownName[]): Member[] {
  const seen = new Set<string>();
  const out: Member[] = [];
  for (const k of knownNames) {
    const name = (typeof k === 'string' ? k : k.name).trim().replace(/\s+/g, ' ');
    const key = typeof k === 'string' || !k.id ? name.toLowerCase() : k.id;
    if (!name || seen.has(key)) continue;
    seen.add(key);
    const aliases = typeof k === 'string' ? [] : (k.aliases ?? []).map((a) => a.trim()).filter(Boolean);
    const parts = name.split(/[\s_]+/u).filter((p) => p.length >= 2);
    out.push({ key, name, full: [...new Set([name, ...aliases])], parts: parts.length > 1 ? parts : [] });
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface MemberMatcher {
  find(text: string): Candidate[];
}

/**
 * Finds members' names, also before a genitive s ("Sofies idé"). A name part that is an ordinary word in lower case
 * ("Cool" of "Cool Kid") never counts alone; a name or part that is also a word ("Mark", "Storm") counts only
 * capitalised. A part shared by several members ("Sofie" in "Sofie Jensen" and "Sofie Hansen") is found without a
 * member key: redact() gives it the neutral placeholder.
 */
export function memberMatcher(members: readonly Member[], locale: Locale): MemberMatcher {
  const byForm = new Map<string, Set<string>>();
  const fullForms = new Set<string>();
  const add = (form: string, key: string) => {
    const lower = form.toLowerCase();
    if (!byForm.has(lower)) byForm.set(lower, new Set());
    byForm.get(lower)!.add(key);
  };
  for (const m of members) {
    for (const f of m.full) {
      add(f, m.key);
      fullForms.add(f.toLowerCase());
    }
    for (const p of m.parts) add(p, m.key);
  }
  const forms = [...byForm.keys()].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return { find: () => [] };
  const re = new RegExp(String.raw`(?<![\p{L}\p{N}_@])(?:${forms.map(escapeRegExp).join('|')})(?=(?:s|'s|’s)?(?![\p{L}\p{N}_]))`, 'giu');
  const names = FIRST_NAMES[locale];
  return {
    find(text) {
      const out: Candidate[] = [];
      for (const m of text.matchAll(re)) {
        const lower = m[0].toLowerCase();
        const keys = byForm.get(lower);
        if (!keys) continue;
        const full = fullForms.has(lower);
        const grade = names.get(lower);
        // "Cool" of "Cool Kid" is a word, not a name; "Will" of "Will Parker" is a name that is also a word.
        if (!full && COMMON_WORDS.has(lower) && !grade) continue;
        const wordLike = COMMON_WORDS.has(lower) || grade === 'word' || grade === 'weak';
        if (wordLike && !isCapitalised(m[0])) continue;
        const c: Candidate = { kind: 'memberName', start: m.index, end: m.index + m[0].length };
        if (keys.size === 1) c.memberKey = [...keys][0]!;
        out.push(c);
      }
      return out;
    },
  };
}
