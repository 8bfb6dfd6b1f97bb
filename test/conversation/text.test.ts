import { describe, expect, it } from 'vitest';
import { discord, html, slack } from '../../src/conversation/escape.ts';
import { chunk, pageOf, splitText, truncate } from '../../src/conversation/text.ts';
import { rng } from './surfaces.ts';

const squash = (s: string) => s.replace(/\s+/g, '');

describe('splitText', () => {
  it('prefers paragraphs, then sentences, then words', () => {
    const text = 'Første afsnit er her.\n\nAndet afsnit. Med to sætninger.';
    expect(splitText(text, 30)).toEqual(['Første afsnit er her.', 'Andet afsnit.', 'Med to sætninger.']);
    expect(splitText('en to tre fire fem', 9)).toEqual(['en to tre', 'fire fem']);
  });
  it('cuts a word with no space in it, but never inside an emoji', () => {
    const parts = splitText('😀'.repeat(5), 3);
    expect(parts.every((p) => p.length <= 3)).toBe(true);
    expect(parts.join('')).toBe('😀'.repeat(5));
  });
  it('keeps text short of the limit after escaping', () => {
    const parts = splitText('*'.repeat(30), 10, discord.measure);
    expect(parts.every((p) => discord.measure(p) <= 10)).toBe(true);
    expect(parts.join('')).toBe('*'.repeat(30));
  });
  it('random text: every piece fits and nothing but whitespace is lost', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const text = r.text(120);
      const max = r.int(6, 200);
      for (const measure of [undefined, discord.measure, slack.measure, html.measure]) {
        const parts = splitText(text, max, measure);
        for (const p of parts) expect((measure ?? ((s: string) => s.length))(p), `seed ${seed}`).toBeLessThanOrEqual(max);
        expect(squash(parts.join('')), `seed ${seed}`).toBe(squash(text));
        expect(parts.every((p) => p.trim() === p && p.length > 0)).toBe(true);
      }
    }
  });
});

describe('truncate', () => {
  it('leaves short labels alone and shortens long ones with an ellipsis at a word', () => {
    expect(truncate('Kort', 10)).toBe('Kort');
    expect(truncate('Nye bænke til ungdomsklubben', 20)).toBe('Nye bænke til…');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });
  it('never exceeds the limit, also counted as escaped', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const text = r.text(30);
      const max = r.int(1, 80);
      expect(truncate(text, max).length).toBeLessThanOrEqual(max);
      expect(discord.measure(truncate(text, max, discord.measure))).toBeLessThanOrEqual(max);
    }
  });
});

describe('paging helpers', () => {
  it('clamps pages and chunks without losing items', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    expect(pageOf(items, 10, 5)).toEqual({ items: [20, 21, 22], page: 2, pages: 3 });
    expect(pageOf([], 10, 0)).toEqual({ items: [], page: 0, pages: 1 });
    expect(chunk(items, 10).flat()).toEqual(items);
  });
});
