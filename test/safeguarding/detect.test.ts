import { describe, expect, it } from 'vitest';
import { firstWords } from '../../src/safeguarding/detect.ts';
import { compilePattern, detectCrisis, normalise, PHRASES } from '../../src/safeguarding/index.ts';

describe('normalise', () => {
  it('folds case, æøå spellings, repeated letters and leetspeak the same way', () => {
    const forms = ['Slå mig selv ihjel', 'slaa mig selv ihjel', 'SLÅÅÅ MIG SELV IHJEL', 'sla mig selv ihjel'];
    expect(new Set(forms.map((f) => normalise(f).text)).size).toBe(1);
    expect(normalise('s3lvm0rd').text).toBe(normalise('selvmord').text);
    expect(normalise('$uicide').text).toBe('suicide');
    expect(normalise("don't").text).toBe('dont');
    expect(normalise('hjælp!').text).toBe(normalise('hjælp').text);
    expect(normalise('ring 116 111').text).toBe('ring 116 111'); // digits are not letters: never collapsed
  });

  it('maps every output character back to the original text', () => {
    const input = 'Jeg vil  SLÅ…';
    const { text, map } = normalise(input);
    expect(map).toHaveLength(text.length);
    expect(input[map[text.indexOf('s')]!]).toBe('S');
    expect(map.every((i, k) => k === 0 || i >= map[k - 1]!)).toBe(true);
  });
});

describe('detectCrisis', () => {
  it('reports where the signal is in the original text', () => {
    const text = 'Hej. Jeg vil ikke leve mere 😔';
    const r = detectCrisis(text);
    expect(r.level).toBe('urgent');
    expect(text.slice(r.signals[0]!.start, r.signals[0]!.end)).toBe('vil ikke leve mere');
  });

  it('lowers an urgent phrase to concern when it is negated or said jokingly, never to none', () => {
    expect(detectCrisis('jeg ville aldrig slå mig selv ihjel').signals[0]).toMatchObject({ level: 'concern', downgraded: 'negated' });
    expect(detectCrisis('kms lol').signals[0]).toMatchObject({ level: 'concern', downgraded: 'humour' });
    expect(detectCrisis('kms').level).toBe('urgent');
  });

  it('ignores idioms and quoted song or film titles, but not the same words outside them', () => {
    expect(detectCrisis('jeg dør af grin').level).toBe('none');
    expect(detectCrisis('jeg hører "Suicidal" af YNW Melly').level).toBe('none');
    expect(detectCrisis('jeg er suicidal').level).not.toBe('none');
  });

  it('tells violence from games and hyperbole', () => {
    expect(detectCrisis('han slår mig').level).toBe('urgent');
    expect(detectCrisis('han slår mig altid i fifa').level).toBe('none');
    expect(detectCrisis('min mor slår mig ihjel hvis jeg kommer for sent').level).toBe('none');
  });

  it('validates its input', () => {
    expect(() => detectCrisis(undefined as never)).toThrow();
  });

  it('every phrase compiles, and a plain pattern matches its own words', () => {
    for (const p of PHRASES) for (const pattern of p.patterns) expect(() => compilePattern(pattern, p.notAfter, p.notBefore)).not.toThrow();
    const re = compilePattern('jeg [vil|skal] {slå mig/dræbe mig} selv ihjel|død ~1 nu');
    expect(re.test(normalise('jeg slå mig selv ihjel nu').text)).toBe(true);
    re.lastIndex = 0;
    expect(re.test(normalise('jeg vil dræbe mig selv død lige nu').text)).toBe(true);
    re.lastIndex = 0;
    expect(re.test(normalise('jeg slå dig selv ihjel nu').text)).toBe(false);
  });
});

describe('firstWords (the skip-ahead filter)', () => {
  it('names every word a match can start with, or null when any word can', () => {
    expect(firstWords('jeg [vil] dø')).toEqual(['jeg']);
    expect(firstWords('[vil|skal] {slå mig/dræbe mig} selv')).toEqual(['vil', 'skal', 'sla', 'draebe']);
    expect(firstWords('selvmord* tanker')).toEqual(['selvmord*']);
    expect(firstWords('~2 dø')).toBeNull();
    expect(firstWords('# piller')).toBeNull();
  });
});
