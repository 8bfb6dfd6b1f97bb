import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Database } from '../src/db/database.ts';
import type { Engine } from '../src/db/schema-source.ts';
import { createPulje } from '../src/usecases/index.ts';
import { seedVotingGroup } from './seed.ts';
import { onPostgres, onSqlite } from './engines.ts';

const _DEFAULT_PG = 'postgresql://postgres@127.0.0.1:5432/test';
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

/** Ballot casting and changing on each engine: throughput and latency percentiles. */
export async function benchBallots(): Promise<object> {
  const voters = Number(process.env.VOTERS) > 0 ? Math.floor(Number(process.env.VOTERS)) : 200;
  const engines = [
    await onSqlite('ballots', (db) => runOn('sqlite', db, voters)),
    await onPostgres('ballots', (db) => runOn('postgresql', db, voters)),
  ];
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
