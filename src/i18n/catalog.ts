import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from './locale.ts';

/*
 * Texts are ICU MessageFormat (the syntax translators and translation tools know), formatted by FormatJS's
 * intl-messageformat: `{name}` for a value, `{count, plural, one {# stemme} other {# stemmer}}` for words that
 * agree with a number (Intl.PluralRules of the reader's language), `{role, select, staff {…} other {…}}` for
 * choices. A list of words is a parameter of its own kind ({@link ListParam}), joined with Intl.ListFormat in
 * the reader's language ("unge, medarbejdere eller admin" / "young people, staff, or admin").
 *
 * The Danish text is the source: its placeholders are the message's parameters, derived by the types below,
 * so a missing or misspelt parameter is a type error at the call site. English must have the same keys and the
 * same parameters (test/i18n/catalogs.test.ts checks every catalog, plural forms included).
 */

/** Words joined as a list in the reader's language: "a, b or c" (`or`) or "a, b and c" (`and`). */
export interface ListParam {
  list: readonly string[];
  join: 'and' | 'or';
}

type Trim<S extends string> = S extends ` ${infer R}` | `\n${infer R}` ? Trim<R> : S extends `${infer R} ` | `${infer R}\n` ? Trim<R> : S;
type HasBrace<S extends string> = S extends `${string}{${string}` ? true : false;

/** Simple placeholders take text, a number, or a list of words. */
type Simple = string | number | ListParam;
/** A placeholder kind's value: a number for plural, ordinal and number arguments, text for select. */
type KindValue<Kind extends string> = Kind extends 'plural' | 'selectordinal' | 'number' ? number : Kind extends 'select' ? string : Simple;

/**
 * A small recursive-descent reader of ICU messages at the type level. `Message` reads text and placeholders
 * up to the `}` that closes the current level (or the end) and returns [parameters, rest]; `Arg` reads one
 * placeholder after its `{`; `Branches` reads the `selector {message}` pairs of plural and select.
 */
type Message<S extends string, Acc> = S extends `${infer Before}}${infer After}`
  ? HasBrace<Before> extends true
    ? OpenFirst<S, Acc>
    : [Acc, After]
  : OpenFirst<S, Acc>;

type OpenFirst<S extends string, Acc> = S extends `${string}{${infer After}`
  ? Arg<After> extends [infer Found, infer Rest extends string]
    ? Message<Rest, Acc & Found>
    : [Acc, '']
  : [Acc, ''];

type Arg<S extends string> = S extends `${infer Head}}${infer AfterClose}`
  ? Head extends `${infer Name},${infer Tail}`
    ? Complex<Trim<Name>, `${Tail}}${AfterClose}`>
    : [{ [K in Trim<Head>]: Simple }, AfterClose]
  : [unknown, ''];

type Complex<Name extends string, S extends string> = S extends `${infer Kind},${infer Tail}`
  ? Trim<Kind> extends 'plural' | 'select' | 'selectordinal'
    ? Branches<Tail, { [K in Name]: KindValue<Trim<Kind>> }>
    : SkipStyle<Name, Trim<Kind>, `${Tail}`>
  : S extends `${infer Kind}}${infer Rest}`
    ? [{ [K in Name]: KindValue<Trim<Kind>> }, Rest]
    : [unknown, ''];

type SkipStyle<Name extends string, Kind extends string, S extends string> = S extends `${string}}${infer Rest}`
  ? [{ [K in Name]: KindValue<Kind> }, Rest]
  : [unknown, ''];

type Branches<S extends string, Acc> =
  Trim<S> extends `}${infer Rest}`
    ? [Acc, Rest]
    : Trim<S> extends `${string}{${infer Body}`
      ? Message<Body, Acc> extends [infer Found, infer Rest extends string]
        ? Branches<Rest, Found>
        : [Acc, '']
      : [Acc, ''];

/** The parameters of an ICU message, as an object type (Danish is the source of truth). */
export type ArgsOf<S extends string> = Message<S, unknown> extends [infer Found, string] ? Found : unknown;

type Flatten<T> = { [K in keyof T]: T[K] };

/** The parameters a message takes; `{}` for one without placeholders. */
export type ParamsOf<S extends string> = Flatten<ArgsOf<S>>;

/** The argument list after the key: nothing for a message without placeholders, else exactly its parameters. */
export type ParamArgs<S extends string> = keyof ParamsOf<S> extends never ? [params?: Record<string, never>] : [params: ParamsOf<S>];

/** A module's texts: Danish (the source) and English, key for key. */
export interface Catalog<D extends Record<string, string>> {
  da: D;
  en: { readonly [K in keyof D]: string };
}

/** Declares a module's catalog; `const` keeps the Danish texts as literal types, so their parameters are known. */
export function defineCatalog<const D extends Record<string, string>>(catalog: Catalog<D>): Catalog<D> {
  return catalog;
}

/** Values a formatted message may take at run time (what the types above allow). */
export type ParamValue = string | number | ListParam;
export type LooseParams = Record<string, ParamValue>;

const isList = (v: unknown): v is ListParam => typeof v === 'object' && v !== null && Array.isArray((v as ListParam).list);

/**
 * Formats messages of one or more catalogs. Compiled formats are cached per language and key. A message that
 * cannot be formatted (a parameter missing at run time despite the types) shows its raw text with the
 * placeholders visible rather than failing the whole answer.
 */
export function createFormatter(texts: Record<Locale, Record<string, string>>) {
  const cache = new Map<string, IntlMessageFormat>();
  const lists = new Map<string, Intl.ListFormat>();
  const listFormat = (locale: Locale, join: 'and' | 'or') => {
    const k = `${locale}:${join}`;
    let f = lists.get(k);
    if (!f) lists.set(k, (f = new Intl.ListFormat(locale, { style: 'long', type: join === 'or' ? 'disjunction' : 'conjunction' })));
    return f;
  };
  return (locale: Locale, key: string, params: LooseParams = {}): string => {
    const source = texts[locale][key];
    if (source === undefined) return key;
    const k = `${locale}\u0000${key}`;
    let format = cache.get(k);
    if (!format) cache.set(k, (format = new IntlMessageFormat(source, locale)));
    const values: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(params))
      values[name] = isList(value) ? listFormat(locale, value.join).format(value.list) : value;
    try {
      return String(format.format(values));
    } catch {
      return source;
    }
  };
}
