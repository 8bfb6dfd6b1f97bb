import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../../src/conversation/index.ts';
import { isDatabaseUnavailable } from '../../src/usecases/index.ts';
import { type Locale, t } from '../../src/i18n/index.ts';
import type { WebEnv } from './context.ts';
import { type WebTextArgs, type WebTextKey, webText } from './texts.ts';

/**
 * An HTTP-level refusal, answered as `{ error: { code, message } }` with its status (the contract the README's
 * HTTP API section documents).
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Extra headers for the answer (Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A refusal whose message is one of the web chat's texts, in the language the request has so far. */
export function refuse<K extends WebTextKey>(
  c: { var: { locale: Locale } },
  status: ContentfulStatusCode,
  code: string,
  key: K,
  ...params: WebTextArgs<K>
): HttpError {
  return new HttpError(status, code, webText(c.var.locale, key, ...params));
}

export function errorResponse(c: Context, error: HttpError, headers: Record<string, string> = {}): Response {
  return c.json({ error: { code: error.code, message: error.message } }, error.status, headers);
}

/** Paths that name nothing, and params that do not fit their pattern: 404 as JSON, like any unknown thing. */
export const notFound: NotFoundHandler<WebEnv> = (c) => errorResponse(c, refuse(c, 404, 'not_found', 'web.error.not_found'));

/** Known refusals as they are; Hono's own 400 (a body that is not JSON) as bad_request; anything else 500, logged. */
export function onError(log: Logger, defaultLocale: Locale): ErrorHandler<WebEnv> {
  return (error, c) => {
    if (error instanceof HttpError) return errorResponse(c, error, error.headers);
    // The database cannot be reached (down, restarting, out of connections): not Pulje's bug, and not for long.
    if (isDatabaseUnavailable(error)) {
      log.warn({ err: error, url: c.req.path }, 'web: database unavailable');
      return errorResponse(c, refuse(c, 503, 'database_unavailable', 'web.error.database_unavailable'), { 'retry-after': '5' });
    }
    if (error instanceof HTTPException && error.status === 400) {
      return errorResponse(c, refuse(c, 400, 'bad_request', 'web.error.bad_request', { details: 'JSON' }));
    }
    // Invite tokens are credentials: never log one.
    log.error({ err: error, url: c.req.path.replace(/\/invite\/.*/, '/invite/…'), method: c.req.method }, 'web: request failed');
    return errorResponse(c, new HttpError(500, 'internal', t(c.var.locale ?? defaultLocale, 'error.internal')));
  };
}
