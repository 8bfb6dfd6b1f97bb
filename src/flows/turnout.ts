import { z } from 'zod';
import { STAFF } from '../domain/roles.ts';
import { reply, type Card } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Pulje, RoundView, TurnoutView } from '../usecases/index.ts';
import { actorOf, button, groupText, idArg, isStaff, roundIn, withRound, roundInGroup } from './common.ts';

export const turnoutAction = { show: (roundId: string) => ({ flow: 'turnout', verb: 'show', args: [roundId] }) };

/** Numbers only: how many have voted out of how many may. Never who, never what. */
export function turnoutCard(locale: Locale, round: RoundView, view: TurnoutView): Card {
  const key = view.phase === 'voting' ? 'flow.turnout.open' : 'flow.turnout.closed';
  return {
    title: t(locale, 'flow.turnout.title', { round: round.title }),
    body: [
      { text: t(locale, key, { ballots: view.ballots, eligible: view.eligibleVoters }), strong: true },
      '\n',
      t(locale, 'flow.turnout.secret'),
    ],
    tone: 'info',
  };
}

export function registerTurnout(router: Router, pulje: Pulje): void {
  async function privateCard(ctx: MemberContext, round: RoundView) {
    const view = await pulje.ballots.turnout(actorOf(ctx), { roundId: round.id });
    const card = turnoutCard(ctx.locale, round, view);
    // Staff may post the numbers for everyone, e.g. to remind those who have not voted yet.
    const controls = isStaff(ctx) ? [button(ctx.t('flow.turnout.share'), { flow: 'turnout', verb: 'share', args: [round.id] })] : [];
    return reply.private({ cards: [{ ...card, controls }] });
  }
  router
    .command({
      name: 'turnout',
      description: 'flow.command.turnout',
      handler: (ctx) =>
        withRound(ctx, pulje, ['voting', 'decided', 'implementing', 'done'], turnoutAction.show, (round) => privateCard(ctx, round)),
    })
    .alias('deltagelse', 'turnout')
    .action({
      flow: 'turnout',
      verb: 'show',
      args: z.tuple([idArg]),
      handler: async (ctx, { args: [roundId] }) => privateCard(ctx, await roundInGroup(ctx, pulje, roundId)),
    })
    .action({
      flow: 'turnout',
      verb: 'share',
      args: z.tuple([idArg]),
      roles: STAFF,
      async handler(ctx, { args: [roundId] }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        const view = await pulje.ballots.turnout(actorOf(ctx), { roundId });
        return reply.public({ cards: [turnoutCard(groupText(ctx).locale, round, view)] });
      },
    });
}
