import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROOT } from '../core/paths.ts';
import { LOCALES, type Locale } from '../i18n/locale.ts';

/**
 * Prompt templates live in prompts/<name>.<locale>.txt, each with a versioned header:
 *
 *   ---
 *   prompt: summary
 *   locale: da
 *   version: 1
 *   updated: 2026-12-01
 *   ---
 *   …instructions with {{placeholders}}…
 *
 * They are read and checked once at start-up (a missing file, a bad header or a missing placeholder stops
 * Pulje with one line), so a typo in a prompt never surfaces in the middle of someone's /summary.
 */
export const PROMPT_NAMES = ['summary', 'sparring'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/** What each template must contain: `fence` becomes the fenced-data instructions (src/privacy/fence.ts). */
const REQUIRED: Record<PromptName, readonly string[]> = { summary: ['fence', 'group'], sparring: ['fence'] };

const headerSchema = z
  .object({
    prompt: z.enum(PROMPT_NAMES),
    locale: z.enum(LOCALES),
    version: z.coerce.number().int().min(1),
    updated: z.iso.date(),
  })
  .strict();

export interface PromptTemplate {
  name: PromptName;
  locale: Locale;
  version: number;
  updated: string;
  /** The text after the header. */
  body: string;
  /** "summary.da@1": which template made a request (logs, the model's note). */
  id: string;
}

export class PromptError extends Error {
  override name = 'PromptError';
}

/** Reads one template's text; `file` only names it in errors. */
export function parsePrompt(text: string, file: string): PromptTemplate {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n?/g, '\n'));
  if (!m) throw new PromptError(`${file}: the prompt must start with a --- header --- (prompt, locale, version, updated)`);
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^([a-z]+):\s*(.+?)\s*$/.exec(line);
    if (!kv) throw new PromptError(`${file}: header line "${line}" is not "key: value"`);
    fields[kv[1]!] = kv[2]!;
  }
  const header = headerSchema.safeParse(fields);
  if (!header.success) {
    const issue = header.error.issues[0]!;
    throw new PromptError(`${file}: header ${issue.path.join('.') || 'field'}: ${issue.message}`);
  }
  const body = m[2]!.trim();
  const used = new Set([...body.matchAll(/\{\{(\w+)\}\}/g)].map((x) => x[1]!));
  const missing = REQUIRED[header.data.prompt].filter((p) => !used.has(p));
  if (missing.length) throw new PromptError(`${file}: missing placeholder ${missing.map((p) => `{{${p}}}`).join(', ')}`);
  const unknown = [...used].filter((p) => !REQUIRED[header.data.prompt].includes(p));
  if (unknown.length) throw new PromptError(`${file}: unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(', ')}`);
  const { prompt, locale, version, updated } = header.data;
  return { name: prompt, locale, version, updated, body, id: `${prompt}.${locale}@${version}` };
}

export interface Prompts {
  get(name: PromptName, locale: Locale): PromptTemplate;
  /** Fills a template's placeholders (every one must be given). */
  render(name: PromptName, locale: Locale, values: Record<string, string>): { text: string; id: string };
  readonly all: readonly PromptTemplate[];
}

/** Loads prompts/ (or `dir`): every name in every language, each file's name matching its header. */
export function loadPrompts(dir = path.join(ROOT, 'prompts')): Prompts {
  const templates = new Map<string, PromptTemplate>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  } catch {
    throw new PromptError(`prompts: cannot read the folder ${dir}`);
  }
  for (const file of files) {
    const t = parsePrompt(readFileSync(path.join(dir, file), 'utf8'), file);
    if (file !== `${t.name}.${t.locale}.txt`) throw new PromptError(`${file}: the header says ${t.name}.${t.locale}; name the file so`);
    templates.set(`${t.name}.${t.locale}`, t);
  }
  for (const name of PROMPT_NAMES)
    for (const locale of LOCALES)
      if (!templates.has(`${name}.${locale}`)) throw new PromptError(`prompts: ${name}.${locale}.txt is missing in ${dir}`);
  const get = (name: PromptName, locale: Locale) => templates.get(`${name}.${locale}`)!;
  return {
    get,
    all: [...templates.values()],
    render(name, locale, values) {
      const t = get(name, locale);
      const text = t.body.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
        const v = values[key];
        if (v === undefined) throw new PromptError(`${t.id}: no value for {{${key}}}`);
        return v;
      });
      return { text, id: t.id };
    },
  };
}
