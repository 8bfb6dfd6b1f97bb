import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../core/paths.ts';

export type Engine = 'sqlite' | 'postgresql';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgresql'];

export { ROOT };
export const SCHEMA_SOURCE = path.join(ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_ROOT = path.join(ROOT, 'prisma/migrations');
/** The schema as of the newest committed migration; new migrations are the diff from it to the source. */
export const SCHEMA_SNAPSHOT = path.join(MIGRATIONS_ROOT, 'schema.snapshot.prisma');

export function migrationsDir(engine: Engine): string {
  return path.join(MIGRATIONS_ROOT, engine);
}

/**
 * Derive one engine's schema from the single source: only the datasource provider and the generated
 * client's folder differ, so the two engines can never drift apart model by model.
 */
export function deriveSchema(source: string, engine: Engine, clientOutput = `../src/generated/${engine}`): string {
  const withProvider = source.replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*)"[^"]+"/, `$1"${engine}"`);
  const withOutput = withProvider.replace(/(generator\s+client\s*\{[^}]*output\s*=\s*)"[^"]+"/, `$1"${clientOutput}"`);
  if (!withOutput.includes(`provider = "${engine}"`) || !withOutput.includes(`"${clientOutput}"`)) {
    throw new Error('prisma/schema.prisma: could not find the datasource provider or the generator output to derive from');
  }
  return withOutput;
}

export function readSchemaSource(): string {
  return readFileSync(SCHEMA_SOURCE, 'utf8');
}
