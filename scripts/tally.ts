/**
 * Tally a pabulib `.pb` file from the command line.
 *
 *   npm run --silent tally -- <file.pb> [--rule greedy|greedy-no-skip|greedy-threshold|equal-shares]
 *     [--completion none|greedy|add1|add1-exhaustive] [--threshold N]
 *     [--tie-break order|cost-then-order] [--add1-step N] [--json]
 *
 * Rule, completion and threshold default to the file's META (`rule`, `min_project_score_threshold`).
 * Greedy ties default to the file's project order (`order`), which reproduces the cities' official
 * results. `selected` is printed in selection order: the order in which the rule funded the
 * projects (for greedy, order of support).
 *
 * Output: a short human-readable summary, or with `--json` exactly one JSON object on stdout,
 * `{"selected":[ids…],"totalCost":n}` (n in the file's currency units, with its decimals). Oddities of
 * the file (see src/pabulib/read.ts): one warning line each on stderr, and the tally goes on. Bad
 * arguments: one line on stderr, exit code 2. A file that cannot be tallied at all: one line on stderr,
 * exit code 1. Imports only the reader and the engine, so start-up stays small.
 */
import { readFileSync } from 'node:fs';
import { unitsOf } from '../src/pabulib/amounts.ts';
import { metaValue, pbMethod, pbThreshold } from '../src/pabulib/convert.ts';
import { readPb, type PbRead } from '../src/pabulib/read.ts';
import { formatCount } from '../src/tally/money.ts';
import { tallyPrepared } from '../src/tally/tally.ts';
import { TallyInputError, type Completion, type GreedyTieBreak, type TallyMethod } from '../src/tally/types.ts';

const RULES = ['greedy', 'greedy-no-skip', 'greedy-threshold', 'equal-shares'] as const;
const COMPLETIONS = ['none', 'greedy', 'add1', 'add1-exhaustive'] as const;
const TIE_BREAKS = ['order', 'cost-then-order'] as const;
type RuleArg = (typeof RULES)[number];

class UsageError extends Error {}
/** `--help`: the usage is printed and nothing else happens. */
class HelpRequest extends Error {}

const USAGE = `usage: npm run --silent tally -- <file.pb> [options]

  --rule greedy|greedy-no-skip|greedy-threshold|equal-shares   default: the file's META rule
  --completion none|greedy|add1|add1-exhaustive               Equal Shares only; default: the file's, else none
  --threshold N                                               greedy-threshold: minimum support
  --tie-break order|cost-then-order                           greedy ties; default: the file's project order
  --add1-step N                                               add1: per-voter budget step in currency units
  --json                                                      one JSON object {"selected":[…],"totalCost":n}
  --help                                                      this text

Equal Shares works on approval, cumulative and ranked ballots (ranked: pabutools' utilities, place k of ℓ is
worth ℓ − k − 1). Amounts with decimals are counted exactly in the file's smallest unit. Oddities of the file
(a project named twice in a ballot, unknown ids, counts that disagree, …) are warnings on stderr.

Exit codes: 0 tallied, 1 the file cannot be read or tallied, 2 bad arguments.`;

interface Args {
  file: string;
  rule?: RuleArg;
  completion?: Completion;
  threshold?: number;
  tieBreak: GreedyTieBreak;
  add1Step: number;
  json: boolean;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value (${allowed.join(', ')})`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function wholeNumber(flag: string, value: string | undefined, min: number): number {
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new UsageError(`${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(value ?? '')}`);
  }
  return Number(value);
}

function parseArgs(argv: readonly string[]): Args {
  let file: string | undefined;
  const args: Omit<Args, 'file'> = { tieBreak: 'order', add1Step: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq === -1 ? raw : raw.slice(0, eq);
    const value = (): string | undefined => (eq === -1 ? argv[++i] : raw.slice(eq + 1));
    switch (flag) {
      case '--rule':
        args.rule = oneOf(flag, value(), RULES);
        break;
      case '--completion':
        args.completion = oneOf(flag, value(), COMPLETIONS);
        break;
      case '--threshold':
        args.threshold = wholeNumber(flag, value(), 0);
        break;
      case '--tie-break':
        args.tieBreak = oneOf(flag, value(), TIE_BREAKS);
        break;
      case '--add1-step':
        args.add1Step = wholeNumber(flag, value(), 1);
        break;
      case '--help':
      case '-h':
        throw new HelpRequest();
      case '--json':
        if (eq !== -1) throw new UsageError('--json takes no value');
        args.json = true;
        break;
      default:
        if (raw.startsWith('-')) throw new UsageError(`unknown option ${raw}`);
        if (file !== undefined) throw new UsageError(`only one file, got ${JSON.stringify(file)} and ${JSON.stringify(raw)}`);
        file = raw;
    }
  }
  if (file === undefined) throw new UsageError('missing the .pb file to tally');
  if (args.completion !== undefined && args.rule !== undefined && args.rule !== 'equal-shares') {
    throw new UsageError('--completion applies only to --rule equal-shares');
  }
  return { file, ...args };
}

/** The method: flags first, then the file's META. */
function chooseMethod(args: Args, election: PbRead): TallyMethod {
  const fromFile = pbMethod(election);
  const rule = args.rule ?? (fromFile?.rule as RuleArg | undefined) ?? (args.completion ? 'equal-shares' : undefined);
  if (rule === undefined) {
    throw new UsageError(
      `the file's META rule ${JSON.stringify(metaValue(election, 'rule') ?? '')} is not one this tool knows; pass --rule`,
    );
  }
  const tieBreak = args.tieBreak;
  switch (rule) {
    case 'greedy':
    case 'greedy-no-skip':
      return { rule, tieBreak };
    case 'greedy-threshold': {
      const threshold = args.threshold ?? pbThreshold(election);
      if (threshold === undefined) throw new UsageError('greedy-threshold needs --threshold (the file has no min_project_score_threshold)');
      return { rule, threshold, tieBreak };
    }
    case 'equal-shares': {
      const completion = args.completion ?? (fromFile?.rule === 'equal-shares' ? fromFile.completion : undefined) ?? 'none';
      return { rule, completion, tieBreak };
    }
  }
}

function describe(method: TallyMethod): string {
  switch (method.rule) {
    case 'greedy-threshold':
      return `greedy-threshold (at least ${method.threshold})`;
    case 'equal-shares':
      return `equal-shares, completion ${method.completion ?? 'none'}`;
    default:
      return method.rule;
  }
}

/** Minor units as currency units with the file's decimals: 164726373 → "1,647,263.73". */
function amount(minor: number, decimals: number): string {
  if (decimals === 0) return formatCount(minor, 'en');
  const scale = 10 ** decimals;
  const whole = Math.trunc(minor / scale);
  const fraction = String(Math.abs(minor % scale)).padStart(decimals, '0');
  return `${minor < 0 && whole === 0 ? '-' : ''}${formatCount(whole, 'en')}.${fraction}`;
}

function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof HelpRequest) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`tally: ${(error as Error).message}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`tally: cannot read ${args.file}${code ? ` (${code})` : ''}\n`);
    return 2;
  }
  try {
    const election = readPb(text);
    for (const warning of election.warnings) process.stderr.write(`tally: ${args.file}: warning: ${warning}\n`);
    const method = chooseMethod(args, election);
    // Amounts are counted in the file's smallest unit (grosze when it writes them); add1 steps are whole units.
    const result = tallyPrepared(election.prepared, method, { add1Step: args.add1Step * election.moneyScale });
    const decimals = election.moneyDecimals;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ selected: result.selected, totalCost: unitsOf(result.totalCost, decimals) })}\n`);
      return 0;
    }
    const unit = metaValue(election, 'currency') ?? '';
    const money = (x: number) => `${amount(x, decimals)}${unit ? ` ${unit}` : ''}`;
    const byId = new Map(result.explanations.map((e) => [e.projectId, e]));
    const idWidth = Math.max(2, ...result.selected.map((id) => id.length));
    const costWidth = Math.max(4, ...result.selected.map((id) => money(byId.get(id)!.cost).length));
    const lines = [
      `${args.file}: ${describe(method)}, budget ${money(result.budget)}`,
      `${result.selected.length} selected, total cost ${money(result.totalCost)}${
        result.equalShares?.add1Steps ? ` (add1: ${result.equalShares.add1Steps} steps)` : ''
      }`,
      ...result.selected.map((id, i) => {
        const e = byId.get(id)!;
        return `${String(i + 1).padStart(4)}. ${id.padEnd(idWidth)}  ${money(e.cost).padStart(costWidth)}  ${amount(e.support, Math.round(Math.log10(election.pointsScale)))} ${e.supportUnit}`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tally: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TallyInputError && args.rule === 'equal-shares') {
      process.stderr.write(`tally: ${error.message}\n`);
      return 2;
    }
    const name = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tally: ${args.file}: ${name}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
