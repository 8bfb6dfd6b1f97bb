import type { Card, Field, Span } from '../conversation/outbound.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { translator } from '../i18n/index.ts';
import type { SupportUnit } from '../tally/types.ts';
import type { Counterfactual, MyBallotView, MyPick, PickReason, ProposalRef } from '../usecases/index.ts';
import { money } from './common.ts';

/**
 * "What did my vote do?" as a private card: a line that sums it up, one field per pick (funded or not, why, and
 * what it would have taken), what the result would have been without the reader's ballot, and the other ideas
 * that got money. Every sentence comes from the structured explanation (src/domain/my-ballot.ts); numbers it
 * withheld under the small-group rule are not made up here, and a note says why they are missing.
 */
export function myBallotCard(locale: Locale, title: string, view: MyBallotView): Card {
  const tr = translator(locale);
  const m = (minor: number) => money(minor, locale, view.currency);
  if (!view.counted) return { title: tr('flow.mine.title', { round: title }), body: tr('flow.mine.not_counted'), tone: 'info' };
  const refText = (p: ProposalRef) => `#${p.number} ${p.title}`;
  const list = (ps: readonly ProposalRef[]) => ({ list: ps.map(refText), join: 'and' as const });
  const lines: string[] = [];
  const first = view.picks[0];
  if (view.ballotType === 'yesno' && first?.mine.kind === 'yesno')
    lines.push(tr('flow.mine.summary_yesno', { vote: voteWord(tr, first.mine.vote) }));
  else lines.push(tr('flow.mine.summary', { funded: view.picks.filter((p) => p.funded).length, count: view.picks.length }));
  if (view.alsoFunded.length) lines.push(tr('flow.mine.also_funded', { list: list(view.alsoFunded) }));

  const fields: Field[] = view.picks.map((p) => ({
    label: `${p.funded ? '✅' : '❌'} ${label(tr, p, refText(p))}`,
    value: [reasonText(tr, m, p.reason), ...p.counterfactuals.map((c) => counterfactualText(tr, m, c))].join(' '),
  }));
  const without = view.withoutMe;
  const withoutText =
    without.kind === 'same'
      ? tr('flow.mine.without.same')
      : without.kind === 'changed'
        ? [
            without.gained.length ? tr('flow.mine.without.gained', { list: list(without.gained) }) : '',
            without.lost.length ? tr('flow.mine.without.lost', { list: list(without.lost) }) : '',
          ]
            .filter(Boolean)
            .join(' ')
        : without.why === 'equal-shares'
          ? tr('flow.mine.without.equal_shares')
          : without.why === 'small-group'
            ? tr('flow.mine.without.small_group')
            : '';
  if (withoutText) fields.push({ label: tr('flow.mine.without.title'), value: withoutText });

  const body: Span[] = [lines.join('\n')];
  if (view.picks.some((p) => !p.exact)) body.push('\n\n', { text: tr('flow.mine.numbers_hidden'), em: true });
  return { title: tr('flow.mine.title', { round: title }), body, fields, footer: tr('flow.mine.footer'), tone: 'info' };
}

const voteWord = (tr: Translate, vote: 'yes' | 'no' | 'blank') => tr(`flow.mine.vote.${vote}`);

function label(tr: Translate, p: MyPick, ref: string): string {
  switch (p.mine.kind) {
    case 'points':
      return tr('flow.mine.label.points', { ref, points: p.mine.points });
    case 'rank':
      return tr('flow.mine.label.rank', { ref, rank: p.mine.rank });
    case 'yesno':
      return tr('flow.mine.label.vote', { ref, vote: voteWord(tr, p.mine.vote) });
    case 'vote':
      return ref;
  }
}

function amount(tr: Translate, n: number, unit: SupportUnit): string {
  return tr(`flow.mine.amount.${unit}`, { n });
}

/** A yes/no threshold as a percentage when that is a whole number ("50 %"), else as a fraction ("2/3"). */
function share(tr: Translate, t: { numerator: number; denominator: number }): string {
  const pct = (t.numerator * 100) / t.denominator;
  return Number.isInteger(pct) ? tr('flow.mine.percent', { pct }) : `${t.numerator}/${t.denominator}`;
}

function reasonText(tr: Translate, m: (minor: number) => string, r: PickReason): string {
  switch (r.kind) {
    case 'funded':
      if (r.stage === 'equal-shares') return tr('flow.mine.funded_shares');
      if (r.stage === 'completion') return tr('flow.mine.funded_completion');
      return r.support === undefined ? tr('flow.mine.funded') : tr('flow.mine.funded_support', { support: amount(tr, r.support, r.unit) });
    case 'below_threshold': {
      const threshold = amount(tr, r.threshold, r.unit);
      return r.support === undefined || r.missing === undefined
        ? tr('flow.mine.below_threshold', { threshold })
        : tr('flow.mine.below_threshold_missing', {
            support: amount(tr, r.support, r.unit),
            threshold,
            missing: amount(tr, r.missing, r.unit),
          });
    }
    case 'did_not_fit':
      return tr(r.stage === 'completion' ? 'flow.mine.did_not_fit_completion' : 'flow.mine.did_not_fit', {
        left: m(r.moneyLeft),
        cost: m(r.cost),
        short: m(r.short),
      });
    case 'not_reached':
      return tr('flow.mine.not_reached');
    case 'shares_used_up':
      return r.supportersMoney === undefined
        ? tr('flow.mine.shares_used_up')
        : tr('flow.mine.shares_used_up_money', { left: m(r.supportersMoney), cost: m(r.cost) });
    case 'shares_too_small':
      return r.supportersMoney === undefined
        ? tr('flow.mine.shares_too_small')
        : tr('flow.mine.shares_too_small_money', { money: m(r.supportersMoney), cost: m(r.cost) });
    case 'yes_passed':
      return r.yes === undefined || r.no === undefined
        ? tr('flow.mine.yes_passed')
        : tr('flow.mine.yes_passed_counts', { yes: r.yes, no: r.no });
    case 'quorum_not_met':
      return tr('flow.mine.quorum_not_met', { quorum: r.quorum, turnout: r.turnout, missing: r.missing });
    case 'not_enough_yes': {
      const threshold = share(tr, r.threshold);
      const strict = String(r.strict);
      return r.yes === undefined || r.no === undefined
        ? tr('flow.mine.not_enough_yes', { strict, threshold })
        : tr('flow.mine.not_enough_yes_counts', { strict, threshold, yes: r.yes, no: r.no });
    }
    case 'over_budget':
      return tr('flow.mine.over_budget', { cost: m(r.cost), budget: m(r.budget) });
  }
}

function counterfactualText(tr: Translate, m: (minor: number) => string, c: Counterfactual): string {
  switch (c.kind) {
    case 'more_support':
      return tr(`flow.mine.more_support.${c.unit}`, { n: c.amount });
    case 'cheaper':
      return tr('flow.mine.cheaper', { by: m(c.by) });
    case 'more_yes':
      return tr('flow.mine.more_yes', { votes: c.votes });
    case 'more_no':
      return tr('flow.mine.more_no', { votes: c.votes });
  }
}
