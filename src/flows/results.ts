import { z } from 'zod';
import { PuljeError } from '../core/errors.ts';
import { reply, type Card, type Field, type Reply, type Span } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import type { Phase } from '../domain/phases.ts';
import { ruleKey } from '../domain/round-config.ts';
import { t, type Locale, type MessageKey, type Params, translator } from '../i18n/index.ts';
import type { Pulje, ResultView, RoundView } from '../usecases/index.ts';
import { YOUTH } from '../domain/roles.ts';
import { actorOf, button, idArg, money, roundIn, withRound, roundInGroup } from './common.ts';
import { myBallotCard } from './my-ballot.ts';
import { sayCardFor } from './say.ts';

export const DECIDED: readonly Phase[] = ['decided', 'implementing', 'done'];

export const resultsAction = {
  show: (roundId: string) => ({ flow: 'results', verb: 'show', args: [roundId] }),
  /** "What did my vote do?": privately, to the one who presses it. */
  mine: (roundId: string) => ({ flow: 'results', verb: 'mine', args: [roundId] }),
};

/**
 * The result in plain words: how many voted, what was spent and what is left, and for every proposal one
 * sentence on why it was or was not funded. Funded ones first, in the order the rule chose them.
 */
export function resultCard(
  locale: Locale,
  round: Pick<RoundView, 'title' | 'currency'>,
  view: ResultView,
  /** Offer "what did my vote do?" (public cards, and young readers' own copies). */
  offerMine = true,
): Card {
  const tr = translator(locale);
  const m = (minor: number) => money(minor, locale, round.currency);
  const lines: string[] = [];
  lines.push(
    view.eligibleVoters !== null
      ? tr('flow.result.turnout', { ballots: view.ballotsCounted, eligible: view.eligibleVoters })
      : tr('flow.result.turnout_only', { ballots: view.ballotsCounted }),
  );
  lines.push(tr('flow.result.money', { spent: m(view.totalCost), budget: m(view.budget), left: m(view.budget - view.totalCost) }));
  if (!view.selected.length) lines.push(tr('flow.result.none_funded'));
  lines.push(tr('flow.result.rule', { rule: tr(ruleKey(view.rule)) }));
  const body: Span[] = [];
  if (view.reopened) body.push({ text: tr('flow.result.reopened'), strong: true }, '\n\n');
  body.push(lines.join('\n'));
  const order = new Map(view.selected.map((id, i) => [id, i]));
  const proposals = [...view.proposals].sort((a, b) => {
    const ia = order.get(a.proposalId) ?? Infinity;
    const ib = order.get(b.proposalId) ?? Infinity;
    return ia !== ib ? ia - ib : a.number - b.number;
  });
  const fields: Field[] = proposals.map((p) => ({ label: `${p.selected ? '✅' : '❌'} #${p.number} ${p.title}`, value: p.text }));
  const controls = offerMine && !view.reopened ? [button(tr('flow.mine.button'), resultsAction.mine(view.roundId), 'primary')] : [];
  return {
    title: tr('flow.result.title', { round: round.title }),
    body,
    fields,
    controls,
    footer: tr('flow.result.footer'),
    tone: 'success',
  };
}

export function registerResults(router: Router, pulje: Pulje): void {
  async function show(ctx: MemberContext, round: RoundView) {
    const view = await pulje.results.get(actorOf(ctx), { roundId: round.id, locale: ctx.locale });
    return reply.private({
      cards: [resultCard(ctx.locale, round, view, ctx.role === 'youth'), ...(await sayCardFor(ctx, pulje, round.id))],
    });
  }

  /** The reader's own ballot against the result, privately; someone who did not vote is told so. */
  async function mine(ctx: MemberContext, round: RoundView): Promise<Reply> {
    try {
      const view = await pulje.results.myBallot(actorOf(ctx), { roundId: round.id });
      return reply.private({ cards: [myBallotCard(ctx.locale, round.title, view), ...(await sayCardFor(ctx, pulje, round.id))] });
    } catch (error) {
      if (error instanceof PuljeError && error.code === 'not_found' && error.params.what?.toString() === undefined) throw error;
      if (error instanceof PuljeError && error.code === 'not_found') return reply.private(ctx.t('flow.mine.none'));
      throw error;
    }
  }
  router
    .command({
      name: 'results',
      description: 'flow.command.results',
      handler: (ctx) => withRound(ctx, pulje, DECIDED, resultsAction.show, (round) => show(ctx, round)),
    })
    .alias('resultat', 'results')
    .command({
      name: 'myballot',
      description: 'flow.command.myballot',
      roles: YOUTH,
      handler: (ctx) => withRound(ctx, pulje, DECIDED, resultsAction.mine, (round) => mine(ctx, round)),
    })
    .alias('minstemme', 'myballot')
    .action({
      flow: 'results',
      verb: 'mine',
      args: z.tuple([idArg]),
      roles: YOUTH,
      handler: async (ctx, { args: [roundId] }) => mine(ctx, await roundInGroup(ctx, pulje, roundId)),
    })
    .action({
      flow: 'results',
      verb: 'show',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [roundId] }) {
        return show(ctx, await roundInGroup(ctx, pulje, roundId));
      },
    });
}
