/**
 * What the stand-in asks for the time: trigger_id expiry (3 s), response_url lifetime (30 min), OAuth code
 * lifetime, rate-limit windows and message timestamps all read it. The 3-second acknowledgement deadline of the
 * app under test is measured in real time instead, because the app's own timers (Bolt's) run on the real clock.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to, so a test can put a trigger_id past its 3 seconds without sleeping. */
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
}
