import { z } from 'zod';
import { STAFF } from '../domain/roles.ts';
import { PuljeError } from '../core/errors.ts';
import { reply, type Card, type Control, type Field } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import type { MessageKey, Params, Translate } from '../i18n/index.ts';
import { IMPLEMENTATION_STATUSES, type ImplementationStatus } from '../usecases/implementation.ts';
import type { ImplementationView, Pulje, RoundView } from '../usecases/index.ts';
import {
  actorOf,
  button,
  groupText,
  idArg,
  isStaff,
  money,
  pageArg,
  pageButtons,
  pageFooter,
  pageItems,
  readCount,
  readMoney,
  roundIn,
  withRound,
  roundInGroup,
} from './common.ts';
import { DECIDED } from './results.ts';

/**
 * How the funded ideas are coming along: anyone can look; staff record status, progress and money spent.
 * Recording takes two steps because forms only hold text: pick the status, then fill in the numbers.
 */
const FLOW = 'progress';
const PAGE_SIZE = 5;
const statusArg = z.enum(IMPLEMENTATION_STATUSES);
const statusKey = (s: ImplementationStatus): MessageKey => `flow.progress.status.${s}`;

export const progressAction = { show: (roundId: string) => ({ flow: FLOW, verb: 'show', args: [roundId] }) };

function progressCard(ctx: MemberContext, round: RoundView, items: ImplementationView[], requestedPage: number): Card {
  const tr: Translate = ctx.t;
  const m = (minor: number) => money(minor, ctx.locale, round.currency);
  const { items: shown, page, pages } = pageItems(items, PAGE_SIZE, requestedPage);
  const spent = items.reduce((sum, i) => sum + i.spent, 0);
  const granted = items.reduce((sum, i) => sum + i.cost, 0);
  const body = items.length ? tr('flow.progress.total', { spent: m(spent), granted: m(granted) }) : tr('flow.progress.none');
  const fields: Field[] = shown.map((i) => {
    const last = i.updates.at(-1);
    const line = tr('flow.progress.line', { status: tr(statusKey(i.status)), progress: i.progress, spent: m(i.spent), cost: m(i.cost) });
    return { label: `#${i.number} ${i.title}`, value: last?.note ? `${line}\n${last.note}` : line };
  });
  const controls: Control[] = [];
  if (isStaff(ctx) && round.phase !== 'done') {
    for (const i of shown)
      controls.push(button(tr('flow.progress.update', { ref: `#${i.number}` }), { flow: FLOW, verb: 'pick', args: [i.proposalId] }));
  }
  controls.push(...pageButtons(tr, (p) => ({ flow: FLOW, verb: 'page', args: [round.id, String(p)] }), page, pages));
  const card: Card = { title: tr('flow.progress.title', { round: round.title }), body, fields, controls, tone: 'info' };
  const footer = pageFooter(tr, page, pages);
  return footer ? { ...card, footer } : card;
}

export function registerProgress(router: Router, pulje: Pulje): void {
  async function card(ctx: MemberContext, round: RoundView, page: number) {
    return progressCard(ctx, round, await pulje.implementation.progress(actorOf(ctx), { roundId: round.id }), page);
  }
  /** The funded proposal a staff button names, with its round (which must be this group's). */
  async function funded(ctx: MemberContext, proposalId: string) {
    const proposal = await pulje.proposals.get(actorOf(ctx), { proposalId });
    const round = await roundInGroup(ctx, pulje, proposal.roundId);
    return { proposal, round };
  }

  router
    .command({
      name: 'progress',
      description: 'flow.command.progress',
      handler: (ctx) =>
        withRound(ctx, pulje, DECIDED, progressAction.show, async (round) => reply.private({ cards: [await card(ctx, round, 0)] })),
    })
    .alias('fremdrift', 'progress')
    .action({
      flow: FLOW,
      verb: 'show',
      args: z.tuple([idArg]),
      handler: async (ctx, { args: [roundId] }) => reply.private({ cards: [await card(ctx, await roundInGroup(ctx, pulje, roundId), 0)] }),
    })
    .action({
      flow: FLOW,
      verb: 'page',
      args: z.tuple([idArg, pageArg]),
      handler: async (ctx, { args: [roundId, page] }) =>
        reply.update({ cards: [await card(ctx, await roundInGroup(ctx, pulje, roundId), page)] }),
    })
    .action({
      flow: FLOW,
      verb: 'pick',
      args: z.tuple([idArg]),
      roles: STAFF,
      async handler(ctx, { args: [proposalId] }) {
        const { proposal } = await funded(ctx, proposalId);
        const controls = IMPLEMENTATION_STATUSES.map((s) =>
          button(ctx.t(statusKey(s)), { flow: FLOW, verb: 'form', args: [proposalId, s] }, s === 'done' ? 'success' : 'secondary'),
        );
        return reply.private({
          cards: [
            {
              title: ctx.t('flow.progress.pick_title', { ref: `#${proposal.number}`, title: proposal.title }),
              body: ctx.t('flow.progress.pick_body'),
              controls,
              tone: 'info',
            },
          ],
        });
      },
    })
    .action({
      flow: FLOW,
      verb: 'form',
      args: z.tuple([idArg, statusArg]),
      roles: STAFF,
      async handler(ctx, { args: [proposalId, status] }) {
        const { proposal, round } = await funded(ctx, proposalId);
        const current = (await pulje.implementation.progress(actorOf(ctx), { roundId: round.id })).find((i) => i.proposalId === proposalId);
        return reply.form({
          action: { flow: FLOW, verb: 'save', args: [proposalId, status] },
          title: ctx.t('flow.progress.form_title', { ref: `#${proposal.number}`, status: ctx.t(statusKey(status)) }),
          inputs: [
            {
              name: 'progress',
              label: ctx.t('flow.progress.input.progress'),
              kind: 'number',
              required: true,
              maxLength: 5,
              initial: String(status === 'done' ? 100 : (current?.progress ?? 0)),
            },
            {
              name: 'spent',
              label: ctx.t('flow.progress.input.spent'),
              kind: 'short',
              maxLength: 20,
              placeholder: ctx.t('flow.progress.input.spent_hint'),
            },
            {
              name: 'note',
              label: ctx.t('flow.progress.input.note'),
              kind: 'long',
              maxLength: 1000,
              placeholder: ctx.t('flow.progress.input.note_hint'),
            },
          ],
          submitLabel: ctx.t('flow.save'),
        });
      },
    })
    .form({
      flow: FLOW,
      verb: 'save',
      args: z.tuple([idArg, statusArg]),
      roles: STAFF,
      async handler(ctx, { args: [proposalId, status], fields }) {
        const { round } = await funded(ctx, proposalId);
        const progress = readCount(fields.progress, 'field.progress', 0, 100);
        if (progress === null)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.required', params: { field: { key: 'field.progress' } } }]);
        const spent = fields.spent?.trim() ? readMoney(fields.spent, ctx.locale, 'field.spent') : 0;
        const note = fields.note?.trim() || undefined;
        const view = await pulje.implementation.record(actorOf(ctx), { proposalId, status, progress, spent, ...(note ? { note } : {}) });
        // Money leaving the group's pot is everyone's business: the update goes to the whole group.
        const g = groupText(ctx);
        const m = (minor: number) => money(minor, g.locale, round.currency);
        const lines = [
          g.t('flow.progress.line', {
            status: g.t(statusKey(view.status)),
            progress: view.progress,
            spent: m(view.spent),
            cost: m(view.cost),
          }),
        ];
        if (spent) lines.push(g.t('flow.progress.spent_now', { spent: m(spent) }));
        if (note) lines.push('', note);
        return reply.public({
          cards: [
            { title: g.t('flow.progress.news', { ref: `#${view.number}`, title: view.title }), body: lines.join('\n'), tone: 'success' },
          ],
        });
      },
    });
}
