import { compareFractions, fractionToNumber } from './exact.ts';
import { groupBallots, localityOrder } from './groups.ts';
import type { Prepared } from './prepare.ts';
import { TallyInputError } from './types.ts';

/**
 * Method of Equal Shares (MES) for approval ballots with cost utilities and cumulative ballots
 * with cardinal utilities (a voter's points are her utility).
 *
 * Every voter starts with the same share b₀ of the budget. In each round, for every project j
 * not yet chosen, ρⱼ is the smallest number such that the supporters, each paying
 * min(own money, ρⱼ·uᵢⱼ), together pay exactly its cost (uᵢⱼ = cost for approval, points for
 * cumulative). The project with the smallest ρ is bought; ties go to the lower cost, then more
 * voters, then the earlier project. The method ends when no project is affordable.
 *
 * ## Exactness
 *
 * Voters' money is tracked in float64 for speed, but no float comparison ever decides an
 * outcome on its own:
 * - every ρ chosen so far is kept exactly as a BigInt fraction over a common denominator D
 *   (each voter's money is b₀ − Σ ρᵢ·uᵢ over the projects she paid a capped share of, or 0 once
 *   she paid everything), and the float copy is re-rounded from the exact value;
 * - each float result carries a rigorous error bound (from the bounded error of the voters'
 *   float money and of the sums); a comparison whose operands are closer than their bounds is
 *   redone exactly, with BigInt cross-multiplication. Exact ties are therefore recognised as ties
 *   and go to the documented tie-break, never to rounding noise.
 *
 * ## Speed
 *
 * Identical ballots are merged into weighted groups (they hold the same money throughout).
 * ρⱼ never decreases within a run (money only goes down), so a project's last ρ is a lower bound
 * and only the most promising projects are re-evaluated each round (lazy evaluation). All buffers
 * are typed arrays allocated once per election and reused by every run of the add1 scan.
 */

const UNIT = 2 ** -53;
const UNAFFORDABLE = 0;
const CERTIFIED = 1;
const UNCERTAIN = 2;
/** Float-only evaluation: the one-pass shortcut did not hold, evaluate again over every supporter. */
const RETRY = 3;
/** Float-only evaluation: first pass scratch band up to this multiple of the floor. */
const FIRST_CEILING = 1.5;
/** Safety factor on all error bounds. */
const SAFETY = 2;
/** Factor on error bounds carried over from earlier ones (covers the rounding of the bound's own arithmetic). */
const PROPAGATION = 1 + 2 ** -30;
/** Float money of a voter group that has paid everything (its exact money is 0). */
const ZERO = -Infinity;

export interface MesRun {
  /** Per-voter budget as an exact fraction. */
  readonly b0num: bigint;
  readonly b0den: bigint;
  /** Project indices in selection order. */
  readonly selected: readonly number[];
  readonly cost: number;
  /** For each selected project (same order): the largest single payment, minor units. */
  readonly maxPayment: readonly number[];
}

interface ExactRho {
  /** ρ = num / (D · fac), D the run's common denominator at the time. */
  num: bigint;
  fac: bigint;
}

export class MesInstance {
  readonly m: number;
  private readonly costs: Float64Array;
  readonly voters: Float64Array;
  readonly nVoters: number;
  private readonly nGroups: number;
  private readonly gWeight: Float64Array;
  private readonly pStart: Int32Array;
  /**
   * End of the live part of project j's supporter list in this run: supporters who have paid
   * everything are swapped behind it as they are met (their money is 0 for good).
   */
  private readonly pLive: Int32Array;
  /** Pristine supporter lists, copied back at the start of every run. */
  private readonly pGroup0: Int32Array;
  private readonly pUtil0: Float64Array;
  private readonly pW0: Float64Array;
  private readonly pGroup: Int32Array;
  private readonly pUtil: Float64Array;
  /** Weight of the group of each entry (a copy of gWeight[pGroup[k]] for sequential reads). */
  private readonly pW: Float64Array;

  // Per-run state, reused.
  private readonly budget: Float64Array;
  /**
   * Payment history: group g's capped payments in this run are hProj/hUtil[hBase[g] .. hBase[g] +
   * hLen[g] − 1] (a group pays at most once per project on its ballot, so its slots are its ballot
   * length; contiguous for cache-friendly walks).
   */
  private readonly hBase: Int32Array;
  private readonly hLen: Int32Array;
  private readonly hProj: Int32Array;
  private readonly hUtil: Float64Array;
  private readonly active: Uint8Array;
  private readonly lb: Float64Array;
  private readonly freshRound: Int32Array;
  private readonly status: Uint8Array;
  private readonly rhoF: Float64Array;
  private readonly ucap: Float64Array;
  /** Divisor turning a price into the ρ that is compared: the cost for approval, 1 for cumulative. */
  private readonly scale: Float64Array;
  private readonly exact: (ExactRho | undefined)[];
  private readonly alpha: Float64Array;
  private readonly touched: Int32Array;
  private readonly flags: Uint8Array;
  private readonly sb: Float64Array;
  private readonly sw: Float64Array;
  private readonly su: Float64Array;
  private b0f = 0;
  private errB = 0;
  private D = 1n;
  private b0D = 0n;
  private readonly M: bigint[];
  private evRho = 0;
  private evErr = 0;
  private evUcap = 0;
  /** True until the first purchase of a run: everyone holds exactly b₀. */
  private uniform = true;
  private b0num = 0n;
  private b0den = 1n;
  private readonly approval: boolean;

  /** Float-only runs: whether group g has paid anything in this run (its money is then below b₀). */
  private readonly gTouched: Uint8Array;
  /** Σ w·u over all supporters of each project (a floor for its price: c / uAll0). */
  private readonly uAll0: Float64Array;
  /** Largest utility among each project's supporters (1 for approval). */
  private readonly uMax: Float64Array;
  /**
   * Float-only runs: a bound on |float − exact| of each group's money, and the largest of them. Kept
   * per group because error mass is conserved: the capped voters' errors move into the price the others
   * pay, while the capped voters' money becomes exactly 0, so the bounds do not compound.
   */
  private maxE = 0;
  /** Float-only runs: per group g, fm[3g] its money (exactly 0 once spent), fm[3g+1] its error bound, fm[3g+2] its weight. */
  private readonly fm: Float64Array;
  /** Float-only runs: supporter lists (and utilities) of this run, spent groups dropped up to fLive[j]. */
  private readonly fList: Int32Array;
  private readonly fUtil: Float64Array;
  private readonly fLive: Int32Array;
  private readonly se: Float64Array;
  /** Float-only evaluation known exactly: ρ (as compared) = evExNum / evExDen (integers), else evExDen = 0. */
  private evExNum = 0;
  private evExDen = 0;
  private readonly exNum: Float64Array;
  /** Float-only runs: the error bound of each project's last price. */
  private readonly priceErr: Float64Array;
  private readonly exDen: Float64Array;

  /**
   * Counters for tests and benchmarks: how often a decision needed exact arithmetic, how many runs were
   * certified by floats alone and how many had to be replayed exactly.
   */
  readonly stats = { evaluations: 0, exactEvaluations: 0, exactComparisons: 0, floatRuns: 0, exactReplays: 0 };

  constructor(p: Prepared) {
    this.m = p.m;
    this.costs = p.costs;
    this.nVoters = p.nVoters;
    this.approval = p.type === 'approval';

    // Merge identical ballots (ranked ones by their MES utilities, see ordinalUtilities).
    const groups = localityOrder(groupBallots(p, p.type === 'ordinal' ? ordinalUtilities(p) : p.entryValue), p.m);
    const G = groups.count;
    this.nGroups = G;
    this.gWeight = groups.weight;

    const m = p.m;
    const count = new Int32Array(m + 1);
    for (let x = 0; x < groups.project.length; x++) count[groups.project[x]! + 1]!++;
    for (let j = 0; j < m; j++) count[j + 1]! += count[j]!;
    this.pStart = count.slice();
    const H = count[m]!;
    this.pGroup = new Int32Array(H);
    this.pUtil = new Float64Array(H);
    this.pW = new Float64Array(H);
    const fill = count.slice(0, m);
    for (let g = 0; g < G; g++) {
      for (let x = groups.start[g]!; x < groups.start[g + 1]!; x++) {
        const j = groups.project[x]!;
        const k = fill[j]!++;
        this.pGroup[k] = g;
        this.pW[k] = this.gWeight[g]!;
        this.pUtil[k] = p.type === 'approval' ? 1 : groups.value[x]!;
      }
    }
    this.voters = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let total = 0;
      for (let k = this.pStart[j]!; k < this.pStart[j + 1]!; k++) {
        total += this.gWeight[this.pGroup[k]!]! * this.pUtil[k]!;
        this.voters[j]! += this.gWeight[this.pGroup[k]!]!;
      }
      if (!Number.isSafeInteger(total)) {
        throw new TallyInputError(`project ${JSON.stringify(p.ids[j])}: support times cost is too large for exact tallying`);
      }
    }

    this.pLive = new Int32Array(m);
    this.pGroup0 = this.pGroup.slice();
    this.pUtil0 = this.pUtil.slice();
    this.pW0 = this.pW.slice();
    this.budget = new Float64Array(G);
    this.hBase = groups.start.slice(0, G);
    this.hLen = new Int32Array(G);
    this.hProj = new Int32Array(H);
    this.hUtil = new Float64Array(H);
    this.active = new Uint8Array(m);
    this.lb = new Float64Array(m);
    this.freshRound = new Int32Array(m);
    this.status = new Uint8Array(m);
    this.rhoF = new Float64Array(m);
    this.ucap = new Float64Array(m);
    this.scale = new Float64Array(m);
    for (let j = 0; j < m; j++) this.scale[j] = p.type === 'approval' && p.costs[j]! > 0 ? p.costs[j]! : 1;
    this.exact = new Array<ExactRho | undefined>(m);
    this.alpha = new Float64Array(m);
    this.touched = new Int32Array(m);
    let widest = 0;
    for (let j = 0; j < m; j++) widest = Math.max(widest, this.pStart[j + 1]! - this.pStart[j]!);
    this.flags = new Uint8Array(widest);
    this.sb = new Float64Array(widest);
    this.sw = new Float64Array(widest);
    this.su = new Float64Array(widest);
    this.se = new Float64Array(widest);
    this.M = new Array<bigint>(m).fill(0n);
    this.gTouched = new Uint8Array(G);
    this.fm = new Float64Array(3 * G);
    this.fList = new Int32Array(H);
    this.fUtil = this.approval ? new Float64Array(0) : new Float64Array(H);
    this.fLive = new Int32Array(m);
    this.uAll0 = new Float64Array(m);
    this.uMax = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      for (let k = this.pStart[j]!; k < this.pStart[j + 1]!; k++) {
        this.uAll0[j]! += this.pW[k]! * this.pUtil[k]!;
        if (this.pUtil[k]! > this.uMax[j]!) this.uMax[j] = this.pUtil[k]!;
      }
    }
    this.exNum = new Float64Array(m);
    this.priceErr = new Float64Array(m);
    this.exDen = new Float64Array(m);
  }

  /** Number of merged ballot groups (for benchmarks). */
  get groups(): number {
    return this.nGroups;
  }

  /** Whether project j has at least one supporter (only those can ever be bought). */
  supported(j: number): boolean {
    return this.pStart[j + 1]! > this.pStart[j]!;
  }

  /** Runs MES with every voter holding b0num/b0den. */
  run(b0num: bigint, b0den: bigint): MesRun {
    const m = this.m;
    this.b0f = fractionToNumber(b0num, b0den);
    this.budget.fill(this.b0f);
    this.pGroup.set(this.pGroup0);
    this.pUtil.set(this.pUtil0);
    this.pW.set(this.pW0);
    this.pLive.set(this.pStart.subarray(1));
    this.hLen.fill(0);
    this.active.fill(1);
    this.lb.fill(-Infinity);
    this.freshRound.fill(-1);
    this.exact.fill(undefined);
    this.D = b0den;
    this.b0D = b0num;
    this.M.fill(0n);
    this.uniform = true;
    const selected: number[] = [];
    const maxPayment: number[] = [];
    let cost = 0;

    for (let round = 0; ; round++) {
      // Error bound on any voter's float money: rounding of b₀ and of at most `selected.length` payments.
      this.errB = SAFETY * (selected.length + 8) * UNIT * this.b0f;
      let bestUB = Infinity;
      const fresh: number[] = [];
      for (;;) {
        let k = -1;
        let low = Infinity;
        for (let j = 0; j < m; j++) {
          if (this.active[j] && this.freshRound[j] !== round && (k === -1 || this.lb[j]! < low)) {
            k = j;
            low = this.lb[j]!;
          }
        }
        if (k === -1 || low > bestUB) break;
        const status = this.evaluate(k);
        if (status === UNAFFORDABLE) {
          this.active[k] = 0;
          continue;
        }
        this.freshRound[k] = round;
        this.status[k] = status;
        fresh.push(k);
        const price = status === CERTIFIED ? this.evRho : this.rhoF[k]!;
        const priceErr = status === CERTIFIED ? this.evErr : 4 * UNIT * price;
        this.rhoF[k] = price;
        this.ucap[k] = this.evUcap;
        const s = this.scale[k]!;
        const rho = price / s;
        const err = priceErr / s + 2 * UNIT * rho;
        this.lb[k] = rho - err;
        bestUB = Math.min(bestUB, rho + err);
      }
      if (fresh.length === 0) break;
      let winner = -1;
      for (const j of fresh) {
        if (this.lb[j]! > bestUB) continue;
        if (winner === -1) {
          winner = j;
          continue;
        }
        // Two intervals overlap: decide exactly.
        this.stats.exactComparisons++;
        const a = this.exactRho(winner);
        const b = this.exactRho(j);
        const byRho = compareFractions(b.num, b.fac * BigInt(this.scale[j]!), a.num, a.fac * BigInt(this.scale[winner]!));
        if (byRho < 0 || (byRho === 0 && this.tieBreakBefore(j, winner))) winner = j;
      }
      maxPayment.push(this.select(winner));
      this.uniform = false;
      selected.push(winner);
      cost += this.costs[winner]!;
      this.active[winner] = 0;
    }

    return { b0num, b0den, selected, cost, maxPayment };
  }

  /**
   * The same run as {@link run}, in float64 alone: no exact bookkeeping. Every decision is still
   * certified by a rigorous error bound (each group's money carries its own bound, see `fm`); when one
   * is too close to call — an exact tie, an exact "just affordable" — the run gives up and returns
   * undefined, and the caller replays it with {@link run}. A returned run is therefore the exact outcome.
   */
  runFloat(b0num: bigint, b0den: bigint): MesRun | undefined {
    const m = this.m;
    this.stats.floatRuns++;
    const b0f = fractionToNumber(b0num, b0den);
    this.b0f = b0f;
    this.b0num = b0num;
    this.b0den = b0den;
    this.uniform = true;
    // fractionToNumber is within about one unit in the last place of b₀.
    const e0 = SAFETY * 2 * UNIT * b0f;
    this.maxE = e0;
    const { fm, gWeight } = this;
    for (let g = 0; g < this.nGroups; g++) {
      fm[3 * g] = b0f;
      fm[3 * g + 1] = e0;
      fm[3 * g + 2] = gWeight[g]!;
    }
    this.gTouched.fill(0);
    this.fList.set(this.pGroup0);
    if (!this.approval) this.fUtil.set(this.pUtil0);
    this.fLive.set(this.pStart.subarray(1));
    this.active.fill(1);
    this.lb.fill(-Infinity);
    this.freshRound.fill(-1);
    const selected: number[] = [];
    const maxPayment: number[] = [];
    const fresh: number[] = [];
    let cost = 0;
    const { active, lb, freshRound, scale, rhoF, priceErr, exDen } = this;

    for (let round = 0; ; round++) {
      let bestUB = Infinity;
      fresh.length = 0;
      for (;;) {
        let k = -1;
        let low = Infinity;
        for (let j = 0; j < m; j++) {
          if (active[j] && freshRound[j] !== round && (k === -1 || lb[j]! < low)) {
            k = j;
            low = lb[j]!;
          }
        }
        if (k === -1 || low > bestUB) break;
        const status = this.evaluateFloat(k);
        if (status === UNAFFORDABLE) {
          active[k] = 0;
          continue;
        }
        if (status === UNCERTAIN) return this.giveUp();
        freshRound[k] = round;
        fresh.push(k);
        rhoF[k] = this.evRho;
        priceErr[k] = this.evErr;
        this.exNum[k] = this.evExNum;
        exDen[k] = this.evExDen;
        const s = scale[k]!;
        const rho = this.evRho / s;
        const err = this.evErr / s + 2 * UNIT * rho;
        lb[k] = rho - err;
        bestUB = Math.min(bestUB, rho + err);
      }
      if (fresh.length === 0) break;
      // Candidates left unevaluated have a lower bound above bestUB, so the winner is among the fresh
      // ones whose interval reaches bestUB; if there are two, their intervals overlap.
      let winner = -1;
      for (const j of fresh) {
        if (lb[j]! > bestUB) continue;
        if (winner === -1) {
          winner = j;
          continue;
        }
        // Only values known exactly can be compared here.
        if (!this.exactlyKnown(j) || !this.exactlyKnown(winner)) return this.giveUp();
        this.stats.exactComparisons++;
        const byRho = compareFractions(BigInt(this.exNum[j]!), BigInt(exDen[j]!), BigInt(this.exNum[winner]!), BigInt(exDen[winner]!));
        if (byRho < 0 || (byRho === 0 && this.tieBreakBefore(j, winner))) winner = j;
      }
      maxPayment.push(this.selectFloat(winner));
      this.uniform = false;
      selected.push(winner);
      cost += this.costs[winner]!;
      active[winner] = 0;
    }
    return { b0num, b0den, selected, cost, maxPayment };
  }

  /**
   * Whether the last float evaluation of j (this round) is exact: nobody was capped and no live
   * supporter has paid anything yet, so all hold exactly b₀.
   */
  private exactlyKnown(j: number): boolean {
    if (this.exDen[j] === 0) return false;
    if (this.costs[j] === 0) return true;
    for (let k = this.pStart[j]!; k < this.fLive[j]!; k++) {
      const g = this.fList[k]!;
      if (this.fm[3 * g]! > 0 && this.gTouched[g]) return false;
    }
    return true;
  }

  private giveUp(): undefined {
    this.stats.exactReplays++;
    return undefined;
  }

  /**
   * Float-only evaluation of project j: UNAFFORDABLE, UNCERTAIN, or CERTIFIED with evRho (the price
   * for approval, ρ for utilities), evErr (a rigorous bound on |evRho − exact|) and, when its value may
   * be known exactly (nobody capped; see exactlyKnown), evExNum/evExDen.
   */
  private evaluateFloat(j: number): number {
    this.stats.evaluations++;
    this.evExDen = 0;
    const c = this.costs[j]!;
    if (this.pStart[j + 1] === this.pStart[j]) return UNAFFORDABLE;
    if (c === 0) {
      this.evRho = 0;
      this.evErr = 0;
      this.evExNum = 0;
      this.evExDen = 1;
      return CERTIFIED;
    }
    if (this.uniform && this.approval) {
      // Nobody has paid yet and everyone holds b₀: the W supporters can pay c/W each iff W·b₀ ≥ c (exactly).
      const W = this.uAll0[j]!;
      const byMoney = compareFractions(BigInt(W) * this.b0num, this.b0den, BigInt(c), 1n);
      if (byMoney < 0) return UNAFFORDABLE;
      if (byMoney === 0) return UNCERTAIN;
      this.evRho = c / W;
      this.evErr = SAFETY * UNIT * this.evRho;
      this.evExNum = 1;
      this.evExDen = W;
      return CERTIFIED;
    }
    // ρ only rises within a run: the last lower bound of j is a floor, and so is c / Σ w·u.
    const floor = Math.max(c / this.uAll0[j]!, this.lb[j]! * this.scale[j]!);
    this.gather(j, floor, FIRST_CEILING * floor);
    const first = this.solve(c, floor, FIRST_CEILING * floor);
    if (first !== RETRY) return first;
    this.gather(j, floor, Infinity);
    const second = this.solve(c, floor, Infinity);
    return second === RETRY ? UNCERTAIN : second;
  }

  // Results of gather(): sums over j's live supporters, F = those below the floor (they pay all they
  // have at any price ≥ floor), the band floor·u ≤ b < ceiling·u in scratch (sb, sw, su, se, gN).
  private gTotal = 0;
  private gUAll = 0;
  private gWAll = 0;
  private gSumF = 0;
  private gUF = 0;
  private gEF = 0;
  private gNF = 0;
  /** Smallest (floor·u − b − error)/u over F. */
  private gSlackF = 0;
  private gN = 0;
  private gLive = 0;

  /**
   * One pass over j's supporter list. Groups that have spent everything (money exactly 0, set only
   * for certified capped payers) are dropped from the list as they are met.
   */
  private gather(j: number, floor: number, ceiling: number): void {
    const { fList, fm, sb, sw, su, se } = this;
    const s0 = this.pStart[j]!;
    const s1 = this.fLive[j]!;
    let out = s0;
    let total = 0;
    let wAll = 0;
    let uAll = 0;
    let sumF = 0;
    let uF = 0;
    let eF = 0;
    let nF = 0;
    let slackF = Infinity;
    let n = 0;
    if (this.approval) {
      for (let k = s0; k < s1; k++) {
        const g = fList[k]!;
        const x = 3 * g;
        const b = fm[x]!;
        if (b === 0) continue;
        fList[out++] = g;
        const w = fm[x + 2]!;
        total += w * b;
        wAll += w;
        if (b < floor) {
          const e = fm[x + 1]!;
          sumF += w * b;
          uF += w;
          eF += w * e;
          nF++;
          const slack = floor - b - e;
          if (slack < slackF) slackF = slack;
        } else if (b < ceiling) {
          sb[n] = b;
          sw[n] = w;
          su[n] = 1;
          se[n] = fm[x + 1]!;
          n++;
        }
      }
      uAll = wAll;
    } else {
      const fUtil = this.fUtil;
      for (let k = s0; k < s1; k++) {
        const g = fList[k]!;
        const x = 3 * g;
        const b = fm[x]!;
        if (b === 0) continue;
        const u = fUtil[k]!;
        fList[out] = g;
        fUtil[out++] = u;
        const w = fm[x + 2]!;
        total += w * b;
        wAll += w;
        uAll += w * u;
        const fu = floor * u;
        if (b < fu) {
          const e = fm[x + 1]!;
          sumF += w * b;
          uF += w * u;
          eF += w * e;
          nF++;
          const slack = (fu - b - e) / u;
          if (slack < slackF) slackF = slack;
        } else if (b < ceiling * u) {
          sb[n] = b;
          sw[n] = w;
          su[n] = u;
          se[n] = fm[x + 1]!;
          n++;
        }
      }
    }
    this.fLive[j] = out;
    this.gTotal = total;
    this.gUAll = uAll;
    this.gWAll = wAll;
    this.gSumF = sumF;
    this.gUF = uF;
    this.gEF = eF;
    this.gNF = nF;
    this.gSlackF = slackF;
    this.gN = n;
    this.gLive = out - s0;
  }

  /** The fixed point over the gathered band, and its certificate. */
  private solve(c: number, floor: number, ceiling: number): number {
    const { sb, sw, su, se } = this;
    const E = this.maxE;
    const round = 4 * UNIT * this.b0f;
    const total = this.gTotal;
    const uAll = this.gUAll;
    const n = this.gN;
    const errTotal = SAFETY * (this.gWAll * E + (this.gLive + 2) * UNIT * Math.abs(total));
    if (total < c - errTotal) return UNAFFORDABLE;
    if (total <= c + errTotal) return UNCERTAIN;

    // F grows, ρ = (c − Σ_F w·b) / Σ_{not F} w·u rises, until stable (Newton from below on a concave function).
    let sumF = this.gSumF;
    let uF = this.gUF;
    let eF = this.gEF;
    let rho = floor;
    let rest = n; // scratch[0, rest) not in F, scratch[rest, n) in F
    for (let iteration = 0; ; iteration++) {
      if (iteration > 200) return UNCERTAIN;
      let i = 0;
      while (i < rest) {
        const b = sb[i]!;
        const u = su[i]!;
        if (b - rho * u < 0) {
          const w = sw[i]!;
          const e = se[i]!;
          sumF += w * b;
          uF += w * u;
          eF += w * e;
          rest--;
          sb[i] = sb[rest]!;
          sw[i] = sw[rest]!;
          su[i] = su[rest]!;
          se[i] = se[rest]!;
          sb[rest] = b;
          sw[rest] = w;
          su[rest] = u;
          se[rest] = e;
        } else {
          i++;
        }
      }
      const ucapNow = uAll - uF;
      if (ucapNow <= 0) return UNCERTAIN;
      const next = (c - sumF) / ucapNow;
      if (next === rho) break;
      rho = next;
    }
    if (rho >= ceiling) return RETRY;
    const ucapF = uAll - uF;
    const nF = this.gNF + n - rest;
    // The capped voters' money errors (eF) pass into the price; the rest is rounding of the sums and the division.
    const err = (eF * PROPAGATION + SAFETY * ((nF + 2) * UNIT * Math.abs(sumF) + UNIT * c)) / ucapF + SAFETY * 3 * UNIT * rho;
    // Certify that every supporter's float comparison with ρ is decided by more than the errors.
    // Below the floor (ρ ≥ floor up to rounding):
    if (this.gNF > 0 && this.gSlackF - 4 * UNIT * floor - round + (rho - floor) <= err) return UNCERTAIN;
    // In the band:
    for (let i = 0; i < n; i++) {
      const b = sb[i]!;
      const u = su[i]!;
      const pay = rho * u;
      const diff = b - pay;
      if (diff < 0 !== i >= rest) return UNCERTAIN;
      if (Math.abs(diff) - se[i]! - 4 * UNIT * Math.max(Math.abs(b), pay) <= err * u) return UNCERTAIN;
    }
    // Above the ceiling (they hold at least ceiling·u, u ≥ 1): (ceiling − ρ − err)·u must beat the money error.
    if (ceiling !== Infinity && ceiling - rho - err <= E + round + 4 * UNIT * ceiling) return RETRY;
    this.evRho = rho;
    this.evErr = err;
    this.evUcap = ucapF;
    if (nF === 0) {
      this.evExNum = this.approval ? 1 : c;
      this.evExDen = uAll;
    }
    return CERTIFIED;
  }

  /** Buys project j in a float-only run; returns the largest single payment. */
  private selectFloat(j: number): number {
    const c = this.costs[j]!;
    if (c === 0) return 0;
    const rho = this.rhoF[j]!;
    const { fList, fm, gTouched } = this;
    // A payer's money is now off by at most its old bound, u times the price's bound, and two roundings.
    const priceErr = this.priceErr[j]!;
    const rounding = SAFETY * 2 * UNIT * this.b0f;
    const approval = this.approval;
    let maxPay = 0;
    let maxE = this.maxE;
    for (let k = this.pStart[j]!; k < this.fLive[j]!; k++) {
      const g = fList[k]!;
      const x = 3 * g;
      const b = fm[x]!;
      if (b === 0) continue;
      const u = approval ? 1 : this.fUtil[k]!;
      const pay = rho * u;
      if (b - pay < 0) {
        // Certified capped: pays all, exactly 0 left.
        if (b > maxPay) maxPay = b;
        fm[x] = 0;
        fm[x + 1] = 0;
      } else {
        // Certified b − pay > its error, so the money stays positive.
        if (pay > maxPay) maxPay = pay;
        fm[x] = b - pay;
        gTouched[g] = 1;
        const e = fm[x + 1]! + priceErr * u + rounding;
        fm[x + 1] = e;
        if (e > maxE) maxE = e;
      }
    }
    this.maxE = maxE;
    return maxPay;
  }

  /** Every group's float money after the latest float run (to explain a kept run after later runs). */
  moneySnapshot(): Float64Array {
    const money = new Float64Array(this.nGroups);
    for (let g = 0; g < this.nGroups; g++) money[g] = this.fm[3 * g]!;
    return money;
  }

  /** Every group's float money at the end of the latest exact {@link run} (0 once spent). */
  exactRunMoney(): Float64Array {
    return this.budget.map((b) => (b === ZERO ? 0 : b));
  }

  /** Money each project's supporters held in a snapshot (minor units, float). */
  supportersMoneyOf(money: Float64Array): Float64Array {
    const out = new Float64Array(this.m);
    for (let j = 0; j < this.m; j++) {
      let total = 0;
      for (let k = this.pStart[j]!; k < this.pStart[j + 1]!; k++) {
        const b = money[this.pGroup0[k]!]!;
        if (b > 0) total += this.pW0[k]! * b;
      }
      out[j] = Math.max(0, total);
    }
    return out;
  }

  /** Money each project's supporters hold at the end of the latest run (minor units, float). */
  supportersMoney(): Float64Array {
    const money = new Float64Array(this.m);
    for (let j = 0; j < this.m; j++) {
      let total = 0;
      for (let k = this.pStart[j]!; k < this.pLive[j]!; k++) {
        const b = this.budget[this.pGroup[k]!]!;
        if (b !== ZERO) total += this.pW[k]! * b;
      }
      money[j] = Math.max(0, total);
    }
    return money;
  }

  /** MES tie-break after equal ρ: lower cost, then more voters, then earlier project. */
  private tieBreakBefore(a: number, b: number): boolean {
    const ca = this.costs[a]!;
    const cb = this.costs[b]!;
    if (ca !== cb) return ca < cb;
    const va = this.voters[a]!;
    const vb = this.voters[b]!;
    if (va !== vb) return va > vb;
    return a < b;
  }

  /**
   * Evaluates project j against the current money. Returns UNAFFORDABLE, or CERTIFIED with
   * evRho/evErr/evUcap set (the exact ρ lies within evRho ± evErr and the float classification
   * of who pays in full is provably right), or falls back to exact arithmetic and returns
   * UNCERTAIN with `exact[j]` and rhoF[j] set.
   */
  private evaluate(j: number): number {
    this.stats.evaluations++;
    this.exact[j] = undefined;
    const c = this.costs[j]!;
    const s0 = this.pStart[j]!;
    if (this.pStart[j + 1] === s0) return UNAFFORDABLE;
    if (c === 0) {
      this.evRho = 0;
      this.evErr = 0;
      this.evUcap = 1;
      return CERTIFIED;
    }
    const { pGroup, pUtil, pW, budget, sb, sw, su } = this;
    const errB = this.errB;
    if (this.uniform && this.approval) {
      // Everyone holds b₀ and utility is the cost: ρ = 1/W if the W supporters can pay c/W each.
      const W = this.voters[j]!;
      const money = W * this.b0f;
      const errMoney = SAFETY * (W * errB + 3 * UNIT * money);
      if (money < c - errMoney) return UNAFFORDABLE;
      if (money > c + errMoney) {
        this.evRho = c / W;
        this.evErr = SAFETY * 2 * UNIT * this.evRho;
        this.evUcap = W;
        return CERTIFIED;
      }
    }
    // Pass 1: gather the supporters who still have money into contiguous scratch arrays.
    let total = 0;
    let uAll = 0;
    let wAll = 0;
    let n = 0;
    let s1 = this.pLive[j]!;
    for (let k = s0; k < s1; k++) {
      const b = budget[pGroup[k]!]!;
      if (b === ZERO) {
        // Swap this spent supporter behind the live part and look at k again.
        s1--;
        const g = pGroup[k]!;
        const wk = pW[k]!;
        const uk = pUtil[k]!;
        pGroup[k] = pGroup[s1]!;
        pW[k] = pW[s1]!;
        pUtil[k] = pUtil[s1]!;
        pGroup[s1] = g;
        pW[s1] = wk;
        pUtil[s1] = uk;
        k--;
        continue;
      }
      const w = pW[k]!;
      const u = pUtil[k]!;
      total += w * b;
      uAll += w * u;
      wAll += w;
      sb[n] = b;
      sw[n] = w;
      su[n] = u;
      n++;
    }
    this.pLive[j] = s1;
    const errTotal = SAFETY * (wAll * errB + (n + 2) * UNIT * Math.abs(total));
    if (total < c - errTotal) return UNAFFORDABLE;
    if (total <= c + errTotal) return this.evaluateExact(j);

    // Fixed point: F = {b < ρu} grows, ρ = (c − Σ_F wb) / Σ_{not F} wu rises, until stable.
    // The previous ρ of this project is a valid lower bound to start from.
    let rho = Math.max(c / uAll, this.lb[j]! * this.scale[j]!);
    let sumF = 0;
    let uF = 0;
    let wF = 0;
    let rest = n; // scratch[0, rest) not in F, scratch[rest, n) in F
    for (let iteration = 0; ; iteration++) {
      if (iteration > 200) return this.evaluateExact(j);
      let i = 0;
      while (i < rest) {
        const b = sb[i]!;
        const u = su[i]!;
        if (b - rho * u < 0) {
          const w = sw[i]!;
          sumF += w * b;
          uF += w * u;
          wF += w;
          rest--;
          sb[i] = sb[rest]!;
          sw[i] = sw[rest]!;
          su[i] = su[rest]!;
          sb[rest] = b;
          sw[rest] = w;
          su[rest] = u;
        } else {
          i++;
        }
      }
      const ucap = uAll - uF;
      if (ucap <= 0) return this.evaluateExact(j);
      const next = (c - sumF) / ucap;
      if (next === rho) break;
      rho = next;
    }
    const ucap = uAll - uF;
    const nF = n - rest;
    const err = SAFETY * ((wF * errB + (nF + 2) * UNIT * Math.abs(sumF) + UNIT * c) / ucap + 3 * UNIT * rho);
    // Certify: every supporter's float comparison with ρ must be decided by more than the error.
    for (let i = 0; i < n; i++) {
      const b = sb[i]!;
      const u = su[i]!;
      const pay = rho * u;
      const diff = b - pay;
      if (diff < 0 !== i >= rest) return this.evaluateExact(j);
      if (Math.abs(diff) - errB - 4 * UNIT * Math.max(Math.abs(b), pay) <= err * u) return this.evaluateExact(j);
    }
    this.evRho = rho;
    this.evErr = err;
    this.evUcap = ucap;
    return CERTIFIED;
  }

  /** Exact money of group g times D. */
  private exactMoney(g: number): bigint {
    if (this.budget[g] === ZERO) return 0n;
    let money = this.b0D;
    const base = this.hBase[g]!;
    for (let h = base; h < base + this.hLen[g]!; h++) money -= this.M[this.hProj[h]!]! * BigInt(this.hUtil[h]!);
    return money;
  }

  /**
   * Evaluates project j entirely in BigInt arithmetic. Sets `exact[j]`, rhoF[j] and, for
   * supporters (by position k − s0), flags = 1 for those who pay all their money.
   */
  private evaluateExact(j: number): number {
    this.stats.exactEvaluations++;
    const s0 = this.pStart[j]!;
    const s1 = this.pLive[j]!;
    const D = this.D;
    const c = BigInt(this.costs[j]!);
    const positions: number[] = [];
    const money: bigint[] = [];
    const weight: bigint[] = [];
    const util: bigint[] = [];
    let total = 0n;
    let uAll = 0n;
    this.flags.fill(0, 0, s1 - s0);
    for (let k = s0; k < s1; k++) {
      const g = this.pGroup[k]!;
      if (this.budget[g] === ZERO) {
        this.flags[k - s0] = 1;
        continue;
      }
      const b = this.exactMoney(g);
      const w = BigInt(this.gWeight[g]!);
      const u = BigInt(this.pUtil[k]!);
      positions.push(k - s0);
      money.push(b);
      weight.push(w);
      util.push(u);
      total += w * b;
      uAll += w * u;
    }
    if (total < c * D) return UNAFFORDABLE;
    const member = new Uint8Array(positions.length);
    let num = c * D;
    let fac = uAll;
    let everyonePaysAll = false;
    for (;;) {
      let changed = false;
      for (let i = 0; i < positions.length; i++) {
        if (!member[i] && money[i]! * fac < num * util[i]!) {
          member[i] = 1;
          changed = true;
        }
      }
      if (!changed) break;
      num = c * D;
      fac = uAll;
      for (let i = 0; i < positions.length; i++) {
        if (member[i]) {
          num -= weight[i]! * money[i]!;
          fac -= weight[i]! * util[i]!;
        }
      }
      if (fac === 0n) {
        // Everyone pays all she has and that is exactly the cost: ρ is the largest money/utility.
        let best = -1;
        for (let i = 0; i < positions.length; i++) {
          if (best === -1 || money[i]! * util[best]! > money[best]! * util[i]!) best = i;
        }
        num = money[best]!;
        fac = util[best]!;
        everyonePaysAll = true;
        break;
      }
    }
    for (let i = 0; i < positions.length; i++) if (member[i] || everyonePaysAll) this.flags[positions[i]!] = 1;
    this.exact[j] = { num, fac };
    this.rhoF[j] = fractionToNumber(num, D * fac);
    this.evUcap = Number(fac);
    return UNCERTAIN;
  }

  /**
   * Exact ρ of a project evaluated this round. For a CERTIFIED float evaluation the set of voters
   * paying in full is known, so ρ = (c·D − Σ their exact money) / (D · Σ others' w·u), and their
   * money b₀ − Σᵢ ρᵢuᵢ is summed per earlier project i (integer weights α, BigInt only per i).
   */
  private exactRho(j: number): ExactRho {
    const known = this.exact[j];
    if (known) return known;
    const c = this.costs[j]!;
    if (c === 0) {
      const zero = { num: 0n, fac: 1n };
      this.exact[j] = zero;
      return zero;
    }
    const rho = this.rhoF[j]!;
    const { pGroup, pUtil, gWeight, budget, hBase, hLen, hProj, hUtil, alpha, touched } = this;
    let nTouched = 0;
    let wF = 0;
    for (let k = this.pStart[j]!; k < this.pLive[j]!; k++) {
      const g = pGroup[k]!;
      const b = budget[g]!;
      if (b === ZERO || !(b - rho * pUtil[k]! < 0)) continue;
      const w = gWeight[g]!;
      wF += w;
      const base = hBase[g]!;
      for (let h = base; h < base + hLen[g]!; h++) {
        const i = hProj[h]!;
        if (alpha[i] === 0) touched[nTouched++] = i;
        alpha[i]! += w * hUtil[h]!;
      }
    }
    let num = BigInt(c) * this.D - BigInt(wF) * this.b0D;
    for (let t = 0; t < nTouched; t++) {
      const i = touched[t]!;
      num += BigInt(alpha[i]!) * this.M[i]!;
      alpha[i] = 0;
    }
    const result = { num, fac: BigInt(this.ucap[j]!) };
    this.exact[j] = result;
    return result;
  }

  /** Buys project j: updates exact and float money. Returns the largest single payment. */
  private select(j: number): number {
    const s0 = this.pStart[j]!;
    const s1 = this.pLive[j]!;
    const c = this.costs[j]!;
    if (c === 0) {
      this.M[j] = 0n;
      return 0;
    }
    const exactPath = this.status[j] === UNCERTAIN;
    if (exactPath) this.evaluateExact(j); // refresh the flags for this project
    const { num, fac } = this.exactRho(j);
    // Bring every exact ρ to the new common denominator D·fac (M of unselected projects is 0).
    if (fac !== 1n) {
      this.D *= fac;
      this.b0D *= fac;
      for (let i = 0; i < this.m; i++) if (this.M[i] !== 0n) this.M[i]! *= fac;
    }
    this.M[j] = num;
    const rho = fractionToNumber(num, this.D);
    const rhoOld = this.rhoF[j]!;
    const { pGroup, pUtil, budget, hBase, hLen, hProj, hUtil, flags } = this;
    let maxPay = 0;
    for (let k = s0; k < s1; k++) {
      const g = pGroup[k]!;
      const b = budget[g]!;
      if (b === ZERO) continue;
      const u = pUtil[k]!;
      const full = exactPath ? flags[k - s0] === 1 : b - rhoOld * u < 0;
      if (full) {
        if (b > maxPay) maxPay = b;
        budget[g] = ZERO;
      } else {
        const pay = rho * u;
        if (pay > maxPay) maxPay = pay;
        budget[g] = b - pay;
        const h = hBase[g]! + hLen[g]!++;
        hProj[h] = j;
        hUtil[h] = u;
      }
    }
    return maxPay;
  }
}

/**
 * MES utilities of ranked ballots, as pabutools defines them (`Additive_Borda_Sat`): on a ballot
 * ranking ℓ projects, the one in place k (0-based) is worth ℓ − k − 1 to that voter — the ballot's
 * own Borda score, so the last-ranked project is worth 0 and does not count as supported. These are
 * not the greedy scores of the round (Kraków's 3/2/1), which do not depend on the ballot's length.
 */
export function ordinalUtilities(p: Prepared): Float64Array {
  const values = new Float64Array(p.entryProject.length);
  for (let b = 0; b + 1 < p.ballotStart.length; b++) {
    const e0 = p.ballotStart[b]!;
    const e1 = p.ballotStart[b + 1]!;
    for (let e = e0; e < e1; e++) values[e] = e1 - e - 1;
  }
  return values;
}
