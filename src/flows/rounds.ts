import { z } from 'zod';
import { STAFF } from '../domain/roles.ts';
import { PuljeError } from '../core/errors.ts';
import { reply, type Card, type Control, type Field, type FormInput, type Reply } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import type { Phase } from '../domain/phases.ts';
import {
  BALLOT_TYPES,
  ballotTypePatch,
  DEFAULT_ROUND_SETTINGS,
  RULES_FOR_BALLOT,
  ruleKey,
  rulePatch,
  type BallotType,
  type RuleName,
} from '../domain/round-config.ts';
import { formatDateTime } from '../domain/values.ts';
import { t, type Locale, type MessageKey, type Params, type Translate, translator } from '../i18n/index.ts';
import type { Pulje, RoundView } from '../usecases/index.ts';
import { ballotAction } from './ballot.ts';
import {
  actorOf,
  assertRoundPhase,
  button,
  capitalize,
  currentRound,
  groupText,
  idArg,
  isStaff,
  money,
  readCount,
  readMoney,
  roundIn,
  withRound,
  roundArgIn,
  roundInGroup,
} from './common.ts';
import type { BallotDraftStore } from '../domain/ballot-draft.ts';
import { decisionAction, withAnnouncement } from './decisions.ts';
import { progressAction } from './progress.ts';
import { proposalAction } from './proposals.ts';
import { resultCard, resultsAction } from './results.ts';
import { turnoutAction } from './turnout.ts';

/**
 * A round's life in chat. Staff create one with a form (title and amount; approval ballots counted "most votes
 * first" unless they pick otherwise), set it up, open it for ideas and then for voting, and close it; each step
 * the group should know about is announced publicly in the group's language. `/round` shows where it stands.
 */
const FLOW = 'round';
const CONFIGURABLE: readonly Phase[] = ['draft', 'ideas'];

type Tr = Translate;
const trFor = (locale: Locale): Tr => translator(locale);
const ref = (verb: string, roundId: string) => ({ flow: FLOW, verb, args: [roundId] });

const typeKey = (type: BallotType): MessageKey => `flow.ballot_type.${type}`;
const typeDescKey = (type: BallotType): MessageKey => `flow.ballot_type.${type}.desc`;
const ruleDescKey = (rule: RuleName): MessageKey => `flow.rule.${rule}.desc`;

/** The round's limits in words: how many picks, how many points, how much support or turnout is needed. */
function limitsSummary(tr: Tr, r: RoundView): string {
  const parts: string[] = [];
  if (r.ballotType !== 'yesno') {
    const min = r.minPicks ?? 1;
    parts.push(r.maxPicks === null ? tr('flow.limits.picks_min', { min }) : tr('flow.limits.picks_range', { min, max: r.maxPicks }));
  }
  if (r.points !== null) parts.push(tr('flow.limits.points', { points: r.points }));
  if (r.minSupport !== null) parts.push(tr('flow.limits.min_support', { min: r.minSupport }));
  if (r.quorum !== null) parts.push(tr('flow.limits.quorum', { quorum: r.quorum }));
  if (r.threshold)
    parts.push(
      tr(r.threshold.strict ? 'flow.limits.threshold_over' : 'flow.limits.threshold_least', { num: r.threshold.num, den: r.threshold.den }),
    );
  return parts.join(' · ');
}

function ideasAnnouncement(locale: Locale, r: RoundView): Card {
  const tr = trFor(locale);
  return {
    title: tr('flow.announce.ideas_title', { round: r.title }),
    body: tr('flow.announce.ideas', { amount: money(r.amount, locale, r.currency) }),
    controls: [
      button(tr('flow.proposal.new'), proposalAction.form(r.id), 'primary'),
      button(tr('flow.proposals.button'), proposalAction.list(r.id)),
    ],
    tone: 'success',
    scope: phaseScope(r.id, 'ideas'),
  };
}

/** The scope of public cards whose controls apply only while a round is in one phase. */
export const phaseScope = (roundId: string, phase: 'ideas' | 'voting') => `round:${roundId}:${phase}`;

function votingAnnouncement(locale: Locale, r: RoundView, count: number): Card {
  const tr = trFor(locale);
  return {
    title: tr('flow.announce.voting_title', { round: r.title }),
    body: [
      tr('flow.announce.voting', { count, amount: money(r.amount, locale, r.currency), how: tr(typeDescKey(r.ballotType)) }),
      '\n\n',
      { text: tr('flow.announce.voting_secret'), em: true },
    ],
    controls: [
      button(tr('flow.vote.button'), ballotAction.open(r.id), 'primary'),
      button(tr('flow.proposals.button'), proposalAction.list(r.id)),
      button(tr('flow.turnout.button'), turnoutAction.show(r.id)),
    ],
    tone: 'success',
    scope: phaseScope(r.id, 'voting'),
  };
}

export function registerRounds(router: Router, pulje: Pulje, drafts: BallotDraftStore): void {
  const onBallot = async (ctx: MemberContext, r: RoundView) =>
    (await pulje.proposals.list(actorOf(ctx), { roundId: r.id })).filter((p) => p.status === 'submitted').length;

  /** Where the round stands, for anyone; each person gets the buttons for what they can do next. */
  async function roundCard(ctx: MemberContext, r: RoundView): Promise<Card> {
    const tr: Tr = ctx.t;
    const staff = isStaff(ctx);
    const fields: Field[] = [
      { label: tr('flow.round.amount'), value: money(r.amount, ctx.locale, r.currency), inline: true },
      { label: tr('flow.round.phase'), value: capitalize(tr(`phase.${r.phase}`)), inline: true },
      { label: tr('flow.round.ballot'), value: tr(typeDescKey(r.ballotType)) },
      { label: tr('flow.round.proposals'), value: String(await onBallot(ctx, r)), inline: true },
    ];
    if (r.phase !== 'draft' && r.phase !== 'ideas') {
      const turnout = await pulje.ballots.turnout(actorOf(ctx), { roundId: r.id });
      fields.push({
        label: tr('flow.round.turnout'),
        value: tr('flow.round.turnout_value', { ballots: turnout.ballots, eligible: turnout.eligibleVoters }),
        inline: true,
      });
    }
    if (r.ideasDeadline)
      fields.push({ label: tr('flow.round.ideas_deadline'), value: formatDateTime(new Date(r.ideasDeadline), ctx.locale), inline: true });
    if (r.votingDeadline)
      fields.push({ label: tr('flow.round.voting_deadline'), value: formatDateTime(new Date(r.votingDeadline), ctx.locale), inline: true });
    if (staff)
      fields.push(
        { label: tr('flow.round.rule'), value: capitalize(tr(ruleKey(r.rule))) },
        { label: tr('flow.round.limits'), value: limitsSummary(tr, r) || '—' },
      );

    const controls: Control[] = [];
    if (r.phase === 'ideas' && ctx.role === 'youth') controls.push(button(tr('flow.proposal.new'), proposalAction.form(r.id), 'primary'));
    if (r.phase === 'voting' && ctx.role === 'youth') controls.push(button(tr('flow.vote.button'), ballotAction.open(r.id), 'primary'));
    if (r.phase !== 'draft' || staff) controls.push(button(tr('flow.proposals.button'), proposalAction.list(r.id)));
    if (['decided', 'implementing', 'done'].includes(r.phase))
      controls.push(
        // The one next step for a young person once it is decided: the result.
        button(tr('flow.results.button'), resultsAction.show(r.id), staff ? undefined : 'primary'),
        button(tr('flow.progress.button'), progressAction.show(r.id)),
      );
    if (staff) {
      if (CONFIGURABLE.includes(r.phase)) controls.push(button(tr('flow.settings.button'), ref('settings', r.id)));
      const next: Partial<Record<Phase, [string, MessageKey]>> = {
        draft: ['ideas', 'flow.round.open_ideas'],
        ideas: ['voting', 'flow.round.open_voting'],
        voting: ['close', 'flow.round.close'],
        decided: ['implement', 'flow.round.implement'],
        implementing: ['finish', 'flow.round.finish'],
      };
      const step = next[r.phase];
      if (step) controls.push(button(tr(step[1]), ref(step[0], r.id), 'primary'));
      // Overrides, each with a reason the group reads (src/flows/decisions.ts).
      if (r.phase === 'decided') controls.push(button(tr('flow.decision.reopen'), decisionAction.reopen(r.id)));
      if (r.phase === 'voting' && r.votingDeadline) controls.push(button(tr('flow.decision.extend'), decisionAction.extend(r.id)));
    }
    return { title: r.title, body: tr(`flow.round.now.${r.phase}`), fields, controls, tone: 'info' };
  }

  /** Staff's set-up card: ballot type and rule as selects, the rest through forms. */
  function settingsCard(ctx: MemberContext, r: RoundView, intro?: string): Card {
    const tr: Tr = ctx.t;
    const fields: Field[] = [
      { label: tr('flow.round.amount'), value: money(r.amount, ctx.locale, r.currency), inline: true },
      { label: tr('flow.round.phase'), value: capitalize(tr(`phase.${r.phase}`)), inline: true },
      { label: tr('flow.round.ballot'), value: `${tr(typeKey(r.ballotType))}: ${tr(typeDescKey(r.ballotType))}` },
      { label: tr('flow.round.rule'), value: `${capitalize(tr(ruleKey(r.rule)))}: ${tr(ruleDescKey(r.rule))}` },
      { label: tr('flow.round.limits'), value: limitsSummary(tr, r) || '—' },
    ];
    const controls: Control[] = [];
    if (CONFIGURABLE.includes(r.phase)) {
      controls.push(
        {
          kind: 'select',
          action: ref('type', r.id),
          placeholder: tr('flow.settings.pick_type'),
          options: BALLOT_TYPES.map((b) => ({
            value: b,
            label: tr(typeKey(b)),
            description: tr(typeDescKey(b)),
            ...(b === r.ballotType ? { selected: true } : {}),
          })),
        },
        {
          kind: 'select',
          action: ref('rule', r.id),
          placeholder: tr('flow.settings.pick_rule'),
          options: RULES_FOR_BALLOT[r.ballotType].map((x) => ({
            value: x,
            label: capitalize(tr(ruleKey(x))),
            description: tr(ruleDescKey(x)),
            ...(x === r.rule ? { selected: true } : {}),
          })),
        },
        button(tr('flow.settings.edit'), ref('edit', r.id)),
        button(tr('flow.settings.limits'), ref('limits', r.id)),
        // Deadlines have their own flow (src/staff/flows.ts), shared with /deadlines.
        button(tr('staff.deadline.button'), { flow: 'deadline', verb: 'set', args: [r.id] }),
      );
      if (r.phase === 'draft') controls.push(button(tr('flow.round.open_ideas'), ref('ideas', r.id), 'primary'));
      if (r.phase === 'ideas') controls.push(button(tr('flow.round.open_voting'), ref('voting', r.id), 'primary'));
    }
    const note = tr(r.phase === 'draft' ? 'flow.settings.draft' : r.phase === 'ideas' ? 'flow.settings.ideas' : 'flow.settings.locked');
    return {
      title: tr('flow.settings.title', { round: r.title }),
      body: intro ? [{ text: intro, strong: true }, '\n\n', note] : note,
      fields,
      controls,
      tone: 'neutral',
    };
  }

  async function configure(ctx: MemberContext, r: RoundView, patch: Record<string, unknown>): Promise<RoundView> {
    return pulje.rounds.configure(actorOf(ctx), { roundId: r.id, ...patch });
  }

  /** Saves what a settings form changed, or says nothing did; either way the staff member sees the settings. */
  async function savePatch(ctx: MemberContext, r: RoundView, patch: Record<string, unknown>) {
    if (!Object.keys(patch).length) return reply.private({ cards: [settingsCard(ctx, r, ctx.t('flow.unchanged'))] });
    return reply.private({ cards: [settingsCard(ctx, await configure(ctx, r, patch), ctx.t('flow.settings.saved'))] });
  }

  // Moving the round on. Each returns what the group hears; the staff member's own card is handled by the caller.
  async function openIdeas(ctx: MemberContext, r: RoundView): Promise<{ round: RoundView; replies: Reply[] }> {
    const round = await pulje.rounds.openIdeas(actorOf(ctx), { roundId: r.id });
    return { round, replies: [reply.public({ cards: [ideasAnnouncement(groupText(ctx).locale, round)] })] };
  }

  async function votingConfirm(ctx: MemberContext, r: RoundView): Promise<Card> {
    assertRoundPhase(r, ['ideas']);
    const count = await onBallot(ctx, r);
    return {
      title: ctx.t('flow.confirm.voting_title', { round: r.title }),
      body: ctx.t('flow.confirm.voting', { count }),
      controls: [
        button(ctx.t('flow.confirm.voting_yes'), ref('votingok', r.id), 'primary'),
        button(ctx.t('flow.cancel'), { flow: FLOW, verb: 'cancel' }),
      ],
      tone: 'warning',
    };
  }

  async function closeConfirm(ctx: MemberContext, r: RoundView): Promise<Card> {
    assertRoundPhase(r, ['voting']);
    const turnout = await pulje.ballots.turnout(actorOf(ctx), { roundId: r.id });
    return {
      title: ctx.t('flow.confirm.close_title', { round: r.title }),
      body: ctx.t('flow.confirm.close', { ballots: turnout.ballots, eligible: turnout.eligibleVoters }),
      controls: [
        button(ctx.t('flow.confirm.close_yes'), ref('closeok', r.id), 'danger'),
        button(ctx.t('flow.cancel'), { flow: FLOW, verb: 'cancel' }),
      ],
      tone: 'warning',
    };
  }

  const roundArg = z.tuple([idArg]);
  const createInputs = (ctx: MemberContext, r?: RoundView): FormInput[] => [
    {
      name: 'title',
      label: ctx.t('flow.round.input.title'),
      kind: 'short',
      required: true,
      maxLength: 120,
      placeholder: ctx.t('flow.round.input.title_hint'),
      ...(r ? { initial: r.title } : {}),
    },
    {
      name: 'amount',
      label: ctx.t('flow.round.input.amount'),
      kind: 'short',
      required: true,
      maxLength: 20,
      placeholder: ctx.t('flow.round.input.amount_hint'),
      ...(r ? { initial: money(r.amount, ctx.locale, r.currency) } : {}),
    },
  ];

  router
    .command({
      name: 'round',
      description: 'flow.command.round',
      handler: async (ctx) => reply.private({ cards: [await roundCard(ctx, await currentRound(ctx, pulje))] }),
    })
    .alias('runde', 'round')
    .command({
      name: 'newround',
      description: 'flow.command.newround',
      roles: STAFF,
      handler: (ctx) =>
        reply.form({
          action: { flow: FLOW, verb: 'create' },
          title: ctx.t('flow.round.form_title'),
          inputs: createInputs(ctx),
          submitLabel: ctx.t('flow.round.create'),
        }),
    })
    .alias('nyrunde', 'newround')
    .form({
      flow: FLOW,
      verb: 'create',
      args: z.tuple([]),
      roles: STAFF,
      async handler(ctx, { fields }) {
        const amount = readMoney(fields.amount, ctx.locale, 'field.amount');
        const round = await pulje.rounds.create(actorOf(ctx), {
          groupId: ctx.conversation.groupId,
          title: fields.title,
          amount,
          ...DEFAULT_ROUND_SETTINGS,
        });
        return reply.private({ cards: [settingsCard(ctx, round, ctx.t('flow.settings.created'))] });
      },
    })
    .command({
      name: 'openideas',
      description: 'flow.command.openideas',
      roles: STAFF,
      handler: (ctx) =>
        withRound(
          ctx,
          pulje,
          ['draft'],
          (id) => ref('ideas', id),
          async (round) => (await openIdeas(ctx, round)).replies,
        ),
    })
    .command({
      name: 'openvoting',
      description: 'flow.command.openvoting',
      roles: STAFF,
      handler: (ctx) =>
        withRound(
          ctx,
          pulje,
          ['ideas'],
          (id) => ref('voting', id),
          async (round) => reply.private({ cards: [await votingConfirm(ctx, round)] }),
        ),
    })
    .command({
      name: 'close',
      description: 'flow.command.close',
      roles: STAFF,
      handler: (ctx) =>
        withRound(
          ctx,
          pulje,
          ['voting'],
          (id) => ref('close', id),
          async (round) => reply.private({ cards: [await closeConfirm(ctx, round)] }),
        ),
    })
    .alias('luk', 'close')
    .action({
      flow: FLOW,
      verb: 'settings',
      args: roundArg,
      roles: STAFF,
      handler: async (ctx, { args: [id] }) => reply.update({ cards: [settingsCard(ctx, await roundInGroup(ctx, pulje, id))] }),
    })
    .action({
      flow: FLOW,
      verb: 'type',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id], values }) {
        const r = await roundInGroup(ctx, pulje, id);
        const type = z.enum(BALLOT_TYPES).safeParse(values[0]);
        if (!type.success || values.length !== 1)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.invalid', params: { field: { key: 'field.ballotType' } } }]);
        if (type.data === r.ballotType) return reply.update({ cards: [settingsCard(ctx, r)] });
        return reply.update({ cards: [settingsCard(ctx, await configure(ctx, r, ballotTypePatch(r, type.data)))] });
      },
    })
    .action({
      flow: FLOW,
      verb: 'rule',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id], values }) {
        const r = await roundInGroup(ctx, pulje, id);
        const rule = z.enum(RULES_FOR_BALLOT[r.ballotType] as [RuleName, ...RuleName[]]).safeParse(values[0]);
        if (!rule.success || values.length !== 1)
          throw new PuljeError('invalid_input', {}, [{ key: 'issue.invalid', params: { field: { key: 'field.rule' } } }]);
        if (rule.data === r.rule) return reply.update({ cards: [settingsCard(ctx, r)] });
        return reply.update({ cards: [settingsCard(ctx, await configure(ctx, r, rulePatch(r, rule.data)))] });
      },
    })
    .action({
      flow: FLOW,
      verb: 'edit',
      args: roundArg,
      roles: STAFF,
      preconditions: [roundArgIn(pulje, CONFIGURABLE)],
      async handler(ctx, { args: [id] }) {
        const r = await roundInGroup(ctx, pulje, id);
        return reply.form({
          action: ref('edit', r.id),
          title: ctx.t('flow.settings.edit'),
          inputs: createInputs(ctx, r),
          submitLabel: ctx.t('flow.save'),
        });
      },
    })
    .form({
      flow: FLOW,
      verb: 'edit',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id], fields }) {
        const r = await roundInGroup(ctx, pulje, id);
        const patch: Record<string, unknown> = {};
        if (fields.title !== undefined && fields.title.trim() !== r.title) patch.title = fields.title;
        if (fields.amount !== undefined) {
          const amount = readMoney(fields.amount, ctx.locale, 'field.amount');
          if (amount !== r.amount) patch.amount = amount;
        }
        return savePatch(ctx, r, patch);
      },
    })
    .action({
      flow: FLOW,
      verb: 'limits',
      args: roundArg,
      roles: STAFF,
      preconditions: [roundArgIn(pulje, CONFIGURABLE)],
      async handler(ctx, { args: [id] }) {
        const r = await roundInGroup(ctx, pulje, id);
        const num = (name: string, label: MessageKey, value: number | null, hint?: MessageKey): FormInput => ({
          name,
          label: ctx.t(label),
          kind: 'number',
          maxLength: 6,
          ...(value !== null ? { initial: String(value) } : {}),
          ...(hint ? { placeholder: ctx.t(hint) } : {}),
        });
        const inputs: FormInput[] = [];
        if (r.ballotType === 'cumulative') inputs.push({ ...num('points', 'flow.settings.input.points', r.points), required: true });
        if (r.ballotType !== 'yesno')
          inputs.push(
            num('min_picks', 'flow.settings.input.min_picks', r.minPicks, 'flow.settings.input.min_picks_hint'),
            num('max_picks', 'flow.settings.input.max_picks', r.maxPicks, 'flow.settings.input.blank_no_limit'),
          );
        if (r.rule === 'greedy-threshold')
          inputs.push({ ...num('min_support', 'flow.settings.input.min_support', r.minSupport), required: true });
        if (r.ballotType === 'yesno')
          inputs.push(num('quorum', 'flow.settings.input.quorum', r.quorum, 'flow.settings.input.blank_no_limit'));
        return reply.form({
          action: { flow: FLOW, verb: 'limits', args: [r.id, r.ballotType, r.rule] },
          title: ctx.t('flow.settings.limits'),
          inputs,
          submitLabel: ctx.t('flow.save'),
        });
      },
    })
    .form({
      flow: FLOW,
      verb: 'limits',
      args: z.tuple([idArg, z.enum(BALLOT_TYPES), z.string().max(20)]),
      roles: STAFF,
      async handler(ctx, { args: [id, type, rule], fields }) {
        const r = await roundInGroup(ctx, pulje, id);
        // The form was made for the ballot type and rule of its time; if they changed since, its fields may not apply.
        if (r.ballotType !== type || r.rule !== rule) throw new PuljeError('invalid_input', {}, [{ key: 'conversation.bad_control' }]);
        const patch: Record<string, unknown> = {};
        // Form inputs are named in snake_case; the settings they fill in are not.
        const read = (input: string, name: 'points' | 'minPicks' | 'maxPicks' | 'minSupport' | 'quorum') => {
          if (fields[input] !== undefined) patch[name] = readCount(fields[input], `field.${name}`, 1, 100_000, input);
        };
        if (type === 'cumulative') read('points', 'points');
        if (type !== 'yesno') {
          read('min_picks', 'minPicks');
          read('max_picks', 'maxPicks');
        }
        if (rule === 'greedy-threshold') read('min_support', 'minSupport');
        if (type === 'yesno') read('quorum', 'quorum');
        return savePatch(ctx, r, patch);
      },
    })
    .action({
      flow: FLOW,
      verb: 'ideas',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const { round, replies } = await openIdeas(ctx, await roundInGroup(ctx, pulje, id));
        return [reply.update({ cards: [await roundCard(ctx, round)] }), ...replies];
      },
    })
    .action({
      flow: FLOW,
      verb: 'voting',
      args: roundArg,
      roles: STAFF,
      handler: async (ctx, { args: [id] }) => reply.update({ cards: [await votingConfirm(ctx, await roundInGroup(ctx, pulje, id))] }),
    })
    .action({
      flow: FLOW,
      verb: 'votingok',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const round = await pulje.rounds.openVoting(actorOf(ctx), { roundId: (await roundInGroup(ctx, pulje, id)).id });
        const count = await onBallot(ctx, round);
        return [
          reply.update({ cards: [await roundCard(ctx, round)] }),
          reply.public({ cards: [votingAnnouncement(groupText(ctx).locale, round, count)] }),
          reply.retire(phaseScope(round.id, 'ideas'), groupText(ctx).t('flow.retire.ideas')),
        ];
      },
    })
    .action({
      flow: FLOW,
      verb: 'close',
      args: roundArg,
      roles: STAFF,
      handler: async (ctx, { args: [id] }) => reply.update({ cards: [await closeConfirm(ctx, await roundInGroup(ctx, pulje, id))] }),
    })
    .action({
      flow: FLOW,
      verb: 'closeok',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const r = await roundInGroup(ctx, pulje, id);
        // A result that replaces an earlier one (after reopening) is a staff decision too: announced with the result.
        const { announcements } = await withAnnouncement(ctx, pulje, () => pulje.rounds.close(actorOf(ctx), { roundId: r.id }));
        // Unsent ballots are of no use now, and as private as sent ones: they go.
        await drafts.removeRound(r.id);
        const g = groupText(ctx);
        const view = await pulje.results.get(actorOf(ctx), { roundId: r.id, locale: g.locale });
        return [
          reply.update(ctx.t('flow.round.closed', { round: r.title })),
          reply.public({ cards: [resultCard(g.locale, r, view)] }),
          ...announcements,
          reply.retire(phaseScope(r.id, 'voting'), g.t('flow.retire.voting')),
        ];
      },
    })
    .action({
      flow: FLOW,
      verb: 'implement',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const round = await pulje.rounds.startImplementation(actorOf(ctx), { roundId: (await roundInGroup(ctx, pulje, id)).id });
        const g = groupText(ctx);
        return [
          reply.update({ cards: [await roundCard(ctx, round)] }),
          reply.public({
            cards: [
              {
                title: round.title,
                body: g.t('flow.announce.implementing'),
                controls: [button(g.t('flow.progress.button'), progressAction.show(round.id))],
                tone: 'info',
              },
            ],
          }),
        ];
      },
    })
    .action({
      flow: FLOW,
      verb: 'finish',
      args: roundArg,
      roles: STAFF,
      async handler(ctx, { args: [id] }) {
        const round = await pulje.rounds.finish(actorOf(ctx), { roundId: (await roundInGroup(ctx, pulje, id)).id });
        const g = groupText(ctx);
        return [
          reply.update({ cards: [await roundCard(ctx, round)] }),
          reply.public({ cards: [{ title: round.title, body: g.t('flow.announce.done'), tone: 'success' }] }),
        ];
      },
    })
    .action({ flow: FLOW, verb: 'cancel', handler: (ctx) => reply.update(ctx.t('flow.cancelled')) });
}
