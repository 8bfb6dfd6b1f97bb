import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../../src/core/errors.ts';
import { formatMoney, parseMoney, t } from '../../src/i18n/index.ts';

describe('localized errors', () => {
  const schema = z.object({ title: z.string().min(3).max(10), cost: z.number().int().positive() });
  it('turn zod issues into sentences in both languages and name the fields', () => {
    const err = (() => {
      try {
        parseInput(schema, { title: 'x', cost: 2.5 });
      } catch (e) {
        return e as PuljeError;
      }
    })()!;
    expect(err.code).toBe('invalid_input');
    expect(err.localize('da')).toBe('Det kunne jeg ikke bruge: titel skal have mindst 3 tegn; pris skal være et helt tal');
    expect(err.localize('en')).toBe("I couldn't use that: title needs at least 3 characters; cost must be a whole number");
  });
  it('report missing fields as missing', () => {
    expect(() => parseInput(schema, { cost: 5 })).toThrow(PuljeError);
    try {
      parseInput(schema, { cost: 5 });
    } catch (e) {
      expect((e as PuljeError).localize('en')).toContain('title is missing');
    }
  });
  it('localize parameters that are themselves texts', () => {
    expect(notFound('round').localize('da')).toBe('Jeg kan ikke finde runden.');
    expect(new PuljeError('forbidden', { roles: { anyOf: ['role.staff', 'role.admin'] } }).localize('en')).toBe(
      'Only staff or admins can do that.',
    );
  });
});

describe('money', () => {
  it.each([
    [450000, 'da', '4.500 kr.'],
    [450050, 'da', '4.500,50 kr.'],
    [450000, 'en', 'DKK 4,500'],
    [5, 'en', 'DKK 0.05'],
    [123456789, 'da', '1.234.567,89 kr.'],
  ] as const)('formats %i øre in %s as %s', (minor, locale, text) => {
    expect(formatMoney(minor, locale)).toBe(text);
    expect(parseMoney(text, locale)).toBe(minor);
  });
  it('refuses what is not an amount', () => {
    expect(parseMoney('lots', 'da')).toBeUndefined();
    expect(parseMoney('4.50.0', 'da')).toBeUndefined();
  });
});

describe('numbers and words agree', () => {
  it('picks the singular for one and the plural otherwise', () => {
    expect(t('da', 'flow.limits.min_support', { min: 1 })).toBe('mindst 1 stemme for at få penge');
    expect(t('da', 'flow.limits.min_support', { min: 2 })).toBe('mindst 2 stemmer for at få penge');
    expect(t('en', 'flow.limits.min_support', { min: 1 })).toBe('at least 1 vote to get money');
    expect(t('en', 'flow.limits.points', { points: 10 })).toBe('10 points per person');
  });
});
