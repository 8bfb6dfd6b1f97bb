/**
 * The rules OpenAI applies to `response_format: {type: "json_schema", json_schema: {strict: true, schema}}`,
 * from the Structured Outputs guide (https://platform.openai.com/docs/guides/structured-outputs, "Supported
 * schemas"): the root must be an object and not anyOf; every object must set `additionalProperties: false`;
 * every property must be listed in `required` (optional fields are expressed as a union with null); at most
 * 5000 object properties and 10 levels of nesting; at most 1000 enum values; only the documented keywords
 * (strings: pattern, format; numbers: multipleOf, minimum, maximum, exclusiveMinimum, exclusiveMaximum; arrays:
 * items, minItems, maxItems; anyOf, $ref/$defs, enum, const, description, title). Anything else is refused with
 * a 400 naming the keyword, e.g. "'minLength' is not permitted" and "'uniqueItems' is not permitted", as the
 * API answers. `default` is refused too (reported refused by some, accepted by others: the stricter reading).
 *
 * Messages follow the API's form: "Invalid schema for response_format 'NAME': In context=('properties', 'x'), …".
 * The json_schema `name` must match [a-zA-Z0-9_-]{1,64} (OpenAPI spec, ResponseFormatJsonSchema.json_schema.name).
 */

const COMMON = new Set(['type', 'description', 'title', 'enum', 'const', 'anyOf', '$ref', '$defs', 'definitions']);
const BY_TYPE: Record<string, string[]> = {
  object: ['properties', 'required', 'additionalProperties'],
  string: ['pattern', 'format'],
  number: ['multipleOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  integer: ['multipleOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  array: ['items', 'minItems', 'maxItems'],
  boolean: [],
  null: [],
};
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
export const STRICT_LIMITS = { properties: 5000, nesting: 10, enumValues: 1000, stringBudget: 120_000 } as const;

export function checkJsonSchemaName(name: unknown): string | undefined {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    return "Invalid 'response_format.json_schema.name': must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64.";
  }
  return undefined;
}

/** Returns the API's error message for the first rule the schema breaks, or undefined when strict mode accepts it. */
export function checkStrictSchema(name: string, schema: unknown): string | undefined {
  const prefix = `Invalid schema for response_format '${name}': `;
  if (!isObject(schema)) return `${prefix}schema must be a JSON Schema object.`;
  if (schema.anyOf !== undefined) return `${prefix}schema must be a JSON Schema of 'type: "object"', got 'anyOf'.`;
  if (schema.type !== 'object') return `${prefix}schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type)}"'.`;
  const state = { properties: 0, enumValues: 0, budget: 0, maxDepth: 0 };
  const defs = { ...(isObject(schema.$defs) ? schema.$defs : {}), ...(isObject(schema.definitions) ? schema.definitions : {}) };
  for (const key of Object.keys(defs)) state.budget += key.length;
  const problem =
    visit(schema, [], 1, state, true) ??
    Object.entries(defs).reduce<string | undefined>(
      (found, [key, def]) => found ?? visit(def, [isObject(schema.$defs) ? '$defs' : 'definitions', key], 1, state, false),
      undefined,
    );
  if (problem) return prefix + problem;
  if (state.properties > STRICT_LIMITS.properties)
    return `${prefix}${state.properties} properties exceeds limit of ${STRICT_LIMITS.properties}.`;
  if (state.maxDepth > STRICT_LIMITS.nesting)
    return `${prefix}${state.maxDepth} levels of nesting exceeds limit of ${STRICT_LIMITS.nesting}.`;
  if (state.enumValues > STRICT_LIMITS.enumValues)
    return `${prefix}${state.enumValues} enum values exceeds limit of ${STRICT_LIMITS.enumValues}.`;
  if (state.budget > STRICT_LIMITS.stringBudget) {
    return `${prefix}total string length of property names, definition names, enum values and const values exceeds limit of ${STRICT_LIMITS.stringBudget}.`;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function context(path: string[]): string {
  return `In context=(${path.map((p) => `'${p}'`).join(', ')}${path.length === 1 ? ',' : ''}), `;
}

function visit(
  s: unknown,
  path: string[],
  depth: number,
  state: { properties: number; enumValues: number; budget: number; maxDepth: number },
  root: boolean,
): string | undefined {
  if (!isObject(s)) return `${context(path)}schema must be an object.`;
  state.maxDepth = Math.max(state.maxDepth, depth);
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  const allowed = new Set([...COMMON, ...types.flatMap((t) => BY_TYPE[t] ?? []), ...(root ? ['$schema'] : [])]);
  for (const key of Object.keys(s)) {
    if (!allowed.has(key)) return `${context(path)}'${key}' is not permitted.`;
  }
  if (typeof s.format === 'string' && !FORMATS.has(s.format)) return `${context(path)}format '${s.format}' is not supported.`;
  if (Array.isArray(s.enum)) {
    state.enumValues += s.enum.length;
    for (const v of s.enum) state.budget += String(v).length;
  }
  if (s.const !== undefined) state.budget += String(s.const).length;
  if (s.anyOf !== undefined) {
    if (!Array.isArray(s.anyOf)) return `${context(path)}'anyOf' must be an array.`;
    for (const [i, sub] of s.anyOf.entries()) {
      const p = visit(sub, [...path, 'anyOf', String(i)], depth, state, false);
      if (p) return p;
    }
  }
  if (types.includes('object')) {
    const properties = isObject(s.properties) ? s.properties : {};
    if (s.additionalProperties !== false) return `${context(path)}'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys(properties);
    const required = Array.isArray(s.required) ? (s.required as unknown[]) : undefined;
    const missing = keys.filter((k) => !required?.includes(k));
    if (!required || missing.length) {
      return `${context(path)}'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0] ?? keys[0] ?? ''}'.`;
    }
    const extra = required.find((k) => typeof k !== 'string' || !keys.includes(k));
    if (extra !== undefined) return `${context(path)}Extra required key '${String(extra)}' supplied.`;
    state.properties += keys.length;
    for (const key of keys) {
      state.budget += key.length;
      const p = visit(properties[key], [...path, 'properties', key], depth + 1, state, false);
      if (p) return p;
    }
  }
  if (types.includes('array')) {
    if (s.items === undefined) return `${context(path)}'items' is required for arrays.`;
    const p = visit(s.items, [...path, 'items'], depth + 1, state, false);
    if (p) return p;
  }
  return undefined;
}
