// `npm run bench`: every benchmark, one JSON document on stdout (progress on stderr).
import { benchBallots } from './ballots.ts';
import { benchDiscord } from './discord.ts';
import { benchTally } from './tally.ts';

const started = new Date();
process.stderr.write('bench: tally (one child process per election and rule)…\n');
const tally = await benchTally();
process.stderr.write('bench: ballot casting on SQLite and PostgreSQL…\n');
const ballots = await benchBallots();
process.stderr.write('bench: Discord time to acknowledge on SQLite and PostgreSQL…\n');
const discord = await benchDiscord();
process.stdout.write(`${JSON.stringify({ startedAt: started.toISOString(), tally, ballots, discord }, null, 2)}\n`);
