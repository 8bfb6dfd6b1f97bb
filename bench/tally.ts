/**
 * Tally benchmark: every shared election (test/fixtures/pabulib) and one generated election
 * (60,000 approval ballots, 80 projects, ~190 add1 steps) × every rule that applies.
 *
 *   tsx bench/tally.ts            # prints the JSON report
 *   EQUALSHARES_TOOL=/path/to/equalshares-compute-tool tsx bench/tally.ts   # also the yardstick
 *   import { benchTally } from './tally.ts'; await benchTally();
 *
 * Per case:
 * - `wholeProcess`: `node dist/tally.js <file> --rule … --json` as a user runs it (start-up, reading,
 *   parsing and tallying): median wall and CPU seconds of `WHOLE_RUNS` runs and the peak RSS, as the
 *   operating system reports them through `/usr/bin/time` (wall only where it is missing);
 * - `compute`, in a child process of its own: `parseMs` (readPb on the text in memory, median of 3)
 *   and `tallyMs` (tallyPrepared alone, after one untimed warm-up; median, min and max of the runs),
 *   `tallyCpuMs`, `maxRssMB` (the child's peak RSS);
 * - with `EQUALSHARES_TOOL` pointing at a copy of the public equalshares.net compute tool (a folder
 *   with js/; kept outside this repository), the tool on the same file through
 *   bench/equalshares-tool.mjs (`EQUALSHARES_RUNS` runs, default 1: it takes seconds to minutes),
 *   for Equal Shares (none, add1) and greedy on approval ballots: its whole-process figures,
 *   `ratio` = tool wall / Pulje wall (same run of the bench), and whether the winners agree.
 * Cases run one after another, so they do not compete for the two cores.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { pbThreshold, readPb } from '../src/pabulib/index.ts';
import { tallyPrepared } from '../src/tally/tally.ts';
import type { TallyMethod, VoteType } from '../src/tally/types.ts';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/pabulib/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CLI = path.join(ROOT, 'dist', 'tally.js');
const TOOL_RUNNER = path.join(ROOT, 'bench', 'equalshares-tool.mjs');
const WHOLE_RUNS = Number(process.env.WHOLE_RUNS ?? 3);
const TOOL_RUNS = Number(process.env.EQUALSHARES_RUNS ?? 1);
const TIME = '/usr/bin/time';

export interface TallyCase {
  /** Absolute path of the .pb file. */
  file: string;
  method: TallyMethod;
}

interface ProcessFigures {
  wallS: number;
  cpuS?: number;
  peakRssMB?: number;
  runs: number;
}

export interface TallyCaseResult {
  file: string;
  voteType: VoteType;
  ballots: number;
  projects: number;
  rule: string;
  completion?: string;
  threshold?: number;
  wholeProcess: ProcessFigures;
  compute: {
    parseMs: number;
    tallyMs: { median: number; min: number; max: number; runs: number };
    tallyCpuMs: { median: number; min: number };
    maxRssMB: number;
  };
  winners: number;
  totalCost: number;
  add1Steps?: number;
  equalsharesTool?: ProcessFigures & { ratio: number; sameWinners: boolean };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A generated election like a large city district: 60,000 approval ballots of 3–10 projects over 80
 * projects of 100,000–2,000,000, popularity falling off with the project number, four areas whose
 * voters favour their own projects; budget 21,000,000. Deterministic (fixed seed); MES with add1
 * takes about 190 steps on it. Written to the temporary folder, not kept in the repository.
 */
export function generatedElection(): string {
  const file = path.join(tmpdir(), 'pulje-bench', 'generated-60000x80.pb');
  if (existsSync(file)) return file;
  let seed = 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const n = 60_000;
  const m = 80;
  const areas = 4;
  const costs = Array.from({ length: m }, () => Math.round((100_000 + rnd() * 1_900_000) / 100) * 100);
  const weight = (j: number, area: number) => (1 / (j + 1) ** 0.8) * (j % areas === area ? 3 : 1);
  const lines = ['META', 'key;value', 'description;Generated election for benchmarks', `num_projects;${m}`, `num_votes;${n}`];
  lines.push('budget;21000000', 'vote_type;approval', 'rule;equalshares/add1', 'PROJECTS', 'project_id;cost');
  costs.forEach((c, j) => lines.push(`${j + 1};${c}`));
  lines.push('VOTES', 'voter_id;vote');
  for (let v = 0; v < n; v++) {
    const area = Math.floor(rnd() * areas);
    const length = 3 + Math.floor(rnd() * 8);
    const picked = new Set<number>();
    for (let guard = 0; picked.size < length && guard < 1000; guard++) {
      let total = 0;
      for (let j = 0; j < m; j++) total += weight(j, area);
      let x = rnd() * total;
      for (let j = 0; j < m; j++) {
        x -= weight(j, area);
        if (x <= 0) {
          picked.add(j);
          break;
        }
      }
    }
    lines.push(`${v + 1};${[...picked].map((j) => j + 1).join(',')}`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The cases for one file: the greedy rules, and Equal Shares without completion and with add1. */
export function casesFor(file: string): TallyCase[] {
  const read = readPb(readFileSync(file, 'utf8'));
  const cases: TallyCase[] = [
    { file, method: { rule: 'greedy', tieBreak: 'order' } },
    { file, method: { rule: 'greedy-no-skip', tieBreak: 'order' } },
  ];
  const threshold = pbThreshold(read);
  if (threshold !== undefined) cases.push({ file, method: { rule: 'greedy-threshold', threshold, tieBreak: 'order' } });
  cases.push({ file, method: { rule: 'equal-shares', completion: 'none' } });
  cases.push({ file, method: { rule: 'equal-shares', completion: 'add1' } });
  return cases;
}

/** Runs one case's compute measurement in this process (what the child does). */
export function runCase(c: TallyCase, runs?: number) {
  const text = readFileSync(c.file, 'utf8');
  const parseTimes: number[] = [];
  let read = readPb(text);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    read = readPb(text);
    parseTimes.push(performance.now() - t0);
  }
  const options = { add1Step: read.moneyScale };
  const slow = c.method.rule === 'equal-shares' && c.method.completion === 'add1';
  const n = runs ?? (slow ? 3 : 7);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let result = tallyPrepared(read.prepared, c.method, options);
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = tallyPrepared(read.prepared, c.method, options);
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  return {
    voteType: read.voteType,
    ballots: read.prepared.ballotWeight.length,
    projects: read.prepared.m,
    compute: {
      parseMs: round(median(parseTimes)),
      tallyMs: { median: round(median(times), 2), min: round(Math.min(...times), 2), max: round(Math.max(...times), 2), runs: n },
      tallyCpuMs: { median: round(median(cpuTimes), 2), min: round(Math.min(...cpuTimes), 2) },
      maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    },
    selected: result.selected,
    winners: result.selected.length,
    totalCost: result.totalCost,
    ...(result.equalShares?.add1Steps ? { add1Steps: result.equalShares.add1Steps } : {}),
  };
}

const execFileP = promisify(execFile);

async function computeInChild(c: TallyCase): Promise<ReturnType<typeof runCase>> {
  const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', SELF, '--case', JSON.stringify(c)], {
    cwd: ROOT,
    maxBuffer: 1 << 22,
  });
  return JSON.parse(stdout) as ReturnType<typeof runCase>;
}

/** Runs a command `runs` times; median wall (and, through /usr/bin/time, CPU and peak RSS). Returns its last stdout. */
function timeCommand(command: string[], runs: number): ProcessFigures & { stdout: string } {
  const timed = existsSync(TIME);
  const walls: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const argv = timed ? [TIME, '-f', '%U %S %M', ...command] : command;
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
    walls.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`${command.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
    stdout = r.stdout;
    if (timed) {
      const last = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      cpu.push(last[0]! + last[1]!);
      rss.push(last[2]! / 1024);
    }
  }
  return {
    wallS: round(median(walls), 3),
    ...(timed ? { cpuS: round(median(cpu), 3), peakRssMB: round(Math.max(...rss)) } : {}),
    runs,
    stdout,
  };
}

function cliArgs(c: TallyCase): string[] {
  const m = c.method;
  return [
    process.execPath,
    CLI,
    c.file,
    '--rule',
    m.rule,
    ...(m.rule === 'equal-shares' ? ['--completion', m.completion ?? 'none'] : []),
    ...(m.rule === 'greedy-threshold' ? ['--threshold', String(m.threshold)] : []),
    '--json',
  ];
}

/** The tool's mode for a case, if it computes that rule. */
function toolMode(c: TallyCase, voteType: VoteType): 'add1' | 'none' | 'greedy' | undefined {
  if (voteType !== 'approval') return undefined;
  if (c.method.rule === 'greedy') return 'greedy';
  if (c.method.rule === 'equal-shares' && (c.method.completion === 'add1' || c.method.completion === 'none')) return c.method.completion;
  return undefined;
}

/** Benchmarks every case, one after another. */
export async function benchTally(): Promise<object> {
  if (!existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const tool = process.env.EQUALSHARES_TOOL;
  const files = [
    ...readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.pb'))
      .sort()
      .map((f) => path.join(FIXTURES, f)),
    generatedElection(),
  ];
  const results: TallyCaseResult[] = [];
  for (const c of files.flatMap(casesFor)) {
    process.stderr.write(
      `bench/tally: ${path.basename(c.file)} ${c.method.rule}${c.method.rule === 'equal-shares' ? ` ${c.method.completion}` : ''}\n`,
    );
    const { selected, ...computed } = await computeInChild(c);
    const { stdout: _, ...whole } = timeCommand(cliArgs(c), WHOLE_RUNS);
    const result: TallyCaseResult = {
      file: path.relative(ROOT, c.file).startsWith('..') ? path.basename(c.file) : path.relative(ROOT, c.file),
      rule: c.method.rule,
      ...(c.method.rule === 'equal-shares' ? { completion: c.method.completion ?? 'none' } : {}),
      ...(c.method.rule === 'greedy-threshold' ? { threshold: c.method.threshold } : {}),
      ...computed,
      wholeProcess: whole,
    };
    const mode = toolMode(c, computed.voteType);
    if (tool && mode) {
      const { stdout, ...figures } = timeCommand([process.execPath, TOOL_RUNNER, tool, c.file, mode], TOOL_RUNS);
      const theirs = (JSON.parse(stdout) as { selected: string[] }).selected;
      result.equalsharesTool = {
        ...figures,
        ratio: round(figures.wallS / whole.wallS, 1),
        sameWinners: [...theirs].sort().join(' ') === [...selected].sort().join(' '),
      };
    }
    results.push(result);
  }
  return {
    benchmark: 'tally',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    notes:
      'wholeProcess = node dist/tally.js <file> --rule … --json, median of runs (cpuS, peakRssMB from /usr/bin/time); ' +
      'compute.parseMs = readPb on text in memory (median of 3); compute.tallyMs = tallyPrepared only, after one ' +
      'untimed warm-up; equalsharesTool = the public equalshares.net compute tool on the same file ' +
      '(bench/equalshares-tool.mjs, only with EQUALSHARES_TOOL set), ratio = its wall time / Pulje’s. Greedy ties: ' +
      'the tool orders by JavaScript object keys, so greedy winners may differ on ties.',
    toolMeasured: Boolean(tool),
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
