import { defineLimits, slack } from '../../src/conversation/index.ts';
import { commandGrowth } from './commands.ts';

/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks, …/block-elements,
 * …/composition-objects), as the fit step should see them. Text is counted escaped for mrkdwn (`&amp;` is five
 * characters), with the marks styled spans add. How one card becomes blocks (render.ts): a header (plain_text
 * ≤150), a section for the body (≤3000), one section of fields (≤10, each "*label*\nvalue" ≤2000), a context
 * for the footer, and an actions block per row. With 8 cards of 4 blocks, the message text and 10 rows that is
 * at most 43 of the 50 blocks a message may have.
 */
export const SLACK_LIMITS = defineLimits({
  textLength: 3000,
  cardsPerMessage: 8,
  titleLength: 150,
  bodyLength: 3000,
  fieldsPerCard: 10,
  fieldLabelLength: 200,
  // 2000 for the whole field: the label's "*…*\n" and 200 characters of label leave this.
  fieldValueLength: 1790,
  footerLength: 500,
  // Slack has no total per message beyond its block count; this keeps a message readable on a phone.
  messageTotalLength: 12000,
  rowsPerMessage: 10,
  buttonsPerRow: 5,
  buttonLabelLength: 75,
  selectOptions: 100,
  optionLabelLength: 75,
  optionDescriptionLength: 75,
  optionValueLength: 150,
  placeholderLength: 150,
  formInputs: 10,
  // Modal title, submit and close: plain_text ≤24.
  formTitleLength: 24,
  inputLabelLength: 200,
  inputPlaceholderLength: 150,
  inputValueLength: 3000,
  // action_id and block_id: 255.
  idLength: 255,
  // Escaped for mrkdwn, and with commands spelled the Slack way (commands.ts).
  measure: (text) => slack.measure(text) + commandGrowth(text),
  // "*x*", "_x_", "`x`"
  styleOverhead: { strong: 2, em: 2, code: 2 },
});

/** Limits the fit step does not cover. */
export const SLACK_EXTRA = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  modalButton: 24,
  privateMetadata: 3000,
  /** Top-level `text` (the notification fallback): msg_too_long past about 4000. */
  fallbackText: 3000,
  errorText: 2000,
} as const;
