import { performance } from 'node:perf_hooks';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { WebEnv } from './context.ts';
import { errorResponse, refuse } from './errors.ts';

/** How busy the process is now: the share of the last window its event loop spent working (0–1). */
export interface LoadSignal {
  utilization(): number;
  stop(): void;
}

/**
 * The event loop's utilization over the last `windowMs` (Node's own measure, perf_hooks). Near 1, requests come
 * in faster than the process answers them and wait where no counter sees them (in the socket, in the parser,
 * behind SQLite's one writer): the in-flight bound alone let them wait seconds when the CPU was the limit.
 * Fastify's under-pressure sheds on the same measure.
 */
export function watchLoad(windowMs = 250): LoadSignal {
  let last = performance.eventLoopUtilization();
  let recent = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    recent = performance.eventLoopUtilization(now, last).utilization;
    last = now;
  }, windowMs);
  timer.unref();
  return { utilization: () => recent, stop: () => clearInterval(timer) };
}

/** While saturated, how many requests may be answered at once when the newcomer continues started work. */
export const SATURATED_CONTINUING = 8;

/**
 * Bounds the requests being answered at once, and refuses new ones while the process is saturated (`load` at or
 * above `maxUtilization`) and already answering another. A refused request gets 503 with Retry-After at once, in the person's language as far
 * as it is known, instead of waiting in a queue that would make every request slow: the accepted ones keep
 * their latency, and a refusal costs a fraction of an answer, which is what lets the process catch up.
 */
export function boundInFlight(
  max: number,
  opts: {
    load?: Pick<LoadSignal, 'utilization'>;
    maxUtilization?: number;
    /**
     * Requests that carry on something the person already started (a press on a ballot they opened): while
     * saturated these are still let in, up to `SATURATED_CONTINUING` at once, and only new work is refused.
     */
    continues?: (c: Context<WebEnv>) => boolean;
  } = {},
) {
  let inFlight = 0;
  let shed = 0;
  const { load, maxUtilization, continues } = opts;
  const shedding = load !== undefined && maxUtilization !== undefined;
  const saturated = () => shedding && load.utilization() >= maxUtilization;
  const middleware = createMiddleware<WebEnv>(async (c, next) => {
    // Saturated only counts while another request is being answered: one person's requests one after another
    // can keep the loop busy without anyone waiting behind them (seen with sequential sign-ins). A request that
    // continues started work may still join a few others: refusing it would waste the work already done for it
    // (the bench: at 400 ballots/s offered, 770 ballots were begun and 23 finished, refused at their pick or Send).
    const room = continues?.(c) ? SATURATED_CONTINUING : 1;
    if (inFlight >= max || (inFlight >= room && saturated())) {
      shed++;
      return errorResponse(c, refuse(c, 503, 'overloaded', 'web.error.overloaded'), { 'retry-after': '1' });
    }
    inFlight++;
    try {
      // One turn of the event loop before the work: requests that arrived together are then in flight together.
      // On SQLite every query is synchronous, so without it a request ran to its end within the callback that
      // read it, the next one always found nothing in flight, and the queue formed unseen in the sockets
      // (the bench: loop utilization 1 at 50 ballots/s offered, no refusal, ballots taking 6 s).
      if (shedding) await new Promise<void>((resolve) => setImmediate(resolve));
      await next();
    } finally {
      inFlight--;
    }
  });
  return Object.assign(middleware, { inFlight: () => inFlight, shed: () => shed });
}
