// `npm run log:verify [-- --group <id> …]`: checks every decision-log chain in DATABASE_URL (or the named
// groups), prints one JSON line per chain, and exits 1 naming the first broken entry if any chain fails.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.ts';
import { openDatabase } from '../src/db/database.ts';
import { verifyLogs } from '../src/db/decision-log.ts';

const { values } = parseArgs({ options: { group: { type: 'string', multiple: true } }, allowPositionals: false });
const config = loadConfig();
const db = await openDatabase(config.DATABASE_URL);
try {
  const reports = await verifyLogs(db.prisma, values.group);
  let broken = 0;
  for (const r of reports) {
    console.log(JSON.stringify(r));
    if (!r.ok) {
      broken++;
      const b = r.firstBroken!;
      console.error(`group ${r.groupId}: first broken entry is #${b.seq}${b.id ? ` (${b.id})` : ''}: ${b.problem.replace('_', ' ')}`);
    }
  }
  if (values.group && reports.length < values.group.length) {
    console.error('unknown group id among: ' + values.group.join(', '));
    process.exitCode = 2;
  } else {
    console.error(broken ? `${broken} of ${reports.length} chains broken` : `${reports.length} chains intact`);
    process.exitCode = broken ? 1 : 0;
  }
} finally {
  await db.close();
}
