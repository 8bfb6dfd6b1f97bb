/**
 * Text normalisation for phrase matching, applied the same way to the phrase lists and to messages:
 * lower case; æ ø å (and ä ö ü) spelt ae oe aa so "slå", "slaa" and "sla" meet; accents dropped; leetspeak digits
 * and symbols inside words read as letters ("s3lvm0rd", "k!ll", "$uicide"); apostrophes dropped ("don't" → "dont");
 * any other non-letter a space; a run of one letter one letter ("selvmoooord", and "aa" → "a", "kk" → "k").
 * `map[i]` is the index in the original text of output character i, so matches can be reported in the original.
 */

const FOLD: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', ä: 'ae', ö: 'oe', ü: 'u', ß: 'ss' };
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '€': 'e' };
const APOSTROPHES = new Set(["'", '’', '`', '´']);

export interface Normalised {
  text: string;
  map: number[];
}

const isLetter = (ch: string) => /\p{L}/u.test(ch);

export function normalise(input: string): Normalised {
  // Pass 1: fold case and letters, keep digits and leet symbols, one entry per output character.
  const chars: Array<{ c: string; i: number; leet: boolean }> = [];
  let i = 0;
  for (const ch of input) {
    const at = i;
    i += ch.length;
    if (APOSTROPHES.has(ch)) continue;
    const lower = ch.toLowerCase();
    if (lower in FOLD) {
      for (const c of FOLD[lower]!) chars.push({ c, i: at, leet: false });
      continue;
    }
    if (isLetter(lower)) {
      const bare = lower.normalize('NFKD').replace(/\p{M}/gu, '');
      for (const c of bare)
        if (/[a-z]/.test(c)) chars.push({ c, i: at, leet: false });
        else if (isLetter(c)) chars.push({ c, i: at, leet: false });
      continue;
    }
    if (/\d/.test(ch) || ch in LEET) {
      chars.push({ c: ch, i: at, leet: ch in LEET });
      continue;
    }
    chars.push({ c: ' ', i: at, leet: false });
  }
  // Pass 2: a leet character between letters is a letter ("s3lvm0rd", "k!ll"), and so is one that starts a word
  // ("$uicide"), except "!" which ends so many words; other symbols become spaces.
  const letterAt = (k: number) => !!chars[k] && /\p{L}/u.test(chars[k]!.c);
  for (let k = 0; k < chars.length; k++) {
    const x = chars[k]!;
    if (!x.leet) continue;
    const between = letterAt(k - 1) && letterAt(k + 1);
    const starts = x.c !== '!' && !letterAt(k - 1) && !/\d/.test(chars[k - 1]?.c ?? '') && letterAt(k + 1);
    if (between || starts) x.c = LEET[x.c]!;
    else if (!/\d/.test(x.c)) x.c = ' ';
  }
  // Pass 3: collapse repeated letters and spaces.
  let text = '';
  const map: number[] = [];
  for (const x of chars) {
    const prev = text[text.length - 1];
    if (x.c === ' ' && (prev === ' ' || text.length === 0)) continue;
    if (x.c === prev && /\p{L}/u.test(x.c)) continue;
    text += x.c;
    map.push(x.i);
  }
  if (text.endsWith(' ')) {
    text = text.slice(0, -1);
    map.pop();
  }
  return { text, map };
}
