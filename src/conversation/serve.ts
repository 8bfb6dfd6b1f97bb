import { type Locale, t } from '../i18n/index.ts';
import { deliver } from './deliver.ts';
import type { InboundEventInput } from './events.ts';
import { fitMessage } from './fit.ts';
import { type Logger, silentLogger } from './ports.ts';
import type { HandleOptions, Outcome, Router } from './router.ts';
import type { Surface } from './surface.ts';

/**
 * When a platform wants a first answer within seconds (Discord's 3 s, Slack's 3 s), measured from the moment it
 * sent the event: answers ready by `afterMs` go out as they are (a form can only go out this way); slower ones
 * are acknowledged then, once the event is known not to be a duplicate, and answered when ready. By
 * `deadlineMs` the event is acknowledged whatever is still unknown, so the window never passes unanswered.
 */
export interface AckTiming {
  afterMs: number;
  deadlineMs: number;
}

export interface ServeOptions {
  /** The platform's window; none where the platform waits for the answer (the web chat's HTTP request). */
  ack?: AckTiming;
  /**
   * When the platform's clock started (epoch ms): the event's own creation time where the platform says it
   * (Discord's snowflake), else its arrival. Timers count from here, not from when this process got to it.
   */
  startedAt?: number;
  /**
   * After this (epoch ms) the platform no longer accepts an answer: an event that arrives later is not acted
   * on at all, so nobody who saw "this interaction failed" and tries again gets the effect twice.
   */
  expiresAt?: number;
  /** Language for the "something went wrong" answer when nothing is known about the person. */
  fallbackLocale: Locale;
  log?: Logger;
  /** The moment the clock is read (tests); Date.now by default. */
  now?: () => number;
  /** Who acted and where, already resolved by the adapter for this request (see HandleOptions.known). */
  known?: HandleOptions['known'];
  /** See HandleOptions.claimWithChange. */
  claimWithChange?: boolean;
  /** See HandleOptions.commandKeyedByAnswer. */
  commandKeyedByAnswer?: boolean;
}

export interface Served {
  /** Nothing was done: the platform's window had closed before the event could be handled. */
  expired: boolean;
  /** The router's outcome; undefined if handling failed before it had one (database unreachable). */
  outcome: Outcome | undefined;
  duplicate: boolean;
  /** Another process is handling the same event right now (a redelivery may come back later). */
  busy: boolean;
  /** Whether the surface was told to acknowledge before the answer was ready. */
  acknowledged: boolean;
}

/**
 * Handles one inbound event on one surface: the router decides, the deadline helper acknowledges in time, and
 * the one delivery path shows the answer. Never throws for the platform's sake: a handling failure is answered
 * privately ("something went wrong"), and a surface error reaches the caller only if the surface lets it.
 */
export async function serve(router: Router, surface: Surface, event: InboundEventInput, opts: ServeOptions): Promise<Served> {
  const log = opts.log ?? silentLogger;
  const now = opts.now ?? Date.now;
  const startedAt = opts.startedAt ?? now();
  if (opts.expiresAt !== undefined && now() >= opts.expiresAt) {
    log.warn({ lateByMs: now() - opts.expiresAt, kind: event.kind }, 'conversation: event arrived after its answer window; not acted on');
    return { expired: true, outcome: undefined, duplicate: false, busy: false, acknowledged: false };
  }

  let claimed = false;
  let softPassed = false;
  let finished = false;
  let acknowledging: Promise<void> | undefined;
  const acknowledge = () => {
    if (!finished && !acknowledging)
      acknowledging = surface.acknowledge().catch((error: unknown) => log.warn({ err: error }, 'conversation: acknowledging failed'));
  };
  const timers: NodeJS.Timeout[] = [];
  if (opts.ack) {
    const elapsed = now() - startedAt;
    timers.push(
      setTimeout(
        () => {
          softPassed = true;
          if (claimed) acknowledge();
        },
        Math.max(0, opts.ack.afterMs - elapsed),
      ),
      setTimeout(acknowledge, Math.max(0, opts.ack.deadlineMs - elapsed)),
    );
  }

  let outcome: Outcome | undefined;
  try {
    outcome = await router.handle(event, {
      limits: surface.limits,
      ...(opts.known ? { known: opts.known } : {}),
      ...(opts.claimWithChange ? { claimWithChange: true } : {}),
      ...(opts.commandKeyedByAnswer ? { commandKeyedByAnswer: true } : {}),
      onClaimed: () => {
        claimed = true;
        if (softPassed) acknowledge();
      },
    });
  } catch (error) {
    // The router answers its own failures; this is the claim itself failing, or similar.
    log.error({ err: error, kind: event.kind }, 'conversation: could not handle an event');
  } finally {
    finished = true;
    for (const timer of timers) clearTimeout(timer);
  }
  await acknowledging;
  const acknowledged = acknowledging !== undefined;

  // What says handling failed must not stand as the event's answer where a surface keys events by it.
  if (!outcome || outcome.failed) surface.answeringFailure?.();
  if (!outcome) {
    await surface.postPrivate(fitMessage({ text: t(opts.fallbackLocale, 'error.internal') }, surface.limits)[0]!);
    await surface.finish?.('failed');
  } else if (outcome.duplicate || outcome.busy) {
    // Another delivery of the same event was, or is being, answered elsewhere.
    await surface.finish?.('duplicate');
  } else if (outcome.formError && surface.rejectForm && (await surface.rejectForm(outcome.formError))) {
    // The refusal is shown inside the form, next to what was typed; no separate message.
    await surface.finish?.('delivered');
  } else {
    await deliver(surface, outcome.replies, { locale: outcome.locale, log });
    await surface.finish?.('delivered');
  }
  return { expired: false, outcome, duplicate: outcome?.duplicate ?? false, busy: outcome?.busy ?? false, acknowledged };
}
