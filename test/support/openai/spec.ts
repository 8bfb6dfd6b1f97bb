import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Request and response schemas from OpenAI's published OpenAPI spec (a subset kept in spec/chat-completions.json,
 * source and licence in ../README.md), compiled with Ajv's 2020-12 mode (OpenAPI 3.1 uses JSON Schema 2020-12).
 */

function pickDefault<T>(mod: unknown): T {
  const inner = (mod as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : mod) as T;
}
type AjvInstance = {
  addSchema(schema: object, key?: string): unknown;
  addFormat(name: string, format: boolean | RegExp): unknown;
  compile(schema: object): ValidateFunction;
};
const Ajv2020 = pickDefault<new (opts: object) => AjvInstance>(Ajv2020Module);
const addFormats = pickDefault<(ajv: AjvInstance) => void>(addFormatsModule);

const here = path.dirname(fileURLToPath(import.meta.url));
export const SPEC_FILE = path.join(here, 'spec', 'chat-completions.json');

export interface OpenAISpec {
  schemas: Record<string, Record<string, unknown>>;
  validate(
    name: 'CreateChatCompletionRequest' | 'CreateChatCompletionResponse' | 'ListModelsResponse' | 'Model',
    value: unknown,
  ): ErrorObject[];
  /** Top-level parameters the chat completions endpoint documents (everything else is "Unrecognized request argument"). */
  requestParameters: Set<string>;
}

let cached: OpenAISpec | undefined;

export function loadSpec(): OpenAISpec {
  if (cached) return cached;
  const doc = normaliseNullable(JSON.parse(readFileSync(SPEC_FILE, 'utf8'))) as {
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  // strict: false because OpenAPI carries annotations Ajv does not know (discriminator, nullable, deprecated markers).
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  // OpenAI's own format for Unix timestamps (integers); any integer is one.
  ajv.addFormat('unixtime', true);
  ajv.addSchema(doc, 'openai');
  const validators = new Map<string, ValidateFunction>();
  const schemas = doc.components.schemas;
  const params = new Set<string>();
  const collect = (schema: Record<string, unknown>): void => {
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      collect(schemas[ref.split('/').at(-1) as string] ?? {});
      return;
    }
    for (const part of (schema.allOf as Array<Record<string, unknown>> | undefined) ?? []) collect(part);
    for (const key of Object.keys((schema.properties as object | undefined) ?? {})) params.add(key);
  };
  collect(schemas.CreateChatCompletionRequest ?? {});
  cached = {
    schemas,
    requestParameters: params,
    validate(name, value) {
      let v = validators.get(name);
      if (!v) {
        v = ajv.compile({ $ref: `openai#/components/schemas/${name}` });
        validators.set(name, v);
      }
      return v(value) ? [] : [...(v.errors ?? [])];
    },
  };
  return cached;
}

/**
 * The spec is OpenAPI 3.1 but still carries OpenAPI 3.0's `nullable` in places; Ajv treats `nullable` as the 3.0
 * keyword and refuses it without `type`. Rewritten the 3.1 way: `nullable: true` with a type becomes a type
 * union with "null"; without a type it means nothing and is dropped.
 */
function normaliseNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normaliseNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k !== 'nullable') out[k] = normaliseNullable(v);
  }
  const o = node as Record<string, unknown>;
  if (o.nullable === true && typeof o.type === 'string') out.type = [o.type, 'null'];
  return out;
}
