import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Logger, silentLogger } from '../conversation/ports.ts';
import type { Locale } from '../i18n/locale.ts';
import { createRedactor, fenceUserText } from '../privacy/index.ts';
import type { ModelClient, ModelFailure } from './model.ts';
import type { Prompts } from './prompts.ts';
import { classifySituation, SPARRING_BANK, type Situation, type SparringAnswer } from './sparring-bank.ts';

export const sparringSchema = z.object({
  questions: z.array(z.string()),
  reflections: z.array(z.string()),
  options: z.array(z.string()),
});

export interface SparringDeps {
  prompts: Prompts;
  model?: ModelClient | undefined;
  pseudonymSecret?: string | undefined;
  log?: Logger;
}

export interface SparringOutcome {
  source: 'model' | 'offline';
  failure?: ModelFailure | 'empty';
  /** The bank entry the offline answer came from (also told when the model answered, for the figures). */
  situation: Situation;
  answer: SparringAnswer;
  promptId?: string;
}

const clean = (list: readonly string[], max: number) =>
  list
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(0, max)
    .map((s) => (s.length > 400 ? `${s.slice(0, 399)}…` : s));

/**
 * /sparring: a staff member describes a situation and gets open questions, reflections and options that keep
 * the decision with the young people. The situation is redacted (the group's members become pseudonyms) and
 * fenced before a model sees it; without a model, or when it fails, the curated bank answers. Nothing is stored.
 */
export async function spar(
  deps: SparringDeps,
  input: { situation: string; locale: Locale; groupId: string; members: ReadonlyArray<{ personId: string; displayName: string }> },
): Promise<SparringOutcome> {
  const log = deps.log ?? silentLogger;
  const situation = classifySituation(input.situation);
  const bank = SPARRING_BANK[input.locale][situation];
  const offline = (failure?: SparringOutcome['failure'], promptId?: string): SparringOutcome => ({
    source: 'offline',
    ...(failure ? { failure } : {}),
    ...(promptId ? { promptId } : {}),
    situation,
    answer: bank,
  });
  if (!deps.model) return offline();
  const key = createHash('sha256')
    .update(`pulje-pseudonyms\u0000${deps.pseudonymSecret ?? ''}\u0000${input.groupId}`)
    .digest('hex');
  const redacted = createRedactor({
    locale: input.locale,
    knownNames: input.members.map((m) => ({ id: m.personId, name: m.displayName })),
    pseudonymKey: key,
  }).redact(input.situation).text;
  const fenced = fenceUserText([{ id: 's1', text: redacted }], { locale: input.locale });
  const prompt = deps.prompts.render('sparring', input.locale, { fence: fenced.instructions });
  const answer = await deps.model.ask({ task: 'sparring', system: prompt.text, user: fenced.block, schema: sparringSchema });
  if (!answer.ok) {
    log.warn({ reason: answer.reason, prompt: prompt.id }, 'sparring: the model gave no usable answer; the question bank answers');
    return offline(answer.reason, prompt.id);
  }
  const out = {
    questions: clean(answer.value.questions, 6),
    reflections: clean(answer.value.reflections, 4),
    options: clean(answer.value.options, 5),
  };
  if (!out.questions.length) return offline('empty', prompt.id);
  return { source: 'model', situation, answer: out, promptId: prompt.id };
}
