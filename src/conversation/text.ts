/**
 * Measuring, splitting and shortening plain text against a surface's limits. Pure functions.
 *
 * Lengths are measured by a `Measure`: the length the text will have once the adapter has escaped it
 * (an `&` is five characters in Slack, `*` two in Discord). Measures must be additive per character
 * (measure(a + b) = measure(a) + measure(b)) so that prefixes can be summed; every escaper we need is.
 */
export type Measure = (text: string) => number;

/** UTF-16 code units: what JavaScript, Discord and Slack count; never less than the code points. */
export const codeUnits: Measure = (text) => text.length;

export const ELLIPSIS = '…';

/** Splits into code points so a cut never halves an emoji's surrogate pair. */
function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * Shortens `text` so that it measures at most `max`, ending in an ellipsis when anything was cut.
 * Prefers to cut at a word boundary when one is near the end.
 */
export function truncate(text: string, max: number, measure: Measure = codeUnits): string {
  if (measure(text) <= max) return text;
  const budget = max - measure(ELLIPSIS);
  if (budget <= 0) return max >= measure(ELLIPSIS) ? ELLIPSIS : '';
  const points = codePoints(text);
  let used = 0;
  let end = 0;
  for (; end < points.length; end++) {
    const cost = measure(points[end]!);
    if (used + cost > budget) break;
    used += cost;
  }
  let cut = points.slice(0, end).join('');
  // Cut back to the last space if that keeps most of the room (three fifths): "Nye bænke til…" over "Nye bænke til ungdo…".
  const space = cut.lastIndexOf(' ');
  if (space > 0 && space >= cut.length * 0.6) cut = cut.slice(0, space);
  return cut.trimEnd() + ELLIPSIS;
}

export interface Range {
  start: number;
  end: number;
}

// Boundaries in order of preference: paragraph, line, sentence end, word; a hard cut is the last resort.
const BOUNDARIES: RegExp[] = [/\n\s*\n/g, /\n/g, /(?<=[.!?…:;])\s+/g, /\s+/g];

/**
 * Cuts `text` into ranges that each measure at most `max`, cutting at the best boundary available, and
 * dropping only the whitespace at the cuts. Joining the pieces with a space or newline gives the text back.
 */
export function splitRanges(text: string, max: number, measure: Measure = codeUnits): Range[] {
  if (max < 2) throw new RangeError('max must be at least 2 (a surrogate pair)');
  const out: Range[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    const end = fitEnd(text, start, max, measure);
    if (end === start) throw new RangeError(`one character measures more than ${max}`);
    if (end >= text.length) {
      const trimmed = text.slice(start).trimEnd();
      if (trimmed) out.push({ start, end: start + trimmed.length });
      break;
    }
    const cut = bestCut(text, start, end);
    out.push({ start, end: cut.end });
    start = skipSpace(text, cut.next);
  }
  return out;
}

export function splitText(text: string, max: number, measure: Measure = codeUnits): string[] {
  return splitRanges(text, max, measure).map((r) => text.slice(r.start, r.end));
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The furthest index such that text[start, end) measures at most max, never inside a surrogate pair. */
function fitEnd(text: string, start: number, max: number, measure: Measure): number {
  let used = 0;
  let i = start;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const cost = measure(ch);
    if (used + cost > max) break;
    used += cost;
    i += ch.length;
  }
  return i;
}

/** Where to end a piece that may reach at most `end`: the last boundary of the best kind found after `start`. */
function bestCut(text: string, start: number, end: number): { end: number; next: number } {
  const window = text.slice(start, end + 1);
  for (const pattern of BOUNDARIES) {
    let last: { end: number; next: number } | undefined;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(window); m; m = pattern.exec(window)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const cutAt = start + m.index;
      // A boundary at the very start would make an empty piece.
      if (cutAt > start && cutAt <= end) last = { end: cutAt, next: cutAt + m[0].length };
    }
    // Do not accept a cut that leaves a sliver (less than a third of the room) when a finer boundary could do better.
    if (last && (last.end - start) * 3 >= end - start) return trimCut(text, start, last);
    if (last && pattern === BOUNDARIES[BOUNDARIES.length - 1]) return trimCut(text, start, last);
  }
  return { end, next: end };
}

function trimCut(text: string, start: number, cut: { end: number; next: number }): { end: number; next: number } {
  let end = cut.end;
  while (end > start + 1 && /\s/.test(text[end - 1]!)) end--;
  return { end, next: cut.next };
}

/** Items `[page * size, (page + 1) * size)`, with the page clamped into range. */
export function pageOf<T>(items: readonly T[], size: number, page: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

/** Consecutive chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
