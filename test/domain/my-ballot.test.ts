import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredChoice } from '../../src/domain/ballot-choice.ts';
import { explainMyBallot, MIN_OTHER_BALLOTS, type MyBallotExplanation } from '../../src/domain/my-ballot.ts';
import { computeOutcome, type OutcomeInput, type OutcomeProposal } from '../../src/domain/outcome.ts';
import { createSettingsSchema, settingsForNewRound, type BallotRules } from '../../src/domain/round-config.ts';

/**
 * The personal explanation's claims, checked by re-running the real count with the change each claim names: "k
 * more votes would have funded it" (and k − 1 would not), "X kr. cheaper would have funded it", "without your
 * ballot …", on random small elections of every ballot type and rule. Deterministic: fixed seeds.
 */

interface Election {
  rules: BallotRules;
  amount: number;
  proposals: OutcomeProposal[];
  ballots: StoredChoice[];
}

const outcomeInput = (e: Election): OutcomeInput => ({
  rules: e.rules,
  amount: e.amount,
  currency: 'DKK',
  proposals: e.proposals,
  ballots: e.ballots.map((choice, i) => ({ choice, receiptCode: `R${String(i).padStart(3, '0')}` })),
});
const count = (e: Election) => computeOutcome(outcomeInput(e));
const funded = (e: Election, id: string) => count(e).selected.includes(id);

function rulesFor(settings: Record<string, unknown>): BallotRules {
  return settingsForNewRound(createSettingsSchema.parse({ title: 'Test', amount: 1, ...settings }));
}

/** Costs in kroner, now and then with 50 øre, never above the pot (as submitting enforces). */
const arbCosts = (amount: number) =>
  fc.array(
    fc.tuple(fc.integer({ min: 1, max: amount / 100 }), fc.boolean()).map(([kr, half]) => Math.min(amount, kr * 100 + (half ? 50 : 0))),
    { minLength: 1, maxLength: 6 },
  );
const proposalsOf = (costs: number[]): OutcomeProposal[] =>
  costs.map((cost, i) => ({ id: `p${i + 1}`, number: i + 1, title: `Idé ${i + 1}`, cost }));

const arbApprovalOrPoints = fc
  .record({
    ballotType: fc.constantFrom('approval' as const, 'knapsack' as const, 'cumulative' as const),
    rule: fc.constantFrom('greedy' as const, 'greedy-no-skip' as const, 'greedy-threshold' as const, 'equal-shares' as const),
    completion: fc.constantFrom('none' as const, 'greedy' as const, 'add1' as const, 'add1-exhaustive' as const),
    minSupport: fc.integer({ min: 1, max: 5 }),
    amount: fc.integer({ min: 20, max: 120 }).map((kr) => kr * 100),
  })
  .chain((s) =>
    arbCosts(s.amount).chain((costs) => {
      const ids = costs.map((_, i) => `p${i + 1}`);
      const ballot: fc.Arbitrary<StoredChoice> =
        s.ballotType === 'cumulative'
          ? fc
              .array(fc.integer({ min: 0, max: 3 }), { minLength: ids.length, maxLength: ids.length })
              .filter((pts) => pts.some((x) => x > 0))
              .map((pts) => ({
                type: 'cumulative',
                points: ids.flatMap((id, j) => (pts[j]! > 0 ? [[id, pts[j]!] as [string, number]] : [])),
              }))
          : fc.subarray(ids, { minLength: 1 }).map((approved) => ({ type: s.ballotType as 'approval' | 'knapsack', approved }));
      return fc.array(ballot, { minLength: 1, maxLength: 11 }).map(
        (ballots): Election => ({
          rules: rulesFor({
            amount: s.amount,
            ballotType: s.ballotType,
            rule: s.rule,
            ...(s.rule === 'equal-shares' ? { completion: s.completion } : {}),
            ...(s.rule === 'greedy-threshold' ? { minSupport: s.minSupport } : {}),
            ...(s.ballotType === 'cumulative' ? { points: 18 } : {}),
          }),
          amount: s.amount,
          proposals: proposalsOf(costs),
          ballots,
        }),
      );
    }),
  );

const arbRanked = fc
  .record({
    rule: fc.constantFrom('greedy' as const, 'greedy-no-skip' as const, 'greedy-threshold' as const),
    minSupport: fc.integer({ min: 1, max: 8 }),
    amount: fc.integer({ min: 20, max: 120 }).map((kr) => kr * 100),
  })
  .chain((s) =>
    arbCosts(s.amount).chain((costs) => {
      const ids = costs.map((_, i) => `p${i + 1}`);
      return fc.integer({ min: 1, max: ids.length }).chain((places) =>
        fc
          .array(
            fc.shuffledSubarray(ids, { minLength: 1, maxLength: places }).map((ranking): StoredChoice => ({ type: 'ranked', ranking })),
            { minLength: 1, maxLength: 11 },
          )
          .map(
            (ballots): Election => ({
              rules: rulesFor({
                amount: s.amount,
                ballotType: 'ranked',
                rule: s.rule,
                maxPicks: places,
                ...(s.rule === 'greedy-threshold' ? { minSupport: s.minSupport } : {}),
              }),
              amount: s.amount,
              proposals: proposalsOf(costs),
              ballots,
            }),
          ),
      );
    }),
  );

const arbYesNo = fc
  .record({
    quorum: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    threshold: fc.constantFrom([1, 2, true], [1, 2, false], [2, 3, false], [3, 5, true], [1, 1, false]),
    votes: fc.array(fc.constantFrom('yes' as const, 'no' as const, 'blank' as const), { minLength: 1, maxLength: 14 }),
  })
  .map(({ quorum, threshold: [num, den, strict], votes }): Election => {
    const amount = 10_000_00;
    return {
      rules: rulesFor({
        amount,
        ballotType: 'yesno',
        rule: 'yes-no',
        thresholdNum: num,
        thresholdDen: den,
        thresholdStrict: strict,
        ...(quorum ? { quorum } : {}),
      }),
      amount,
      proposals: [{ id: 'p1', number: 1, title: 'Idé 1', cost: 4_000_00 }],
      ballots: votes.map((vote) => ({ type: 'yesno', proposalId: 'p1', vote })),
    };
  });

/** Extra ballots that add exactly `k` support to `id` and nothing that could move money (ranked: free stand-ins). */
function withMoreSupport(e: Election, id: string, k: number): Election {
  const extra: StoredChoice[] = [];
  const proposals = [...e.proposals];
  switch (e.rules.ballotType) {
    case 'approval':
    case 'knapsack':
      for (let i = 0; i < k; i++) extra.push({ type: e.rules.ballotType, approved: [id] });
      break;
    case 'cumulative':
      extra.push({ type: 'cumulative', points: [[id, k]] });
      break;
    case 'ranked': {
      // Scores L, L−1, …, 1: first place on q ballots, and place L − r + 1 behind cost-free stand-ins for the rest.
      const L = e.rules.maxPicks!;
      const q = Math.floor(k / L);
      const r = k % L;
      for (let i = 0; i < q; i++) extra.push({ type: 'ranked', ranking: [id] });
      if (r > 0) {
        const standIns = Array.from({ length: L - r }, (_, i) => ({
          id: `d${i + 1}`,
          number: 100 + i,
          title: `Stand-in ${i + 1}`,
          cost: 0,
        }));
        proposals.push(...standIns);
        extra.push({ type: 'ranked', ranking: [...standIns.map((s) => s.id), id] });
      }
      break;
    }
    case 'yesno':
      throw new Error('not for yes/no');
  }
  return { ...e, proposals, ballots: [...e.ballots, ...extra] };
}

const withCost = (e: Election, id: string, cost: number): Election => ({
  ...e,
  proposals: e.proposals.map((p) => (p.id === id ? { ...p, cost } : p)),
});

const withVotes = (e: Election, vote: 'yes' | 'no', k: number): Election => ({
  ...e,
  ballots: [...e.ballots, ...Array.from({ length: k }, (): StoredChoice => ({ type: 'yesno', proposalId: 'p1', vote }))],
});

/** How many ballots other than ballot `reader` support `id` (the small-group rule's count, from the ballots themselves). */
function othersFor(e: Election, reader: number, id: string, vote?: 'yes' | 'no'): number {
  return e.ballots.filter((b, i) => {
    if (i === reader) return false;
    switch (b.type) {
      case 'approval':
      case 'knapsack':
        return b.approved.includes(id);
      case 'cumulative':
        return b.points.some(([x]) => x === id);
      case 'ranked':
        return b.ranking.includes(id);
      case 'yesno':
        return b.vote === vote;
    }
  }).length;
}

/** Everything the explanation for ballot `reader` claims, checked by counting again. */
function checkReader(e: Election, reader: number): MyBallotExplanation {
  const payload = count(e);
  const x = explainMyBallot({
    result: payload,
    rules: e.rules,
    choice: e.ballots[reader]!,
    receiptCode: `R${String(reader).padStart(3, '0')}`,
  });
  expect(x.counted).toBe(true);
  const others = e.ballots.length - 1;
  expect(x.otherBallots).toBe(others);
  expect(x.smallGroup).toBe(others < MIN_OTHER_BALLOTS);

  for (const pick of x.picks) {
    const { proposalId: id } = pick;
    expect(pick.funded).toBe(payload.selected.includes(id));
    // The small-group rule, recomputed from the ballots: numbers only when the others were not all of one mind.
    const ok = (n: number) => others >= MIN_OTHER_BALLOTS && n >= 1 && n <= others - 1;
    const exact =
      e.rules.ballotType === 'yesno'
        ? ok(othersFor(e, reader, id, 'yes')) && ok(othersFor(e, reader, id, 'no'))
        : ok(othersFor(e, reader, id));
    expect(pick.exact, `exact for ${id}`).toBe(exact);
    if (!pick.exact) {
      for (const field of ['support', 'supportersMoney', 'yes', 'no'])
        expect(pick.reason, `${field} withheld for ${id}`).not.toHaveProperty(field);
      // A quorum's shortfall counts ballots handed in, not what anyone chose: it stays.
      if (pick.reason.kind === 'below_threshold') expect(pick.reason).not.toHaveProperty('missing');
      if (pick.reason.kind === 'shares_used_up' || pick.reason.kind === 'shares_too_small') expect(pick.reason).not.toHaveProperty('short');
      for (const cf of pick.counterfactuals) expect(['more_support', 'more_yes', 'more_no']).not.toContain(cf.kind);
      if (e.rules.rule === 'equal-shares') expect(pick.counterfactuals).toEqual([]);
    }

    for (const cf of pick.counterfactuals) {
      expect(pick.funded).toBe(cf.kind === 'more_no');
      switch (cf.kind) {
        case 'more_support':
          expect(cf.amount).toBeGreaterThanOrEqual(1);
          expect(funded(withMoreSupport(e, id, cf.amount), id), `${cf.amount} more funds ${id}`).toBe(true);
          if (cf.amount > 1)
            expect(funded(withMoreSupport(e, id, cf.amount - 1), id), `${cf.amount - 1} more does not fund ${id}`).toBe(false);
          break;
        case 'cheaper':
          expect(cf.by % 100).toBe(0);
          expect(cf.by).toBeLessThan(pick.cost);
          expect(funded(withCost(e, id, pick.cost - cf.by), id), `${cf.by} cheaper funds ${id}`).toBe(true);
          // Greedy: the least whole-krone saving that would have done.
          if (e.rules.rule !== 'equal-shares' && cf.by > 100) expect(funded(withCost(e, id, pick.cost - cf.by + 100), id)).toBe(false);
          break;
        case 'more_yes':
        case 'more_no': {
          const vote = cf.kind === 'more_yes' ? 'yes' : 'no';
          expect(funded(withVotes(e, vote, cf.votes), id)).toBe(cf.kind === 'more_yes');
          if (cf.votes > 1) expect(funded(withVotes(e, vote, cf.votes - 1), id)).toBe(cf.kind !== 'more_yes');
          break;
        }
      }
    }

    // The reason agrees with the tally's own explanation of the proposal.
    const explained = payload.proposals.find((p) => p.proposalId === id)!.explanation;
    if (explained.stage !== 'yes-no') {
      const expected = {
        funded: ['funded'],
        not_enough_support: ['below_threshold', 'shares_too_small'],
        did_not_fit: ['did_not_fit'],
        not_reached: ['not_reached'],
        shares_used_up: ['shares_used_up'],
      }[explained.outcome];
      expect(expected).toContain(pick.reason.kind);
      if (pick.reason.kind === 'did_not_fit') expect(pick.reason.short).toBe(explained.cost - (explained.moneyLeft ?? 0));
      if (pick.reason.kind === 'below_threshold' && pick.reason.missing !== undefined)
        expect(pick.reason.missing).toBe((explained.threshold ?? 0) - explained.support);
    }
  }

  // Without the reader's ballot: exactly the claimed changes.
  if (x.withoutMe.kind === 'same' || x.withoutMe.kind === 'changed') {
    const without = count({ ...e, ballots: e.ballots.filter((_, i) => i !== reader) });
    const now = new Set(payload.selected);
    const then = new Set(without.selected);
    const gained = x.withoutMe.kind === 'changed' ? x.withoutMe.gained.map((p) => p.proposalId) : [];
    const lost = x.withoutMe.kind === 'changed' ? x.withoutMe.lost.map((p) => p.proposalId) : [];
    expect(gained.sort()).toEqual([...now].filter((id) => !then.has(id)).sort());
    expect(lost.sort()).toEqual([...then].filter((id) => !now.has(id)).sort());
  } else {
    expect(x.withoutMe.why).toBe(e.rules.rule === 'equal-shares' ? 'equal-shares' : 'small-group');
  }
  return x;
}

function checkElection(e: Election): MyBallotExplanation[] {
  return e.ballots.map((_, reader) => checkReader(e, reader));
}

describe("a voter's own ballot against the result, checked by counting again", () => {
  it('approval, knapsack and cumulative ballots, every rule and completion (400 elections)', () => {
    let counterfactuals = 0;
    fc.assert(
      fc.property(arbApprovalOrPoints, (e) => {
        for (const x of checkElection(e)) for (const p of x.picks) counterfactuals += p.counterfactuals.length;
      }),
      { seed: 16_01, numRuns: 400 },
    );
    // The claims were really exercised, not vacuously true.
    expect(counterfactuals).toBeGreaterThan(200);
  });

  it('ranked ballots, the greedy rules (300 elections)', () => {
    let more = 0;
    fc.assert(
      fc.property(arbRanked, (e) => {
        for (const x of checkElection(e))
          for (const p of x.picks) more += p.counterfactuals.filter((c) => c.kind === 'more_support').length;
      }),
      { seed: 16_02, numRuns: 300 },
    );
    expect(more).toBeGreaterThan(30);
  });

  it('yes/no with quorum and threshold (400 elections)', () => {
    let flips = 0;
    fc.assert(
      fc.property(arbYesNo, (e) => {
        for (const x of checkElection(e)) for (const p of x.picks) flips += p.counterfactuals.length;
      }),
      { seed: 16_03, numRuns: 400 },
    );
    expect(flips).toBeGreaterThan(50);
  });
});

describe('what a personal explanation says, by example', () => {
  const approve = (...numbers: number[]): StoredChoice => ({ type: 'approval', approved: numbers.map((n) => `p${n}`) });
  const election = (settings: Record<string, unknown>, costs: number[], ballots: StoredChoice[]): Election => ({
    rules: rulesFor({ amount: 10_000_00, ballotType: 'approval', rule: 'greedy', ...settings }),
    amount: 10_000_00,
    proposals: proposalsOf(costs),
    ballots,
  });

  it('greedy: funded, did not fit by a sum of money, and how many more votes it needed', () => {
    // Support: #1 6, #2 4, #3 3 (of 7 ballots). #1 (6.000) and #2 (3.000) are funded; #3 (2.000) gets 1.000 kr.
    const e = election(
      {},
      [6_000_00, 3_000_00, 2_000_00],
      [approve(1, 3), approve(1, 2), approve(1, 2, 3), approve(1), approve(1, 2), approve(1, 3), approve(2)],
    );
    const x = checkReader(e, 0);
    expect(x.smallGroup).toBe(false);
    expect(x.picks.map((p) => [p.number, p.funded, p.reason.kind])).toEqual([
      [1, true, 'funded'],
      [3, false, 'did_not_fit'],
    ]);
    expect(x.picks[0]!.reason).toMatchObject({ support: 6 });
    expect(x.picks[1]!.reason).toMatchObject({ cost: 2_000_00, moneyLeft: 1_000_00, short: 1_000_00 });
    // One more vote ties #3 with #2 (4 each); the cheaper goes first, so #3 is bought before #2, and fits.
    // Or 1.000 kr. cheaper: it would have fitted in what was left.
    expect(x.picks[1]!.counterfactuals).toEqual([
      { kind: 'more_support', amount: 1, unit: 'votes' },
      { kind: 'cheaper', by: 1_000_00 },
    ]);
    expect(x.alsoFunded.map((p) => p.number)).toEqual([2]);
    expect(x.withoutMe).toEqual({ kind: 'same' });
  });

  it('greedy-threshold: short of the minimum, and the minimum plus fitting', () => {
    const e = election(
      { rule: 'greedy-threshold', minSupport: 4 },
      [2_000_00, 9_000_00],
      [approve(1, 2), approve(1), approve(2), approve(1), approve(1), approve(2)],
    );
    // #1 4 votes, funded; #2 3 votes, below 4.
    const x = checkReader(e, 0);
    expect(x.picks[1]!.reason).toEqual({ kind: 'below_threshold', threshold: 4, unit: 'votes', support: 3, missing: 1 });
    // One more vote reaches the minimum, but 9.000 kr. would not fit after #1; two more put it first.
    // Cheaper alone cannot help: below the minimum, it is out whatever it costs.
    expect(x.picks[1]!.counterfactuals).toEqual([{ kind: 'more_support', amount: 2, unit: 'votes' }]);
    // Without this ballot, #1 falls below the minimum too.
    expect(x.withoutMe).toEqual({ kind: 'changed', gained: [{ proposalId: 'p1', number: 1, title: 'Idé 1' }], lost: [] });
  });

  it('in a small group, no numbers about votes: the reason in words and money only', () => {
    // Two votes each: the cheapest go first, #3 and #2; #1 (6.000) then finds 5.000 kr. left.
    const e = election({}, [6_000_00, 3_000_00, 2_000_00], [approve(1, 3), approve(1, 2), approve(2, 3)]);
    const x = checkReader(e, 0);
    expect(x.smallGroup).toBe(true);
    expect(x.picks.every((p) => !p.exact)).toBe(true);
    // Money is fine to show, and "cheaper" instead of "more votes".
    expect(x.picks[0]!.reason).toEqual({ kind: 'did_not_fit', cost: 6_000_00, moneyLeft: 5_000_00, short: 1_000_00, stage: 'greedy' });
    expect(x.picks[0]!.counterfactuals).toEqual([{ kind: 'cheaper', by: 1_000_00 }]);
    expect(x.picks[1]!.reason).toEqual({ kind: 'funded', stage: 'greedy', unit: 'votes' });
    expect(x.withoutMe).toEqual({ kind: 'unknown', why: 'small-group' });
  });

  it('a proposal the other voters were unanimous about gets no numbers, even in a big group', () => {
    // Everyone but the reader voted for #2: its count would tell the reader what each of them chose.
    const e = election({}, [6_000_00, 3_000_00], [approve(1, 2), approve(2), approve(2), approve(1, 2), approve(2), approve(2)]);
    const x = checkReader(e, 3);
    expect(x.picks.map((p) => [p.number, p.exact])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(x.picks[1]!.reason).not.toHaveProperty('support');
  });

  it('says the same to two voters whose groups differ only in who chose what, as long as the totals agree', () => {
    // The other ballots are swapped around between people; every total stays as it was.
    const a = election(
      {},
      [6_000_00, 3_000_00, 2_000_00],
      [approve(1, 3), approve(1, 2), approve(3), approve(1), approve(2, 3), approve(1)],
    );
    const b = election(
      {},
      [6_000_00, 3_000_00, 2_000_00],
      [approve(1, 3), approve(1), approve(2, 3), approve(1, 2), approve(3), approve(1)],
    );
    const strip = (x: MyBallotExplanation) => JSON.stringify(x);
    expect(count(a).proposals).toEqual(count(b).proposals);
    expect(strip(checkReader(a, 0))).toBe(strip(checkReader(b, 0)));
  });

  it('equal shares: shares used up, and cheaper only where the method guarantees it', () => {
    // #1 (8.000) is backed by all six; #2 (3.000) by three of them, who spent their share on #1.
    const ballots = [approve(1, 2), approve(1, 2), approve(1, 2), approve(1), approve(1), approve(1)];
    const plain = checkReader(election({ rule: 'equal-shares', completion: 'none' }, [8_000_00, 3_000_00], ballots), 0);
    expect(plain.picks[1]!.reason).toMatchObject({ kind: 'shares_used_up', cost: 3_000_00 });
    expect(plain.picks[1]!.counterfactuals.map((c) => c.kind)).toEqual(['cheaper']);
    expect(plain.withoutMe).toEqual({ kind: 'unknown', why: 'equal-shares' });
    const add1 = checkReader(election({ rule: 'equal-shares', completion: 'add1' }, [8_000_00, 3_000_00], ballots), 0);
    expect(add1.picks[1]!.counterfactuals).toEqual([]);
  });

  it('yes/no: a yes voter whose proposal failed hears how many more yes votes it needed', () => {
    const yn = (vote: 'yes' | 'no' | 'blank'): StoredChoice => ({ type: 'yesno', proposalId: 'p1', vote });
    const e: Election = {
      rules: rulesFor({ amount: 10_000_00, ballotType: 'yesno', rule: 'yes-no' }),
      amount: 10_000_00,
      proposals: [{ id: 'p1', number: 1, title: 'Idé 1', cost: 4_000_00 }],
      ballots: [yn('yes'), yn('yes'), yn('no'), yn('no'), yn('no'), yn('yes'), yn('no')],
    };
    const x = checkReader(e, 0);
    expect(x.picks[0]).toMatchObject({
      funded: false,
      reason: { kind: 'not_enough_yes', yes: 3, no: 4 },
      counterfactuals: [{ kind: 'more_yes', votes: 2 }],
    });
    const no = checkReader(e, 2);
    expect(no.picks[0]!.counterfactuals).toEqual([]);
    // Without that no, 3 yes against 3 no: a tie, still not more than half.
    expect(no.withoutMe).toEqual({ kind: 'same' });
  });

  it('a ballot that was not counted gets nothing but that', () => {
    const e = election({}, [6_000_00], [approve(1), approve(1)]);
    const x = explainMyBallot({ result: count(e), rules: e.rules, choice: approve(1), receiptCode: 'NOT-COUNTED' });
    expect(x).toMatchObject({ counted: false, picks: [], withoutMe: { kind: 'unknown', why: 'not-counted' } });
  });
});
