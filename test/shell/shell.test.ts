import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, REPO_ROOT } from '../support/cli.ts';

// `npm run shell`: the terminal surface that ships with Pulje, driven as a person would type into it.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function shell(input: string[], args: string[]): Promise<{ code: number | null; out: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-shell-'));
  dirs.push(dir);
  const [node, entry] = cli('shell');
  const child = spawn(node, [...entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 'pulje.db')}`, PULJE_DEMO: 'true', PULJE_LOCALE: 'da' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(`${input.join('\n')}\n`);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('npm run shell', () => {
  it('plays the demo in a terminal: help, an idea through its form, a refusal in plain words, another person', async () => {
    const { code, out } = await shell(
      ['/help', '/propose', 'Bænke i gården', 'To nye bænke ved boldbanen', '2500', '', '/vote', ':as Lene', '/proposals', ':quit'],
      ['--as', 'Amina'],
    );
    expect(code).toBe(0);
    expect(out).toContain('Amina (demo) in DEMO: Ungepuljen Nørrebro');
    expect(out).toContain('/foreslå [pris] [titel]');
    expect(out).toContain('Tak! Din idé er med som #4.');
    expect(out).toContain('Det kan ikke lade sig gøre nu: runden er i fasen "idéer"');
    expect(out).toContain('now Lene (pædagog, demo)');
    expect(out).toMatch(/#4 Bænke i gården: 2\.500 kr\./);
  });
});
