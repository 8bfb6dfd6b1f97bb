import { TIME_ZONE } from '../scheduler/scheduler.ts';

/**
 * Danish wall-clock times typed in chat ("24.12.2026 18:00", "24/12 kl. 18", "2026-12-24 18:00") as instants.
 * Written by hand on Intl (which carries the time-zone database already): the one conversion needed is local
 * time → UTC in Europe/Copenhagen, which a date library would add a dependency for.
 */

/** Europe/Copenhagen's offset from UTC (minutes) at an instant. */
function offsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a Copenhagen wall-clock time names. In the autumn hour that happens twice the earlier is taken; a
 * time in the spring gap (02:30 on the last Sunday of March) does not exist and is refused (null).
 */
export function copenhagenTime(year: number, month: number, day: number, hour: number, minute: number): Date | null {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(naive);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // Two guesses cover both offsets of the day (+01:00, +02:00); the earlier valid one wins.
  const candidates = [...new Set([offsetMinutes(new Date(naive - 3 * 60 * 60_000)), offsetMinutes(new Date(naive + 3 * 60 * 60_000))])]
    .map((off) => new Date(naive - off * 60_000))
    .filter((d) => offsetMinutes(d) === (naive - d.getTime()) / 60_000)
    .sort((a, b) => a.getTime() - b.getTime());
  return candidates[0] ?? null;
}

/**
 * A deadline typed by staff: day.month[.year] or year-month-day, then a time (18:00, 18.00, kl. 18); without a
 * year, the next such day from `now`. Blank: null (no deadline). Anything else: undefined (not understood).
 */
export function parseDeadline(text: string, now: Date): Date | null | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\bkl\.?\s*/g, '')
    .replace(/\bat\s+/g, '');
  if (!s) return null;
  let y: number | undefined;
  let mo: number;
  let d: number;
  let rest: string;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]+(.*))?$/.exec(s);
  const dmy = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2})|\s+(\d{4}))?\.?(?:[ ,]+(.*))?$/.exec(s);
  if (iso) {
    y = Number(iso[1]);
    mo = Number(iso[2]);
    d = Number(iso[3]);
    rest = iso[4] ?? '';
  } else if (dmy) {
    d = Number(dmy[1]);
    mo = Number(dmy[2]);
    const year = dmy[3] ?? dmy[4];
    y = year ? (year.length === 2 ? 2000 + Number(year) : Number(year)) : undefined;
    rest = dmy[5] ?? '';
  } else return undefined;
  const time = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(rest.trim() || '23:59');
  if (!time) return undefined;
  const h = Number(time[1]);
  const mi = Number(time[2] ?? 0);
  if (h > 23 || mi > 59) return undefined;
  if (y !== undefined) return copenhagenTime(y, mo, d, h, mi) ?? undefined;
  const thisYear = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric' }).format(now));
  for (const year of [thisYear, thisYear + 1]) {
    const at = copenhagenTime(year, mo, d, h, mi);
    if (at && at > now) return at;
  }
  return undefined;
}

/** "24.12.2026 18:00": how a deadline is shown in a form, in Copenhagen time. */
export function formatDeadlineInput(at: Date): string {
  const p = new Intl.DateTimeFormat('da-DK', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const v = (type: string) => p.find((x) => x.type === type)!.value;
  return `${v('day')}.${v('month')}.${v('year')} ${v('hour')}:${v('minute')}`;
}
