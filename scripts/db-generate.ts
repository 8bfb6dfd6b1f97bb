// Generates the Prisma client for each engine from the one schema source.
// `prisma generate` never runs the native schema engine, but Prisma 7's CLI tries to download it unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file; any file will do (see docs/prisma-offline in README).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ENGINES, ROOT, deriveSchema, readSchemaSource } from '../src/db/schema-source.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const outDir = path.join(ROOT, 'src/generated');
mkdirSync(outDir, { recursive: true });
const source = readSchemaSource();
for (const engine of ENGINES) {
  const schemaFile = path.join(outDir, `schema.${engine}.prisma`);
  writeFileSync(schemaFile, deriveSchema(source, engine, `./${engine}`));
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schemaFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}
console.log(`Prisma clients generated for ${ENGINES.join(' and ')} in src/generated/`);
