import { z } from 'zod';
import { reply, type Card } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import { translator, type Locale } from '../i18n/index.ts';
import type { Pulje } from '../usecases/index.ts';
import { actorOf, button, idArg } from './common.ts';

export const sayAction = (roundId: string, score: number) => ({ flow: 'say', verb: 'ans', args: [roundId, String(score)] });

/**
 * "Did you have a real say?" with five buttons; asked privately, once, after a result. Sent on its own (a DM, or
 * the web room) it names the round, since nothing around it does.
 */
export function sayCard(locale: Locale, roundId: string, roundTitle?: string): Card {
  const tr = translator(locale);
  return {
    title: tr('flow.say.title'),
    body: roundTitle ? `${tr('flow.say.about', { round: roundTitle })}\n${tr('flow.say.body')}` : tr('flow.say.body'),
    controls: [1, 2, 3, 4, 5].map((n) => button(tr('flow.say.score', { score: n }), sayAction(roundId, n))),
    tone: 'info',
  };
}

/** The question card for a young voter who has not been asked about this round yet; none otherwise. */
export async function sayCardFor(ctx: MemberContext, pulje: Pulje, roundId: string): Promise<Card[]> {
  if (ctx.role !== 'youth') return [];
  return (await pulje.voice.shouldAsk(actorOf(ctx), { roundId })) ? [sayCard(ctx.locale, roundId)] : [];
}

export function registerSay(router: Router, pulje: Pulje): void {
  router.action({
    flow: 'say',
    verb: 'ans',
    args: z.tuple([idArg, z.enum(['1', '2', '3', '4', '5'])]),
    // The question may come as a direct message, outside the group's chat: the use case checks that the person
    // is a young voter of the round.
    requires: 'person',
    async handler(ctx, { args: [roundId, score] }) {
      const answer = await pulje.voice.answerSay(actorOf(ctx), { roundId, score: Number(score) });
      return reply.private(ctx.t('flow.say.thanks', { score: answer.score }));
    },
  });
}
