import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { type Catalog, createFormatter } from '../../src/i18n/catalog.ts';
import { SOURCE_CATALOGS } from '../../src/i18n/catalogs.ts';
import { t } from '../../src/i18n/index.ts';
import { REPO_ROOT } from '../support/cli.ts';

// Every catalog of the product (src/ and each adapter's texts.ts), checked the same way.

const adapterCatalogs = async (): Promise<Record<string, Catalog<Record<string, string>>>> => {
  const out: Record<string, Catalog<Record<string, string>>> = {};
  for (const a of readdirSync(path.join(REPO_ROOT, 'adapters'))) {
    const file = path.join(REPO_ROOT, 'adapters', a, 'texts.ts');
    if (!statSync(path.join(REPO_ROOT, 'adapters', a)).isDirectory()) continue;
    try {
      statSync(file);
    } catch {
      continue;
    }
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (value && typeof value === 'object' && 'da' in value && 'en' in value)
        out[`adapters/${a}:${name}`] = value as Catalog<Record<string, string>>;
    }
  }
  return out;
};

/** A message's arguments with their kind, nested ones included: `count:plural`, `name:simple`. */
function argsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument) out.add(`${el.value}:simple`);
    else if (el.type === TYPE.number) out.add(`${el.value}:number`);
    else if (el.type === TYPE.plural) {
      out.add(`${el.value}:plural`);
      for (const option of Object.values(el.options)) argsOf(option.value, out);
    } else if (el.type === TYPE.select) {
      out.add(`${el.value}:select`);
      for (const option of Object.values(el.options)) argsOf(option.value, out);
    } else if (el.type === TYPE.date || el.type === TYPE.time) out.add(`${el.value}:${el.type === TYPE.date ? 'date' : 'time'}`);
  }
  return out;
}

function optionsOf(elements: MessageFormatElement[]): Array<{ arg: string; options: string[] }> {
  return elements.flatMap((el) =>
    el.type === TYPE.plural || el.type === TYPE.select
      ? [{ arg: el.value, options: Object.keys(el.options) }, ...Object.values(el.options).flatMap((o) => optionsOf(o.value))]
      : [],
  );
}

describe('catalogs', async () => {
  const all = {
    ...Object.fromEntries(Object.entries(SOURCE_CATALOGS).map(([k, v]) => [`src:${k}`, v])),
    ...(await adapterCatalogs()),
  } as Record<string, Catalog<Record<string, string>>>;

  it('exist for every module, adapters included', () => {
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining(['src:core', 'src:conversation', 'src:ballot', 'adapters/web:WEB_TEXTS', 'adapters/discord:DISCORD_TEXTS']),
    );
  });

  it('each has the same keys in Danish and English, and no key is defined by two modules', () => {
    const owner = new Map<string, string>();
    for (const [name, c] of Object.entries(all)) {
      expect(Object.keys(c.en).sort(), name).toEqual(Object.keys(c.da).sort());
      for (const key of Object.keys(c.da)) {
        expect(owner.get(key), `${key} in ${name} and ${owner.get(key)}`).toBeUndefined();
        owner.set(key, name);
      }
    }
  });

  it('every text is valid ICU MessageFormat, with the same parameters (and plural/select kinds) in both languages', () => {
    for (const [name, c] of Object.entries(all)) {
      for (const key of Object.keys(c.da)) {
        const da = parse(c.da[key]!);
        const en = parse(c.en[key]!);
        expect([...argsOf(en)].sort(), `${name} ${key}`).toEqual([...argsOf(da)].sort());
        // Plural and select always have an `other` branch (required by ICU; a language's other numbers land there).
        for (const { arg, options } of [...optionsOf(da), ...optionsOf(en)]) expect(options, `${key} {${arg}}`).toContain('other');
      }
    }
  });

  it('filled with sample values, no text shows a placeholder or a stray brace', () => {
    for (const c of Object.values(all)) {
      for (const key of Object.keys(c.da)) {
        const params = Object.fromEntries(
          [...argsOf(parse(c.da[key]!))].map((a) => {
            const [n, kind] = a.split(':');
            return [n, kind === 'plural' || kind === 'number' ? 2 : kind === 'select' ? 'other' : 'x'];
          }),
        );
        const format = createFormatter({ da: c.da, en: c.en });
        for (const locale of ['da', 'en'] as const) expect(format(locale, key, params), `${locale} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('plural words agree with the number in each language', () => {
    expect(t('da', 'flow.limits.min_support', { min: 1 })).toMatch(/\b1 stemme\b/);
    expect(t('da', 'flow.limits.min_support', { min: 3 })).toMatch(/\b3 stemmer\b/);
    expect(t('en', 'flow.limits.min_support', { min: 1 })).toMatch(/\b1 vote\b/);
    expect(t('en', 'flow.limits.min_support', { min: 3 })).toMatch(/\b3 votes\b/);
  });
});
