import type { Clock } from './clock.ts';

/** 2015-01-01T00:00:00Z, the epoch Discord counts snowflake timestamps from. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/** A Discord-shaped id (timestamp << 22 | worker | process | increment) that discord.js can read a creation time from. */
export function snowflake(clock: Clock = { now: () => Date.now() }): string {
  increment = (increment + 1n) & 0xfffn;
  const worker = BigInt(process.pid & 0x1f);
  const ms = BigInt(Math.max(clock.now(), Number(DISCORD_EPOCH)));
  return (((ms - DISCORD_EPOCH) << 22n) | (worker << 17n) | increment).toString();
}

/** The millisecond timestamp inside a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
