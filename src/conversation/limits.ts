import { z } from 'zod';
import { codeUnits, type Measure } from './text.ts';

const n = z.number().int().min(1);

/**
 * What one surface accepts. Adapters declare these (they own their platform's numbers); the fit step never
 * emits anything beyond them. Text lengths are counted by `measure`, the escaped length on that surface.
 */
export const surfaceLimitsSchema = z.object({
  /** Message text outside cards. */
  textLength: n.min(16),
  cardsPerMessage: n,
  titleLength: n.min(8),
  bodyLength: n.min(16),
  fieldsPerCard: n,
  fieldLabelLength: n.min(8),
  fieldValueLength: n.min(8),
  footerLength: n.min(8),
  /** All text of one message together (Discord: 6000 over all embeds). */
  messageTotalLength: n.min(64),
  /** Rows of controls per message; a select takes a row of its own. */
  rowsPerMessage: n,
  // At least 3: a paged list's ◀ n/m ▶ row.
  buttonsPerRow: n.min(3),
  buttonLabelLength: n.min(8),
  selectOptions: n.min(2),
  optionLabelLength: n.min(8),
  optionDescriptionLength: n.min(8),
  optionValueLength: n.min(36),
  placeholderLength: n.min(8),
  formInputs: n,
  formTitleLength: n.min(8),
  inputLabelLength: n.min(8),
  inputPlaceholderLength: n.min(8),
  /** Longest value an input can take. */
  inputValueLength: n,
  /** Longest control id; our codec makes ids of at most 100, so this must allow that. */
  idLength: z.number().int().min(100),
  /**
   * Most ideas a surface shows as one native choice list (a card's `choices`); absent where it has none.
   * There, and for a longer list, the card's fields and paged buttons are shown instead.
   */
  choiceItems: n.optional(),
  /** A native choice list longer than this comes with a search box that filters it (`FittedChoices.search`). */
  choiceSearchOver: n.optional(),
});

export type SurfaceLimitNumbers = z.output<typeof surfaceLimitsSchema>;

export interface SurfaceLimits extends SurfaceLimitNumbers {
  /** Characters the surface's marks add around a styled span (Discord: "**" on both sides of strong = 4). */
  styleOverhead?: { strong: number; em: number; code: number };
  /** The rendered length of a text on this surface (defaults to UTF-16 code units); must be additive. */
  measure?: Measure;
}

/** Validates an adapter's limits once, at start-up, so a typo cannot make the fit step loop or overflow. */
export function defineLimits(limits: SurfaceLimits): Readonly<SurfaceLimits> {
  surfaceLimitsSchema.parse(limits);
  return Object.freeze({ ...limits, measure: limits.measure ?? codeUnits });
}

/**
 * Limits for surfaces that render plain text or the DOM, where nothing grows when escaped (the web chat, the
 * terminal): they only keep things readable on a small screen (short labels, a select a thumb can scroll, a
 * card a screen can hold).
 */
export const READABLE_LIMITS: SurfaceLimitNumbers = {
  textLength: 4000,
  cardsPerMessage: 10,
  titleLength: 200,
  bodyLength: 4000,
  fieldsPerCard: 25,
  fieldLabelLength: 200,
  fieldValueLength: 2000,
  footerLength: 500,
  messageTotalLength: 20000,
  rowsPerMessage: 10,
  buttonsPerRow: 5,
  buttonLabelLength: 80,
  selectOptions: 50,
  optionLabelLength: 120,
  optionDescriptionLength: 200,
  optionValueLength: 100,
  placeholderLength: 150,
  formInputs: 10,
  formTitleLength: 100,
  inputLabelLength: 120,
  inputPlaceholderLength: 150,
  inputValueLength: 4000,
  idLength: 100,
};
