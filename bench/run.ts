// `npm run bench`: every benchmark, one JSON document on stdout (progress on stderr).
import { benchBallots } from './ballots.ts';
import { benchSummary } from './summary.ts';
import { benchTally } from './tally.ts';

const started = new Date();
process.stderr.write('bench: tally (one child process per election and rule)…\n');
const tally = await benchTally();
process.stderr.write('bench: ballot casting on SQLite and PostgreSQL…\n');
const ballots = await benchBallots();
process.stderr.write('bench: /summary offline and through the openai SDK to the loopback stand-in…\n');
const summary = await benchSummary();
process.stdout.write(`${JSON.stringify({ startedAt: started.toISOString(), tally, ballots, summary }, null, 2)}\n`);
