import { formatCount, formatDkk, type Locale, type MoneyFormatter } from './money.ts';
import type { ProjectExplanation, SupportUnit } from './types.ts';

function supportText(amount: number, unit: SupportUnit, locale: Locale): string {
  const n = formatCount(amount, locale);
  const one = Math.round(amount) === 1;
  if (locale === 'da') return unit === 'votes' ? `${n} ${one ? 'stemme' : 'stemmer'}` : `${n} point`;
  return unit === 'votes' ? `${n} ${one ? 'vote' : 'votes'}` : `${n} ${one ? 'point' : 'points'}`;
}

/** "the 12 people who voted for it" / "de 12, der stemte på det". */
function votersText(voters: number, locale: Locale): string {
  if (locale === 'da')
    return Math.round(voters) === 1 ? 'den ene, der stemte på det,' : `de ${formatCount(voters, locale)}, der stemte på det,`;
  return Math.round(voters) === 1 ? 'the one person who voted for it' : `the ${formatCount(voters, locale)} people who voted for it`;
}

/**
 * One short sentence, in plain Danish or English, saying why a project was or was not funded,
 * with the concrete numbers. `format` turns minor units into text (default: DKK from øre, e.g.
 * "4.500 kr." / "DKK 4,500"). No trailing full stop, so it can be shown as a label.
 *
 * Examples (da / en):
 * - funded: "Fik penge: 12 stemmer, koster 4.500 kr." / "Funded: 12 votes, costs DKK 4,500"
 * - did_not_fit: "Ikke plads i budgettet: koster 4.500 kr., men der var kun 2.000 kr. tilbage" /
 *   "Did not fit: costs DKK 4,500, but only DKK 2,000 was left"
 */
export function explain(e: ProjectExplanation, locale: Locale, format?: MoneyFormatter): string {
  const money = format ?? ((minor: number) => formatDkk(minor, locale));
  const cost = money(e.cost);
  const support = supportText(e.support, e.supportUnit, locale);
  const da = locale === 'da';
  switch (e.outcome) {
    case 'funded':
      if (e.stage === 'completion') {
        return da
          ? `Fik penge af dem, der var tilbage: ${support}, koster ${cost}`
          : `Funded from the money left over: ${support}, costs ${cost}`;
      }
      return da ? `Fik penge: ${support}, koster ${cost}` : `Funded: ${support}, costs ${cost}`;
    case 'not_enough_support':
      if (e.voters === 0) return da ? 'Ingen stemte på idéen' : 'Nobody voted for this idea';
      if (e.threshold !== undefined) {
        const needed = supportText(e.threshold, e.supportUnit, locale);
        return da
          ? `Ikke nok opbakning: ${support}, men der skulle mindst ${needed} til`
          : `Not enough support: ${support}, needed at least ${needed}`;
      }
      if (e.supportersMoney !== undefined) {
        return da
          ? `Ikke nok opbakning: ${votersText(e.voters, locale)} havde tilsammen ${money(e.supportersMoney)}, men det koster ${cost}`
          : `Not enough support: ${votersText(e.voters, locale)} had ${money(e.supportersMoney)} together, but it costs ${cost}`;
      }
      return da ? `Ikke nok opbakning: ${support}` : `Not enough support: ${support}`;
    case 'did_not_fit': {
      const left = money(e.moneyLeft ?? 0);
      return da
        ? `Ikke plads i budgettet: koster ${cost}, men der var kun ${left} tilbage`
        : `Did not fit: costs ${cost}, but only ${left} was left`;
    }
    case 'not_reached':
      return da
        ? 'Ikke nået: optællingen stoppede ved en idé før, der ikke kunne være i budgettet'
        : 'Not reached: counting stopped at an earlier idea that did not fit the budget';
    case 'shares_used_up': {
      const left = money(e.supportersMoney ?? 0);
      return da
        ? `Andelene var brugt: ${votersText(e.voters, locale)} havde kun ${left} tilbage efter andre vindere, men det koster ${cost}`
        : `Shares used up: ${votersText(e.voters, locale)} had only ${left} left after other winners, but it costs ${cost}`;
    }
  }
}
