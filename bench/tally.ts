/**
 * Tally benchmark: every fixture in test/fixtures/pabulib × every rule that applies to it.
 *
 *   tsx bench/tally.ts            # prints the JSON report
 *   import { benchTally } from './tally.ts'; await benchTally();
 *
 * Each case runs in its own child process (sequentially, so cases do not compete for the two
 * cores) and reports:
 * - `parseMs`: reading the text already in memory into a `PbElection` and converting it to tally
 *   input (`parsePb` + `pbToTallyInput`), median of the runs;
 * - `tallyMs`: `tally(input, method)` alone — median, min and max of `runs` timed runs after one
 *   untimed warm-up call (the input is already converted; ballot grouping and indexing are timed);
 *   `tallyCpuMs` the CPU time of the same runs (useful when other work shares the machine);
 * - `maxRssMB`: the child's peak resident set size (`process.resourceUsage().maxRSS`) over the
 *   whole case, and `baseRssMB` its resident size before the file was read (Node + tsx itself);
 * - the outcome: `winners`, `totalCost` and, for add1, `add1Steps`.
 * Greedy rules break ties by the file's project order, as the official results do.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parsePb, pbThreshold, pbToTallyInput } from '../src/pabulib/index.ts';
import { tally, type TallyMethod, type VoteType } from '../src/tally/index.ts';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/pabulib/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

export interface TallyCase {
  file: string;
  method: TallyMethod;
}

export interface TallyCaseResult {
  file: string;
  voteType: VoteType;
  ballots: number;
  projects: number;
  rule: string;
  completion?: string;
  threshold?: number;
  parseMs: number;
  tallyMs: { median: number; min: number; max: number; runs: number };
  /** CPU time (user + system) of the same runs: less sensitive than wall time to other load on the machine. */
  tallyCpuMs: { median: number; min: number };
  baseRssMB: number;
  maxRssMB: number;
  winners: number;
  totalCost: number;
  add1Steps?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The cases for one file: greedy variants for every vote type, equal shares for approval and cumulative. */
export function casesFor(file: string): TallyCase[] {
  const election = parsePb(readFileSync(`${FIXTURES}${file}`, 'utf8'));
  const input = pbToTallyInput(election);
  const cases: TallyCase[] = [
    { file, method: { rule: 'greedy', tieBreak: 'order' } },
    { file, method: { rule: 'greedy-no-skip', tieBreak: 'order' } },
  ];
  const threshold = pbThreshold(election);
  if (threshold !== undefined) cases.push({ file, method: { rule: 'greedy-threshold', threshold, tieBreak: 'order' } });
  if (input.ballots.type !== 'ordinal') {
    cases.push({ file, method: { rule: 'equal-shares', completion: 'none' } });
    cases.push({ file, method: { rule: 'equal-shares', completion: 'add1' } });
  }
  return cases;
}

/** Runs one case in this process (what the child does). */
export function runCase(c: TallyCase, runs?: number): TallyCaseResult {
  const baseRss = process.memoryUsage().rss;
  const text = readFileSync(`${FIXTURES}${c.file}`, 'utf8');
  const parseTimes: number[] = [];
  let input = pbToTallyInput(parsePb(text));
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    input = pbToTallyInput(parsePb(text));
    parseTimes.push(performance.now() - t0);
  }
  const slow = c.method.rule === 'equal-shares' && c.method.completion === 'add1';
  const n = runs ?? (slow ? 3 : 7);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let result = tally(input, c.method);
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = tally(input, c.method);
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  return {
    file: c.file,
    voteType: input.ballots.type,
    ballots: input.ballots.ballots.length,
    projects: input.projects.length,
    rule: c.method.rule,
    ...(c.method.rule === 'equal-shares' ? { completion: c.method.completion ?? 'none' } : {}),
    ...(c.method.rule === 'greedy-threshold' ? { threshold: c.method.threshold } : {}),
    parseMs: round(median(parseTimes)),
    tallyMs: { median: round(median(times), 2), min: round(Math.min(...times), 2), max: round(Math.max(...times), 2), runs: n },
    tallyCpuMs: { median: round(median(cpuTimes), 2), min: round(Math.min(...cpuTimes), 2) },
    baseRssMB: round(baseRss / 2 ** 20),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    winners: result.selected.length,
    totalCost: result.totalCost,
    ...(result.equalShares?.add1Steps ? { add1Steps: result.equalShares.add1Steps } : {}),
  };
}

const execFileP = promisify(execFile);

async function runInChild(c: TallyCase): Promise<TallyCaseResult> {
  const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', SELF, '--case', JSON.stringify(c)], {
    cwd: ROOT,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as TallyCaseResult;
}

/** Benchmarks every fixture × applicable rule, one child process per case. */
export async function benchTally(): Promise<object> {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.pb'))
    .sort();
  const cases = files.flatMap(casesFor);
  const results: TallyCaseResult[] = [];
  for (const c of cases) results.push(await runInChild(c));
  return {
    benchmark: 'tally',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    notes:
      'parseMs = parsePb + pbToTallyInput on text in memory (median of 3); tallyMs = tally() only, after one untimed ' +
      'warm-up call (tallyCpuMs: CPU time of the same runs); maxRssMB = peak RSS of the child process running the ' +
      'case; baseRssMB = its RSS before reading the file.',
    cases: results,
  };
}

const isMain = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isMain) {
  const at = process.argv.indexOf('--case');
  if (at !== -1) {
    process.stdout.write(`${JSON.stringify(runCase(JSON.parse(process.argv[at + 1]!) as TallyCase))}\n`);
  } else {
    benchTally().then(
      (report) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`),
      (error: unknown) => {
        process.stderr.write(`bench/tally: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
