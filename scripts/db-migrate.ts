// `npm run db:migrate`: applies the committed migrations to DATABASE_URL (SQLite file by default).
import { loadConfig } from '../src/config/env.ts';
import { parseDatabaseUrl } from '../src/db/connection.ts';
import { migrateTarget } from '../src/db/database.ts';

const target = parseDatabaseUrl(loadConfig().DATABASE_URL);
const applied = await migrateTarget(target);
console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
