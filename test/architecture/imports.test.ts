import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.ts';

// The layering the README promises, checked on the source: who may import what.

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(REPO_ROOT, dir))) {
    const rel = path.join(dir, name);
    if (rel === 'src/generated') continue;
    if (statSync(path.join(REPO_ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|mjs)$/.test(name)) out.push(rel);
  }
  return out;
}

/** Every module a file imports (static and dynamic), resolved to a repository path for relative ones. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => (s.startsWith('.') ? path.normalize(path.join(path.dirname(file), s)) : s));
}

const product = [...sources('src'), ...sources('adapters')];
const importing = (files: string[], test: (spec: string) => boolean) =>
  files.flatMap((f) =>
    importsOf(f)
      .filter(test)
      .map((spec) => `${f} → ${spec}`),
  );

describe('architecture', () => {
  it('outside src/db and src/usecases, no product code touches Prisma or the generated clients', () => {
    const outside = product.filter((f) => !f.startsWith('src/db/') && !f.startsWith('src/usecases/'));
    expect(
      importing(
        outside,
        (s) => /prisma|src\/generated|src\/db\/(database|connection|errors|decision-log|live)/.test(s) && !s.endsWith('db/sqlite-lock.ts'),
      ),
    ).toEqual(
      // The composition root opens the database it hands to the use cases.
      ['src/app.ts → src/db/connection.ts', 'src/app.ts → src/db/database.ts', 'src/app.ts → src/db/live.ts'],
    );
  });

  it('nothing in src/ imports a platform library or an adapter', () => {
    const platform = /^(discord\.js|@discordjs\/|@slack\/|openai$|hono|@hono\/)/;
    expect(importing(sources('src'), (s) => platform.test(s))).toEqual([]);
    expect(
      importing(
        sources('src').filter((f) => f !== 'src/main.ts'),
        (s) => s.startsWith('adapters/'),
      ),
    ).toEqual([]);
  });

  it('the conversation layer never imports the flows, the use cases or the database', () => {
    expect(importing(sources('src/conversation'), (s) => /^src\/(flows|usecases|db)\//.test(s))).toEqual([]);
  });

  it('one Role type: roles are defined only in src/domain/roles.ts', () => {
    const defining = product.filter((f) => /export (type Role\b\s*=|const ROLES\b)/.test(readFileSync(path.join(REPO_ROOT, f), 'utf8')));
    expect(defining).toEqual(['src/domain/roles.ts']);
  });

  it("an adapter imports no other adapter's code", () => {
    const adapters = readdirSync(path.join(REPO_ROOT, 'adapters')).filter((d) =>
      statSync(path.join(REPO_ROOT, 'adapters', d)).isDirectory(),
    );
    const crossing = adapters.flatMap((a) =>
      importing(sources(`adapters/${a}`), (s) => s.startsWith('adapters/') && !s.startsWith(`adapters/${a}/`)),
    );
    expect(crossing).toEqual([]);
  });
});
