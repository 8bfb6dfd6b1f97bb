import { describe, expect, it } from 'vitest';
import { t, translator } from '../../src/i18n/index.ts';

// Parameters are typed from the Danish source text: the `@ts-expect-error` lines below fail `tsc` (part of
// `npm test`) if a misspelt, missing or wrongly typed parameter were ever accepted.
function typeChecks() {
  // @ts-expect-error misspelt parameter
  t('da', 'flow.limits.min_support', { mn: 2 });
  // @ts-expect-error missing parameter
  t('da', 'flow.limits.min_support');
  // @ts-expect-error a plural parameter takes a number
  t('da', 'flow.limits.min_support', { min: '2' });
  // @ts-expect-error a text without placeholders takes none
  t('da', 'help.title', { title: 'x' });
  // @ts-expect-error unknown key
  t('da', 'help.nonexistent');
  const tr = translator('en');
  // @ts-expect-error the same through a translator (ctx.t)
  tr('flow.limits.quorum', { quorum: 1, extra: 2 });
  return [t('da', 'flow.limits.min_support', { min: 2 }), tr('help.title'), tr('flow.limits.quorum', { quorum: 3 })];
}

describe('typed parameters', () => {
  it('format as the types promise: numbers, plurals and lists in the reader’s language', () => {
    expect(typeChecks()).toEqual(['mindst 2 stemmer for at få penge', 'What I can help with', 'at least 3 must vote']);
    expect(t('da', 'error.forbidden', { roles: { list: ['unge', 'medarbejdere', 'admin'], join: 'or' } })).toBe(
      'Det er kun unge, medarbejdere eller admin, der kan gøre det.',
    );
    expect(t('en', 'error.forbidden', { roles: { list: ['young people', 'staff'], join: 'or' } })).toBe(
      'Only young people or staff can do that.',
    );
  });
});
