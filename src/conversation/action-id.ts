import { z } from 'zod';

/**
 * What a button, select, form or "next page" control asks for when used: a flow, a verb and string arguments.
 * Flows build these; the fit step encodes them, so an id can never be built by string concatenation.
 */
export interface ActionRef {
  flow: string;
  verb: string;
  /** Bumped when a verb's arguments change meaning; ids of other versions are refused, not misread. */
  version?: number;
  args?: readonly string[];
}

export interface DecodedActionId {
  flow: string;
  verb: string;
  version: number;
  args: string[];
  /** Set on the "previous/next page" controls the fit step adds. */
  page?: number;
}

/** Discord's custom_id limit, the tightest of our surfaces; every id fits it. */
export const ACTION_ID_MAX = 100;
export const PAGE_MAX = 9999;

// Flow and verb names are short words; with flow + verb ≤ 20 characters, three UUIDs and a page still fit in 100.
const NAME = /^[a-z][a-z0-9-]{0,15}$/;
const ARG = /^[A-Za-z0-9_.-]{0,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ActionIdError extends Error {
  override name = 'ActionIdError';
}

// A UUID is 36 characters; as 16 bytes in base64url it is 22 (+1 marker), so three of them fit in one id.
function compactArg(arg: string): string {
  if (UUID.test(arg)) return '*' + Buffer.from(arg.replace(/-/g, ''), 'hex').toString('base64url');
  if (!ARG.test(arg)) throw new ActionIdError(`action argument ${JSON.stringify(arg)} must match ${ARG}`);
  return arg;
}

function expandArg(arg: string): string {
  if (!arg.startsWith('*')) return arg;
  const hex = Buffer.from(arg.slice(1), 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `<flow>:<verb>[.<version>][:<arg>…][~<page>]`; throws ActionIdError for a flow bug (bad name, too long). */
export function encodeActionId(ref: ActionRef, page?: number): string {
  if (!NAME.test(ref.flow) || !NAME.test(ref.verb)) throw new ActionIdError(`bad flow or verb name: ${ref.flow}:${ref.verb}`);
  const version = ref.version ?? 1;
  if (!Number.isInteger(version) || version < 1 || version > 999) throw new ActionIdError(`bad version ${version}`);
  let id = `${ref.flow}:${ref.verb}${version === 1 ? '' : `.${version}`}`;
  for (const arg of ref.args ?? []) id += ':' + compactArg(arg);
  if (page !== undefined) {
    if (!Number.isInteger(page) || page < 0 || page > PAGE_MAX) throw new ActionIdError(`bad page ${page}`);
    id += `~${page}`;
  }
  if (id.length > ACTION_ID_MAX) throw new ActionIdError(`action id is ${id.length} characters, over ${ACTION_ID_MAX}: ${id}`);
  return id;
}

const SEGMENT = '(?:[A-Za-z0-9_.-]{0,64}|\\*[A-Za-z0-9_-]{22})';
export const actionIdSchema = z
  .string()
  .max(ACTION_ID_MAX)
  .regex(new RegExp(`^[a-z][a-z0-9-]{0,15}:[a-z][a-z0-9-]{0,15}(?:\\.\\d{1,3})?(?::${SEGMENT})*(?:~\\d{1,4})?$`))
  .transform((id): DecodedActionId => {
    let rest = id;
    let page: number | undefined;
    const tilde = rest.lastIndexOf('~');
    if (tilde >= 0) {
      page = Number(rest.slice(tilde + 1));
      rest = rest.slice(0, tilde);
    }
    const [flow, verbPart, ...args] = rest.split(':') as [string, string, ...string[]];
    const [verb, version] = verbPart.split('.') as [string, string | undefined];
    const decoded: DecodedActionId = { flow, verb, version: version === undefined ? 1 : Number(version), args: args.map(expandArg) };
    if (page !== undefined) decoded.page = page;
    return decoded;
  })
  .refine((d) => d.version >= 1 && d.args.every((a) => (!a.startsWith('*') && ARG.test(a)) || UUID.test(a)));

/** Undefined for anything that is not an id we could have made: stale, garbled or forged ids change nothing. */
export function decodeActionId(id: unknown): DecodedActionId | undefined {
  const parsed = actionIdSchema.safeParse(id);
  return parsed.success ? parsed.data : undefined;
}
