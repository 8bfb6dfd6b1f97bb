import type { Context } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { detailText, zodDetails } from '../../src/core/errors.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { WebEnv } from './context.ts';
import { type HttpError, refuse } from './errors.ts';

/** In the person's words ("tekst må højst være 4000 tegn lang"), not zod's ("Too big: expected string …"). */
function badRequest(c: { var: { locale: Locale } }, error: z.ZodError): HttpError {
  const details = zodDetails(error)
    .slice(0, 3)
    .map((d) => detailText(c.var.locale, d))
    .join('; ');
  return refuse(c, 400, 'bad_request', 'web.error.bad_request', { details: details || 'JSON' });
}

/**
 * A JSON body checked against its schema, as `c.req.valid('json')`. JSON only: a cross-site form cannot send
 * this content type without a preflight, so cookie sessions stay safe. A body that is not JSON at all is
 * Hono's 400, answered as bad_request by the error handler.
 */
export const jsonBody = <S extends z.ZodType>(schema: S) =>
  validator('json', (value, c: Context<WebEnv>): z.output<S> => {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw refuse(c, 415, 'unsupported_media_type', 'web.error.unsupported_media_type');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw badRequest(c, parsed.error);
    return parsed.data;
  });

/** Path params: one that does not fit its pattern names nothing that exists, so 404 (as before any lookup). */
export const pathParams = <S extends z.ZodType>(schema: S) =>
  validator('param', (value, c: Context<WebEnv>): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw refuse(c, 404, 'not_found', 'web.error.not_found');
    return parsed.data;
  });

/** Query params; a value that does not fit is a 400 unless the schema itself falls back to a default. */
export const queryParams = <S extends z.ZodType>(schema: S) =>
  validator('query', (value, c: Context<WebEnv>): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw badRequest(c, parsed.error);
    return parsed.data;
  });
