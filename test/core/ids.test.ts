import { describe, expect, it } from 'vitest';
import { newOrderedId } from '../../src/core/ids.ts';

describe('newOrderedId', () => {
  it('is a UUIDv7 whose text sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newOrderedId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The first 48 bits are the time in milliseconds.
    expect(Math.abs(Number.parseInt(ids[0]!.replace('-', '').slice(0, 12), 16) - Date.now())).toBeLessThan(60_000);
  });
});
