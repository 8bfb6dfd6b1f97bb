import { tally } from '../tally/tally.ts';
import type { ProjectExplanation, SupportUnit, TallyMethod } from '../tally/types.ts';
import { tallyYesNo } from '../tally/yes-no.ts';
import type { StoredChoice } from './ballot-choice.ts';
import { rankScores, toTallyMethod, type ResultPayload, type ResultProposal, type YesNoExplanation } from './outcome.ts';
import type { BallotRules } from './round-config.ts';

/**
 * "What did my vote do?": one voter's own ballot held against a published result. A pure function of the public
 * result (its per-proposal explanations, as the tally wrote them), the round's frozen rules and the voter's own
 * choice; it never sees another ballot, so it cannot say more about anyone else than the public result does.
 *
 * Counterfactuals ("k more votes", "X kr. cheaper", "without your ballot") are computed only where the public
 * result decides them: the greedy rules depend on nothing but each proposal's support, cost and place in the
 * list, so the real tally is re-run on a stand-in profile with the same support (and checked to reproduce the
 * published selection first); a yes/no vote depends on its counts. Equal Shares depends on who voted for what
 * together, which is not public: it gets no "more votes" and no "without you", and "cheaper" only where the
 * method itself guarantees it (see {@link equalSharesCheaper}).
 *
 * ## The small-group rule
 *
 * The reader knows their own ballot, so any count about a proposal also tells them how many of the *other*
 * voters supported it. A personal explanation gives numbers about votes for a proposal — its support, a margin
 * ("2 votes short"), a "k more votes" counterfactual, Equal Shares' money of its supporters (a count of them in
 * disguise), whether the reader's own ballot decided it — only when
 *   - at least {@link MIN_OTHER_BALLOTS} other ballots were counted, and
 *   - the other voters were not unanimous about it: at least one of them supported it and at least one did not
 *     (yes/no: at least one other said yes, one did not; and at least one said no, one did not).
 * Otherwise the reason is given in words only ("it got too few votes to reach the minimum"). Unanimity or a tiny
 * group is exactly when a count, put next to one's own ballot, would say what a particular other person chose.
 * Money figures of the greedy rules (what was left when its turn came, how much cheaper would have done) are
 * always given: they follow from which ideas were funded and in which order, which everyone sees.
 */
export const MIN_OTHER_BALLOTS = 4;

export interface MyBallotInput {
  result: ResultPayload;
  /** The round's rules (frozen since voting opened): the threshold and the ranked scores come from here. */
  rules: BallotRules;
  choice: StoredChoice;
  receiptCode: string;
}

/** What the reader's own ballot gave a proposal. */
export type Contribution =
  | { kind: 'vote' }
  | { kind: 'points'; points: number }
  | { kind: 'rank'; rank: number; score: number }
  | { kind: 'yesno'; vote: 'yes' | 'no' | 'blank' };

/** Why a pick was or was not funded, in the terms of the tally's explanation; `undefined` numbers are withheld. */
export type PickReason =
  /** `support` is withheld under the small-group rule. */
  | { kind: 'funded'; stage: 'greedy' | 'equal-shares' | 'completion'; support?: number; unit: SupportUnit }
  /** greedy-threshold: below the minimum support. */
  | { kind: 'below_threshold'; threshold: number; unit: SupportUnit; support?: number; missing?: number }
  /** Less money was left than it costs when its turn came; `short` = cost − moneyLeft. */
  | { kind: 'did_not_fit'; cost: number; moneyLeft: number; short: number; stage: 'greedy' | 'completion' }
  /** greedy-no-skip stopped at an earlier proposal that did not fit. */
  | { kind: 'not_reached' }
  /** Equal Shares: its supporters spent their shares on other winners; they had `supportersMoney` left. */
  | { kind: 'shares_used_up'; cost: number; supportersMoney?: number; short?: number }
  /** Equal Shares: its supporters' shares together never covered its cost. */
  | { kind: 'shares_too_small'; cost: number; supportersMoney?: number; short?: number }
  | { kind: 'yes_passed'; yes?: number; no?: number }
  | { kind: 'quorum_not_met'; turnout: number; quorum: number; missing: number }
  | { kind: 'not_enough_yes'; threshold: { numerator: number; denominator: number }; strict: boolean; yes?: number; no?: number }
  /** Yes/no: passed, but it costs more than the pot. */
  | { kind: 'over_budget'; cost: number; budget: number };

/** What would have changed the outcome the way the reader voted (minimal, checked against the tally). */
export type Counterfactual =
  /** `amount` more support (votes, points or score) from anyone would have funded it; one fewer would not. */
  | { kind: 'more_support'; amount: number; unit: SupportUnit }
  /** Had it cost `by` less (whole kroner), it would have been funded. */
  | { kind: 'cheaper'; by: number }
  /** Yes/no: `votes` more yes votes would have passed it (the reader voted yes). */
  | { kind: 'more_yes'; votes: number }
  /** Yes/no: `votes` more no votes would have stopped it (the reader voted no). */
  | { kind: 'more_no'; votes: number };

export interface ProposalRef {
  proposalId: string;
  number: number;
  title: string;
}

export interface MyPick extends ProposalRef {
  cost: number;
  mine: Contribution;
  funded: boolean;
  /** Whether numbers about votes may be shown for this proposal (the small-group rule). */
  exact: boolean;
  reason: PickReason;
  /** What it would have taken, each on its own (more votes; or cheaper): none, one or both. */
  counterfactuals: Counterfactual[];
}

/** What the result would have been without the reader's ballot. */
export type WithoutMe =
  | { kind: 'same' }
  /** `gained`: funded (passed) with the reader's ballot, not without it; `lost`: the other way round. */
  | { kind: 'changed'; gained: ProposalRef[]; lost: ProposalRef[] }
  | { kind: 'unknown'; why: 'equal-shares' | 'small-group' | 'not-counted' | 'unavailable' };

export interface MyBallotExplanation {
  /** Whether the reader's receipt is among the counted ones; when not, there is nothing else to say. */
  counted: boolean;
  ballotType: ResultPayload['ballotType'];
  rule: ResultPayload['rule'];
  /** Counted ballots other than the reader's. */
  otherBallots: number;
  /** Fewer than {@link MIN_OTHER_BALLOTS} other ballots: no numbers about votes at all. */
  smallGroup: boolean;
  /** The reader's picks, in their ballot's order (ranked: by rank). */
  picks: MyPick[];
  /** Funded proposals the reader did not pick, in selection order. */
  alsoFunded: ProposalRef[];
  withoutMe: WithoutMe;
}

const ref = (p: ResultProposal): ProposalRef => ({ proposalId: p.proposalId, number: p.number, title: p.title });
const isYesNo = (e: ResultProposal['explanation']): e is YesNoExplanation => e.stage === 'yes-no';

/** Whole kroner (100 minor units), rounded up: "cheaper by" reads as people count money. */
const ceilKroner = (minor: number) => Math.ceil(minor / 100) * 100;

/** The other voters were not all of one mind about a proposal, and there are enough of them (see the module doc). */
function notPinned(others: number, othersFor: number): boolean {
  return others >= MIN_OTHER_BALLOTS && othersFor >= 1 && othersFor <= others - 1;
}

/** Each proposal's support (in the rule's unit) that the reader's own ballot gave it. */
function contributions(choice: StoredChoice, rules: BallotRules, proposals: number): Map<string, Contribution & { support: number }> {
  const out = new Map<string, Contribution & { support: number }>();
  switch (choice.type) {
    case 'approval':
    case 'knapsack':
      for (const id of choice.approved) out.set(id, { kind: 'vote', support: 1 });
      break;
    case 'cumulative':
      for (const [id, points] of choice.points) out.set(id, { kind: 'points', points, support: points });
      break;
    case 'ranked': {
      const scores = rankScores(rules, proposals);
      choice.ranking.forEach((id, i) => {
        const score = scores[i] ?? 0;
        out.set(id, { kind: 'rank', rank: i + 1, score, support: score });
      });
      break;
    }
    case 'yesno':
      out.set(choice.proposalId, { kind: 'yesno', vote: choice.vote, support: choice.vote === 'yes' ? 1 : 0 });
      break;
  }
  return out;
}

/**
 * The greedy rules on public numbers alone: the real tally on a stand-in profile (one weighted ballot per
 * proposal carrying its whole support), which greedy cannot tell from the real one — it ranks by support, then
 * cost, then list order, and looks at nothing else.
 */
class GreedyReplay {
  private readonly ids: string[];
  private readonly costs: number[];
  private readonly support: number[];
  constructor(
    private readonly payload: ResultPayload,
    private readonly method: TallyMethod,
  ) {
    this.ids = payload.proposals.map((p) => p.proposalId);
    this.costs = payload.proposals.map((p) => p.cost);
    this.support = payload.proposals.map((p) => (isYesNo(p.explanation) ? 0 : p.explanation.support));
  }

  /** Funded ids with some proposals' support or cost changed. */
  funded(change: { support?: ReadonlyMap<number, number>; cost?: ReadonlyMap<number, number> } = {}): Set<string> {
    const projects = this.ids.map((id, j) => ({ id, cost: change.cost?.get(j) ?? this.costs[j]! }));
    const ballots = this.ids.flatMap((id, j) => {
      const s = change.support?.get(j) ?? this.support[j]!;
      return s > 0 ? [{ points: [[id, s]] as [string, number][] }] : [];
    });
    const result = tally({ projects, budget: this.payload.budget, ballots: { type: 'cumulative', ballots } }, this.method);
    return new Set(result.selected);
  }

  /** Whether the replay gives the published selection (if not, it says nothing: a result of another version). */
  reproduces(): boolean {
    const got = this.funded();
    return got.size === this.payload.selected.length && this.payload.selected.every((id) => got.has(id));
  }

  /** Smallest k ≥ 1 such that k more support funds proposal j (funding only grows with support), or null. */
  moreSupport(j: number): number | null {
    const id = this.ids[j]!;
    const base = this.support[j]!;
    const funds = (k: number) => this.funded({ support: new Map([[j, base + k]]) }).has(id);
    // Ahead of every other proposal (and past any threshold) it comes first, when the whole pot is left.
    const threshold = this.method.rule === 'greedy-threshold' ? this.method.threshold : 0;
    let hi = Math.max(...this.support, threshold, 0) + 1;
    if (!funds(hi)) return null;
    let lo = 0; // funds(lo) is false: it was not funded as it was
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (funds(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /**
   * Largest cost below its own that funds proposal j (cheaper only moves it up among equal support, and fits
   * more easily), as "cheaper by" in whole kroner; null if even a cost of a krone would not do.
   */
  cheaperBy(j: number): number | null {
    const id = this.ids[j]!;
    const cost = this.costs[j]!;
    const funds = (c: number) => this.funded({ cost: new Map([[j, c]]) }).has(id);
    if (cost <= 100 || !funds(0)) return null;
    let lo = 0; // funds
    let hi = cost; // does not
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (funds(mid)) lo = mid;
      else hi = mid;
    }
    const by = ceilKroner(cost - lo);
    return by < cost ? by : null;
  }
}

/**
 * Equal Shares, a proposal whose supporters had spent their shares: had it cost at most what they still held at
 * the end, the method would have bought it (if it never did, the run would be the same to the end, where it is
 * affordable — but the method only ends when nothing is). That holds for the plain method and with the greedy
 * completion after it; the add1 completions re-run the method at other shares, so nothing is claimed there. One
 * øre is kept in hand against the rounding of the published amount, and the result rounded up to whole kroner.
 */
function equalSharesCheaper(payload: ResultPayload, e: ProjectExplanation): number | null {
  if (payload.completion !== 'none' && payload.completion !== 'greedy') return null;
  if (e.outcome !== 'shares_used_up' || e.supportersMoney === undefined || e.supportersMoney < 2) return null;
  const by = ceilKroner(e.cost - (e.supportersMoney - 1));
  return by < e.cost ? by : null;
}

function yesNoReason(e: YesNoExplanation, payload: ResultPayload, exact: boolean): PickReason {
  const counts = exact ? { yes: e.yes, no: e.no } : {};
  if (e.passed && !payload.selected.includes(e.projectId)) return { kind: 'over_budget', cost: e.cost, budget: payload.budget };
  switch (e.outcome) {
    case 'passed':
      return { kind: 'yes_passed', ...counts };
    case 'quorum_not_met':
      return { kind: 'quorum_not_met', turnout: e.turnout, quorum: e.quorum, missing: e.quorum - e.turnout };
    case 'not_enough_yes':
      return { kind: 'not_enough_yes', threshold: e.threshold, strict: e.strict, ...counts };
  }
}

/** Smallest k with `passes(k) === want`, when `passes` flips once as k grows (bounded search, then halving). */
function smallestFlip(passes: (k: number) => boolean, want: boolean, limit: number): number | null {
  if (passes(limit) !== want) return null;
  let lo = 0;
  let hi = limit;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid) === want) hi = mid;
    else lo = mid;
  }
  return hi;
}

function yesNoCounterfactual(e: YesNoExplanation, vote: 'yes' | 'no' | 'blank', payload: ResultPayload): Counterfactual | null {
  const rule = { quorum: e.quorum, threshold: e.threshold, strict: e.strict, blank: 'abstain' as const };
  const adopted = payload.selected.includes(e.projectId);
  const fits = e.cost <= payload.budget;
  // Enough extra votes always decide a share, unless the threshold cannot be met or missed at all.
  const limit = e.quorum + (e.threshold.numerator + 1) * (e.turnout + 1) * (e.threshold.denominator + 1);
  if (vote === 'yes' && !adopted && fits) {
    const k = smallestFlip((k) => tallyYesNo({ yes: e.yes + k, no: e.no, blank: e.blank }, rule).passed, true, limit);
    return k === null ? null : { kind: 'more_yes', votes: k };
  }
  if (vote === 'no' && adopted) {
    const k = smallestFlip((k) => tallyYesNo({ yes: e.yes, no: e.no + k, blank: e.blank }, rule).passed, false, limit);
    return k === null ? null : { kind: 'more_no', votes: k };
  }
  return null;
}

function greedyReason(e: ProjectExplanation, exact: boolean): PickReason {
  const support = exact ? { support: e.support } : {};
  switch (e.outcome) {
    case 'funded':
      return { kind: 'funded', stage: e.stage, unit: e.supportUnit, ...support };
    case 'not_enough_support':
      if (e.supportersMoney !== undefined) {
        return {
          kind: 'shares_too_small',
          cost: e.cost,
          ...(exact ? { supportersMoney: e.supportersMoney, short: e.cost - e.supportersMoney } : {}),
        };
      }
      return {
        kind: 'below_threshold',
        threshold: e.threshold ?? 0,
        unit: e.supportUnit,
        ...(exact ? { support: e.support, missing: Math.max(0, (e.threshold ?? 0) - e.support) } : {}),
      };
    case 'did_not_fit': {
      const moneyLeft = e.moneyLeft ?? 0;
      return {
        kind: 'did_not_fit',
        cost: e.cost,
        moneyLeft,
        short: e.cost - moneyLeft,
        stage: e.stage === 'completion' ? 'completion' : 'greedy',
      };
    }
    case 'not_reached':
      return { kind: 'not_reached' };
    case 'shares_used_up':
      return {
        kind: 'shares_used_up',
        cost: e.cost,
        ...(exact && e.supportersMoney !== undefined ? { supportersMoney: e.supportersMoney, short: e.cost - e.supportersMoney } : {}),
      };
  }
}

/** The reader's ballot against the published result; see the module doc for what it says and what it never does. */
export function explainMyBallot(input: MyBallotInput): MyBallotExplanation {
  const { result: payload, rules, choice } = input;
  const counted = payload.receipts.includes(input.receiptCode);
  const base = { ballotType: payload.ballotType, rule: payload.rule };
  const selected = new Set(payload.selected);
  const byId = new Map(payload.proposals.map((p, j) => [p.proposalId, { p, j }]));
  const alsoFundedExcept = (mine: ReadonlySet<string>) =>
    payload.selected.filter((id) => !mine.has(id)).flatMap((id) => (byId.has(id) ? [ref(byId.get(id)!.p)] : []));
  if (!counted) {
    return {
      counted,
      ...base,
      otherBallots: payload.ballotsCounted,
      smallGroup: false,
      picks: [],
      alsoFunded: alsoFundedExcept(new Set()),
      withoutMe: { kind: 'unknown', why: 'not-counted' },
    };
  }
  const others = payload.ballotsCounted - 1;
  const smallGroup = others < MIN_OTHER_BALLOTS;
  const mine = contributions(choice, rules, payload.proposals.length);
  const yesno = payload.rule === 'yes-no';
  const greedy = payload.rule === 'greedy' || payload.rule === 'greedy-no-skip' || payload.rule === 'greedy-threshold';
  const replay = greedy ? new GreedyReplay(payload, toTallyMethod(rules)) : null;
  const replayable = replay?.reproduces() ?? false;

  /** The small-group rule for one proposal (whether or not the reader picked it). */
  const exactFor = (p: ResultProposal): boolean => {
    const e = p.explanation;
    const c = mine.get(p.proposalId);
    if (isYesNo(e)) {
      const vote = c?.kind === 'yesno' ? c.vote : undefined;
      return notPinned(others, e.yes - (vote === 'yes' ? 1 : 0)) && notPinned(others, e.no - (vote === 'no' ? 1 : 0));
    }
    return notPinned(others, e.voters - (c && c.support > 0 ? 1 : 0));
  };

  const picks: MyPick[] = [];
  for (const [id, contribution] of mine) {
    const found = byId.get(id);
    if (!found) continue; // not on the ballot (cannot happen: the list is frozen while voting)
    const { p, j } = found;
    const e = p.explanation;
    const exact = exactFor(p);
    const { support: _support, ...own } = contribution;
    let reason: PickReason;
    const counterfactuals: Counterfactual[] = [];
    if (isYesNo(e)) {
      reason = yesNoReason(e, payload, exact);
      const flip = exact && contribution.kind === 'yesno' ? yesNoCounterfactual(e, contribution.vote, payload) : null;
      if (flip) counterfactuals.push(flip);
    } else {
      reason = greedyReason(e, exact);
      if (!p.selected && replay && replayable && e.stage === 'greedy') {
        const more = exact ? replay.moreSupport(j) : null;
        const cheaper = replay.cheaperBy(j);
        if (more !== null) counterfactuals.push({ kind: 'more_support', amount: more, unit: e.supportUnit });
        if (cheaper !== null) counterfactuals.push({ kind: 'cheaper', by: cheaper });
      } else if (!p.selected && payload.rule === 'equal-shares' && exact) {
        const by = equalSharesCheaper(payload, e);
        if (by !== null) counterfactuals.push({ kind: 'cheaper', by });
      }
    }
    picks.push({ ...ref(p), cost: p.cost, mine: own as Contribution, funded: selected.has(id), exact, reason, counterfactuals });
  }
  // Ranked ballots keep their order; others go in number order.
  if (choice.type !== 'ranked') picks.sort((a, b) => a.number - b.number);

  return {
    counted,
    ...base,
    otherBallots: others,
    smallGroup,
    picks,
    alsoFunded: alsoFundedExcept(new Set(mine.keys())),
    withoutMe: withoutMe(),
  };

  function withoutMe(): WithoutMe {
    if (payload.rule === 'equal-shares') return { kind: 'unknown', why: 'equal-shares' };
    if (smallGroup) return { kind: 'unknown', why: 'small-group' };
    let funded: Set<string>;
    if (yesno) {
      const only = payload.proposals[0];
      const e = only?.explanation;
      if (!only || !e || !isYesNo(e) || choice.type !== 'yesno') return { kind: 'unknown', why: 'unavailable' };
      const less = (v: 'yes' | 'no' | 'blank') => (choice.vote === v ? 1 : 0);
      const r = tallyYesNo(
        { yes: e.yes - less('yes'), no: e.no - less('no'), blank: e.blank - less('blank') },
        { quorum: e.quorum, threshold: e.threshold, strict: e.strict, blank: 'abstain' },
      );
      funded = new Set(r.passed && e.cost <= payload.budget ? [only.proposalId] : []);
    } else {
      if (!replay || !replayable) return { kind: 'unknown', why: 'unavailable' };
      const support = new Map<number, number>();
      for (const [id, c] of mine) {
        const found = byId.get(id);
        if (found && !isYesNo(found.p.explanation)) support.set(found.j, found.p.explanation.support - c.support);
      }
      funded = replay.funded({ support });
    }
    const gained = payload.proposals.filter((p) => selected.has(p.proposalId) && !funded.has(p.proposalId));
    const lost = payload.proposals.filter((p) => !selected.has(p.proposalId) && funded.has(p.proposalId));
    // Saying whether one's own ballot decided something is a margin too: only where numbers may be shown.
    const concerned = [...gained, ...lost, ...payload.proposals.filter((p) => mine.has(p.proposalId))];
    if (!concerned.every(exactFor)) return { kind: 'unknown', why: 'small-group' };
    if (!gained.length && !lost.length) return { kind: 'same' };
    return { kind: 'changed', gained: gained.map(ref), lost: lost.map(ref) };
  }
}
