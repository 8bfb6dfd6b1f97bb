import { performance } from 'node:perf_hooks';
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

/**
 * Bounds the requests being answered at once, and refuses new ones while the process is saturated (`load` at or
 * above `maxUtilization`) and already answering another. A refused request gets 503 with Retry-After at once, in the person's language as far
 * as it is known, instead of waiting in a queue that would make every request slow: the accepted ones keep
 * their latency, and a refusal costs a fraction of an answer, which is what lets the process catch up.
 */
export function boundInFlight(max: number, opts: { load?: Pick<LoadSignal, 'utilization'>; maxUtilization?: number } = {}) {
  let inFlight = 0;
  let shed = 0;
  const { load, maxUtilization } = opts;
  const shedding = load !== undefined && maxUtilization !== undefined;
  const saturated = () => shedding && load.utilization() >= maxUtilization;
  const middleware = createMiddleware<WebEnv>(async (c, next) => {
    // Saturated only counts while another request is being answered: one person's requests one after another
    // can keep the loop busy without anyone waiting behind them (seen with sequential sign-ins).
    if (inFlight >= max || (inFlight > 0 && saturated())) {
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
