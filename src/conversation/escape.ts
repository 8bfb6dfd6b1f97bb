import type { Measure } from './text.ts';

/**
 * Text that is safe to hand to one surface's formatter. Only the escapers below make one, so a renderer whose
 * output type is `Markup<S>` cannot pass user-written text through unescaped: that is a type error, and at
 * run time the templates escape every plain string they are given.
 */
export class Markup<S extends MarkupDialect> {
  private constructor(
    readonly surface: S,
    readonly value: string,
  ) {}
  toString(): string {
    return this.value;
  }
  /** @internal Only escapers and templates in this module create markup. */
  static of<S extends MarkupDialect>(surface: S, value: string): Markup<S> {
    return new Markup(surface, value);
  }
}

export type MarkupDialect = 'html' | 'discord' | 'slack';

export interface Escaper<S extends MarkupDialect> {
  surface: S;
  escape(text: string): Markup<S>;
  /** Length of `text` once escaped: what the fit step must count against the surface's limits. */
  measure: Measure;
  /** Tagged template: literal parts are trusted, every interpolated string is escaped, markup passes through. */
  tag(strings: TemplateStringsArray, ...values: Array<string | number | Markup<S> | ReadonlyArray<Markup<S>>>): Markup<S>;
  join(parts: ReadonlyArray<Markup<S>>, separator?: string): Markup<S>;
}

function escaper<S extends MarkupDialect>(surface: S, escapeChar: (ch: string) => string, special?: RegExp): Escaper<S> {
  const escapeText = (text: string) => {
    // Most text has nothing to escape: then it is returned as it is, without a walk over every character.
    if (special && !special.test(text)) return text;
    let out = '';
    for (const ch of text) out += escapeChar(ch);
    return out;
  };
  const piece = (v: string | number | Markup<S> | ReadonlyArray<Markup<S>>): string => {
    if (v instanceof Markup) {
      if (v.surface !== surface) throw new TypeError(`${v.surface} markup used in ${surface}`);
      return v.value;
    }
    if (Array.isArray(v)) return v.map(piece).join('');
    return escapeText(String(v));
  };
  return {
    surface,
    escape: (text) => Markup.of(surface, escapeText(text)),
    measure: (text) => {
      let n = 0;
      for (const ch of text) n += escapeChar(ch).length;
      return n;
    },
    tag: (strings, ...values) => {
      let out = strings[0] ?? '';
      values.forEach((v, i) => {
        out += piece(v) + (strings[i + 1] ?? '');
      });
      return Markup.of(surface, out);
    },
    join: (parts, separator = '') => Markup.of(surface, parts.map(piece).join(separator)),
  };
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const html = escaper('html', (ch) => HTML[ch] ?? ch, /[&<>"']/);

// Discord: a backslash makes any markdown character literal; "@" gets a zero-width space so "@everyone" and
// "<@123>" written by a member never ping anyone (the adapter also sends allowed_mentions: none).
const DISCORD_SPECIAL = new Set(['\\', '*', '_', '~', '`', '|', '>', '<', '#', '-', '[', ']', '(', ')', ':']);
export const discord = escaper('discord', (ch) => (ch === '@' ? '@\u200b' : DISCORD_SPECIAL.has(ch) ? '\\' + ch : ch));

// Slack mrkdwn: only these three are control characters (they start links and mentions).
const SLACK: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
export const slack = escaper('slack', (ch) => SLACK[ch] ?? ch);

export interface Marks<S extends MarkupDialect> {
  strong(inner: Markup<S>): Markup<S>;
  em(inner: Markup<S>): Markup<S>;
  code(inner: Markup<S>): Markup<S>;
}

/**
 * Styled spans to one surface's markup: each span's text escaped, then wrapped in the surface's marks. The marks
 * must add exactly the surface's declared `styleOverhead`, so fitted text stays within its limits once rendered.
 */
export function renderSpans<S extends MarkupDialect>(
  escaper: Escaper<S>,
  spans: ReadonlyArray<{ text: string; strong?: boolean; em?: boolean; code?: boolean }>,
  marks: Marks<S>,
): Markup<S> {
  return escaper.join(
    spans.map((s) => {
      let out = escaper.escape(s.text);
      if (s.code) out = marks.code(out);
      if (s.em) out = marks.em(out);
      if (s.strong) out = marks.strong(out);
      return out;
    }),
  );
}
