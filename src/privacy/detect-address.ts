import {
  DISTRICTS,
  ENGLISH_STREET_WORDS,
  NOT_STREETS,
  STREET_PREFIXES,
  STREET_SUFFIXES_ANY_CASE,
  STREET_SUFFIXES_CAPITALISED,
  STREET_WORDS_STANDALONE,
  TOWNS,
  AREAS,
} from './address-data.ts';
import type { Candidate } from './detect-numbers.ts';

const isCapitalised = (w: string) => /^\p{Lu}/u.test(w);
const bare = (w: string) => w.toLowerCase().replace(/[.'’]+$/u, '');

// Abbreviations that end in a dot inside a sentence ("ca. 3000", "kl. 16", "f.eks. Mark").
const ABBREVIATION =
  /(?:^|[^\p{L}])(?:ca|kl|nr|fx|f\.eks|eks|bl\.a|dvs|evt|mht|osv|inkl|ekskl|jf|hr|fru|frk|mr|mrs|ms|dr|st|skt|gl|tlf|vs|etc|e\.g|i\.e)\.\s*$/iu;

/** True when the text before `index` starts a sentence, so a capital letter there tells nothing. */
export function atSentenceStart(text: string, index: number): boolean {
  const from = Math.max(0, index - 16);
  const before = text.slice(from, index);
  const ends = from === 0 ? /(?:^|[.!?…:;\n])[\s"'“”‘’(«»*•>-]*$/u : /[.!?…:;\n][\s"'“”‘’(«»*•>-]*$/u;
  return ends.test(before) && !ABBREVIATION.test(before);
}

type StreetWord = 'compound' | 'standalone' | 'no';

/** How a word can end a street name: a compound ("Nørrebrogade"), a word that needs a name before it ("Allé"), or not. */
function streetWord(word: string, sentenceStart: boolean): StreetWord {
  const w = bare(word);
  if (NOT_STREETS.has(w)) return 'no';
  // A compound has at least two letters before the ending ("Nytorv", "Jagtvej").
  for (const s of STREET_SUFFIXES_ANY_CASE) if (w.endsWith(s) && w.length >= s.length + 2) return 'compound';
  const capitalised = isCapitalised(word) && !sentenceStart;
  if (capitalised) for (const s of STREET_SUFFIXES_CAPITALISED) if (w.endsWith(s) && w.length >= s.length + 2) return 'compound';
  // The ending alone ("Torvet", "Allé", "Street") needs a name before it or a floor/postcode after it.
  if (
    isCapitalised(word) &&
    (STREET_WORDS_STANDALONE.has(w) || STREET_SUFFIXES_ANY_CASE.includes(w) || STREET_SUFFIXES_CAPITALISED.includes(w))
  )
    return 'standalone';
  return 'no';
}

// A word, then an optional "nr.", then a house number 1–999 with an optional letter ("12B", "12 B") or range ("12-14").
const STREET_NUMBER =
  /(?<![\p{L}\p{N}.'’-])([\p{L}][\p{L}'’-]*\.?)\s+(?:nr\.?\s*)?(\d{1,3}(?:-\d{1,3})?(?:[A-Za-z](?![\p{L}])|\s[A-Z](?![\p{L}\p{N}]))?)(?![\p{N}]|[.,]\d)/gu;

// English order: "221B Baker Street", "10 Downing Street".
const NUMBER_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\d{1,4}[A-Za-z]?\s+(?:\p{Lu}[\p{L}'’-]*\s+){1,3}(?:${[...ENGLISH_STREET_WORDS].map((w) => w[0]!.toUpperCase() + w.slice(1)).join('|')})\.?(?![\p{L}])`,
  'gu',
);

// Floor and door after a house number: "3. th.", "st. tv", "2. sal", "1.4", "kl.", "3 th".
const FLOOR =
  /^\s*,?\s*(?:(?:stuen|st|kælder|kld|kl)\.?(?:\s*(?:th|tv|mf)\b\.?)?|\d{1,2}\.\s*(?:sal\b\.?|(?:th|tv|mf)\b\.?|\d{1,3}(?![\p{N}.]))?|\d{1,2}\s*(?:th|tv|mf)\b\.?|(?:th|tv|mf)\b\.?)/iu;

const POSTCODE = /^\s*,?\s*(?:DK\s?-?\s?)?([1-9]\d{3})(?![\p{N}.,])/u;

/** The town after a postcode: one or two words and district letters ("København N", "Kongens Lyngby", "Viby J"). */
function townAfter(text: string, from: number, anyCapitalised: boolean): number {
  const m = /^\s+([\p{L}][\p{L}-]*)(?:\s+([\p{L}][\p{L}-]*))?(?:\s+([\p{L}][\p{L}-]*))?/u.exec(text.slice(from));
  if (!m) return from;
  const [first, second, third] = [m[1]!, m[2], m[3]];
  const known = TOWNS.has(first.toLowerCase());
  if (!known && !(anyCapitalised && isCapitalised(first))) {
    // An unknown town still counts with district letters after it: "2200 Nørrebro N".
    if (!(isCapitalised(first) && second && DISTRICTS.has(second))) return from;
  }
  let end = from + m[0].indexOf(first) + first.length;
  const words = [second, third];
  let offset = m[0].indexOf(first) + first.length;
  for (const w of words) {
    if (!w) break;
    const at = m[0].indexOf(w, offset);
    if (DISTRICTS.has(w) || DISTRICTS.has(w.toUpperCase()) || TOWNS.has(w.toLowerCase())) {
      end = from + at + w.length;
      offset = at + w.length;
    } else break;
  }
  return end;
}

/** Extends an address that ends at `end` over floor/door and ", postcode town". */
function extendTail(text: string, end: number): number {
  const floor = FLOOR.exec(text.slice(end));
  if (floor) end += floor[0].length;
  const post = POSTCODE.exec(text.slice(end));
  if (post) {
    end += post[0].length;
    end = townAfter(text, end, true);
  }
  return end;
}

function hasTail(text: string, end: number): boolean {
  return FLOOR.test(text.slice(end)) || POSTCODE.test(text.slice(end));
}

/** Walks left over the words of a multi-word street name: capitalised words, genitives and prefixes like "Gammel". */
function extendLeft(text: string, start: number, standalone: boolean): number {
  let s = start;
  for (let i = 0; i < 3; i++) {
    const m = /(?:^|[\s(])((?:[\p{L}]\.\s?){1,2}|[\p{L}][\p{L}'’-]*\.?)\s$/u.exec(text.slice(Math.max(0, s - 40), s));
    if (!m) break;
    const word = m[1]!.trim();
    const w = bare(word).replace(/[.\s]/g, '');
    // Prefixes ("Gammel", "H.C.") and town or district names that begin street names ("Valby Langgade").
    const prefix =
      STREET_PREFIXES.has(w) || /^(?:[\p{Lu}]\.\s?){1,2}$/u.test(word) || (isCapitalised(word) && (TOWNS.has(w) || AREAS.has(w)));
    if (!(prefix || (standalone && isCapitalised(word)))) break;
    s -= m[1]!.length + 1;
  }
  return s;
}

// "bor på Skovbrynet 2", "I live at Rosemount 14": after a word about living somewhere, any capitalised name and a number.
const cased = (words: string[]) => words.flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1)]).join('|');
const LIVES_AT = new RegExp(
  String.raw`(?<![\p{L}])(?:${cased(['bor', 'boede', 'bo', 'boet', 'flytter', 'flyttede', 'flyttet', 'adresse', 'adressen', 'live', 'lives', 'lived', 'living', 'address'])})(?:\s+(?:er|is))?\s*(?:på|til|at|on|:)\s*((?:\p{Lu}[\p{L}'’.-]*\s+){1,3})(?:nr\.?\s*)?\d{1,3}(?:[A-Za-z](?![\p{L}]))?(?![\p{N}]|[.,]\d)`,
  'gu',
);

const POSTCODE_TOWN = /(?<![\p{L}\p{N}.,:/#-])(?:DK\s?-?\s?)?[1-9]\d{3}(?=\s+[\p{L}])/gu;

export function findAddresses(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(STREET_NUMBER)) {
    const word = m[1]!;
    const sentenceStart = atSentenceStart(text, m.index);
    let kind = streetWord(word, sentenceStart);
    let start = m.index;
    const numberEnd = m.index + m[0].length;
    if (kind === 'no') {
      // "Ved Stranden 10", "Gammel Strand 34": a prefix word, then any capitalised word.
      const left = extendLeft(text, m.index, false);
      if (left < m.index && isCapitalised(word) && /^(?:ved|gammel|gl\.)\s/i.test(text.slice(left))) kind = 'compound';
      else if (isCapitalised(word) && streetWord(word, false) !== 'no' && hasTail(text, numberEnd)) kind = 'compound';
      else continue;
      start = left;
    }
    if (kind === 'standalone') {
      const left = extendLeft(text, m.index, true);
      // "Torvet 3" alone is not enough; "Kongens Nytorv 3" or "Torvet 3, 4000 Roskilde" is.
      if (left === m.index && !hasTail(text, numberEnd)) continue;
      start = left;
    } else start = extendLeft(text, start, false);
    out.push({ kind: 'address', start, end: extendTail(text, numberEnd) });
  }
  for (const m of text.matchAll(NUMBER_STREET)) {
    out.push({ kind: 'address', start: m.index, end: extendTail(text, m.index + m[0].length) });
  }
  for (const m of text.matchAll(LIVES_AT)) {
    const words = m[1]!.trim();
    if (TOWNS.has(words.toLowerCase())) continue;
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ kind: 'address', start, end: extendTail(text, m.index + m[0].length) });
  }
  // A postcode with its town and no street: "2200 København N". A bare postcode ("vi bor i 2200") is left alone.
  for (const m of text.matchAll(POSTCODE_TOWN)) {
    const end = townAfter(text, m.index + m[0].length, false);
    if (end > m.index + m[0].length) out.push({ kind: 'address', start: m.index, end });
  }
  return out;
}
