import { describe, expect, it } from 'vitest';
import {
  assignPseudonyms,
  createRedactor,
  cprYear,
  findPersonalData,
  ibanChecksumOk,
  isPlausibleCpr,
  letterFor,
  redact,
} from '../../src/privacy/index.ts';

describe('CPR plausibility', () => {
  it('reads the century from the seventh digit', () => {
    expect(cprYear(96, 1)).toBe(1996);
    expect(cprYear(10, 4)).toBe(2010);
    expect(cprYear(40, 4)).toBe(1940);
    expect(cprYear(57, 5)).toBe(2057);
    expect(cprYear(58, 5)).toBe(1858);
    expect(cprYear(36, 9)).toBe(2036);
  });
  it('accepts 29 February only in leap years, and no modulus-11 check', () => {
    expect(isPlausibleCpr('2902961234')).toBe(true); // 1996
    expect(isPlausibleCpr('2902004123')).toBe(true); // 2000 (seventh digit 4)
    expect(isPlausibleCpr('2902001234')).toBe(false); // 1900 is not a leap year
    expect(isPlausibleCpr('2902011234')).toBe(false);
    expect(isPlausibleCpr('3104991234')).toBe(false); // 31 April
    expect(isPlausibleCpr('0113991234')).toBe(false); // month 13
    expect(isPlausibleCpr('0101901234')).toBe(true); // fails modulus 11, issued since 2007
  });
});

describe('IBAN checksum', () => {
  it('holds for the registry examples and fails for a changed digit', () => {
    expect(ibanChecksumOk('DK5000400440116243')).toBe(true);
    expect(ibanChecksumOk('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumOk('DK5000400440116244')).toBe(false);
  });
  it('finds an IBAN without the word only when the checksum holds', () => {
    expect(findPersonalData('DK5000400440116243').map((s) => s.kind)).toEqual(['iban']);
    expect(findPersonalData('DK5000400440116244').map((s) => s.kind)).not.toContain('iban');
  });
});

describe('redact', () => {
  it('uses typed placeholders in the locale asked for', () => {
    const text = 'Ring 12 34 56 78, skriv til a@b.dk, cpr 010190-1234, Jagtvej 69, snap: ida_x, reg 1234 konto 12345678';
    expect(redact(text).text).toBe('Ring [TELEFON], skriv til [EMAIL], cpr [CPR], [ADRESSE], snap: [PROFIL], reg [KONTO]');
    expect(redact(text, { locale: 'en' }).text).toBe(
      'Ring [PHONE], skriv til [EMAIL], cpr [CPR], [ADDRESS], snap: [PROFILE], reg [ACCOUNT]',
    );
  });

  it('gives members stable pseudonyms within a call and names outside the group a neutral placeholder', () => {
    const r = redact('Sofie og Mads vil have en scene. Sofie betaler, Peter hjælper.', { knownNames: ['Sofie Jensen', 'Mads Holm'] });
    expect(r.text).toBe('Deltager A og Deltager B vil have en scene. Deltager A betaler, [NAVN] hjælper.');
    expect(r.replacements.map((x) => x.original)).toEqual(['Sofie', 'Mads', 'Sofie', 'Peter']);
  });

  it('keeps letters across calls with the same key, whatever order the members are listed in', () => {
    const members = [
      { id: 'u1', name: 'Sofie Jensen' },
      { id: 'u2', name: 'Mads Holm' },
      { id: 'u3', name: 'Ida Kjær' },
    ];
    const a = redact('Ida, Mads og Sofie', { knownNames: members, pseudonymKey: 'group-secret' });
    const b = redact('Sofie og Ida', { knownNames: [...members].reverse(), pseudonymKey: 'group-secret' });
    expect(a.pseudonyms).toEqual(b.pseudonyms);
    expect(b.text).toBe(`Deltager ${a.pseudonyms.u1} og Deltager ${a.pseudonyms.u3}`);
    // Another key gives (for these three) another assignment; letters are a permutation of A–C either way.
    const c = redact('x', { knownNames: members, pseudonymKey: 'other' });
    expect(Object.values(c.pseudonyms).sort()).toEqual(['A', 'B', 'C']);
  });

  it('keeps earlier letters when a member joins', () => {
    const before = redact('', {
      knownNames: [
        { id: 'u1', name: 'Sofie' },
        { id: 'u2', name: 'Mads' },
      ],
    }).pseudonyms;
    const after = redact('Noah og Sofie', {
      knownNames: [
        { id: 'u3', name: 'Noah' },
        { id: 'u1', name: 'Sofie' },
        { id: 'u2', name: 'Mads' },
      ],
      pseudonyms: before,
    });
    expect(after.pseudonyms).toEqual({ u1: 'A', u2: 'B', u3: 'C' });
    expect(after.text).toBe('Deltager C og Deltager A');
  });

  it('does not guess which of two members with the same first name is meant', () => {
    const r = redact('Sofie har ret', { knownNames: ['Sofie Jensen', 'Sofie Hansen'], locale: 'en' });
    expect(r.text).toBe('[PARTICIPANT] har ret');
  });

  it('leaves prices, dates, idea numbers and postcodes alone', () => {
    const text = 'Idé #12 koster 4.500 kr. (ca. 3000 uden moms), vi stemmer 12.03.2026 kl. 16.30 og bor i 2200. 20 stk., 25 %.';
    expect(redact(text).text).toBe(text);
  });

  it('letters go A…Z, AA, AB like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(letterFor)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    const many = Array.from({ length: 30 }, (_, i) => ({ key: `m${i}`, name: `M${i}`, full: [], parts: [] }));
    expect(Object.values(assignPseudonyms(many)).at(-1)).toBe('AD');
  });

  it('rejects bad options at the boundary', () => {
    expect(() => redact('x', { locale: 'de' as never })).toThrow();
    expect(() => redact('x', { pseudonyms: { u1: 'lower' } })).toThrow();
    expect(() => findPersonalData(42 as never)).toThrow();
  });

  it('a redactor reused for many messages gives the same result as one call each', () => {
    const opts = { knownNames: ['Sofie Jensen'], pseudonymKey: 'k' };
    const r = createRedactor(opts);
    for (const t of ['Sofie ringer på 22334455', 'mail sofie@x.dk']) expect(r.redact(t)).toEqual(redact(t, opts));
  });
});
