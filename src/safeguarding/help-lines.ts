import { z } from 'zod';
import raw from './help-lines.json' with { type: 'json' };

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

const hoursSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('always') }),
  z.object({ kind: z.literal('unknown') }),
  z.object({
    kind: z.literal('weekly'),
    /** `to` before `from` means the slot runs past midnight into the next day ("11:00"–"05:00"). */
    slots: z.array(z.object({ days: z.array(z.enum(DAYS)).min(1), from: time, to: time })).min(1),
  }),
]);

const helpLineSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  emergency: z.boolean(),
  audience: z.object({ da: z.string().min(1), en: z.string().min(1) }),
  ageMin: z.number().int().min(0).optional(),
  ageMax: z.number().int().min(0).optional(),
  contacts: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('phone'), label: z.string(), tel: z.string().regex(/^\+?\d{3,15}$/) }),
        z.object({ kind: z.literal('sms'), label: z.string(), tel: z.string().regex(/^\+?\d{3,15}$/) }),
        z.object({ kind: z.enum(['web', 'chat']), label: z.string(), url: z.url() }),
      ]),
    )
    .min(1),
  hours: hoursSchema,
  hoursSource: z.string().min(1),
});

export const helpLinesFileSchema = z.object({
  lastChecked: z.iso.date(),
  checkedBy: z.string().min(1),
  verifiedByPerson: z.boolean(),
  note: z.string().min(1),
  lines: z.array(helpLineSchema).min(1),
});
export type HelpLine = z.infer<typeof helpLineSchema>;
export type HelpLinesFile = z.infer<typeof helpLinesFileSchema>;

/** The reviewed help lines (src/safeguarding/help-lines.json), validated when the module loads. */
export const HELP_LINES: HelpLinesFile = helpLinesFileSchema.parse(raw);

const CPH = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Day of week and minutes after midnight in Europe/Copenhagen (summer and winter time from the tz database). */
export function copenhagenClock(at: Date): { day: Day; minutes: number } {
  const parts = Object.fromEntries(CPH.formatToParts(at).map((p) => [p.type, p.value]));
  const day = String(parts.weekday).toLowerCase().slice(0, 3) as Day;
  return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export type HelpLineStatus = 'open' | 'closed' | 'unknown';

/** Whether a line is open at `at`: "unknown" when the file does not know its hours. */
export function statusAt(line: HelpLine, at: Date): HelpLineStatus {
  if (line.hours.kind === 'always') return 'open';
  if (line.hours.kind === 'unknown') return 'unknown';
  const { day, minutes } = copenhagenClock(at);
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7]!;
  for (const slot of line.hours.slots) {
    const from = toMinutes(slot.from);
    const to = toMinutes(slot.to);
    if (from < to) {
      if (slot.days.includes(day) && minutes >= from && minutes < to) return 'open';
    } else {
      // Past midnight: the evening part today, the early-morning part belongs to yesterday's slot.
      if (slot.days.includes(day) && minutes >= from) return 'open';
      if (slot.days.includes(yesterday) && minutes < to) return 'open';
    }
  }
  return 'closed';
}

export const helpLinesOptionsSchema = z
  .object({
    /** The person's age if they told it: lines for other ages are left out. */
    age: z.number().int().min(0).max(130).optional(),
    /** Lines whose hours are unknown are listed after the open ones (with a link to their own hours) unless false. */
    includeUnknown: z.boolean().default(true),
  })
  .default({ includeUnknown: true });

export interface HelpLineChoice {
  line: HelpLine;
  status: Exclude<HelpLineStatus, 'closed'>;
}

/**
 * The help to list now, for the private answer to a crisis signal: open lines first (in the file's order, 112 among
 * them), then lines whose hours are unknown. Closed lines are left out. Pure: the answer depends only on `at`.
 */
export function helpLinesOpenAt(
  at: Date,
  options?: z.input<typeof helpLinesOptionsSchema>,
  file: HelpLinesFile = HELP_LINES,
): HelpLineChoice[] {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('helpLinesOpenAt needs a valid Date');
  const { age, includeUnknown } = helpLinesOptionsSchema.parse(options);
  const fits = (l: HelpLine) => age === undefined || ((l.ageMin ?? 0) <= age && age <= (l.ageMax ?? 130));
  const withStatus = file.lines.filter(fits).map((line) => ({ line, status: statusAt(line, at) }));
  const open = withStatus.filter((x): x is HelpLineChoice => x.status === 'open');
  const unknown = includeUnknown ? withStatus.filter((x): x is HelpLineChoice => x.status === 'unknown') : [];
  return [...open, ...unknown];
}
