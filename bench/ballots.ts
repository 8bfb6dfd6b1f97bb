/**
 * Ballot throughput: many young people voting at once, then all changing their vote at once, through the
 * same use cases the chat adapters call. Measured on SQLite (a temporary file) and on PostgreSQL when one is
 * reachable (TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test, in a throw-away schema).
 *
 *   npx tsx bench/ballots.ts            prints JSON
 *   VOTERS=500 npx tsx bench/ballots.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { migrateTarget, openDatabase, type Database } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';
import { createPulje } from '../src/usecases/index.ts';
import { seedVotingGroup } from './seed.ts';

const DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';
const PROPOSALS = 10;

interface Phase {
  requests: number;
  wallMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

type EngineReport =
  | {
      engine: Engine;
      skipped: false;
      voters: number;
      cast: Phase;
      change: Phase;
      closeMs: number;
      checks: { ballots: number; allRevision2: boolean; counted: number };
    }
  | { engine: Engine; skipped: true; reason: string };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs all requests at once; latency is from the call to its answer, wall time from first call to last answer. */
async function measure(requests: (() => Promise<unknown>)[]): Promise<Phase> {
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    requests.map(async (run) => {
      const t = performance.now();
      await run();
      latencies.push(performance.now() - t);
    }),
  );
  const wallMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    requests: requests.length,
    wallMs: round2(wallMs),
    perSecond: round2((requests.length / wallMs) * 1000),
    p50Ms: round2(percentile(latencies, 50)),
    p99Ms: round2(percentile(latencies, 99)),
    maxMs: round2(latencies.at(-1) ?? 0),
  };
}

async function runOn(engine: Engine, db: Database, voters: number): Promise<EngineReport> {
  const pulje = createPulje({ db });
  const { admin, round, youth } = await seedVotingGroup(pulje, voters, PROPOSALS);

  const picks = (i: number, shift: number) => [1 + ((i + shift) % PROPOSALS), 1 + ((i + shift + 3) % PROPOSALS)];
  const cast = await measure(
    youth.map((y, i) => () => pulje.ballots.cast(y, { roundId: round.id, choice: { type: 'approval', picks: picks(i, 0) } })),
  );
  const change = await measure(
    youth.map((y, i) => () => pulje.ballots.change(y, { roundId: round.id, choice: { type: 'approval', picks: picks(i, 1) } })),
  );
  const t = performance.now();
  const result = await pulje.rounds.close(admin, { roundId: round.id });
  const closeMs = round2(performance.now() - t);

  const rows = await db.prisma.ballot.findMany({ where: { roundId: round.id }, select: { revision: true } });
  return {
    engine,
    skipped: false,
    voters,
    cast,
    change,
    closeMs,
    checks: { ballots: rows.length, allRevision2: rows.every((r) => r.revision === 2), counted: result.ballotsCounted },
  };
}

async function benchSqlite(voters: number): Promise<EngineReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-bench-'));
  const file = path.join(dir, 'bench.db');
  try {
    await migrateTarget({ engine: 'sqlite', url: file });
    const db = await openDatabase(`file:${file}`);
    try {
      return await runOn('sqlite', db, voters);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function benchPostgres(voters: number): Promise<EngineReport> {
  const base = process.env.TEST_DATABASE_URL || DEFAULT_PG;
  const problem = await reachable(base);
  const shown = base.replace(/\/\/([^@/]*)@/, '//…@');
  if (problem) return { engine: 'postgresql', skipped: true, reason: `PostgreSQL at ${shown} is not reachable: ${problem}` };
  const schema = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await migrateTarget({ engine: 'postgresql', url: base, schema });
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  const db = await openDatabase(u.toString());
  try {
    return await runOn('postgresql', db, voters);
  } finally {
    await db.close();
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}

/** Ballot casting and changing on each engine: throughput and latency percentiles. */
export async function benchBallots(): Promise<object> {
  const voters = Number(process.env.VOTERS) > 0 ? Math.floor(Number(process.env.VOTERS)) : 200;
  const engines = [await benchSqlite(voters), await benchPostgres(voters)];
  return {
    bench: 'ballots',
    description: `${voters} young members cast a ballot at once, then all change it at once, through pulje.ballots; then staff close the round`,
    node: process.version,
    engines,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchBallots().then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
