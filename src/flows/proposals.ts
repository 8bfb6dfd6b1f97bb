import { z } from 'zod';
import { STAFF, YOUTH } from '../domain/roles.ts';
import { reply, type Card, type Control, type Field, type Form, type Reply } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import type { Phase } from '../domain/phases.ts';
import type { MessageKey, Params, Translate } from '../i18n/index.ts';
import type { ProposalView, Pulje, RoundView } from '../usecases/index.ts';
import {
  actorOf,
  assertRoundPhase,
  button,
  currentRound,
  groupText,
  idArg,
  isStaff,
  money,
  pageArg,
  pageButtons,
  pageFooter,
  pageItems,
  readMoney,
  roundIn,
  withRound,
  roundInGroup,
  snippet,
} from './common.ts';
import { withAnnouncement } from './decisions.ts';
import { confirmedSharing, warnBeforeSharing } from './privacy-guard.ts';
import type { Safeguard } from './safeguarding.ts';

/**
 * Young people's ideas: propose through a form, list and read them, and (the author) edit or withdraw until
 * voting opens. Staff judge feasibility (a public note, technical reasons only) and moderate; both are announced
 * as staff decisions (src/flows/decisions.ts), a hidden idea by its number only.
 * Authors stay anonymous to other young people: nothing here tells the group who proposed what.
 */
const FLOW = 'proposal';
const LIST = 'proposals';
const PAGE_SIZE = 5;
const OPEN: readonly Phase[] = ['draft', 'ideas'];

export const proposalAction = {
  form: (roundId: string) => ({ flow: FLOW, verb: 'form', args: [roundId] }),
  list: (roundId: string) => ({ flow: LIST, verb: 'list', args: [roundId] }),
};

type Tr = Translate;

/** The forms staff fill in before a feasibility or moderation change: what the note is called and asked for. */
const STAFF_NOTE_FORMS = {
  inelig: {
    title: 'flow.proposal.ineligible_title',
    input: 'note',
    label: 'flow.proposal.input.ineligible',
    hint: 'flow.proposal.input.ineligible_hint',
    submit: 'flow.save',
  },
  hide: {
    title: 'flow.proposal.hide_title',
    input: 'reason',
    label: 'flow.proposal.input.hide',
    hint: 'flow.proposal.input.reason_hint',
    submit: 'flow.proposal.hide',
  },
  unhide: {
    title: 'flow.proposal.unhide_title',
    input: 'reason',
    label: 'flow.proposal.input.unhide',
    hint: 'flow.proposal.input.reason_hint',
    submit: 'flow.proposal.unhide',
  },
} as const satisfies Record<string, { title: MessageKey; input: string; label: MessageKey; hint: MessageKey; submit: MessageKey }>;
type StaffNoteVerb = keyof typeof STAFF_NOTE_FORMS;

/** What the form starts with: the idea as it is (edit), or what was typed after /propose. */
interface Prefill {
  title?: string;
  description?: string;
  cost?: string;
  category?: string | null;
}

function proposalForm(tr: Tr, action: Form['action'], title: string, current: Prefill = {}, editing = false): Form {
  const initial = (value: string | null | undefined) => (value ? { initial: value } : {});
  return {
    action,
    title,
    inputs: [
      {
        name: 'title',
        label: tr('flow.proposal.input.title'),
        kind: 'short',
        required: true,
        maxLength: 120,
        placeholder: tr('flow.proposal.input.title_hint'),
        ...initial(current.title),
      },
      {
        name: 'description',
        label: tr('flow.proposal.input.description'),
        kind: 'long',
        required: true,
        maxLength: 4000,
        placeholder: tr('flow.proposal.input.description_hint'),
        ...initial(current.description),
      },
      {
        name: 'cost',
        label: tr('flow.proposal.input.cost'),
        kind: 'short',
        required: true,
        maxLength: 20,
        placeholder: tr('flow.proposal.input.cost_hint'),
        ...initial(current.cost),
      },
      {
        name: 'category',
        label: tr('flow.proposal.input.category'),
        kind: 'short',
        maxLength: 60,
        placeholder: tr('flow.proposal.input.category_hint'),
        ...initial(current.category),
      },
    ],
    submitLabel: tr(editing ? 'flow.save' : 'flow.proposal.send'),
  };
}

const statusText = (tr: Tr, p: ProposalView) => tr(`status.${p.status}`);

/** One proposal, with the buttons this reader may use on it now. */
function proposalCard(ctx: MemberContext, round: RoundView, p: ProposalView, intro?: string): Card {
  const tr: Tr = ctx.t;
  const fields: Field[] = [{ label: tr('flow.proposal.cost'), value: money(p.cost, ctx.locale, round.currency), inline: true }];
  if (p.category) fields.push({ label: tr('flow.proposal.category'), value: p.category, inline: true });
  if (p.status !== 'submitted')
    fields.push({ label: tr('flow.proposal.status'), value: p.statusNote ? `${statusText(tr, p)}: ${p.statusNote}` : statusText(tr, p) });
  if (p.author) fields.push({ label: tr('flow.proposal.author'), value: p.author.displayName, inline: true });
  const controls: Control[] = [];
  const open = OPEN.includes(round.phase);
  if (open && p.mine && p.status !== 'withdrawn') {
    controls.push(
      button(tr('flow.proposal.edit'), { flow: FLOW, verb: 'edit', args: [p.id] }),
      button(tr('flow.proposal.withdraw'), { flow: FLOW, verb: 'withdraw', args: [p.id] }, 'danger'),
    );
  }
  if ((p.status === 'submitted' || p.status === 'ineligible') && (round.phase === 'ideas' || round.phase === 'voting')) {
    controls.push(button(tr('flow.proposal.discuss'), { flow: FLOW, verb: 'discuss', args: [p.id] }));
  }
  if (open && isStaff(ctx)) {
    if (p.status === 'submitted') controls.push(button(tr('flow.proposal.ineligible'), { flow: FLOW, verb: 'inelig', args: [p.id] }));
    if (p.status === 'ineligible') controls.push(button(tr('flow.proposal.eligible'), { flow: FLOW, verb: 'elig', args: [p.id] }));
    if (p.status === 'submitted' || p.status === 'ineligible')
      controls.push(button(tr('flow.proposal.hide'), { flow: FLOW, verb: 'hide', args: [p.id] }, 'danger'));
    if (p.status === 'hidden') controls.push(button(tr('flow.proposal.unhide'), { flow: FLOW, verb: 'unhide', args: [p.id] }));
  }
  const body = intro ? [{ text: intro, strong: true }, '\n\n', p.description] : p.description;
  const card: Card = { title: `#${p.number} ${p.title}`, body, fields, controls, tone: p.status === 'submitted' ? 'neutral' : 'warning' };
  return open && p.mine && p.status !== 'withdrawn' ? { ...card, footer: tr('flow.proposal.author_note') } : card;
}

function listCard(ctx: MemberContext, round: RoundView, all: ProposalView[], requestedPage: number): Card {
  const tr: Tr = ctx.t;
  const { items, page, pages } = pageItems(all, PAGE_SIZE, requestedPage);
  const fields: Field[] = items.map((p) => {
    const facts = [
      money(p.cost, ctx.locale, round.currency),
      p.category,
      p.status !== 'submitted' ? statusText(tr, p) : null,
      p.mine ? tr('flow.proposal.mine') : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return { label: `#${p.number} ${p.title}`, value: `${facts}\n${snippet(p.description)}` };
  });
  const controls: Control[] = items.map((p) =>
    button(tr('flow.proposal.show', { ref: `#${p.number}` }), { flow: FLOW, verb: 'show', args: [p.id] }),
  );
  controls.push(...pageButtons(tr, (n) => ({ flow: LIST, verb: 'page', args: [round.id, String(n)] }), page, pages));
  if (round.phase === 'ideas' && ctx.role === 'youth')
    controls.push(button(tr('flow.proposal.new'), proposalAction.form(round.id), 'primary'));
  const card: Card = {
    title: tr('flow.proposals.title', { round: round.title }),
    body: all.length
      ? tr('flow.proposals.intro', { count: all.length })
      : tr(round.phase === 'ideas' ? 'flow.proposals.empty_ideas' : 'flow.proposals.empty'),
    fields,
    controls,
    tone: 'info',
  };
  const footer = pageFooter(tr, page, pages);
  return footer ? { ...card, footer } : card;
}

export function registerProposals(router: Router, pulje: Pulje, safeguard?: Safeguard): void {
  // An idea's own words are read for crisis signals too: the author gets the private answer beside the thanks.
  const care = (ctx: MemberContext, ...texts: Array<string | undefined>) =>
    safeguard ? safeguard.screen(ctx, texts.filter(Boolean).join('\n'), 'idea') : Promise.resolve([]);
  async function proposalAndRound(ctx: MemberContext, proposalId: string) {
    const p = await pulje.proposals.get(actorOf(ctx), { proposalId });
    return { p, round: await roundInGroup(ctx, pulje, p.roundId) };
  }
  const list = (ctx: MemberContext, round: RoundView) => pulje.proposals.list(actorOf(ctx), { roundId: round.id });

  function newForm(ctx: MemberContext, round: RoundView, prefill: Prefill = {}): Reply {
    assertRoundPhase(round, ['ideas']);
    return reply.form(proposalForm(ctx.t, { flow: FLOW, verb: 'new', args: [round.id] }, ctx.t('flow.proposal.form_title'), prefill));
  }

  /** The author's edit: the same form, filled in with what is there now. */
  async function editForm(ctx: MemberContext, proposalId: string): Promise<Reply> {
    const { p, round } = await proposalAndRound(ctx, proposalId);
    if (!p.mine) return reply.private(ctx.t('error.not_author'));
    assertRoundPhase(round, OPEN);
    const current = {
      title: p.title,
      description: p.description,
      cost: money(p.cost, ctx.locale, round.currency),
      category: p.category,
    };
    return reply.form(
      proposalForm(
        ctx.t,
        { flow: FLOW, verb: 'edit', args: [p.id] },
        ctx.t('flow.proposal.edit_title', { ref: `#${p.number}` }),
        current,
        true,
      ),
    );
  }

  /** Staff: the form that asks for the note or reason a change needs, while ideas are open. */
  async function staffNoteForm(ctx: MemberContext, proposalId: string, verb: StaffNoteVerb): Promise<Reply> {
    const { p, round } = await proposalAndRound(ctx, proposalId);
    assertRoundPhase(round, OPEN);
    const note = STAFF_NOTE_FORMS[verb];
    return reply.form({
      action: { flow: FLOW, verb, args: [p.id] },
      title: ctx.t(note.title, { ref: `#${p.number}` }),
      inputs: [
        { name: note.input, label: ctx.t(note.label), kind: 'long', required: true, maxLength: 1000, placeholder: ctx.t(note.hint) },
      ],
      submitLabel: ctx.t(note.submit),
    });
  }

  /**
   * Staff: a moderation change. The staff member sees the proposal as it is now; the group is told that a
   * proposal was hidden (or shown again), by whom and why, but not what it said.
   */
  async function moderate(
    ctx: MemberContext,
    proposalId: string,
    change: (actor: ReturnType<typeof actorOf>) => Promise<ProposalView>,
    done: MessageKey,
  ): Promise<Reply[]> {
    const { round } = await proposalAndRound(ctx, proposalId);
    const { value: p, announcements } = await withAnnouncement(ctx, pulje, () => change(actorOf(ctx)));
    return [reply.private({ cards: [proposalCard(ctx, round, p, ctx.t(done))] }), ...announcements];
  }

  router
    .command({
      name: 'propose',
      description: 'flow.command.propose',
      // "/propose 4500 Nye bænke" fills in the form's cost and title; the rest is asked for in the form.
      args: [
        { name: 'cost', hint: 'field.cost' },
        { name: 'title', hint: 'field.title' },
      ],
      roles: YOUTH,
      async handler(ctx, { args }) {
        const prefill: Prefill = {};
        if (args.cost?.trim()) prefill.cost = args.cost.trim();
        if (args.title?.trim()) prefill.title = args.title.trim().slice(0, 120);
        return withRound(ctx, pulje, ['ideas'], proposalAction.form, (round) => newForm(ctx, round, prefill));
      },
    })
    .alias('foreslå', 'propose')
    .command({
      name: 'proposals',
      description: 'flow.command.proposals',
      args: [
        {
          name: 'number',
          hint: 'flow.arg.number',
          // Suggests the current round's ideas by number or words of the title.
          async complete(ctx, { partial }) {
            const round = await currentRound(ctx, pulje);
            const wanted = partial.trim().replace(/^#/, '').toLocaleLowerCase();
            return (await list(ctx, round))
              .filter((p) => !wanted || String(p.number).startsWith(wanted) || p.title.toLocaleLowerCase().includes(wanted))
              .slice(0, 25)
              .map((p) => ({ label: snippet(`#${p.number} ${p.title}`, 100), value: String(p.number) }));
          },
        },
      ],
      async handler(ctx, { args }) {
        const round = await currentRound(ctx, pulje);
        const all = await list(ctx, round);
        const wanted = args.number?.trim().replace(/^#/, '');
        if (wanted) {
          const p = all.find((x) => String(x.number) === wanted);
          if (!p) return reply.private(ctx.t('flow.proposal.no_such', { ref: `#${wanted}` }));
          return reply.private({ cards: [proposalCard(ctx, round, p)] });
        }
        return reply.private({ cards: [listCard(ctx, round, all, 0)] });
      },
    })
    .alias('forslag', 'proposals')
    .action({
      flow: FLOW,
      verb: 'form',
      args: z.tuple([idArg]),
      roles: YOUTH,
      handler: async (ctx, { args: [roundId] }) => newForm(ctx, await roundInGroup(ctx, pulje, roundId)),
    })
    .form({
      flow: FLOW,
      verb: 'new',
      args: z.tuple([idArg]),
      roles: YOUTH,
      // After the warning about personal data: the same form again, filled in with what was typed.
      reopen: {
        label: 'flow.proposal.fix',
        open: async (ctx, { args: [roundId] }) => newForm(ctx, await roundInGroup(ctx, pulje, roundId)),
      },
      async handler(ctx, { args: [roundId], fields }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        const cost = readMoney(fields.cost, ctx.locale, 'field.cost');
        warnBeforeSharing({ title: fields.title, description: fields.description }, ctx.locale, confirmedSharing(fields));
        const category = fields.category?.trim() || null;
        const p = await pulje.proposals.submit(actorOf(ctx), {
          roundId,
          title: fields.title,
          description: fields.description,
          cost,
          category,
        });
        // The group hears about every new idea, never who had it.
        const g = groupText(ctx);
        const facts = [money(p.cost, g.locale, round.currency), p.category].filter(Boolean).join(' · ');
        const announcement: Card = {
          title: g.t('flow.proposal.announce_title', { ref: `#${p.number}`, title: p.title }),
          body: [snippet(p.description), '\n\n', { text: g.t('flow.proposal.announce'), em: true }],
          fields: [{ label: g.t('flow.proposal.cost'), value: facts }],
          controls: [
            button(g.t('flow.proposal.show', { ref: `#${p.number}` }), { flow: FLOW, verb: 'show', args: [p.id] }),
            button(g.t('flow.proposal.discuss'), { flow: FLOW, verb: 'discuss', args: [p.id] }),
          ],
          tone: 'neutral',
          detached: true,
        };
        // The private thanks first: it is the answer to the author's form; the announcement is its own message.
        // An idea that signals someone may be in danger is not announced: the author gets the private answer, and
        // the group is not drawn to it.
        const cared = await care(ctx, fields.title, fields.description);
        return [
          reply.private({ cards: [proposalCard(ctx, round, p, ctx.t('flow.proposal.thanks', { ref: `#${p.number}` }))] }),
          ...cared,
          ...(cared.length ? [] : [reply.public({ cards: [announcement] })]),
        ];
      },
    })
    .action({
      flow: LIST,
      verb: 'list',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [roundId] }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        return reply.private({ cards: [listCard(ctx, round, await list(ctx, round), 0)] });
      },
    })
    .action({
      flow: LIST,
      verb: 'page',
      args: z.tuple([idArg, pageArg]),
      async handler(ctx, { args: [roundId, page] }) {
        const round = await roundInGroup(ctx, pulje, roundId);
        return reply.update({ cards: [listCard(ctx, round, await list(ctx, round), page)] });
      },
    })
    .action({
      flow: FLOW,
      verb: 'show',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [proposalId] }) {
        const { p, round } = await proposalAndRound(ctx, proposalId);
        return reply.private({ cards: [proposalCard(ctx, round, p)] });
      },
    })
    // Anyone may bring a visible idea up in the group: a public card that opens a thread where the surface has them.
    // It says nothing about who made the idea.
    .action({
      flow: FLOW,
      verb: 'discuss',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [proposalId] }) {
        const { p, round } = await proposalAndRound(ctx, proposalId);
        if (p.status !== 'submitted' && p.status !== 'ineligible') return reply.private(ctx.t('flow.proposal.not_shareable'));
        assertRoundPhase(round, ['ideas', 'voting']);
        const g = groupText(ctx);
        const facts = [money(p.cost, g.locale, round.currency), p.category].filter(Boolean).join(' · ');
        return reply.public({
          cards: [
            {
              title: `#${p.number} ${p.title}`,
              body: [p.description, '\n\n', { text: g.t('flow.proposal.discuss_prompt'), em: true }],
              fields: [{ label: g.t('flow.proposal.cost'), value: facts }],
              controls: [button(g.t('flow.proposal.show', { ref: `#${p.number}` }), { flow: FLOW, verb: 'show', args: [p.id] })],
              discussion: `#${p.number} ${p.title}`,
              tone: 'neutral',
            },
          ],
        });
      },
    })
    .action({
      flow: FLOW,
      verb: 'view',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [proposalId] }) {
        const { p, round } = await proposalAndRound(ctx, proposalId);
        return reply.update({ cards: [proposalCard(ctx, round, p)] });
      },
    })
    // The author's edit: the same form, filled in with what is there now.
    .action({
      flow: FLOW,
      verb: 'edit',
      args: z.tuple([idArg]),
      handler: (ctx, { args: [proposalId] }) => editForm(ctx, proposalId),
    })
    .form({
      flow: FLOW,
      verb: 'edit',
      args: z.tuple([idArg]),
      reopen: { label: 'flow.proposal.fix', open: (ctx, { args: [proposalId] }) => editForm(ctx, proposalId) },
      async handler(ctx, { args: [proposalId], fields }) {
        const { p, round } = await proposalAndRound(ctx, proposalId);
        const patch: Record<string, unknown> = {};
        if (fields.title !== undefined && fields.title.trim() !== p.title) patch.title = fields.title;
        if (fields.description !== undefined && fields.description.trim() !== p.description) patch.description = fields.description;
        if (fields.cost !== undefined) {
          const cost = readMoney(fields.cost, ctx.locale, 'field.cost');
          if (cost !== p.cost) patch.cost = cost;
        }
        if (fields.category !== undefined && (fields.category.trim() || null) !== p.category)
          patch.category = fields.category.trim() || null;
        if (!Object.keys(patch).length) return reply.private(ctx.t('flow.unchanged'));
        warnBeforeSharing(
          { title: patch.title as string | undefined, description: patch.description as string | undefined },
          ctx.locale,
          confirmedSharing(fields),
        );
        const updated = await pulje.proposals.edit(actorOf(ctx), { proposalId, ...patch });
        return [
          reply.private({ cards: [proposalCard(ctx, round, updated, ctx.t('flow.proposal.edited'))] }),
          ...(await care(ctx, patch.title as string | undefined, patch.description as string | undefined)),
        ];
      },
    })
    .action({
      flow: FLOW,
      verb: 'withdraw',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [proposalId] }) {
        const { p, round } = await proposalAndRound(ctx, proposalId);
        if (!p.mine) return reply.private(ctx.t('error.not_author'));
        assertRoundPhase(round, OPEN);
        return reply.update({
          cards: [
            {
              title: ctx.t('flow.proposal.withdraw_title', { ref: `#${p.number}` }),
              body: ctx.t('flow.proposal.withdraw_body', { title: p.title }),
              controls: [
                button(ctx.t('flow.proposal.withdraw_yes'), { flow: FLOW, verb: 'withdrawok', args: [p.id] }, 'danger'),
                button(ctx.t('flow.proposal.withdraw_no'), { flow: FLOW, verb: 'view', args: [p.id] }),
              ],
              tone: 'warning',
            },
          ],
        });
      },
    })
    .action({
      flow: FLOW,
      verb: 'withdrawok',
      args: z.tuple([idArg]),
      async handler(ctx, { args: [proposalId] }) {
        const { round } = await proposalAndRound(ctx, proposalId);
        const p = await pulje.proposals.withdraw(actorOf(ctx), { proposalId });
        return reply.update({ cards: [proposalCard(ctx, round, p, ctx.t('flow.proposal.withdrawn'))] });
      },
    })
    // Staff: feasibility. "Not possible" needs a note the whole group reads; it is about practicalities, never taste.
    .action({
      flow: FLOW,
      verb: 'inelig',
      args: z.tuple([idArg]),
      roles: STAFF,
      handler: (ctx, { args: [proposalId] }) => staffNoteForm(ctx, proposalId, 'inelig'),
    })
    .form({
      flow: FLOW,
      verb: 'inelig',
      args: z.tuple([idArg]),
      roles: STAFF,
      async handler(ctx, { args: [proposalId], fields }) {
        await proposalAndRound(ctx, proposalId);
        // Announced as a staff decision: what, who and why, with a private "I disagree".
        const { announcements } = await withAnnouncement(ctx, pulje, () =>
          pulje.proposals.setEligibility(actorOf(ctx), { proposalId, eligible: false, note: fields.note }),
        );
        return announcements.length ? announcements : reply.private(ctx.t('flow.unchanged'));
      },
    })
    .action({
      flow: FLOW,
      verb: 'elig',
      args: z.tuple([idArg]),
      roles: STAFF,
      async handler(ctx, { args: [proposalId] }) {
        const { round } = await proposalAndRound(ctx, proposalId);
        const { value: p, announcements } = await withAnnouncement(ctx, pulje, () =>
          pulje.proposals.setEligibility(actorOf(ctx), { proposalId, eligible: true }),
        );
        return [reply.update({ cards: [proposalCard(ctx, round, p)] }), ...announcements];
      },
    })
    // Staff: moderation. Quiet: only the staff member hears back; the reason goes into the decision log.
    .action({
      flow: FLOW,
      verb: 'hide',
      args: z.tuple([idArg]),
      roles: STAFF,
      handler: (ctx, { args: [proposalId] }) => staffNoteForm(ctx, proposalId, 'hide'),
    })
    .form({
      flow: FLOW,
      verb: 'hide',
      args: z.tuple([idArg]),
      roles: STAFF,
      handler: (ctx, { args: [proposalId], fields }) =>
        moderate(ctx, proposalId, (actor) => pulje.proposals.hide(actor, { proposalId, reason: fields.reason }), 'flow.proposal.hidden'),
    })
    .action({
      flow: FLOW,
      verb: 'unhide',
      args: z.tuple([idArg]),
      roles: STAFF,
      handler: (ctx, { args: [proposalId] }) => staffNoteForm(ctx, proposalId, 'unhide'),
    })
    .form({
      flow: FLOW,
      verb: 'unhide',
      args: z.tuple([idArg]),
      roles: STAFF,
      handler: (ctx, { args: [proposalId], fields }) =>
        moderate(
          ctx,
          proposalId,
          (actor) => pulje.proposals.unhide(actor, { proposalId, reason: fields.reason }),
          'flow.proposal.unhidden',
        ),
    });
}
