import { createMiddleware } from 'hono/factory';
import type { WebEnv } from './context.ts';
import { errorResponse, refuse } from './errors.ts';

/**
 * Bounds the requests being answered at once. Beyond the bound a request is refused straight away (503 with
 * Retry-After, in the person's language as far as it is known) instead of waiting in a queue that would make
 * every request slow: the accepted ones keep their latency, and the refused ones know to try again.
 */
export function boundInFlight(max: number) {
  let inFlight = 0;
  const middleware = createMiddleware<WebEnv>(async (c, next) => {
    if (inFlight >= max) return errorResponse(c, refuse(c, 503, 'overloaded', 'web.error.overloaded'), { 'retry-after': '1' });
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  });
  return Object.assign(middleware, { inFlight: () => inFlight });
}
