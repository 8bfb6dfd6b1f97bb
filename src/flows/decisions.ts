import { z } from 'zod';
import { reply, type Card, type Control, type Field, type Reply, type Span } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import { STAFF, YOUTH } from '../domain/roles.ts';
import { formatDateTime } from '../domain/values.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import type { DecisionView, Pulje, RoundView, StaffShown } from '../usecases/index.ts';
import { ballotAction } from './ballot.ts';
import {
  actorOf,
  assertRoundPhase,
  button,
  currentRound,
  groupText,
  idArg,
  isStaff,
  pageArg,
  pageButtons,
  pageFooter,
  pageItems,
  readCount,
  roundInGroup,
  snippet,
  withRound,
} from './common.ts';

/**
 * Staff decisions in the open. Whenever staff step in — a proposal not possible (or possible again), hidden (or
 * shown again), voting reopened or extended, a result replaced — the group gets a public card at once, saying what,
 * who (named with their role, or by role only, as the group chose) and why, with an "I disagree" button that
 * answers privately. `/decisions` lists them for the round: young people see their own reaction, staff how many
 * disagree (never who). The decisions are read from the decision log through `pulje.decisions`.
 */
const FLOW = 'decision';
const PAGE_SIZE = 5;

export const decisionAction = {
  disagree: (id: string) => ({ flow: FLOW, verb: 'disagree', args: [id] }),
  reopen: (roundId: string) => ({ flow: FLOW, verb: 'reopen', args: [roundId] }),
  // More time while voting is the staff side's deadline form (src/staff/flows.ts), which announces it like these.
  extend: (roundId: string) => ({ flow: 'deadline', verb: 'extend', args: [roundId] }),
};

const dateText = (iso: string | null, locale: Locale) => (iso ? formatDateTime(new Date(iso), locale) : null);

/** "Pia Pædagog (medarbejder)", or "En medarbejder" where the group shows staff by role only. */
function byText(tr: Translate, d: DecisionView): string {
  if (!d.by.role) return tr('flow.decision.by_unknown');
  if (!d.by.name) return tr(`flow.decision.by_role.${d.by.role}`);
  return tr('flow.decision.by', { name: d.by.name, role: tr(`flow.role.${d.by.role}`) });
}

/** "#3 «Grill»", or "#3" when the title is not shown (a hidden proposal). */
const refOf = (d: DecisionView) =>
  d.proposal ? (d.proposal.title ? `#${d.proposal.number} "${d.proposal.title}"` : `#${d.proposal.number}`) : '';

/** What was decided, in one or two sentences (the deadline, the changed result). */
function whatText(tr: Translate, locale: Locale, d: DecisionView): string {
  const parts: string[] = [];
  switch (d.kind) {
    case 'hidden':
      parts.push(tr('flow.decision.what.hidden', { ref: d.proposal ? `#${d.proposal.number}` : '' }));
      break;
    case 'ineligible':
    case 'eligible':
    case 'unhidden':
      parts.push(tr(`flow.decision.what.${d.kind}`, { ref: refOf(d) }));
      break;
    case 'reopened':
    case 'extended': {
      parts.push(tr(`flow.decision.what.${d.kind}`));
      const to = dateText(d.votingDeadline?.to ?? null, locale);
      parts.push(to ? tr('flow.decision.deadline', { deadline: to }) : tr('flow.decision.no_deadline'));
      break;
    }
    case 'result_changed': {
      parts.push(tr('flow.decision.what.result_changed'));
      const list = (ns: number[]) => ({ list: ns.map((n) => `#${n}`), join: 'and' as const });
      if (d.result?.added.length) parts.push(tr('flow.decision.added', { list: list(d.result.added) }));
      if (d.result?.removed.length) parts.push(tr('flow.decision.removed', { list: list(d.result.removed) }));
      if (!d.result?.added.length && !d.result?.removed.length) parts.push(tr('flow.decision.same_funded'));
      break;
    }
  }
  return parts.join(' ');
}

function titleText(tr: Translate, d: DecisionView, round: string): string {
  switch (d.kind) {
    case 'hidden':
      return tr('flow.decision.title.hidden');
    case 'ineligible':
    case 'eligible':
    case 'unhidden':
      return tr(`flow.decision.title.${d.kind}`, { ref: d.proposal ? `#${d.proposal.number}` : '' });
    case 'reopened':
    case 'extended':
    case 'result_changed':
      return tr(`flow.decision.title.${d.kind}`, { round });
  }
}

/** The public card for a decision, in the group's language: what, who, why, and the private "I disagree". */
export function decisionCard(locale: Locale, round: Pick<RoundView, 'id' | 'title'>, d: DecisionView): Card {
  const tr = translator(locale);
  const fields: Field[] = [
    { label: tr('flow.decision.who'), value: byText(tr, d) },
    { label: tr('flow.decision.why'), value: d.reason ? snippet(d.reason, 1000) : tr('flow.decision.no_reason') },
  ];
  const controls: Control[] = [];
  if (d.kind === 'reopened') controls.push(button(tr('flow.vote.button'), ballotAction.open(round.id), 'primary'));
  controls.push(button(tr('flow.decision.disagree'), decisionAction.disagree(d.id)));
  return {
    title: titleText(tr, d, round.title),
    body: whatText(tr, locale, d),
    fields,
    controls,
    footer: tr('flow.decision.footer'),
    tone: d.kind === 'eligible' || d.kind === 'unhidden' ? 'info' : 'warning',
  };
}

/**
 * Runs a staff action and returns, with its result, a public card for each decision it made (found in the log
 * after the action, by this staff member), so a decision is announced the moment it is taken.
 */
export async function withAnnouncement<T>(
  ctx: MemberContext,
  pulje: Pulje,
  act: () => Promise<T>,
): Promise<{ value: T; announcements: Reply[] }> {
  const groupId = ctx.conversation.groupId;
  const afterSeq = await pulje.decisions.mark(actorOf(ctx), { groupId });
  const value = await act();
  const g = groupText(ctx);
  const made = await pulje.decisions.since(actorOf(ctx), { groupId, afterSeq, locale: g.locale });
  const announcements: Reply[] = [];
  for (const d of made) {
    const round = d.roundId ? await roundInGroup(ctx, pulje, d.roundId) : null;
    if (round) announcements.push(reply.public({ cards: [decisionCard(g.locale, round, d)] }));
  }
  return { value, announcements };
}

export function registerDecisions(router: Router, pulje: Pulje): void {
  async function decisionsOf(ctx: MemberContext, round: RoundView): Promise<DecisionView[]> {
    return pulje.decisions.list(actorOf(ctx), { roundId: round.id, locale: ctx.locale });
  }

  /** /decisions: the round's decisions, five a page, with each reader's controls. */
  async function listCard(ctx: MemberContext, round: RoundView, requestedPage: number): Promise<Card> {
    const tr = ctx.t;
    const all = await decisionsOf(ctx, round);
    const staff = isStaff(ctx);
    const { items, page, pages } = pageItems(all, PAGE_SIZE, requestedPage);
    const fields: Field[] = items.map((d, i) => {
      const n = page * PAGE_SIZE + i + 1;
      const lines = [
        whatText(tr, ctx.locale, d),
        `${tr('flow.decision.why')}: ${d.reason ? snippet(d.reason, 300) : tr('flow.decision.no_reason')}`,
      ];
      if (staff) lines.push(tr('flow.decision.count', { count: d.disagree ?? 0 }));
      else if (d.mine) lines.push(tr('flow.decision.you_disagree'));
      // "Nr. 2 · 1. dec. 2026 …": a bare "2. 1. dec." reads as two dates.
      const label = tr('flow.decision.list_item', { n, at: formatDateTime(new Date(d.at), ctx.locale), by: byText(tr, d) });
      return { label, value: lines.join('\n') };
    });
    const controls: Control[] = [];
    if (ctx.role === 'youth') {
      items.forEach((d, i) => {
        const n = String(page * PAGE_SIZE + i + 1);
        controls.push(
          d.mine
            ? button(tr('flow.decision.list_undo', { n }), { flow: FLOW, verb: 'listset', args: [d.id, '0', String(page)] }, 'secondary')
            : button(
                tr('flow.decision.list_disagree', { n }),
                { flow: FLOW, verb: 'listset', args: [d.id, '1', String(page)] },
                'secondary',
              ),
        );
      });
    }
    controls.push(...pageButtons(tr, (p) => ({ flow: FLOW, verb: 'page', args: [round.id, String(p)] }), page, pages));
    const body: Span[] = [
      all.length ? tr(staff ? 'flow.decision.list_intro_staff' : 'flow.decision.list_intro_youth') : tr('flow.decision.list_empty'),
    ];
    if (staff) {
      const shown = await pulje.decisions.staffShown(actorOf(ctx), { groupId: ctx.conversation.groupId });
      body.push('\n\n', tr(`flow.decision.shown.${shown}`));
      const other: StaffShown = shown === 'role' ? 'role_and_name' : 'role';
      controls.push(
        button(tr(other === 'role' ? 'flow.decision.show_role_only' : 'flow.decision.show_names'), {
          flow: FLOW,
          verb: 'shown',
          args: [round.id, other],
        }),
      );
    }
    const card: Card = { title: tr('flow.decision.list_title', { round: round.title }), body, fields, controls, tone: 'info' };
    const footer = pageFooter(tr, page, pages);
    return footer ? { ...card, footer } : card;
  }

  /** One decision as its reader sees it after reacting: their own state and the button to change it. */
  function mineCard(ctx: MemberContext, d: DecisionView, round: RoundView): Card {
    const tr = ctx.t;
    const on = d.mine === 'disagree';
    return {
      title: tr('flow.decision.mine_title'),
      body: [
        { text: titleText(tr, d, round.title), strong: true },
        '\n',
        whatText(tr, ctx.locale, d),
        '\n\n',
        tr(on ? 'flow.decision.mine_on' : 'flow.decision.mine_off'),
      ],
      controls: [
        on
          ? button(tr('flow.decision.undo'), { flow: FLOW, verb: 'set', args: [d.id, '0'] })
          : button(tr('flow.decision.disagree'), { flow: FLOW, verb: 'set', args: [d.id, '1'] }),
      ],
      tone: 'info',
    };
  }

  async function react(ctx: MemberContext, decisionId: string, disagree: boolean) {
    const d = await pulje.decisions.react(actorOf(ctx), { decisionId, disagree });
    return { d, round: await roundInGroup(ctx, pulje, d.roundId ?? '') };
  }

  const staffForm = (ctx: MemberContext, round: RoundView, verb: 'reopen') =>
    reply.form({
      action: { flow: FLOW, verb, args: [round.id] },
      title: ctx.t('flow.decision.reopen_title', { round: round.title }),
      inputs: [
        {
          name: 'reason',
          label: ctx.t('flow.decision.input.reason'),
          kind: 'long',
          required: true,
          maxLength: 1000,
          placeholder: ctx.t('flow.decision.input.reason_hint'),
        },
        {
          name: 'days',
          label: ctx.t('flow.decision.input.days_reopen'),
          kind: 'number',
          maxLength: 2,
          placeholder: ctx.t('flow.decision.input.days_reopen_hint'),
        },
      ],
      submitLabel: ctx.t(verb === 'reopen' ? 'flow.decision.reopen' : 'flow.decision.extend'),
    });

  const roundArg = z.tuple([idArg]);

  router
    .command({
      name: 'decisions',
      description: 'flow.command.decisions',
      handler: async (ctx) => reply.private({ cards: [await listCard(ctx, await currentRound(ctx, pulje), 0)] }),
    })
    .alias('beslutninger', 'decisions')
    .action({
      flow: FLOW,
      verb: 'page',
      args: z.tuple([idArg, pageArg]),
      handler: async (ctx, { args: [roundId, page] }) =>
        reply.update({ cards: [await listCard(ctx, await roundInGroup(ctx, pulje, roundId), page)] }),
    })
    // From a public card: the answer is private; the card everyone sees stays as it is.
    .action({
      flow: FLOW,
      verb: 'disagree',
      args: roundArg,
      roles: YOUTH,
      async handler(ctx, { args: [id] }) {
        const { d, round } = await react(ctx, id, true);
        return reply.private({ cards: [mineCard(ctx, d, round)] });
      },
    })
    // From the reader's own card or list: that card is redrawn.
    .action({
      flow: FLOW,
      verb: 'set',
      args: z.tuple([idArg, z.enum(['0', '1'])]),
      roles: YOUTH,
      async handler(ctx, { args: [id, on] }) {
        const { d, round } = await react(ctx, id, on === '1');
        return reply.update({ cards: [mineCard(ctx, d, round)] });
      },
    })
    .action({
      flow: FLOW,
      verb: 'listset',
      args: z.tuple([idArg, z.enum(['0', '1']), pageArg]),
      roles: YOUTH,
      async handler(ctx, { args: [id, on, page] }) {
        const { round } = await react(ctx, id, on === '1');
        return reply.update({ cards: [await listCard(ctx, round, page)] });
      },
    })
    .action({
      flow: FLOW,
      verb: 'shown',
      args: z.tuple([idArg, z.enum(['role', 'role_and_name'])]),
      roles: STAFF,
      async handler(ctx, { args: [roundId, staffShown] }) {
        await pulje.decisions.setStaffShown(actorOf(ctx), { groupId: ctx.conversation.groupId, staffShown });
        return reply.update({ cards: [await listCard(ctx, await roundInGroup(ctx, pulje, roundId), 0)] });
      },
    })
    // Staff: reopen a decided round's voting, or give more time while voting, with a reason everyone reads.
    .command({
      name: 'reopen',
      description: 'flow.command.reopen',
      roles: STAFF,
      handler: (ctx) => withRound(ctx, pulje, ['decided'], decisionAction.reopen, (round) => staffForm(ctx, round, 'reopen')),
    })
    .alias('genåbn', 'reopen')
    .action({
      flow: FLOW,
      verb: 'reopen',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [roundId] }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        assertRoundPhase(round, ['decided']);
        return staffForm(ctx, round, 'reopen');
      },
    })
    .form({
      flow: FLOW,
      verb: 'reopen',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [roundId], fields }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        const days = readCount(fields.days, 'field.days', 1, 90);
        const { announcements } = await withAnnouncement(ctx, pulje, () =>
          pulje.rounds.reopenVoting(actorOf(ctx), {
            roundId: round.id,
            reason: fields.reason,
            ...(days === null ? { votingDeadline: null } : { votingDays: days }),
          }),
        );
        return [reply.private(ctx.t('flow.decision.done')), ...announcements];
      },
    });
}
