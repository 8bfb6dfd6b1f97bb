import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The command line of one of Pulje's programs as `npm run …` runs it, minus npm: the compiled bundle in dist/
 * (built by `npm test` and on install), so the tests run what users run.
 */
export function cli(name: 'main' | 'tally' | 'db-migrate' | 'log-verify' | 'discord-register' | 'shell'): [string, string[]] {
  return [process.execPath, [path.join(REPO_ROOT, 'dist', `${name}.js`)]];
}
