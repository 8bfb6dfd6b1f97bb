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
      return /from '(discord\.js|@discordjs\/[a-z]+|openai|@slack\/[a-z-]+)'|(?<![.\w])fetch\(/.test(text);
    });
    expect(talking.length).toBeGreaterThan(0);
    // Type-only imports and error mapping do not send anything; they are named here so the list stays honest.
    const sendsNothing = new Set([
      'adapters/discord/render.ts',
      'adapters/discord/inbound.ts',
      'adapters/discord/errors.ts',
      'adapters/slack/render.ts',
      'adapters/slack/roles.ts',
    ]);
    expect(talking.filter((f) => !listed.has(f) && !sendsNothing.has(f))).toEqual([]);
  });
  it('every module named exists, and every flow says what, when and how it is limited', () => {
    for (const f of listed) expect(() => readFileSync(path.join(root, f)), f).not.toThrow();
    for (const flow of DATA_LEAVING)
      for (const k of ['recipient', 'what', 'when', 'limits'] as const) expect(flow[k].length, `${flow.id}.${k}`).toBeGreaterThan(10);
  });
  it('keeps no platform profile data beyond an id and a display name, and no birth date', () => {
    const schema = readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
    const fields = (model: string) =>
      new RegExp(`model ${model} \\{([^}]*)\\}`)
        .exec(schema)![1]!
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//') && !l.startsWith('@@'))
        .map((l) => l.split(/\s+/)[0]);
    expect(fields('Identity')).toEqual(['id', 'personId', 'platform', 'externalId', 'person']);
    const person = fields('Person');
    for (const banned of ['birthDate', 'birthday', 'email', 'phone', 'avatar', 'username', 'address', 'cpr'])
      expect(
        person.some((f) => f!.toLowerCase().includes(banned.toLowerCase())),
        banned,
      ).toBe(false);
    expect(person).toContain('ageBand');
  });
});
