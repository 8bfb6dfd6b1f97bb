import { defineLimits, discord } from '../../src/conversation/index.ts';

/**
 * Discord's markdown makes "1. " at the start of a line an ordered list (and renumbers it), which the conversation
 * layer's per-character escaper cannot see: the adapter escapes that dot as well, and counts it.
 */
export const ORDERED_LIST_MARKER = /(^|\n)([ \t]*\d+)\.(?=[ \t])/g;
const measure = (text: string) => discord.measure(text) + (text.match(ORDERED_LIST_MARKER)?.length ?? 0);

/**
 * Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * …/components/reference). Text is counted as it is once escaped for Discord's markdown, with the marks that
 * styled spans add. `messageTotalLength` is the 6000 Discord allows over all embeds of a message; the fit step
 * counts the message text into it as well, which only makes it stricter.
 */
export const DISCORD_LIMITS = defineLimits({
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
  measure,
  // "**x**", "*x*", "`x`"
  styleOverhead: { strong: 4, em: 2, code: 2 },
});

/** Limits the fit step does not cover: autocomplete answers and thread names. */
export const DISCORD_EXTRA = {
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
} as const;
