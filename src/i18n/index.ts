import { type Catalog, createFormatter, type LooseParams, type ParamArgs } from './catalog.ts';
import { SOURCE_CATALOGS } from './catalogs.ts';
import type { Locale } from './locale.ts';

export { defineCatalog, type ListParam, type ParamArgs, type ParamsOf } from './catalog.ts';
export { formatMoney, parseMoney } from './format.ts';
export * from './locale.ts';

type Sources = typeof SOURCE_CATALOGS;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** All of src/'s Danish texts as one literal type: keys and, through them, each text's parameters. */
type Danish = UnionToIntersection<Sources[keyof Sources]['da']>;

export type MessageKey = keyof Danish & string;
/** The arguments after a key: its parameters, exactly (none for a text without placeholders). */
export type MessageArgs<K extends MessageKey> = K extends MessageKey ? ParamArgs<Danish[K] & string> : never;
/** A translator bound to one language, as flows receive it (`ctx.t`). */
export type Translate = <K extends MessageKey>(key: K, ...params: MessageArgs<K>) => string;
/** Parameters of any text, untyped: for texts chosen at run time (error details), checked by the catalog test. */
export type Params = LooseParams;

/** Merges catalogs into one table per language (keys are unique across modules: the catalog test checks it). */
export function mergeCatalogs(catalogs: readonly Catalog<Record<string, string>>[]): Record<Locale, Record<string, string>> {
  const out: Record<Locale, Record<string, string>> = { da: {}, en: {} };
  for (const c of catalogs) {
    Object.assign(out.da, c.da);
    Object.assign(out.en, c.en);
  }
  return out;
}

const TEXTS = mergeCatalogs(Object.values(SOURCE_CATALOGS));
const format = createFormatter(TEXTS);

/** A text in the reader's language, with its parameters filled in (ICU MessageFormat; see catalog.ts). */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: MessageArgs<K>): string {
  return format(locale, key, params[0] as LooseParams | undefined);
}

/** A text chosen at run time (an error's details), with parameters the types could not follow. */
export function tLoose(locale: Locale, key: MessageKey, params?: LooseParams): string {
  return format(locale, key, params);
}

export const translator =
  (locale: Locale): Translate =>
  (key, ...params) =>
    format(locale, key, params[0] as LooseParams | undefined);

export function isMessageKey(key: string): key is MessageKey {
  return key in TEXTS.da;
}

/**
 * A translator for an adapter's own catalog, formatted the same way: adapters keep the sentences that are only
 * theirs (about their platform) beside their code.
 */
export function createTranslator<const D extends Record<string, string>>(catalog: Catalog<D>) {
  const formatOwn = createFormatter(mergeCatalogs([catalog as unknown as Catalog<Record<string, string>>]));
  return <K extends keyof D & string>(locale: Locale, key: K, ...params: ParamArgs<D[K]>): string =>
    formatOwn(locale, key, params[0] as LooseParams | undefined);
}
