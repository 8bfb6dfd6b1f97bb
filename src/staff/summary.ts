import { createHash } from 'node:crypto';
import { type Logger, silentLogger } from '../conversation/ports.ts';
import { t, type Locale } from '../i18n/index.ts';
import { createRedactor, fenceUserText } from '../privacy/index.ts';
import type { Actor, DiscussionWindow, Pulje } from '../usecases/index.ts';
import { extractiveSummary } from './extractive.ts';
import type { ModelClient, ModelFailure } from './model.ts';
import type { Prompts } from './prompts.ts';
import { guardCitations, isEmpty, summarySchema, type GuardReport, type SummaryContent } from './summary-schema.ts';

export interface SummaryDeps {
  pulje: Pulje;
  prompts: Prompts;
  /** Absent: every summary is the offline one. */
  model?: ModelClient | undefined;
  /** Orders members' pseudonym letters (HMAC key), so the letters say nothing about who joined first. */
  pseudonymSecret?: string | undefined;
  log?: Logger;
  /** Milliseconds since some origin (tests and figures); performance.now by default. */
  now?: () => number;
}

export interface SummaryRequest {
  groupId: string;
  /** The reader's language: of the summary, the placeholders and the prompt. */
  locale: Locale;
  days?: number;
  proposalNumber?: number;
}

/** A cited message as the reader sees it: its number in the summary ([3]) and a link where the surface has one. */
export interface CitedMessage {
  id: string;
  number: number;
  link: string | null;
  at: string;
}

export interface SummaryOutcome {
  source: 'model' | 'offline';
  /** Why the model's answer was not used, when it was asked and failed. */
  failure?: ModelFailure | 'no_citations';
  content: SummaryContent;
  /** Every message the summary was made from, by its id in the content (m1, m2 …). */
  messages: CitedMessage[];
  guard: GuardReport;
  since: string;
  messageCount: number;
  proposalNumber: number | undefined;
  /** Which prompt template asked (summary.da@1), when the model was asked. */
  promptId?: string;
  model?: string;
  ms: number;
}

const PSEUDONYM = /\b(Deltager|Participant) ([A-Z]{1,3})\b/g;
const SHARED = /\[(DELTAGER|PARTICIPANT)\]/g;

/**
 * /summary: the messages of the window (or of one idea's discussion), redacted (members' names become pseudonyms,
 * other personal data placeholders) and fenced, then summarised by the model with citations checked against the
 * ids sent, or, without a model or when it fails, by the offline extractive summary. Nothing leaves the process
 * but redacted, fenced text and the prompt; who wrote what is sent only when the group allows it.
 */
export async function summarize(deps: SummaryDeps, actor: Actor, request: SummaryRequest): Promise<SummaryOutcome | null> {
  const log = deps.log ?? silentLogger;
  const clock = deps.now ?? (() => performance.now());
  const started = clock();
  const window: DiscussionWindow = await deps.pulje.discussion.window(actor, {
    groupId: request.groupId,
    ...(request.days !== undefined ? { days: request.days } : {}),
    ...(request.proposalNumber !== undefined ? { proposalNumber: request.proposalNumber } : {}),
  });
  if (!window.messages.length) return null;
  const locale = request.locale;
  const key = createHash('sha256')
    .update(`pulje-pseudonyms\u0000${deps.pseudonymSecret ?? ''}\u0000${window.groupId}`)
    .digest('hex');
  const redactor = createRedactor({
    locale,
    knownNames: window.members.map((m) => ({ id: m.personId, name: m.displayName })),
    pseudonymKey: key,
  });
  const names = new Map(window.members.map((m) => [m.personId, m.displayName]));
  const letterToName = new Map(Object.entries(redactor.pseudonyms).map(([personId, letter]) => [letter, names.get(personId) ?? '']));
  const participant = locale === 'da' ? 'Deltager' : 'Participant';

  const items = window.messages.map((m, i) => {
    const redacted = redactor.redact(m.text).text;
    // Who wrote it, only when the group allows summaries to say so: as the writer's pseudonym, never the name.
    const letter = window.namesInSummaries && m.authorId ? redactor.pseudonyms[m.authorId] : undefined;
    return { id: `m${i + 1}`, text: letter ? `(${participant} ${letter}) ${redacted}` : redacted, plain: redacted };
  });
  const messages: CitedMessage[] = window.messages.map((m, i) => ({ id: `m${i + 1}`, number: i + 1, link: m.link, at: m.at }));
  const sent = new Set(items.map((i) => i.id));
  const base = {
    messages,
    since: window.since,
    messageCount: items.length,
    proposalNumber: request.proposalNumber,
  };

  /** Pseudonyms in the output: names where the group allows them, "a participant" otherwise. */
  const restore = (text: string) =>
    text
      .replace(PSEUDONYM, (whole, _w: string, letter: string) =>
        window.namesInSummaries ? letterToName.get(letter) || whole : t(locale, 'staff.summary.someone'),
      )
      .replace(SHARED, () => t(locale, 'staff.summary.someone'));
  const restoreAll = (c: SummaryContent): SummaryContent => ({
    themes: c.themes.map((p) => ({ ...p, title: restore(p.title) })),
    agreements: c.agreements.map((p) => ({ ...p, text: restore(p.text) })),
    disagreements: c.disagreements.map((p) => ({ ...p, text: restore(p.text) })),
    openQuestions: c.openQuestions.map((p) => ({ ...p, text: restore(p.text) })),
  });

  const offline = (failure?: SummaryOutcome['failure'], extra: Partial<SummaryOutcome> = {}): SummaryOutcome => {
    const content = extractiveSummary(
      items.map((i) => ({ id: i.id, text: i.plain })),
      locale,
      {
        agreement: (theme, quote) => t(locale, 'staff.summary.offline.agreement', { theme, quote }),
        disagreement: (theme, quote) => t(locale, 'staff.summary.offline.disagreement', { theme, quote }),
      },
    );
    const guarded = guardCitations(content, sent);
    return {
      source: 'offline',
      ...(failure ? { failure } : {}),
      ...extra,
      content: restoreAll(guarded.content),
      guard: guarded.report,
      ...base,
      ms: clock() - started,
    };
  };

  if (!deps.model) return offline();
  const fenced = fenceUserText(
    items.map((i) => ({ id: i.id, text: i.text })),
    { locale },
  );
  const prompt = deps.prompts.render('summary', locale, { fence: fenced.instructions, group: redactor.redact(window.groupName).text });
  const answer = await deps.model.ask({ task: 'summary', system: prompt.text, user: fenced.block, schema: summarySchema });
  const asked = { promptId: prompt.id, model: deps.model.model };
  if (!answer.ok) {
    log.warn(
      { reason: answer.reason, ms: Math.round(answer.ms), prompt: prompt.id },
      'summary: the model gave no usable answer; offline summary',
    );
    return offline(answer.reason, asked);
  }
  const guarded = guardCitations(answer.value, sent);
  if (isEmpty(guarded.content)) {
    log.warn({ ...guarded.report, prompt: prompt.id }, 'summary: no point of the model cited a message that was sent; offline summary');
    return offline('no_citations', asked);
  }
  return { source: 'model', ...asked, content: restoreAll(guarded.content), guard: guarded.report, ...base, ms: clock() - started };
}
