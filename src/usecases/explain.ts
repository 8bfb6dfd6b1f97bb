import type { Explanation, ResultPayload } from '../domain/outcome.ts';
import { formatMoney, type Locale } from '../i18n/index.ts';
import { explain } from '../tally/explain.ts';
import { explainYesNo } from '../tally/yes-no.ts';

/** One sentence on why a proposal was or was not funded, in the reader's language, with the round's currency. */
export function explanationText(e: Explanation, payload: Pick<ResultPayload, 'currency'>, locale: Locale): string {
  if (e.stage === 'yes-no') return explainYesNo(e, locale);
  return explain(e, locale, (minor) => formatMoney(minor, locale, payload.currency));
}
