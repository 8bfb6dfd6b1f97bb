import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { WebEnv } from './context.ts';
import { errorResponse, refuse } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Bodies over 64 KiB are answered 413 too_large, before anything reads them. A chunked body (no length given)
 * is counted while it is read, by Hono's body-limit middleware; an announced length is checked from the header
 * here, and a request with neither has no body. Only the chunked case goes through Hono's middleware because it
 * touches `request.body`, which makes @hono/node-server build a full web Request and read the body through web
 * streams instead of its fast path: measurably slower on every request.
 */
export function limitBodies(maxBytes = MAX_BODY_BYTES): MiddlewareHandler<WebEnv> {
  const tooLarge = (c: Context<WebEnv>) => errorResponse(c, refuse(c, 413, 'too_large', 'web.error.too_large'));
  const counting = bodyLimit({ maxSize: maxBytes, onError: (c) => tooLarge(c as Context<WebEnv>) });
  return async (c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    const length = c.req.header('content-length');
    if (length !== undefined && !(Number(length) <= maxBytes)) return tooLarge(c);
    await next();
  };
}
