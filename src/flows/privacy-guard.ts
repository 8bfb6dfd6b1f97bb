import { PuljeError, type Detail, type ErrorParam } from '../core/errors.ts';
import { type Locale, type MessageKey, t } from '../i18n/index.ts';
import { personalDataWarning, type WarningKind } from '../privacy/warn.ts';

/** What a person resubmits a form with after the warning, to send it anyway (the form's hidden answer). */
export const CONFIRM_FIELD = '_confirm';
export const CONFIRM_VALUE = 'personal_data';

const kindKey = (k: WarningKind): MessageKey => `flow.privacy.kind.${k}` as MessageKey;

/** "et CPR-nummer og et telefonnummer" */
export const listOfKinds = (kinds: readonly WarningKind[], locale: Locale) =>
  new Intl.ListFormat(locale, { type: 'conjunction' }).format(kinds.map((k) => t(locale, kindKey(k))));

/** The same, in each language, as an error parameter. */
export function kindsParam(kinds: readonly WarningKind[]): ErrorParam {
  return { perLocale: { da: listOfKinds(kinds, 'da'), en: listOfKinds(kinds, 'en') } };
}

/**
 * Before text a person wrote is shown to the whole group: a CPR number, phone number, e-mail or street address
 * in it gets a friendly, private warning first (nothing is saved), unless they already chose to send anyway.
 * `fields`: input name → the text typed there.
 */
export function warnBeforeSharing(fields: Record<string, string | undefined>, locale: Locale, confirmed: boolean): void {
  if (confirmed) return;
  const details: Detail[] = [];
  for (const [input, text] of Object.entries(fields)) {
    const kinds = text ? personalDataWarning(text, locale) : null;
    if (kinds) details.push({ key: 'flow.issue.personal_data', params: { kinds: kindsParam(kinds) }, input });
  }
  if (details.length) throw new PuljeError('personal_data', {}, details);
}

/** Whether a submitted form carries the "send anyway" answer to the warning. */
export const confirmedSharing = (fields: Record<string, string>) => fields[CONFIRM_FIELD] === CONFIRM_VALUE;
