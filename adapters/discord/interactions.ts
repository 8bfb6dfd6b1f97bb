import type { AutocompleteInteraction, Interaction } from 'discord.js';
import {
  type AckTiming,
  type Choice,
  type Logger,
  type PublicCardStore,
  type Router,
  type Served,
  serve,
  truncate,
} from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { DirectMessages } from './direct.ts';
import { isHandled, localeHint, toCompletion, toEvent, type HandledInteraction } from './inbound.ts';
import { DISCORD_EXTRA } from './limits.ts';
import { DiscordSurface } from './surface.ts';

/**
 * Discord wants the first answer within 3 s of the interaction's creation (its id's snowflake time), counted on
 * its side, and the callback takes a network hop. All three count from that creation time, not from arrival:
 * answers that are ready by `afterMs` go out as they are (a modal can only go out this way); slower ones are
 * deferred then and edited in when ready; by `deadlineMs` the deferral goes out whatever is still unknown. An
 * interaction that reaches Pulje after `expiresMs` (gateway lag, a resume, a stalled process) is not acted on at
 * all: its deferral could no longer arrive in time, and someone who saw "This interaction failed" and tries again
 * must not get the effect twice. 500 ms is left for that deferral's round trip (measured p99 well under 100 ms).
 */
export interface DiscordAckTiming extends AckTiming {
  expiresMs: number;
}

export const DEFAULT_ACK: DiscordAckTiming = { afterMs: 1500, deadlineMs: 2300, expiresMs: 2500 };

export interface InteractionDeps {
  router: Router;
  log: Logger;
  /** DISCORD_STAFF_ROLE, a role id (the default staff role where a binding names none). */
  staffRole: string | undefined;
  defaultLocale: Locale;
  ack: DiscordAckTiming;
  dms: DirectMessages;
  /** Public cards with a scope, kept so that a later retire can take their buttons off (pulje.publicCards). */
  cards?: PublicCardStore;
  /** The clock interaction ids are compared with (epoch ms): Date.now, which NTP keeps close to Discord's. */
  now: () => number;
  /** Told how each interaction went (tests and measurements). */
  onSettled?: (report: SettledReport) => void;
}

export interface SettledReport {
  interactionId: string;
  duplicate: boolean;
  /** Another process held its claim and was still answering it: this one left it alone. */
  busy: boolean;
  /** It arrived after its answer window (`expiresMs`) and nothing was done. */
  expired: boolean;
  deferred: boolean;
  /** Milliseconds from arrival to Discord accepting the first answer; undefined if it never did. */
  ackMs: number | undefined;
  /** Milliseconds from the interaction's creation (what Discord's 3 s count from) to its arrival here. */
  lagMs: number;
}

/** Interaction ids this process has started on: a second delivery to the same process stops here at once. */
class RecentIds {
  readonly #ids = new Set<string>();
  constructor(private readonly max: number) {}
  /** False if seen before. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}

export interface InteractionListener {
  (i: Interaction): Promise<void>;
  /** Stops taking new interactions and waits (at most `timeoutMs`) for those being handled to be answered. */
  drain(timeoutMs: number): Promise<void>;
}

/** The Client's InteractionCreate listener. Never throws: every failure is logged and, where possible, answered. */
export function interactionListener(deps: InteractionDeps): InteractionListener {
  const recent = new RecentIds(10_000);
  const running = new Set<Promise<void>>();
  let closing = false;
  const listener = async (i: Interaction) => {
    // Shutting down: a new interaction would not be answered in full anyway.
    if (closing) return;
    const work = (async () => {
      try {
        if (i.isAutocomplete()) return await suggest(i, deps);
        if (!isHandled(i)) return;
        // Across processes the router's claim in the database decides; this only saves a round trip.
        if (!recent.add(i.id)) return;
        await handle(i, deps);
      } catch (error) {
        deps.log.error({ err: error, interactionId: i.id }, 'discord: interaction failed');
      }
    })();
    running.add(work);
    await work;
    running.delete(work);
  };
  return Object.assign(listener, {
    async drain(timeoutMs: number) {
      closing = true;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.all(running), late]);
      clearTimeout(timer);
      if (running.size) deps.log.warn({ unfinished: running.size }, 'discord: stopped with interactions still being answered');
    },
  });
}

async function handle(i: HandledInteraction, deps: InteractionDeps): Promise<void> {
  const arrived = performance.now();
  // Discord's clock started when it created the interaction: the time in its id.
  const createdAt = i.createdTimestamp;
  const lagMs = deps.now() - createdAt;
  const fallbackLocale = localeHint(i) ?? deps.defaultLocale;
  const surface = new DiscordSurface(i, {
    log: deps.log,
    dms: deps.dms,
    noteLocale: fallbackLocale,
    ...(deps.cards ? { cards: deps.cards } : {}),
  });
  let served: Served | undefined;
  try {
    const event = await toEvent(i, deps.staffRole);
    served = await serve(deps.router, surface, event, {
      ack: deps.ack,
      startedAt: createdAt,
      expiresAt: createdAt + deps.ack.expiresMs,
      now: deps.now,
      fallbackLocale,
      log: deps.log,
    });
    await surface.settle(served.outcome?.locale ?? fallbackLocale);
  } catch (error) {
    deps.log.error({ err: error, interactionId: i.id }, 'discord: could not handle an interaction');
  }
  deps.onSettled?.({
    interactionId: i.id,
    duplicate: served?.duplicate ?? false,
    busy: served?.busy ?? false,
    expired: served?.expired ?? false,
    deferred: surface.deferred,
    ackMs: surface.ackedAt === undefined ? undefined : surface.ackedAt - arrived,
    lagMs,
  });
}

/**
 * Autocomplete cannot be deferred: suggestions that are not ready in time are replaced by none, which Discord
 * shows as "no options" while the person keeps typing.
 */
async function suggest(i: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const elapsed = deps.now() - i.createdTimestamp;
  // Too late for any answer: Discord has shown "Loading options failed" already.
  if (elapsed >= deps.ack.expiresMs) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Choice[]>((resolve) => {
    timer = setTimeout(() => resolve([]), deps.ack.deadlineMs - elapsed);
  });
  const choices = await Promise.race([toCompletion(i, deps.staffRole).then((req) => deps.router.complete(req)), late]).finally(() =>
    clearTimeout(timer),
  );
  await i
    .respond(fitChoices(choices))
    .catch((error: unknown) => deps.log.warn({ err: error, interactionId: i.id }, 'discord: could not answer autocomplete'));
}

/** Within Discord's limits: 25 choices, names 1–100 characters, values that fit whole (ids are never cut). */
export function fitChoices(choices: readonly Choice[]): Array<{ name: string; value: string }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; value: string }> = [];
  for (const c of choices) {
    if (out.length >= DISCORD_EXTRA.autocompleteChoices) break;
    if (c.value.length > DISCORD_EXTRA.choiceValue || seen.has(c.value)) continue;
    seen.add(c.value);
    out.push({ name: truncate(c.label.replace(/\s+/g, ' ').trim(), DISCORD_EXTRA.choiceName) || '…', value: c.value });
  }
  return out;
}
