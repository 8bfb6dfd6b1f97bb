import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root, found by walking up to Pulje's package.json: the same answer whether this code runs from
 * its TypeScript source (tests, tsx) or from the bundle in dist/ (npm start, the CLIs).
 */
function findRoot(from: string): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pulje') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find Pulje's package.json above ${from}`);
    dir = up;
  }
}

export const ROOT = findRoot(import.meta.url);

/** True when running the compiled bundle (dist/), false when running TypeScript source. */
export const COMPILED = import.meta.url.endsWith('.js');

/**
 * A program Pulje starts as a child process (a Discord shard): the compiled entry when Pulje itself runs
 * compiled, else the TypeScript source run through tsx, so tests exercise the same code they read.
 */
export function childEntry(name: string, source: string): { file: string; execArgv: string[] } {
  if (COMPILED) return { file: path.join(ROOT, 'dist', `${name}.js`), execArgv: [] };
  return { file: path.join(ROOT, source), execArgv: ['--import', import.meta.resolve('tsx')] };
}
