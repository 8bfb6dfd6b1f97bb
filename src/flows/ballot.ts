import { z } from 'zod';
import { YOUTH } from '../domain/roles.ts';
import { PuljeError } from '../core/errors.ts';
import { reply, type Card, type ChoiceList, type Control, type Field, type Reply, type Span } from '../conversation/outbound.ts';
import type { MemberContext, Router } from '../conversation/router.ts';
import type { ChoiceInput } from '../domain/ballot-choice.ts';
import { wrongPhase, type Phase } from '../domain/phases.ts';
import { ballotKey, type BallotType } from '../domain/round-config.ts';
import type { MessageKey, Params, Translate } from '../i18n/index.ts';
import type { BallotReceipt, OwnBallotView, ProposalView, Pulje, RoundView } from '../usecases/index.ts';
import {
  actorOf,
  button,
  idArg,
  numberArg,
  pageArg,
  pageButtons,
  pageFooter,
  pageItems,
  roundIn,
  withRound,
  roundInGroup,
  snippet,
  money,
} from './common.ts';
import type { BallotDraftStore, DraftChoice, StoredDraft } from '../domain/ballot-draft.ts';
import { resultsAction } from './results.ts';

/**
 * The private ballot. "Vote" (a public card's button or /vote) sends the voter a ballot only they see, filled in
 * with their current ballot if they already voted. Every button changes their draft in the database and redraws
 * the card; "Send" casts it and shows the receipt. Buttons say what they do absolutely ("pick #3", "un-pick #3"),
 * so an older copy of the card still does what it showed.
 */
const FLOW = 'ballot';
const PAGE_SIZE: Record<BallotType, number> = { approval: 10, knapsack: 10, cumulative: 5, ranked: 10, yesno: 1 };
const CLOSED: readonly Phase[] = ['decided', 'implementing', 'done'];
const ATTEMPTS = 8;

export const ballotAction = {
  open: (roundId: string) => ({ flow: FLOW, verb: 'open', args: [roundId] }),
  receipt: (roundId: string) => ({ flow: FLOW, verb: 'receipt', args: [roundId] }),
  edit: (roundId: string) => ({ flow: FLOW, verb: 'edit', args: [roundId] }),
};

interface Scene {
  round: RoundView;
  /** On the ballot: submitted proposals, in number order (frozen while voting). */
  proposals: ProposalView[];
  cast: OwnBallotView | null;
  draft: DraftChoice;
  /** The stored draft's version; null when there is none yet. */
  version: number | null;
}

type Outcome = { draft: DraftChoice } | { notice: string } | { same: true };

const emptyDraft = (type: BallotType): DraftChoice => {
  switch (type) {
    case 'approval':
    case 'knapsack':
      return { type, picks: [] };
    case 'cumulative':
      return { type, points: [] };
    case 'ranked':
      return { type, ranking: [] };
    case 'yesno':
      return { type, vote: null };
  }
};

function draftFromBallot(type: BallotType, cast: OwnBallotView | null): DraftChoice {
  const c = cast?.choice;
  if (!c || c.type !== type) return emptyDraft(type);
  switch (c.type) {
    case 'approval':
    case 'knapsack':
      return { type: c.type, picks: [...c.picks] };
    case 'cumulative':
      return { type: c.type, points: c.points.map((p) => ({ ...p })) };
    case 'ranked':
      return { type: c.type, ranking: [...c.ranking] };
    case 'yesno':
      return { type: c.type, vote: c.vote };
  }
}

function toChoice(draft: DraftChoice): ChoiceInput | undefined {
  if (draft.type === 'yesno') return draft.vote ? { type: 'yesno', vote: draft.vote } : undefined;
  return draft;
}

const wrongType = (round: RoundView) =>
  new PuljeError('ballot_invalid', {}, [{ key: 'issue.wrong_ballot_type', params: { expected: { key: ballotKey(round.ballotType) } } }]);
const unknownProposal = (n: number) => new PuljeError('ballot_invalid', {}, [{ key: 'issue.unknown_proposal', params: { ref: `#${n}` } }]);

/**
 * Every ballot control and command changes nothing but the voter's draft and ballot, each in a transaction, and
 * sends nothing before it answers: its click is marked handled in that change's commit (CommandDef.claim).
 */
const CHANGES_ONLY_DRAFT_AND_BALLOT = 'with-change' as const;

export function registerBallot(router: Router, pulje: Pulje, drafts: BallotDraftStore): void {
  /** The round, if this voter may fill in its ballot now; refusals as the cast use case would give them. */
  async function votingRound(ctx: MemberContext, roundId: string): Promise<RoundView> {
    // The voter's ballot and draft, read with the round in one statement: the reads of it below, and the
    // click's own of the ballot and draft (load), are answered from it. On a closed round `cast` says whether
    // it was counted.
    const { cast } = await pulje.ballots.inProgress(actorOf(ctx), { roundId });
    const round = await roundInGroup(ctx, pulje, roundId);
    if (CLOSED.includes(round.phase)) throw closedTruth(cast);
    if (round.phase !== 'voting') throw wrongPhase(round.phase, ['voting']);
    // A passed deadline is the cast use case's to judge, on its clock: the draft may still be looked at.
    return round;
  }

  /**
   * What an old ballot control says once voting has closed: whether this person's own ballot is in, by its
   * receipt code (a voter must never be told their vote was lost when it was counted).
   */
  function closedTruth(own: OwnBallotView | null): PuljeError {
    if (!own) return new PuljeError('voting_closed_missed');
    return new PuljeError(own.counted === false ? 'voting_closed' : own.counted ? 'voting_closed_counted' : 'voting_closed_pending', {
      receipt: own.receiptCode,
    });
  }

  /** The voter's own ballot and receipt for a round, or an offer to vote if they have none yet. */
  async function receipt(ctx: MemberContext, round: RoundView): Promise<Reply> {
    const own = await ownBallot(ctx, round.id);
    if (!own) {
      const controls = round.phase === 'voting' ? [button(ctx.t('flow.vote.button'), ballotAction.open(round.id), 'primary')] : [];
      return reply.private({ cards: [{ title: round.title, body: ctx.t('flow.receipt.none'), controls, tone: 'info' }] });
    }
    return reply.private({ cards: [receiptCard(ctx, round, own, 'show')] });
  }

  /** Precondition of every ballot control: a young member, and the round (the control's first argument) is voting. */
  const inVoting = async (ctx: MemberContext, input: { args: readonly unknown[] }) => void (await votingRound(ctx, String(input.args[0])));

  const ownBallot = (ctx: MemberContext, roundId: string): Promise<OwnBallotView | null> => pulje.ballots.mine(actorOf(ctx), { roundId });

  /** The round, its ideas, the voter's ballot and the draft as this click found it (a retry reads the draft again). */
  type Base = Omit<Scene, 'draft' | 'version'> & { stored: StoredDraft | null };
  async function load(ctx: MemberContext, roundId: string): Promise<Base> {
    const round = await votingRound(ctx, roundId);
    const proposals = (await pulje.proposals.list(actorOf(ctx), { roundId })).filter((p) => p.status === 'submitted');
    const { cast, draft } = await pulje.ballots.inProgress(actorOf(ctx), { roundId });
    return { round, proposals, cast, stored: draft };
  }

  /** The stored draft: as the click's first read found it, and read again on each retry. */
  const storedDraft = (ctx: MemberContext, base: Base, attempt: number): Promise<StoredDraft | null> =>
    attempt === 0 ? Promise.resolve(base.stored) : drafts.get(base.round.id, ctx.person.personId);

  async function withDraft(ctx: MemberContext, base: Base, attempt: number): Promise<Scene> {
    const stored = await storedDraft(ctx, base, attempt);
    const usable = stored?.choice && stored.choice.type === base.round.ballotType ? stored.choice : null;
    return { ...base, draft: usable ?? draftFromBallot(base.round.ballotType, base.cast), version: stored?.version ?? null };
  }

  /** Applies one change to the stored draft, reading again if another process wrote in between. */
  async function change(
    ctx: MemberContext,
    roundId: string,
    op: (scene: Scene) => Outcome,
    pageFor: (scene: Scene) => number,
  ): Promise<Reply> {
    const base = await load(ctx, roundId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const scene = await withDraft(ctx, base, attempt);
      const out = op(scene);
      if ('notice' in out) return reply.update({ cards: [ballotCard(ctx, scene, pageFor(scene), out.notice)] });
      if ('same' in out) return reply.update({ cards: [ballotCard(ctx, scene, pageFor(scene))] });
      if (await drafts.put(roundId, ctx.person.personId, out.draft, scene.version)) {
        const next = { ...scene, draft: out.draft, version: (scene.version ?? 0) + 1 };
        return reply.update({ cards: [ballotCard(ctx, next, pageFor(next))] });
      }
    }
    throw new PuljeError('conflict');
  }

  /** A fresh ballot: the draft starts again from the ballot already cast (or empty). */
  async function fresh(ctx: MemberContext, roundId: string): Promise<Card> {
    const base = await load(ctx, roundId);
    const start = draftFromBallot(base.round.ballotType, base.cast);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stored = await storedDraft(ctx, base, attempt);
      // No draft, or one that is the start already: the card reads the same without a write (the first
      // change creates the draft).
      if (!stored || JSON.stringify(stored.choice) === JSON.stringify(start))
        return ballotCard(ctx, { ...base, draft: start, version: stored?.version ?? null }, 0);
      if (await drafts.put(roundId, ctx.person.personId, start, stored.version)) {
        return ballotCard(ctx, { ...base, draft: start, version: stored.version + 1 }, 0);
      }
    }
    throw new PuljeError('conflict');
  }

  const indexOf = (scene: Scene, n: number) => {
    const i = scene.proposals.findIndex((p) => p.number === n);
    if (i < 0) throw unknownProposal(n);
    return i;
  };
  const pageOfNumber = (n: number) => (scene: Scene) => Math.floor(indexOf(scene, n) / PAGE_SIZE[scene.round.ballotType]);
  const roundArg = z.tuple([idArg]);

  router
    .command({
      name: 'vote',
      description: 'flow.command.vote',
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      handler: (ctx) =>
        withRound(ctx, pulje, ['voting'], ballotAction.open, async (round) => reply.private({ cards: [await fresh(ctx, round.id)] })),
    })
    .alias('stem', 'vote')
    .command({
      name: 'receipt',
      description: 'flow.command.receipt',
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      handler: (ctx) => withRound(ctx, pulje, ['voting', ...CLOSED], ballotAction.receipt, (round) => receipt(ctx, round)),
    })
    .alias('kvittering', 'receipt')
    .action({
      flow: FLOW,
      verb: 'receipt',
      args: roundArg,
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      handler: async (ctx, { args: [roundId] }) => receipt(ctx, await roundInGroup(ctx, pulje, roundId)),
    })
    // From a public card: the ballot goes to the voter alone, never into the card everyone sees.
    .action({
      flow: FLOW,
      verb: 'open',
      args: roundArg,
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: async (ctx, { args: [roundId] }) => reply.private({ cards: [await fresh(ctx, roundId)] }),
    })
    // From the voter's own receipt: the receipt becomes the ballot again.
    .action({
      flow: FLOW,
      verb: 'edit',
      args: roundArg,
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: async (ctx, { args: [roundId] }) => reply.update({ cards: [await fresh(ctx, roundId)] }),
    })
    .action({
      flow: FLOW,
      verb: 'page',
      args: z.tuple([idArg, pageArg]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, page] }) =>
        change(
          ctx,
          roundId,
          () => ({ same: true }),
          () => page,
        ),
    })
    .action({
      flow: FLOW,
      verb: 'set',
      args: z.tuple([idArg, numberArg, z.enum(['0', '1'])]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, n, on] }) =>
        change(
          ctx,
          roundId,
          (scene) => {
            const { draft, round } = scene;
            if (draft.type !== 'approval' && draft.type !== 'knapsack') throw wrongType(round);
            const proposal = scene.proposals[indexOf(scene, n)]!;
            const picks = new Set(draft.picks);
            if (on === '0') {
              if (!picks.has(n)) return { same: true };
              picks.delete(n);
              return { draft: { ...draft, picks: [...picks].sort((a, b) => a - b) } };
            }
            if (picks.has(n)) return { same: true };
            if (round.maxPicks !== null && picks.size >= round.maxPicks)
              return { notice: ctx.t('flow.ballot.notice.max', { max: round.maxPicks }) };
            if (draft.type === 'knapsack') {
              const used = spentOn(scene, draft.picks);
              if (used + proposal.cost > round.amount) {
                return {
                  notice: ctx.t('flow.ballot.notice.over_budget', {
                    ref: `#${n}`,
                    cost: money(proposal.cost, ctx.locale, round.currency),
                    left: money(round.amount - used, ctx.locale, round.currency),
                  }),
                };
              }
            }
            picks.add(n);
            return { draft: { ...draft, picks: [...picks].sort((a, b) => a - b) } };
          },
          pageOfNumber(n),
        ),
    })
    .action({
      flow: FLOW,
      verb: 'pts',
      args: z.tuple([idArg, numberArg, z.enum(['up', 'down'])]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, n, way] }) =>
        change(
          ctx,
          roundId,
          (scene) => {
            const { draft, round } = scene;
            if (draft.type !== 'cumulative') throw wrongType(round);
            indexOf(scene, n);
            const points = new Map(draft.points.map((p) => [p.proposal, p.points]));
            const mine = points.get(n) ?? 0;
            if (way === 'down') {
              if (mine === 0) return { same: true };
              if (mine === 1) points.delete(n);
              else points.set(n, mine - 1);
            } else {
              const used = [...points.values()].reduce((a, b) => a + b, 0);
              if (used >= (round.points ?? 0)) return { notice: ctx.t('flow.ballot.notice.no_points') };
              if (mine === 0 && round.maxPicks !== null && points.size >= round.maxPicks)
                return { notice: ctx.t('flow.ballot.notice.max', { max: round.maxPicks }) };
              points.set(n, mine + 1);
            }
            return {
              draft: {
                type: 'cumulative',
                points: [...points].sort(([a], [b]) => a - b).map(([proposal, p]) => ({ proposal, points: p })),
              },
            };
          },
          pageOfNumber(n),
        ),
    })
    .action({
      flow: FLOW,
      verb: 'rank',
      args: z.tuple([idArg, numberArg]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, n] }) =>
        change(
          ctx,
          roundId,
          (scene) => {
            const { draft, round } = scene;
            if (draft.type !== 'ranked') throw wrongType(round);
            indexOf(scene, n);
            if (draft.ranking.includes(n)) return { same: true };
            if (round.maxPicks !== null && draft.ranking.length >= round.maxPicks)
              return { notice: ctx.t('flow.ballot.notice.max', { max: round.maxPicks }) };
            return { draft: { type: 'ranked', ranking: [...draft.ranking, n] } };
          },
          pageOfNumber(n),
        ),
    })
    .action({
      flow: FLOW,
      verb: 'undo',
      args: z.tuple([idArg, pageArg]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, page] }) =>
        change(
          ctx,
          roundId,
          ({ draft, round }) => {
            if (draft.type !== 'ranked') throw wrongType(round);
            if (!draft.ranking.length) return { same: true };
            return { draft: { type: 'ranked', ranking: draft.ranking.slice(0, -1) } };
          },
          () => page,
        ),
    })
    .action({
      flow: FLOW,
      verb: 'yn',
      args: z.tuple([idArg, z.enum(['yes', 'no', 'blank'])]),
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      handler: (ctx, { args: [roundId, vote] }) =>
        change(
          ctx,
          roundId,
          ({ draft, round }) => {
            if (draft.type !== 'yesno') throw wrongType(round);
            return draft.vote === vote ? { same: true } : { draft: { type: 'yesno', vote } };
          },
          () => 0,
        ),
    })
    .action({
      flow: FLOW,
      verb: 'submit',
      args: roundArg,
      roles: YOUTH,
      claim: CHANGES_ONLY_DRAFT_AND_BALLOT,
      preconditions: [inVoting],
      async handler(ctx, { args: [roundId] }) {
        const scene = await withDraft(ctx, await load(ctx, roundId), 0);
        const choice = toChoice(scene.draft);
        if (!choice) return reply.update({ cards: [ballotCard(ctx, scene, 0, ctx.t('flow.ballot.notice.choose_yesno'))] });
        let cast: BallotReceipt;
        try {
          cast = await pulje.ballots.cast(actorOf(ctx), { roundId, choice });
        } catch (error) {
          // What is wrong with the ballot is shown on the ballot, so it can be put right there.
          if (error instanceof PuljeError && error.code === 'ballot_invalid')
            return reply.update({ cards: [ballotCard(ctx, scene, 0, error.localize(ctx.locale))] });
          // The deadline passed while the ballot was open: the earlier ballot, if any, still stands.
          if (error instanceof PuljeError && error.code === 'voting_closed') throw closedTruth(await ownBallot(ctx, roundId));
          throw error;
        }
        // The draft stays as it was sent: it now reads as the ballot (the cast use case leaves it).
        const own = cast.ballot;
        const changed = cast.changed;
        return reply.update({ cards: [receiptCard(ctx, scene.round, own, changed ? 'changed' : 'cast')] });
      },
    });
}

function spentOn(scene: Scene, picks: readonly number[]): number {
  const cost = new Map(scene.proposals.map((p) => [p.number, p.cost]));
  return picks.reduce((sum, n) => sum + (cost.get(n) ?? 0), 0);
}

function limitsText(ctx: MemberContext, round: RoundView): string {
  const min = round.minPicks ?? 1;
  const max = round.maxPicks;
  if (max === null) return ctx.t('flow.ballot.limits.min', { min });
  if (max === min) return ctx.t('flow.ballot.limits.exact', { min });
  return ctx.t('flow.ballot.limits.range', { min, max });
}

/** The ballot as the voter sees it: instructions, the running state, one page of proposals with their buttons. */
function ballotCard(ctx: MemberContext, scene: Scene, requestedPage: number, notice?: string): Card {
  const { round, draft } = scene;
  const type = round.ballotType;
  const tr: Translate = ctx.t;
  const m = (minor: number) => money(minor, ctx.locale, round.currency);
  const { items, page, pages } = pageItems(scene.proposals, PAGE_SIZE[type], requestedPage);
  const body: Span[] = [];
  if (notice) body.push({ text: `⚠️ ${notice}`, strong: true }, '\n\n');
  const lines: string[] = [];
  const controls: Control[] = [];
  const fields: Field[] = [];
  const ref = (p: ProposalView) => `#${p.number} ${p.title}`;
  const detail = (p: ProposalView) => [m(p.cost), p.description ? snippet(p.description, 100) : ''].filter(Boolean).join(' – ');

  switch (draft.type) {
    case 'approval':
    case 'knapsack': {
      const picked = new Set(draft.picks);
      if (draft.type === 'approval') lines.push(tr('flow.ballot.how.approval'), limitsText(ctx, round));
      else {
        lines.push(tr('flow.ballot.how.knapsack'), limitsText(ctx, round));
        lines.push(tr('flow.ballot.knapsack.used', { used: m(spentOn(scene, draft.picks)), amount: m(round.amount) }));
      }
      lines.push(tr('flow.ballot.picked', { count: picked.size }));
      for (const p of items) {
        const on = picked.has(p.number);
        fields.push({ label: `${on ? '✅' : '⬜'} ${ref(p)}`, value: detail(p) });
        controls.push(
          button(
            on ? `✓ #${p.number}` : `#${p.number}`,
            { flow: FLOW, verb: 'set', args: [round.id, String(p.number), on ? '0' : '1'] },
            on ? 'success' : 'secondary',
          ),
        );
      }
      break;
    }
    case 'cumulative': {
      const points = new Map(draft.points.map((p) => [p.proposal, p.points]));
      const used = [...points.values()].reduce((a, b) => a + b, 0);
      lines.push(tr('flow.ballot.how.cumulative', { points: round.points ?? 0 }), limitsText(ctx, round));
      lines.push(tr('flow.ballot.cumulative.left', { left: (round.points ?? 0) - used, points: round.points ?? 0 }));
      for (const p of items)
        fields.push({
          label: ref(p),
          value: `${tr('flow.ballot.cumulative.given', { points: points.get(p.number) ?? 0 })} · ${detail(p)}`,
        });
      // Pluses on one row, minuses on the next: each proposal's pair lines up.
      for (const p of items)
        controls.push(button(`+ #${p.number}`, { flow: FLOW, verb: 'pts', args: [round.id, String(p.number), 'up'] }, 'primary'));
      for (const p of items)
        controls.push(
          button(
            `− #${p.number}`,
            { flow: FLOW, verb: 'pts', args: [round.id, String(p.number), 'down'] },
            'secondary',
            !points.get(p.number),
          ),
        );
      break;
    }
    case 'ranked': {
      lines.push(tr('flow.ballot.how.ranked'), limitsText(ctx, round));
      lines.push(
        draft.ranking.length
          ? tr('flow.ballot.ranked.order', { order: draft.ranking.map((n, i) => `${i + 1}. #${n}`).join(' · ') })
          : tr('flow.ballot.ranked.empty'),
      );
      for (const p of items) {
        const place = draft.ranking.indexOf(p.number);
        fields.push({ label: `${place >= 0 ? `${place + 1}.` : '–'} ${ref(p)}`, value: detail(p) });
        controls.push(
          button(
            place >= 0 ? `${place + 1}. #${p.number}` : `#${p.number}`,
            { flow: FLOW, verb: 'rank', args: [round.id, String(p.number)] },
            place >= 0 ? 'success' : 'primary',
            place >= 0,
          ),
        );
      }
      controls.push(
        button(
          tr('flow.ballot.undo'),
          { flow: FLOW, verb: 'undo', args: [round.id, String(page)] },
          'secondary',
          draft.ranking.length === 0,
        ),
      );
      break;
    }
    case 'yesno': {
      lines.push(tr('flow.ballot.how.yesno'));
      const p = scene.proposals[0];
      if (p) fields.push({ label: ref(p), value: [m(p.cost), snippet(p.description, 600)].join(' – ') });
      const vote = draft.vote;
      const choices = [
        ['yes', 'flow.ballot.yes', 'success'],
        ['no', 'flow.ballot.no', 'danger'],
        ['blank', 'flow.ballot.blank', 'primary'],
      ] as const;
      for (const [value, key, style] of choices) {
        controls.push(
          button(
            vote === value ? `✓ ${tr(key)}` : tr(key),
            { flow: FLOW, verb: 'yn', args: [round.id, value] },
            vote === value ? style : 'secondary',
          ),
        );
      }
      lines.push(vote ? tr('flow.ballot.yesno.chosen', { vote: tr(`flow.ballot.${vote}`) }) : tr('flow.ballot.yesno.none'));
      break;
    }
  }
  lines.push(scene.cast ? tr('flow.ballot.already', { code: scene.cast.receiptCode }) : tr('flow.ballot.not_yet'));
  body.push(lines.join('\n'), '\n\n', { text: tr('flow.ballot.secret'), em: true });
  controls.push(...pageButtons(tr, (p) => ({ flow: FLOW, verb: 'page', args: [round.id, String(p)] }), page, pages));
  // Everything so far is the paged list; a surface showing the native choice list leaves it out.
  for (const c of controls) if (c.kind === 'button' && draft.type !== 'yesno') c.list = true;
  controls.push(button(tr('flow.ballot.submit'), { flow: FLOW, verb: 'submit', args: [round.id] }, 'primary'));
  const card: Card = { title: tr('flow.ballot.title', { round: round.title }), body, fields, controls, tone: notice ? 'warning' : 'info' };
  const choices = choiceList(ctx, scene, ref, detail);
  if (choices) card.choices = choices;
  const footer = pageFooter(tr, page, pages);
  return footer ? { ...card, footer } : card;
}

/**
 * Every idea of the ballot with its own control, for surfaces with native choice lists (the web's checklist).
 * How many ideas such a list may hold is the surface's to say (`SurfaceLimits.choiceItems`): the fit step
 * leaves out a longer list, and the paged fields and buttons stand for it.
 */
function choiceList(
  ctx: MemberContext,
  scene: Scene,
  ref: (p: ProposalView) => string,
  detail: (p: ProposalView) => string,
): ChoiceList | undefined {
  const { round, draft, proposals } = scene;
  const tr: Translate = ctx.t;
  const m = (minor: number) => money(minor, ctx.locale, round.currency);
  const at = (p: ProposalView) => String(p.number);
  switch (draft.type) {
    case 'approval':
    case 'knapsack': {
      const picked = new Set(draft.picks);
      const summary = [tr('flow.ballot.picked', { count: picked.size })];
      if (draft.type === 'knapsack')
        summary.push(tr('flow.ballot.knapsack.used', { used: m(spentOn(scene, draft.picks)), amount: m(round.amount) }));
      return {
        kind: 'toggle',
        summary: summary.join(' '),
        items: proposals.map((p) => {
          const on = picked.has(p.number);
          return {
            title: ref(p),
            detail: detail(p),
            checked: on,
            chosen: on,
            controls: [
              button(tr(on ? 'flow.ballot.choice.unpick' : 'flow.ballot.choice.pick'), {
                flow: FLOW,
                verb: 'set',
                args: [round.id, at(p), on ? '0' : '1'],
              }),
            ],
          };
        }),
      };
    }
    case 'cumulative': {
      const points = new Map(draft.points.map((p) => [p.proposal, p.points]));
      const used = [...points.values()].reduce((a, b) => a + b, 0);
      return {
        kind: 'stepper',
        summary: tr('flow.ballot.cumulative.left', { left: (round.points ?? 0) - used, points: round.points ?? 0 }),
        items: proposals.map((p) => ({
          title: ref(p),
          detail: detail(p),
          state: tr('flow.ballot.cumulative.given', { points: points.get(p.number) ?? 0 }),
          chosen: (points.get(p.number) ?? 0) > 0,
          controls: [
            button(
              tr('flow.ballot.choice.less'),
              { flow: FLOW, verb: 'pts', args: [round.id, at(p), 'down'] },
              'secondary',
              !points.get(p.number),
            ),
            button(tr('flow.ballot.choice.more'), { flow: FLOW, verb: 'pts', args: [round.id, at(p), 'up'] }, 'primary'),
          ],
        })),
      };
    }
    case 'ranked': {
      const next = draft.ranking.length + 1;
      return {
        kind: 'rank',
        summary: draft.ranking.length
          ? tr('flow.ballot.ranked.order', { order: draft.ranking.map((n, i) => `${i + 1}. #${n}`).join(' · ') })
          : tr('flow.ballot.ranked.empty'),
        items: proposals.map((p) => {
          const place = draft.ranking.indexOf(p.number);
          return {
            title: ref(p),
            detail: detail(p),
            state: place >= 0 ? tr('flow.ballot.choice.place', { place: place + 1 }) : tr('flow.ballot.choice.unranked'),
            chosen: place >= 0,
            controls: [
              button(
                tr('flow.ballot.choice.rank', { place: next }),
                { flow: FLOW, verb: 'rank', args: [round.id, at(p)] },
                'primary',
                place >= 0,
              ),
            ],
          };
        }),
        controls: [
          button(tr('flow.ballot.undo'), { flow: FLOW, verb: 'undo', args: [round.id, '0'] }, 'secondary', draft.ranking.length === 0),
        ],
      };
    }
    case 'yesno':
      return undefined;
  }
}

/** The voter's own ballot and receipt code: after casting, and on /receipt. */
function receiptCard(ctx: MemberContext, round: RoundView, own: OwnBallotView, moment: 'cast' | 'changed' | 'show'): Card {
  const tr: Translate = ctx.t;
  const title =
    moment === 'cast'
      ? tr('flow.receipt.cast_title')
      : moment === 'changed'
        ? tr('flow.receipt.changed_title')
        : tr('flow.receipt.title', { round: round.title });
  const state = own.counted === null ? tr('flow.receipt.open') : own.counted ? tr('flow.receipt.counted') : tr('flow.receipt.not_counted');
  const body: Span[] = [
    tr('flow.receipt.code_before'),
    { text: own.receiptCode, strong: true, code: true },
    tr('flow.receipt.code_after'),
    '\n',
    state,
  ];
  const fields: Field[] = own.items.map((item) => {
    const label = `${item.rank !== undefined ? `${item.rank}. ` : ''}#${item.number} ${item.title}`;
    const value =
      item.vote !== undefined
        ? tr(`flow.ballot.${item.vote}`)
        : item.points !== undefined
          ? tr('flow.ballot.cumulative.given', { points: item.points })
          : money(item.cost, ctx.locale, round.currency);
    return { label, value };
  });
  const controls =
    round.phase === 'voting'
      ? [button(tr('flow.receipt.change'), ballotAction.edit(round.id))]
      : own.counted
        ? [button(tr('flow.mine.button'), resultsAction.mine(round.id), 'primary')]
        : [];
  // A receipt is worth keeping: where private answers vanish (Discord), the surface also delivers a lasting copy.
  return { title, body, fields, controls, tone: moment === 'show' ? 'info' : 'success', keep: true };
}
