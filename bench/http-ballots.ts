/**
 * Ballots through the web chat's HTTP API, as a phone sends them: `/vote`, one pick, Send (three requests, each
 * waiting for the one before). Pulje runs as its own process (`node dist/main.js`, what `npm start` runs); this
 * process is the load generator, offering ballots at a fixed rate whatever the answers take (open loop), so
 * queueing shows up as latency instead of being hidden by a slower client.
 *
 *   npx tsx bench/http-ballots.ts                       prints JSON (SQLite, and PostgreSQL when reachable)
 *   RATES=50,200,400 SECONDS=5 npx tsx bench/http-ballots.ts
 *
 * Reported per engine and offered rate: achieved ballots/s, p50/p99 per step and for the whole ballot, errors by
 * status, SQL statements per ballot (the server counts them with PULJE_COUNT_STATEMENTS), and the server's RSS
 * (idle before the load, and the peak under it). Cold start to a healthy /healthz is timed on the seeded database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Agent, request } from 'undici';
import { migrateTarget, openDatabase } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';
import { createPulje } from '../src/usecases/index.ts';
import { seedVotingGroup } from './seed.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';
const PROPOSALS = 10;

interface Summary {
  p50Ms: number;
  p99Ms: number;
}
export interface RateReport {
  offeredPerSecond: number;
  achievedPerSecond: number;
  ballots: number;
  completed: number;
  errors: Record<string, number>;
  steps: { vote: Summary; pick: Summary; send: Summary; ballot: Summary };
  /**
   * SQL statements per completed ballot. Refused and half-done ballots' statements count too, so this is an upper
   * bound where many are refused; dividing by the ballots offered instead read far too low (1.4 at 400/s).
   */
  statementsPerBallot: number | null;
  /** The server's CPU time (user + system) per completed ballot, counted the same way: what the 2-core budget is spent on. */
  serverCpuMsPerBallot: number | null;
  peakRssMb: number;
  /** The server's own account of its memory (GET /metrics) in the sample with the highest RSS: what the peak is made of. */
  peakMemoryMb: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number } | null;
  /** The server's event-loop utilization (GET /metrics, 250 ms windows) sampled through the run: what sheds load. */
  loopUtilization: { p50: number; max: number };
}
interface IdleBallots {
  vote: Summary;
  pick: Summary;
  send: Summary;
  ballot: Summary;
  statements: number | null;
}
export interface EngineHttpReport {
  engine: Engine;
  /** SQLite's synchronous setting (PULJE_SQLITE_SYNC): `full` is the default, `normal` shows what it costs. */
  sqliteSync?: 'full' | 'normal';
  skipped?: string;
  voters?: number;
  coldStartMs?: number;
  /** RSS right after every voter signed in. */
  idleRssMb?: number;
  /**
   * RSS after the same, once the server has been left alone for 25 s: V8's memory reducer gives back the heap the
   * sign-ins' garbage grew, after some 10–20 s without work (seen with --trace-gc: "Mark-Compact (reduce)").
   */
  idleRssSettledMb?: number;
  /** Single ballots one after another, right after start-up (the first 20 voters). */
  idleSingleBallot?: IdleBallots;
  /** The same after the load, when the server is warm (20 more voters): what a phone sees on a running server. */
  idleSingleBallotWarm?: IdleBallots;
  rates?: RateReport[];
  /** The Node.js the server ran on (the bench's own: run the bench with another node to measure that one). */
  node?: string;
  /** New connections each of the server's listening sockets accepted over the run (GET /metrics; see listen.ts). */
  acceptedBySocket?: number[] | null;
  /** The statements that took the server the most time in all over the run (GET /metrics). */
  costliestStatements?: Array<{ sql: string; count: number; totalMs: number }> | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const summary = (values: number[]): Summary => ({ p50Ms: round1(percentile(values, 50)), p99Ms: round1(percentile(values, 99)) });

/** A seeded group: one round in voting with ten ideas, `voters` young members. */
async function seed(databaseUrl: string, voters: number): Promise<{ personIds: string[] }> {
  const db = await openDatabase(databaseUrl, { migrate: true });
  try {
    const { youth } = await seedVotingGroup(createPulje({ db }), voters, PROPOSALS);
    return { personIds: youth.map((y) => y.personId) };
  } finally {
    await db.close();
  }
}

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  coldStartMs: number;
  stop(): Promise<void>;
}

/** What `npm start` runs (package.json's start script: its memory settings too), on the seeded database; resolves once /healthz answers. */
async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const started = performance.now();
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // The script ends in `exec node …`, so the shell's pid becomes the server's. PULJE_BENCH_NODE_ARGS (e.g.
  // "--cpu-prof --cpu-prof-dir=/tmp/prof", which profiles the server under the load) goes on node's command line:
  // node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = process.env.PULJE_BENCH_NODE_ARGS ?? '';
  const child = spawn('sh', ['-c', start.replace(/\bexec node\b/, `exec ${JSON.stringify(process.execPath)} ${nodeArgs}`)], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
      PULJE_DEMO: 'true',
      PULJE_COUNT_STATEMENTS: 'true',
      // The load comes from one address and thousands of people: the bench measures the ballot path, not the limiter.
      PULJE_RATE_LIMITS: 'off',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'Pulje is ready') resolve(entry.url!);
    });
    child.once('exit', (code) => reject(new Error(`Pulje exited with ${code}`)));
  });
  // Ready is logged once listening; the first health check proves the whole path answers.
  await fetch(`${url}/healthz`);
  return {
    url,
    pid: child.pid!,
    child,
    coldStartMs: round1(performance.now() - started),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU time the process has used so far (user + system), in milliseconds. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
};

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? round1(Number(m[1]) / 1024) : 0;
};

interface Client {
  post(pathname: string, body: unknown, token: string): Promise<{ status: number; body: any }>;
  get(pathname: string, token?: string): Promise<{ status: number; body: any }>;
}

function client(base: string, agent: Agent): Client {
  const call = async (method: 'GET' | 'POST', pathname: string, body: unknown, token?: string) => {
    const res = await request(`${base}${pathname}`, {
      method,
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };
  return { post: (p, b, t) => call('POST', p, b, t), get: (p, t) => call('GET', p, undefined, t) };
}

const statements = async (c: Client): Promise<number | null> => {
  const r = await c.get('/metrics');
  if (r.status !== 200) return null;
  return typeof r.body?.dbStatements === 'number' ? r.body.dbStatements : null;
};

type Ids = Array<{ kind: string; id: string; label: string; disabled?: boolean }>;
function buttons(message: any): Ids {
  return (message?.body?.cards ?? []).flatMap((c: any) => c.rows.flatMap((r: any) => (r.kind === 'buttons' ? r.buttons : [])));
}

/** One ballot by one voter: three requests in a row; each step's time, or the failing status. */
async function ballot(
  c: Client,
  room: string,
  token: string,
  n: number,
): Promise<{ vote: number; pick: number; send: number } | { error: string }> {
  let t = performance.now();
  const vote = await c.post(`/api/conversations/${room}/messages`, { text: '/vote', idempotencyKey: `v${n}` }, token);
  const voteMs = performance.now() - t;
  if (vote.status !== 200) return { error: `vote ${vote.status}` };
  const card = (vote.body.messages as any[]).find((m) => m.author === 'pulje' && buttons(m).some((b) => b.id.startsWith('ballot:set')));
  if (!card) return { error: 'vote: no ballot' };
  const pickId = buttons(card).filter((b) => b.id.startsWith('ballot:set'))[n % PROPOSALS]!.id;
  t = performance.now();
  const pick = await c.post(`/api/conversations/${room}/actions`, { messageId: card.id, actionId: pickId, idempotencyKey: `p${n}` }, token);
  const pickMs = performance.now() - t;
  if (pick.status !== 200) return { error: `pick ${pick.status}` };
  const picked = (pick.body.messages as any[]).find((m) => m.id === card.id) ?? card;
  const submitId = buttons(picked).find((b) => b.id.startsWith('ballot:submit'))?.id;
  if (!submitId) return { error: 'pick: no send button' };
  t = performance.now();
  const send = await c.post(
    `/api/conversations/${room}/actions`,
    { messageId: card.id, actionId: submitId, idempotencyKey: `s${n}` },
    token,
  );
  const sendMs = performance.now() - t;
  if (send.status !== 200) return { error: `send ${send.status}` };
  return { vote: voteMs, pick: pickMs, send: sendMs };
}

async function runEngine(
  engine: Engine,
  databaseUrl: string,
  rates: number[],
  seconds: number,
  extraEnv: Record<string, string> = {},
): Promise<EngineHttpReport> {
  // Each ballot is a new voter's (a first ballot, not a change): 20 idle ones, then every rate's in turn, then 20
  // idle ones again on the warmed-up server.
  const voters = 20 + rates.reduce((sum, rate) => sum + rate * seconds, 0) + 20 + 30;
  const { personIds } = await seed(databaseUrl, voters);
  const server = await startServer(databaseUrl, extraEnv);
  // Enough connections that requests never wait in the load generator: queueing must show up at the server.
  const agent = new Agent({ connections: 4096, pipelining: 1 });
  const c = client(server.url, agent);
  try {
    const tokens: string[] = [];
    for (const personId of personIds) {
      const signedIn = await c.post('/api/session', { personId }, '');
      if (signedIn.status !== 200) throw new Error(`sign-in failed (${signedIn.status}): ${JSON.stringify(signedIn.body)}`);
      tokens.push(signedIn.body.token);
    }
    const room = (await c.get('/api/conversations', tokens[0])).body.conversations[0].id as string;
    const idleRssMb = rssMb(server.pid);
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    const idleRssSettledMb = rssMb(server.pid);

    // One ballot on an idle server, a few times: what a single phone sees.
    const idleBallots = async (from: number) => {
      const idle: Array<{ vote: number; pick: number; send: number }> = [];
      let idleStatements: number | null = null;
      for (let i = from; i < from + 20; i++) {
        const before = await statements(c);
        const r = await ballot(c, room, tokens[i]!, i);
        const after = await statements(c);
        if ('error' in r) throw new Error(`idle ballot failed: ${r.error}`);
        idle.push(r);
        if (before !== null && after !== null) idleStatements = after - before;
      }
      return {
        vote: summary(idle.map((d) => d.vote)),
        pick: summary(idle.map((d) => d.pick)),
        send: summary(idle.map((d) => d.send)),
        ballot: summary(idle.map((d) => d.vote + d.pick + d.send)),
        statements: idleStatements,
      };
    };
    const idleSingleBallot = await idleBallots(0);
    let next = 20;
    const reports: RateReport[] = [];
    for (const rate of rates) {
      const count = rate * seconds;
      const before = await statements(c);
      const cpuBefore = cpuMs(server.pid);
      let peak = rssMb(server.pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 100);
      const loop: number[] = [];
      let peakMemory: RateReport['peakMemoryMb'] = null;
      const mb = (bytes: number) => round1(bytes / 2 ** 20);
      const loopSampler = setInterval(
        () =>
          void c.get('/metrics').then(
            (r) => {
              if (typeof r.body?.loopUtilization === 'number') loop.push(r.body.loopUtilization);
              const m = r.body?.memory;
              if (m && typeof r.body.rssBytes === 'number' && mb(r.body.rssBytes) > (peakMemory?.rss ?? 0)) {
                peakMemory = {
                  rss: mb(r.body.rssBytes),
                  heapTotal: mb(m.heapTotal),
                  heapUsed: mb(m.heapUsed),
                  external: mb(m.external),
                  arrayBuffers: mb(m.arrayBuffers),
                };
              }
            },
            () => {},
          ),
        250,
      );
      const done: Array<{ vote: number; pick: number; send: number }> = [];
      const errors: Record<string, number> = {};
      const start = performance.now();
      const running: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const n = next++;
        running.push(
          ballot(c, room, tokens[n]!, n).then(
            (r) => {
              if ('error' in r) errors[r.error] = (errors[r.error] ?? 0) + 1;
              else done.push(r);
            },
            (e: unknown) => {
              const k = `network ${(e as Error).message}`.slice(0, 60);
              errors[k] = (errors[k] ?? 0) + 1;
            },
          ),
        );
      }
      await Promise.all(running);
      const elapsed = (performance.now() - start) / 1000;
      clearInterval(sampler);
      clearInterval(loopSampler);
      const after = await statements(c);
      const cpuAfter = cpuMs(server.pid);
      reports.push({
        offeredPerSecond: rate,
        achievedPerSecond: round1(done.length / elapsed),
        ballots: count,
        completed: done.length,
        errors,
        steps: {
          vote: summary(done.map((d) => d.vote)),
          pick: summary(done.map((d) => d.pick)),
          send: summary(done.map((d) => d.send)),
          ballot: summary(done.map((d) => d.vote + d.pick + d.send)),
        },
        statementsPerBallot: before !== null && after !== null && done.length ? round1((after - before) / done.length) : null,
        serverCpuMsPerBallot: done.length ? round1((cpuAfter - cpuBefore) / done.length) : null,
        peakRssMb: peak,
        peakMemoryMb: peakMemory,
        loopUtilization: { p50: round1(percentile(loop, 50) * 100) / 100, max: round1(Math.max(0, ...loop) * 100) / 100 },
      });
    }
    // After the load: the same single ballots once the server's code is compiled and its caches are warm, as on a
    // server that has been running for a while.
    const warm = await idleBallots(next);
    const final = (await c.get('/metrics')).body;
    return {
      engine,
      ...(engine === 'sqlite' ? { sqliteSync: (extraEnv.PULJE_SQLITE_SYNC as 'full' | 'normal' | undefined) ?? 'full' } : {}),
      voters,
      coldStartMs: server.coldStartMs,
      idleRssMb,
      idleRssSettledMb,
      idleSingleBallot,
      idleSingleBallotWarm: warm,
      rates: reports,
      node: process.versions.node,
      acceptedBySocket: (final?.acceptedBySocket ?? null) as EngineHttpReport['acceptedBySocket'],
      costliestStatements: (final?.costliestStatements ?? null) as EngineHttpReport['costliestStatements'],
    };
  } finally {
    await agent.close();
    await server.stop();
  }
}

async function pgReachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function benchHttpBallots(opts: { rates?: number[]; seconds?: number } = {}): Promise<EngineHttpReport[]> {
  const rates = opts.rates ?? (process.env.RATES ?? '50,200,400').split(',').map(Number);
  const seconds = opts.seconds ?? Number(process.env.SECONDS ?? 5);
  const out: EngineHttpReport[] = [];
  for (const sync of ['full', 'normal'] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), 'pulje-http-bench-'));
    try {
      // `normal` only at the lowest rate: enough to show what syncing every commit costs.
      out.push(
        await runEngine('sqlite', `file:${path.join(dir, 'bench.db')}`, sync === 'full' ? rates : rates.slice(0, 1), seconds, {
          PULJE_SQLITE_SYNC: sync,
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const base = process.env.TEST_DATABASE_URL || DEFAULT_PG;
  const problem = await pgReachable(base);
  if (problem) out.push({ engine: 'postgresql', skipped: `not reachable: ${problem}` });
  else {
    const schema = `bench_http_${process.pid}`;
    const u = new URL(base);
    u.searchParams.set('schema', schema);
    await migrateTarget({ engine: 'postgresql', url: base, schema });
    try {
      out.push(await runEngine('postgresql', u.toString(), rates, seconds));
    } finally {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchHttpBallots(), null, 2)}\n`);
}
