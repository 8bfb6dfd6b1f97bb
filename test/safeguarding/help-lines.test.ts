import { describe, expect, it } from 'vitest';
import { copenhagenClock, HELP_LINES, helpLinesFileSchema, helpLinesOpenAt, statusAt } from '../../src/safeguarding/index.ts';

const line = (id: string) => HELP_LINES.lines.find((l) => l.id === id)!;
const ids = (at: string, age?: number) =>
  helpLinesOpenAt(new Date(at), age === undefined ? {} : { age }).map((c) => `${c.line.id}:${c.status}`);

describe('help lines data', () => {
  it('lists the help the private answer must offer, with a last-checked date and an honest not-verified flag', () => {
    expect(HELP_LINES.lines.map((l) => l.id)).toEqual(['112', 'boernetelefonen', 'livslinien', 'headspace', 'psykiatrifonden', 'cyberhus']);
    expect(line('boernetelefonen').contacts).toContainEqual({ kind: 'phone', label: '116 111', tel: '116111' });
    expect(line('livslinien').contacts).toContainEqual({ kind: 'phone', label: '70 201 201', tel: '+4570201201' });
    expect(HELP_LINES.lastChecked).toBe('2026-12-01');
    // Until a person has checked the hours against the services' own pages, the file says so.
    expect(HELP_LINES.verifiedByPerson).toBe(false);
    expect(HELP_LINES.note).toMatch(/NOT VERIFIED/);
  });

  it('rejects a malformed file', () => {
    const bad = structuredClone(HELP_LINES) as any;
    bad.lines[2].hours.slots[0].from = '25:00';
    expect(() => helpLinesFileSchema.parse(bad)).toThrow();
  });
});

describe('what is open now (Europe/Copenhagen)', () => {
  it('reads the Copenhagen clock in winter and summer time', () => {
    expect(copenhagenClock(new Date('2026-12-01T10:00:00Z'))).toEqual({ day: 'tue', minutes: 11 * 60 });
    expect(copenhagenClock(new Date('2026-07-01T10:00:00Z'))).toEqual({ day: 'wed', minutes: 12 * 60 });
  });

  it('keeps a line open past midnight and closes it at the end of its slot', () => {
    const ll = line('livslinien');
    expect(statusAt(ll, new Date('2026-12-01T03:30:00Z'))).toBe('open'); // Tue 04:30, Monday's slot
    expect(statusAt(ll, new Date('2026-12-01T04:30:00Z'))).toBe('closed'); // 05:30
    expect(statusAt(ll, new Date('2026-12-01T09:59:00Z'))).toBe('closed'); // 10:59
    expect(statusAt(ll, new Date('2026-12-01T10:00:00Z'))).toBe('open'); // 11:00
    expect(statusAt(ll, new Date('2026-07-01T08:59:00Z'))).toBe('closed'); // 10:59 summer time
    expect(statusAt(ll, new Date('2026-07-01T09:00:00Z'))).toBe('open'); // 11:00 summer time
  });

  it('follows the clock change on the night it happens', () => {
    const ll = line('livslinien');
    expect(statusAt(ll, new Date('2026-03-29T02:30:00Z'))).toBe('open'); // 04:30 summer time, after the change
    expect(statusAt(ll, new Date('2026-03-29T03:00:00Z'))).toBe('closed'); // 05:00 summer time
    expect(statusAt(ll, new Date('2026-10-25T03:30:00Z'))).toBe('open'); // 04:30 winter time, after the change
    expect(statusAt(ll, new Date('2026-10-25T04:00:00Z'))).toBe('closed'); // 05:00 winter time
  });

  it('lists open lines first, then those with unknown hours, and leaves closed ones out', () => {
    expect(ids('2026-12-01T05:00:00Z')).toEqual([
      '112:open',
      'boernetelefonen:open',
      'headspace:unknown',
      'psykiatrifonden:unknown',
      'cyberhus:unknown',
    ]);
    expect(ids('2026-12-01T20:00:00Z')).toEqual([
      '112:open',
      'boernetelefonen:open',
      'livslinien:open',
      'headspace:unknown',
      'psykiatrifonden:unknown',
      'cyberhus:unknown',
    ]);
    expect(helpLinesOpenAt(new Date('2026-12-01T20:00:00Z'), { includeUnknown: false }).map((c) => c.line.id)).toEqual([
      '112',
      'boernetelefonen',
      'livslinien',
    ]);
  });

  it('leaves out lines for other ages when the age is known', () => {
    expect(ids('2026-12-01T20:00:00Z', 24)).toEqual(['112:open', 'livslinien:open', 'headspace:unknown', 'psykiatrifonden:unknown']);
    expect(ids('2026-12-01T20:00:00Z', 15)).toContain('boernetelefonen:open');
  });

  it('is pure and validates its input', () => {
    const at = new Date('2026-12-01T20:00:00Z');
    expect(helpLinesOpenAt(at)).toEqual(helpLinesOpenAt(at));
    expect(() => helpLinesOpenAt(new Date('nope'))).toThrow();
    expect(() => helpLinesOpenAt(at, { age: -1 })).toThrow();
  });
});
