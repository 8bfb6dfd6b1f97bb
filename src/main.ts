// `npm start`: one process that validates its settings, migrates the database and serves Pulje.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config/env.ts';
import { openDatabase } from './db/database.ts';
import { parseDatabaseUrl } from './db/connection.ts';

function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      // One line naming the variable and what it expects, nothing else.
      process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
}

const config = readConfig();
const log = pino({ level: config.LOG_LEVEL, base: { app: 'pulje' } });
const target = parseDatabaseUrl(config.DATABASE_URL);
const db = await openDatabase(config.DATABASE_URL, { migrate: true });
log.info({ engine: target.engine, database: target.engine === 'sqlite' ? target.url : 'postgresql' }, 'database ready');

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    return;
  }
  res.writeHead(404).end();
});
server.listen(config.PORT, config.HOST, () => log.info({ url: `http://${config.HOST}:${config.PORT}` }, 'Pulje is listening'));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // Stop taking new requests, let acknowledged ones finish, then close the database.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
