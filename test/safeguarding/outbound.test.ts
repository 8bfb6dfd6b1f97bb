import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_LEAVING } from '../../src/privacy/outbound.ts';

// The list of what leaves the process is complete: every module that can talk to a third party is on it.

const root = path.resolve(import.meta.dirname, '../..');
function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('what leaves the process', () => {
  const listed = new Set(DATA_LEAVING.flatMap((f) => f.modules));
  it('names every module that imports a platform or model client, or calls fetch', () => {
    const talking = [...files('adapters'), ...files('src')].filter((f) => {
      const text = readFileSync(path.join(root, f), 'utf8');
      return /from '(discord\.js|@discordjs\/[a-z]+|openai|@slack\/[a-z-]+)'|\bfetch\(/.test(text);
    });
    expect(talking.length).toBeGreaterThan(0);
    // Type-only imports and error mapping do not send anything; they are named here so the list stays honest.
    const sendsNothing = new Set(['adapters/discord/render.ts', 'adapters/discord/inbound.ts', 'adapters/discord/errors.ts']);
    expect(talking.filter((f) => !listed.has(f) && !sendsNothing.has(f))).toEqual([]);
  });
  it('every module named exists, and every flow says what, when and how it is limited', () => {
    for (const f of listed) expect(() => readFileSync(path.join(root, f)), f).not.toThrow();
    for (const flow of DATA_LEAVING)
      for (const k of ['recipient', 'what', 'when', 'limits'] as const) expect(flow[k].length, `${flow.id}.${k}`).toBeGreaterThan(10);
  });
});
