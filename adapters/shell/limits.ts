import { defineLimits } from '../../src/conversation/index.ts';

/** A terminal shows plain text of any length; the limits only keep a card readable in 80–120 columns. */
export const SHELL_LIMITS = defineLimits({
  textLength: 4000,
  cardsPerMessage: 10,
  titleLength: 200,
  bodyLength: 4000,
  fieldsPerCard: 50,
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
});
