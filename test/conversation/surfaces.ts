import { defineLimits, discord, slack } from '../../src/conversation/index.ts';

// Surfaces shaped like Discord's and Slack's published limits, to exercise the fit step as those adapters will.
export const discordLike = defineLimits({
  textLength: 2000,
  cardsPerMessage: 10,
  titleLength: 256,
  bodyLength: 4096,
  fieldsPerCard: 25,
  fieldLabelLength: 256,
  fieldValueLength: 1024,
  footerLength: 2048,
  messageTotalLength: 6000,
  rowsPerMessage: 5,
  buttonsPerRow: 5,
  buttonLabelLength: 80,
  selectOptions: 25,
  optionLabelLength: 100,
  optionDescriptionLength: 100,
  optionValueLength: 100,
  placeholderLength: 150,
  formInputs: 5,
  formTitleLength: 45,
  inputLabelLength: 45,
  inputPlaceholderLength: 100,
  inputValueLength: 4000,
  idLength: 100,
  measure: discord.measure,
  styleOverhead: { strong: 4, em: 2, code: 2 },
});

export const slackLike = defineLimits({
  textLength: 3000,
  cardsPerMessage: 5,
  titleLength: 150,
  bodyLength: 3000,
  fieldsPerCard: 10,
  fieldLabelLength: 200,
  fieldValueLength: 1700,
  footerLength: 2000,
  messageTotalLength: 30000,
  rowsPerMessage: 5,
  buttonsPerRow: 5,
  buttonLabelLength: 75,
  selectOptions: 100,
  optionLabelLength: 75,
  optionDescriptionLength: 75,
  optionValueLength: 150,
  placeholderLength: 150,
  formInputs: 10,
  formTitleLength: 24,
  inputLabelLength: 2000,
  inputPlaceholderLength: 150,
  inputValueLength: 3000,
  idLength: 255,
  measure: slack.measure,
  styleOverhead: { strong: 2, em: 2, code: 2 },
});

/** Deliberately cramped, so that every code path of the fit step is taken often. */
export const tiny = defineLimits({
  textLength: 40,
  cardsPerMessage: 2,
  titleLength: 12,
  bodyLength: 30,
  fieldsPerCard: 3,
  fieldLabelLength: 10,
  fieldValueLength: 20,
  footerLength: 15,
  messageTotalLength: 90,
  rowsPerMessage: 3,
  buttonsPerRow: 3,
  buttonLabelLength: 10,
  selectOptions: 4,
  optionLabelLength: 10,
  optionDescriptionLength: 12,
  optionValueLength: 40,
  placeholderLength: 10,
  formInputs: 2,
  formTitleLength: 10,
  inputLabelLength: 10,
  inputPlaceholderLength: 10,
  inputValueLength: 50,
  idLength: 100,
});

/** Small, seeded pseudo-random numbers (mulberry32), so a failing case can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const WORDS = [
    'skatepark',
    'Fodbold',
    'æøå',
    'ÆØÅ',
    '**fed**',
    '_kursiv_',
    '@everyone',
    '<@123>',
    'a&b',
    '<script>',
    '😀',
    '👩‍👩‍👧',
    'x'.repeat(70),
    'hej.',
    'nej!',
    'måske?',
    '#1',
    '-',
    '`kode`',
    '> citat',
    'https://example.org/a_b',
  ];
  const text = (maxWords: number) => {
    let out = '';
    const n = int(0, maxWords);
    for (let i = 0; i < n; i++) out += pick(WORDS) + pick([' ', ' ', ' ', '\n', '\n\n', '. ', '', '  ']);
    return out;
  };
  /** Text as styled spans: some strong, some emphasised, some code. */
  const spans = (maxSpans: number) =>
    Array.from({ length: int(0, maxSpans) }, () => ({ text: text(8) || 'x', strong: next() < 0.3, em: next() < 0.2, code: next() < 0.1 }));
  return { next, int, pick, text, spans };
}
