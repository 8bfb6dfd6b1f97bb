import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as program } from '../support/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const assen = 'test/fixtures/pabulib/Netherlands_Assen_2024.pb';

function cli(...args: string[]) {
  const r = spawnSync(program('tally')[0], [...program('tally')[1], ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'pulje-tally-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = join(dir, 'small.pb');
writeFileSync(
  small,
  [
    'META',
    'key;value',
    'budget;1000',
    'vote_type;approval',
    'rule;greedy-threshold',
    'min_project_score_threshold;2',
    'PROJECTS',
    'project_id;cost',
    'a;600',
    'b;500',
    'c;300',
    'd;100',
    'VOTES',
    'voter_id;vote',
    '1;a,b,c,d',
    '2;a,b,c',
    '3;a,b',
    '4;a',
    '',
  ].join('\n'),
);

describe('scripts/tally.ts', () => {
  it('--json prints exactly one JSON object: the file’s rule (Assen: equal shares with add1)', () => {
    const r = cli(assen, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { selected: string[]; totalCost: number };
    expect(Object.keys(out)).toEqual(['selected', 'totalCost']);
    expect([...out.selected].sort()).toEqual(['11', '12', '13', '14', '2', '3', '5', '6', '9']);
    expect(out.totalCost).toBe(76700);
  });

  it('flags override META; selected is in selection order', () => {
    const none = JSON.parse(cli(assen, '--completion', 'none', '--json').stdout) as { selected: string[]; totalCost: number };
    expect(none.totalCost).toBe(60700);
    const threshold = JSON.parse(cli(small, '--json').stdout);
    expect(threshold).toEqual({ selected: ['a', 'c'], totalCost: 900 });
    expect(JSON.parse(cli(small, '--threshold', '1', '--json').stdout)).toEqual({ selected: ['a', 'c', 'd'], totalCost: 1000 });
    expect(JSON.parse(cli(small, '--rule=greedy-no-skip', '--json').stdout)).toEqual({ selected: ['a'], totalCost: 600 });
  });

  it('prints a readable summary without --json', () => {
    const r = cli(small, '--rule', 'greedy');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 selected, total cost 1,000');
    expect(r.stdout).toMatch(/1\. a\s+600\s+4 votes/);
  });

  for (const args of [['--rule', 'bogus', assen], [assen, '--frobnicate'], [], ['does-not-exist.pb'], [small, '--threshold', '-3']]) {
    it(`bad arguments (${args.join(' ') || 'none'}) → one line on stderr, exit code 2`, () => {
      const r = cli(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tally: /);
    });
  }

  it('a file that cannot be parsed → exit code 1', () => {
    const broken = join(dir, 'broken.pb');
    writeFileSync(broken, 'META\nkey;value\nbudget;x\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n');
    const r = cli(broken, '--rule', 'greedy', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/budget/);
  });
});

describe('real files never crash the CLI (hand-written files with the quirks of real ones)', () => {
  const quirk = (name: string) => `test/fixtures/pabulib/quirks/${name}`;

  it('money with grosze (Kraków 2023–2025): tallied, totals in the file’s unit with its decimals', () => {
    const r = cli(quirk('decimals.pb'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tally: .*decimals\.pb: warning: amounts have decimals/);
    const out = JSON.parse(r.stdout) as { selected: string[]; totalCost: number };
    // Every funded project's cost in PLN with grosze, summed exactly.
    const costs: Record<string, number> = { '1': 50000050, '2': 70000000, '3': 64999999, '4': 90000010 };
    expect(out.totalCost).toBe(out.selected.reduce((sum, id) => sum + costs[id]!, 0) / 100);
    expect(out.totalCost).toBeLessThanOrEqual(1647263.73);
    expect(cli(quirk('decimals.pb')).stdout).toMatch(/total cost [\d,]+\.\d\d PLN/);
  });

  it('a ballot naming a project twice (Warszawa 2026 Błonia Wilanowskie): counted once, one warning line on stderr', () => {
    const r = cli(quirk('repeated-id.pb'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `tally: ${quirk('repeated-id.pb')}: warning: a project named twice in one ballot; counted once (line 14: 1481)`,
    ]);
    expect(JSON.parse(r.stdout)).toEqual({ selected: ['1481', '1482'], totalCost: 900 });
  });

  for (const name of ['odd.pb', 'ranked.pb', 'points.pb', 'choose-1.pb']) {
    it(`${name}: warnings on stderr, a result on stdout, exit 0`, () => {
      const r = cli(quirk(name), '--rule', 'greedy', '--json');
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: /);
      expect(JSON.parse(r.stdout)).toHaveProperty('selected');
    });
  }

  it('Equal Shares on ranked ballots is tallied (pabutools’ utilities), not refused', () => {
    const r = cli('test/fixtures/pabulib/Poland_Krakow_2024.pb', '--rule', 'equal-shares', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { selected: string[] }).selected.length).toBeGreaterThan(0);
  });
});

describe('npm run tally -- --help', () => {
  it('prints the usage on stdout and exits 0, tallying nothing', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run --silent tally -- <file.pb>/);
    expect(r.stdout).toContain('--completion none|greedy|add1|add1-exhaustive');
    expect(r.stderr).toBe('');
  });
});
