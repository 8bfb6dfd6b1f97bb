// `npm run bench`: every benchmark, one JSON document on stdout (progress on stderr). `BENCH=tally,discord`
// runs only those.
import { benchBallots } from './ballots.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDiscord } from './discord.ts';
import { benchHttpBallots } from './http-ballots.ts';
import { benchPrivacy } from './privacy.ts';
import { benchSlack } from './slack.ts';
import { benchSummary } from './summary.ts';
import { benchTally } from './tally.ts';

/** name → what it measures, and the benchmark. One line each, so adding one touches one line. */
const BENCHMARKS: Array<[string, string, () => Promise<unknown> | unknown]> = [
  ['tally', 'tally (one child process per election and rule)', benchTally],
  ['ballots', 'ballot casting through the use cases on SQLite and PostgreSQL', benchBallots],
  ['httpBallots', 'ballots through the HTTP API, open loop, on SQLite and PostgreSQL', benchHttpBallots],
  ['discord', 'Discord time to acknowledge on SQLite and PostgreSQL', benchDiscord],
  ['slack', 'Slack time to acknowledge on SQLite and PostgreSQL', benchSlack],
  ['privacy', 'personal-data and crisis detectors on 10,000 messages', benchPrivacy],
  ['summary', '/summary offline and through the openai SDK to the loopback stand-in', benchSummary],
  ['dashboard', 'dashboard pages at 1,000 groups, 1,000,000 messages, 100,000 ballots on SQLite and PostgreSQL', benchDashboard],
];

const only = process.env.BENCH?.split(',');
const out: Record<string, unknown> = { startedAt: new Date().toISOString() };
for (const [name, what, run] of BENCHMARKS) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`bench: ${what}…\n`);
  out[name] = await run();
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
