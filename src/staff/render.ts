import type { Card, Field } from '../conversation/outbound.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import type { SparringOutcome } from './sparring.ts';
import type { SummaryOutcome } from './summary.ts';

/** What is kept of a shown summary for the digest: its theme titles (no message ids, no quotes). */
export interface StoredSummary {
  source: 'model' | 'offline';
  themes: string[];
  messages: number;
}

export const storedSummary = (o: SummaryOutcome): StoredSummary => ({
  source: o.source,
  themes: o.content.themes.map((t) => t.title),
  messages: o.messageCount,
});

const FAILURE_KEYS: Record<NonNullable<SummaryOutcome['failure']>, MessageKey> = {
  timeout: 'staff.model.failed.timeout',
  refused: 'staff.model.failed.refused',
  filtered: 'staff.model.failed.refused',
  truncated: 'staff.model.failed.invalid',
  malformed: 'staff.model.failed.invalid',
  invalid: 'staff.model.failed.invalid',
  no_citations: 'staff.model.failed.citations',
  rate_limited: 'staff.model.failed.busy',
  unavailable: 'staff.model.failed.unavailable',
};

/** The private note that says the model was not used, and why, in the reader's words. */
export function failureNote(locale: Locale, failure: SummaryOutcome['failure'] | SparringOutcome['failure']): string | undefined {
  if (!failure) return undefined;
  const tr = translator(locale);
  return tr(failure === 'empty' ? 'staff.model.failed.invalid' : FAILURE_KEYS[failure]);
}

const timeOf = (iso: string, locale: Locale) =>
  new Date(iso).toLocaleString(locale === 'da' ? 'da-DK' : 'en-GB', {
    timeZone: 'Europe/Copenhagen',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * A summary as a card: themes, agreement, disagreement and open questions, each point followed by the numbers
 * of the messages it cites ([2][5]); a "sources" field lists those numbers with their time and, where the surface
 * has them, links. Says whether a model or the offline summary made it.
 */
export function summaryCard(locale: Locale, o: SummaryOutcome): Card {
  const tr = translator(locale);
  const number = new Map(o.messages.map((m) => [m.id, m]));
  const cited = new Set<string>();
  const refs = (cites: readonly string[]) => {
    for (const c of cites) cited.add(c);
    return cites.map((c) => `[${number.get(c)?.number ?? '?'}]`).join('');
  };
  const list = (points: ReadonlyArray<{ text: string; cites: string[] }>) => points.map((p) => `• ${p.text} ${refs(p.cites)}`).join('\n');
  const fields: Field[] = [];
  if (o.content.themes.length)
    fields.push({ label: tr('staff.summary.themes'), value: o.content.themes.map((t) => `• ${t.title} ${refs(t.cites)}`).join('\n') });
  if (o.content.agreements.length) fields.push({ label: tr('staff.summary.agreements'), value: list(o.content.agreements) });
  if (o.content.disagreements.length) fields.push({ label: tr('staff.summary.disagreements'), value: list(o.content.disagreements) });
  if (o.content.openQuestions.length) fields.push({ label: tr('staff.summary.questions'), value: list(o.content.openQuestions) });
  const sources = [...cited]
    .map((id) => number.get(id)!)
    .filter(Boolean)
    .sort((a, b) => a.number - b.number)
    .slice(0, 15)
    .map((m) => `[${m.number}] ${timeOf(m.at, locale)}${m.link ? ` ${m.link}` : ''}`);
  if (sources.length) fields.push({ label: tr('staff.summary.sources'), value: sources.join('\n') });
  const scope =
    o.proposalNumber !== undefined
      ? tr('staff.summary.scope_idea', { number: o.proposalNumber, count: o.messageCount })
      : tr('staff.summary.scope_days', { since: timeOf(o.since, locale), count: o.messageCount });
  return {
    title: tr('staff.summary.title'),
    body: scope,
    fields: fields.length ? fields : [{ label: tr('staff.summary.themes'), value: tr('staff.summary.nothing_found') }],
    footer: o.source === 'model' ? tr('staff.summary.by_model', { model: o.model ?? '' }) : tr('staff.summary.by_offline'),
    tone: 'info',
  };
}

export function sparringCard(locale: Locale, o: SparringOutcome): Card {
  const tr = translator(locale);
  const bullets = (xs: readonly string[]) => xs.map((x) => `• ${x}`).join('\n');
  const fields: Field[] = [{ label: tr('staff.sparring.questions'), value: bullets(o.answer.questions) }];
  if (o.answer.reflections.length) fields.push({ label: tr('staff.sparring.reflections'), value: bullets(o.answer.reflections) });
  if (o.answer.options.length) fields.push({ label: tr('staff.sparring.options'), value: bullets(o.answer.options) });
  return {
    title: tr('staff.sparring.title'),
    body: tr('staff.sparring.intro'),
    fields,
    footer: o.source === 'model' ? tr('staff.sparring.by_model') : tr('staff.sparring.by_bank'),
    tone: 'neutral',
  };
}
