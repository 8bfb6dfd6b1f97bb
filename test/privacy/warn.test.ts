import { describe, expect, it } from 'vitest';
import { personalDataWarning } from '../../src/privacy/index.ts';

describe('personalDataWarning', () => {
  it('is null for an ordinary idea', () => {
    expect(personalDataWarning('Nye bænke ved søen til 4.500 kr., idé #3')).toBeNull();
    expect(personalDataWarning('Mark and Rose want a skatepark', 'en')).toBeNull();
  });

  it('lists each kind once, in a fixed order', () => {
    expect(personalDataWarning('ring 22334455 eller 44556677, mail ida@x.dk, cpr 010190-1234')).toEqual(['cpr', 'phone', 'email']);
    expect(personalDataWarning('Kom til Jagtvej 69, reg 1234 konto 12345678')).toEqual(['address', 'bankAccount']);
  });

  it('does not warn for names or handles shared in the group', () => {
    expect(personalDataWarning('Sofie Jensen og jeg foreslår det, følg @sofie_j')).toBeNull();
  });

  it('validates its input', () => {
    expect(() => personalDataWarning(undefined as never)).toThrow();
    expect(() => personalDataWarning('x', 'de' as never)).toThrow();
  });
});
