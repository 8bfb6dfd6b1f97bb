/** What the stand-in asks for the time: deadlines, token lifetimes, timestamps and snowflakes all read it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to, so a test can put an interaction past its 3-second deadline or a
 * token past its 15 minutes without sleeping. It moves the stand-in's idea of time only: discord.js keeps
 * using the real clock for its own timers.
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs a non-negative number of ms (got ${ms})`);
    this.#now += ms;
    return this.#now;
  }

  set(ms: number): void {
    this.#now = ms;
  }
}
