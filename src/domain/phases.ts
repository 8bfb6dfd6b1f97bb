import { PuljeError } from '../core/errors.ts';
import type { MessageKey } from '../i18n/index.ts';

/**
 * A round's life: staff prepare it (draft), young people bring ideas (ideas), they vote (voting), the
 * tally decides (decided), the money is spent (implementing) and the round is closed for good (done).
 */
export const PHASES = ['draft', 'ideas', 'voting', 'decided', 'implementing', 'done'] as const;
export type Phase = (typeof PHASES)[number];

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

const FORWARD: Record<Phase, Phase | null> = {
  draft: 'ideas',
  ideas: 'voting',
  voting: 'decided',
  decided: 'implementing',
  implementing: 'done',
  done: null,
};

/** The next phase in the ordinary order, or null after `done`. */
export function nextPhase(phase: Phase): Phase | null {
  return FORWARD[phase];
}

/**
 * How a move between two phases counts: `forward` is the ordinary order; `override` is the one way back,
 * reopening voting after a decision, which needs staff, a reason and an `override` log entry. Anything
 * else (skipping a phase, going back further) is not allowed.
 */
export function transitionKind(from: Phase, to: Phase): 'forward' | 'override' | null {
  if (FORWARD[from] === to) return 'forward';
  if (from === 'decided' && to === 'voting') return 'override';
  return null;
}

/** Phases in which each activity may happen. */
export const PHASES_FOR = {
  /** Changing the round's settings (ballot type, rule, limits, amount, deadlines). */
  configure: ['draft', 'ideas'],
  /** New proposals: young people bring ideas only while ideas are collected. */
  propose: ['ideas'],
  /** Editing, withdrawing, moderating and judging proposals: the ballot's list is frozen once voting opens. */
  changeProposals: ['draft', 'ideas'],
  vote: ['voting'],
  /** A published result exists and stands. */
  decided: ['decided', 'implementing', 'done'],
  /** Recording how funded proposals are carried out. */
  implement: ['decided', 'implementing'],
} as const satisfies Record<string, readonly Phase[]>;

const phaseKey = (p: Phase): MessageKey => `phase.${p}`;

export function wrongPhase(actual: Phase, expected: readonly Phase[]): PuljeError {
  return new PuljeError('wrong_phase', { phase: { key: phaseKey(actual) }, expected: { anyOf: expected.map(phaseKey) } });
}

/** Throws `wrong_phase` (with the phase the round is in and the ones that would do) unless allowed. */
export function assertPhase(actual: string, expected: readonly Phase[]): asserts actual is Phase {
  if (!isPhase(actual)) throw new PuljeError('internal');
  if (!expected.includes(actual)) throw wrongPhase(actual, expected);
}
