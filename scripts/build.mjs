// Builds what production runs: `npm start` and the CLIs run these bundles with plain `node`, not TypeScript
// through tsx (which costs 0.6–0.8 s of start-up per call). Runs on `npm install` (postinstall) and
// `npm run build`. Plain JavaScript, because it must run before anything is compiled.
//
// 1. bundles scripts/db-generate.ts and runs it: the Prisma clients the other bundles import are generated;
// 2. bundles every entry point into dist/ (ES modules, shared chunks; node_modules stay outside the bundle).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

/** dist/<name>.js ← source. `discord-shard` is started by the sharding manager, never by hand. */
const ENTRIES = {
  main: 'src/main.ts',
  tally: 'scripts/tally.ts',
  'db-migrate': 'scripts/db-migrate.ts',
  'log-verify': 'scripts/log-verify.ts',
  'discord-register': 'scripts/discord-register.ts',
  'discord-shard': 'adapters/discord/shard.ts',
  shell: 'adapters/shell/shell.ts',
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: { 'db-generate': 'scripts/db-generate.ts' }, outdir });
execFileSync(process.execPath, [path.join(outdir, 'db-generate.js')], { stdio: 'inherit', cwd: root });
await build({ ...common, entryPoints: ENTRIES, outdir, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
console.log(`built ${Object.keys(ENTRIES).length} entry points into dist/`);
