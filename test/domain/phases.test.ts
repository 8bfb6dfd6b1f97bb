import { describe, expect, it } from 'vitest';
import { PuljeError } from '../../src/core/errors.ts';
import { PHASES, PHASES_FOR, assertPhase, nextPhase, transitionKind } from '../../src/domain/phases.ts';

describe('phases', () => {
  it('move forward one step at a time, from draft to done', () => {
    const order = [];
    for (let p: (typeof PHASES)[number] | null = 'draft'; p; p = nextPhase(p)) order.push(p);
    expect(order).toEqual(['draft', 'ideas', 'voting', 'decided', 'implementing', 'done']);
  });

  it('allow only the ordinary step forward, and reopening voting after a decision as an override', () => {
    const allowed: string[] = [];
    for (const from of PHASES)
      for (const to of PHASES) {
        const kind = transitionKind(from, to);
        if (kind) allowed.push(`${from}>${to}:${kind}`);
      }
    expect(allowed).toEqual([
      'draft>ideas:forward',
      'ideas>voting:forward',
      'voting>decided:forward',
      'decided>voting:override',
      'decided>implementing:forward',
      'implementing>done:forward',
    ]);
  });

  it('report the phase a round is in and the ones that would do, in both languages', () => {
    let error: unknown;
    try {
      assertPhase('decided', PHASES_FOR.changeProposals);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PuljeError);
    expect((error as PuljeError).code).toBe('wrong_phase');
    expect((error as PuljeError).localize('da')).toBe(
      'Det kan ikke lade sig gøre nu: runden er i fasen "besluttet". Det kræver fasen kladde eller idéer.',
    );
    expect((error as PuljeError).localize('en')).toContain('"decided" phase. It needs draft or ideas.');
    expect(() => assertPhase('voting', PHASES_FOR.vote)).not.toThrow();
  });

  it('freeze proposals and settings once voting opens', () => {
    for (const later of ['voting', 'decided', 'implementing', 'done'] as const) {
      expect(PHASES_FOR.configure).not.toContain(later);
      expect(PHASES_FOR.changeProposals).not.toContain(later);
    }
    expect(PHASES_FOR.propose).toEqual(['ideas']);
  });
});
