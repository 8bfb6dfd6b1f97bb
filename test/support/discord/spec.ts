import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

/*
 * Discord's official OpenAPI 3.1 description of its HTTP API, used twice: its path templates are the stand-in's
 * route table (so "is this a Discord route at all?" has a real answer), and each operation's JSON request body
 * schema validates what the bot sends.
 *
 * A copy of the published spec is kept in the repository (test/fixtures/discord/, with its source and licence);
 * DISCORD_OPENAPI_SPEC may point at another copy.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

export function defaultSpecPath(): string {
  return process.env.DISCORD_OPENAPI_SPEC ?? path.resolve(repoRoot, 'test/fixtures/discord/openapi.json');
}

type Schema = { [key: string]: unknown };

export interface SpecRoute {
  /** Upper-case HTTP method. */
  method: string;
  /** The spec's path template, e.g. /channels/{channel_id}/messages */
  template: string;
  segments: string[];
  /** How many segments are literal; the most literal template wins (@original over {message_id}). */
  literals: number;
  /** Key of the JSON request body schema, when the operation has one. */
  bodyKey?: string;
  /** The spec allows calling it without a bot token (its security list has an empty entry). */
  authOptional: boolean;
  /** The spec accepts a bot token for it at all (some routes are OAuth2-only). */
  botTokenAccepted: boolean;
}

export interface RouteMatch {
  route: SpecRoute;
  params: Record<string, string>;
}

export interface SchemaIssue {
  /** Where in the body: ['data', 'components', 0, 'components'] */
  path: Array<string | number>;
  code: string;
  message: string;
}

/** Ajv ships CommonJS; depending on the loader the class is the default export or its .default. */
function pickDefault<T>(mod: unknown): T {
  const inner = (mod as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : mod) as T;
}
type AjvInstance = {
  addSchema(schema: object, key?: string): unknown;
  addFormat(
    name: string,
    format: RegExp | boolean | ((v: string) => boolean) | { type: string; validate: (v: number) => boolean },
  ): unknown;
  getSchema(key: string): ValidateFunction | undefined;
};
const Ajv2020 = pickDefault<new (opts: object) => AjvInstance>(Ajv2020Module);
const addFormats = pickDefault<(ajv: AjvInstance) => void>(addFormatsModule);

const loaded = new Map<string, DiscordSpec>();

export class DiscordSpec {
  readonly file: string;
  readonly routes: SpecRoute[];
  readonly #byLength = new Map<number, SpecRoute[]>();
  readonly #ajv: AjvInstance;
  readonly #validators = new Map<string, ValidateFunction>();
  /** The request body schemas after the rewrite below; exposed for the equivalence test. */
  readonly requestSchemas: Record<string, Schema>;
  readonly originalRequestSchemas: Record<string, Schema>;
  readonly components: Schema;
  readonly originalComponents: Schema;

  /** Parsed and compiled once per file per process: compiling the callback schema alone takes a few hundred ms. */
  static load(file: string = defaultSpecPath()): DiscordSpec {
    const cached = loaded.get(file);
    if (cached) return cached;
    if (!existsSync(file)) {
      throw new Error(
        `Discord OpenAPI spec not found at ${file}. The Discord stand-in validates every request against it; ` +
          'set DISCORD_OPENAPI_SPEC to its path (it is https://github.com/discord/discord-api-spec, specs/openapi.json).',
      );
    }
    const spec = new DiscordSpec(file, JSON.parse(readFileSync(file, 'utf8')) as Schema);
    loaded.set(file, spec);
    return spec;
  }

  private constructor(file: string, doc: Schema) {
    this.file = file;
    const paths = doc.paths as Record<string, Record<string, Schema>>;
    const components = (doc.components as Schema).schemas as Record<string, Schema>;
    this.originalComponents = structuredClone(components);
    this.originalRequestSchemas = {};
    this.routes = [];
    for (const [template, item] of Object.entries(paths)) {
      const segments = template.split('/').filter(Boolean);
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
        const security = (op.security as Array<Record<string, unknown>> | undefined) ?? [];
        const route: SpecRoute = {
          method: method.toUpperCase(),
          template,
          segments,
          literals: segments.filter((s) => !s.startsWith('{')).length,
          authOptional: security.some((s) => Object.keys(s).length === 0),
          botTokenAccepted: security.some((s) => 'BotToken' in s),
        };
        const body = ((op.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined)?.['application/json']?.schema;
        if (body) {
          route.bodyKey = `r${this.routes.length}`;
          this.originalRequestSchemas[route.bodyKey] = structuredClone(body) as Schema;
        }
        this.routes.push(route);
        const list = this.#byLength.get(segments.length) ?? [];
        list.push(route);
        this.#byLength.set(segments.length, list);
      }
    }
    this.components = structuredClone(components);
    this.requestSchemas = structuredClone(this.originalRequestSchemas);
    const resolve = (ref: string): Schema | undefined => {
      const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
      return m?.[1] ? components[m[1]] : undefined;
    };
    rewrite(this.components, resolve);
    rewrite(this.requestSchemas, resolve);

    this.#ajv = newAjv();
    this.#ajv.addSchema({ $id: 'discord', components: { schemas: this.components }, requests: this.requestSchemas });
  }

  /** The operation for a concrete path such as /channels/123/messages, preferring literal segments over parameters. */
  match(method: string, pathname: string): RouteMatch | { methods: string[] } | undefined {
    const parts = pathname.split('/').filter(Boolean).map(safeDecode);
    let best: RouteMatch | undefined;
    const methods = new Set<string>();
    for (const route of this.#byLength.get(parts.length) ?? []) {
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i] ?? '';
        const part = parts[i] ?? '';
        if (seg.startsWith('{')) {
          if (part === '') ok = false;
          else params[seg.slice(1, -1)] = part;
        } else if (seg !== part) ok = false;
      }
      if (!ok) continue;
      methods.add(route.method);
      if (route.method !== method.toUpperCase()) continue;
      if (!best || route.literals > best.route.literals) best = { route, params };
    }
    if (best) return best;
    // The path exists, but not for this method.
    return methods.size ? { methods: [...methods] } : undefined;
  }

  /** Problems with a JSON body for an operation, in Discord's path form; [] when it conforms. */
  validate(route: SpecRoute, body: unknown): SchemaIssue[] {
    if (!route.bodyKey) return [];
    const validator = this.#validator(route.bodyKey);
    if (validator(body)) return [];
    return toIssues(validator.errors ?? []);
  }

  /** Compiles every request body schema now instead of on first use (a second or so for the whole spec). */
  warm(keys?: string[]): void {
    for (const key of keys ?? Object.keys(this.requestSchemas)) this.#validator(key);
  }

  #validator(key: string): ValidateFunction {
    let v = this.#validators.get(key);
    if (!v) {
      v = this.#ajv.getSchema(`discord#/requests/${key}`);
      if (!v) throw new Error(`No request schema ${key} in ${this.file}`);
      this.#validators.set(key, v);
    }
    return v;
  }

  bodyKey(method: string, template: string): string | undefined {
    return this.routes.find((r) => r.method === method.toUpperCase() && r.template === template)?.bodyKey;
  }

  /** An Ajv validator over the spec exactly as published (no rewrite); only for the equivalence test. */
  originalValidator(key: string): ValidateFunction {
    const ajv = newAjv();
    ajv.addSchema({ $id: 'discord', components: { schemas: this.originalComponents }, requests: this.originalRequestSchemas });
    const v = ajv.getSchema(`discord#/requests/${key}`);
    if (!v) throw new Error(`No request schema ${key}`);
    return v;
  }
}

function newAjv(): AjvInstance {
  // strict: false because OpenAPI carries annotations Ajv does not know (x-discord-union).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('nonce', true);
  // Discord's int64 values are integers that may be sent as JSON numbers beyond 2^53; accept any integer.
  ajv.addFormat('int64', { type: 'number', validate: (v: number) => Number.isInteger(v) });
  return ajv;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/*
 * The spec models unions as oneOf over $refs that differ only by an integer `type` (a component's or a callback's
 * type). Ajv then reports every branch's failures, so "6 buttons in a row" comes back buried among "must be
 * equal to 17", "must have property file" and so on. Where every branch pins `type` to disjoint values (and
 * requires it), the union is rewritten to `if type ∈ branch values then branch` for each branch, plus `type` must
 * be one of them: the same bodies pass and fail, and the errors name the branch that applies. The same goes
 * for "null or X" unions. Empty `enum: []` (a spec slip, in guild join requests) is dropped: Ajv refuses to
 * compile it. The equivalence test checks the rewrite against the spec as published.
 */
function rewrite(root: unknown, resolve: (ref: string) => Schema | undefined): void {
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const schema = node as Schema;
    if (Array.isArray(schema.enum) && schema.enum.length === 0) delete schema.enum;
    for (const value of Object.values(schema)) walk(value);
    const unionKey = Array.isArray(schema.oneOf)
      ? 'oneOf'
      : Array.isArray(schema.anyOf) && schema['x-discord-union'] === 'oneOf'
        ? 'anyOf'
        : undefined;
    if (!unionKey) return;
    const replaced = discriminate(schema[unionKey] as Schema[], resolve);
    if (!replaced) return;
    delete schema[unionKey];
    schema.allOf = [...((schema.allOf as Schema[] | undefined) ?? []), replaced];
  };
  walk(root);
}

function typeValues(branch: Schema, resolve: (ref: string) => Schema | undefined): Array<string | number> | undefined {
  const target = typeof branch.$ref === 'string' ? resolve(branch.$ref) : branch;
  if (!target || target.type !== 'object') return undefined;
  const required = target.required as string[] | undefined;
  const prop = (target.properties as Record<string, Schema> | undefined)?.type;
  if (!prop || !required?.includes('type')) return undefined;
  if ('const' in prop) return [prop.const as string | number];
  if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum as Array<string | number>;
  return undefined;
}

function discriminate(branches: Schema[], resolve: (ref: string) => Schema | undefined): Schema | undefined {
  const isNull = (b: Schema): boolean => b.type === 'null' && Object.keys(b).length === 1;
  const nullable = branches.some(isNull);
  const rest = branches.filter((b) => !isNull(b));
  if (rest.length === 0) return undefined;
  let core: Schema | undefined;
  if (rest.length === 1) {
    core = rest[0];
  } else {
    const values = rest.map((b) => typeValues(b, resolve));
    if (values.some((v) => v === undefined)) return undefined;
    const all = values.flat() as Array<string | number>;
    if (new Set(all).size !== all.length) return undefined;
    core = {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: all } },
      allOf: rest.map((b, i) => ({ if: { type: 'object', required: ['type'], properties: { type: { enum: values[i] } } }, then: b })),
    };
  }
  if (!nullable) return rest.length === 1 ? undefined : core;
  return { if: { type: 'null' }, then: true, else: core };
}

const MESSAGES: Record<string, (p: Record<string, unknown>) => [string, string]> = {
  required: () => ['BASE_TYPE_REQUIRED', 'This field is required'],
  maxLength: (p) => ['BASE_TYPE_MAX_LENGTH', `Must be ${String(p.limit)} or fewer in length.`],
  minLength: (p) => ['BASE_TYPE_MIN_LENGTH', `Must be ${String(p.limit)} or more in length.`],
  maxItems: (p) => ['BASE_TYPE_MAX_LENGTH', `Must be ${String(p.limit)} or fewer in length.`],
  minItems: (p) => ['BASE_TYPE_MIN_LENGTH', `Must be ${String(p.limit)} or more in length.`],
  enum: (p) => ['BASE_TYPE_CHOICES', `Value must be one of ${JSON.stringify(p.allowedValues)}.`],
  const: (p) => ['BASE_TYPE_CHOICES', `Value must be ${JSON.stringify(p.allowedValue)}.`],
  maximum: (p) => ['NUMBER_TYPE_MAX', `int value should be less than or equal to ${String(p.limit)}.`],
  minimum: (p) => ['NUMBER_TYPE_MIN', `int value should be greater than or equal to ${String(p.limit)}.`],
  pattern: (p) => ['STRING_TYPE_REGEX', `String value did not match validation regex ${String(p.pattern)}.`],
  type: (p) => ['BASE_TYPE_BAD_TYPE', `Value must be of type ${JSON.stringify(p.type)}.`],
  format: (p) => ['BASE_TYPE_BAD_FORMAT', `Value is not a valid ${String(p.format)}.`],
  uniqueItems: () => ['BASE_TYPE_UNIQUE', 'Values must be unique.'],
  additionalProperties: (p) => ['BASE_TYPE_UNKNOWN_FIELD', `Unknown field ${String(p.additionalProperty)}.`],
};

/** Ajv errors → Discord-style issues; the wrappers (if/then/allOf/anyOf/oneOf) only add noise when a leaf error is there. */
export function toIssues(errors: ErrorObject[]): SchemaIssue[] {
  const wrappers = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not']);
  const leaves = errors.filter((e) => !wrappers.has(e.keyword));
  const chosen = leaves.length ? leaves : errors;
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  for (const e of chosen) {
    const p = e.params as Record<string, unknown>;
    const at = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    if (e.keyword === 'required' && typeof p.missingProperty === 'string') at.push(p.missingProperty);
    const [code, message] = MESSAGES[e.keyword]?.(p) ?? ['BASE_TYPE_INVALID', e.message ?? 'Invalid value.'];
    const key = `${at.join('.')}|${code}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: at, code, message });
  }
  return out;
}
