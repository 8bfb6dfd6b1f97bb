import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePb, pbMoneyDecimals, pbToTallyInput, PbReadError, readPb } from '../../src/pabulib/index.ts';
import { prepare } from '../../src/tally/prepare.ts';
import { tallyPrepared } from '../../src/tally/tally.ts';

const dir = new URL('../fixtures/pabulib/', import.meta.url);
const quirks = new URL('../fixtures/pabulib/quirks/', import.meta.url);
const quirk = (name: string) => readFileSync(new URL(name, quirks), 'utf8');
const entries = (r: ReturnType<typeof readPb>) => {
  const p = r.prepared;
  return Array.from({ length: p.ballotWeight.length }, (_, b) =>
    Array.from({ length: p.ballotStart[b + 1]! - p.ballotStart[b]! }, (_, i) => {
      const e = p.ballotStart[b]! + i;
      return [p.ids[p.entryProject[e]!], p.entryValue[e]];
    }),
  );
};

describe('readPb on the real files: the same ballots as parsePb + pbToTallyInput, and no warnings', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pb'))) {
    it(file, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const fast = readPb(text);
      const slow = prepare(pbToTallyInput(parsePb(text)));
      expect(fast.warnings).toEqual([]);
      expect(fast.prepared.ids).toEqual(slow.ids);
      expect([...fast.prepared.costs]).toEqual([...slow.costs]);
      expect(fast.prepared.budget).toBe(slow.budget);
      expect(fast.prepared.type).toBe(slow.type);
      expect([...fast.prepared.ballotStart]).toEqual([...slow.ballotStart]);
      expect([...fast.prepared.entryProject]).toEqual([...slow.entryProject]);
      expect([...fast.prepared.entryValue]).toEqual([...slow.entryValue]);
      expect([...fast.prepared.support]).toEqual([...slow.support]);
    });
  }
});

describe('readPb: oddities of real files are warnings, not errors', () => {
  it('money with grosze (Kraków 2023–2025): every amount scaled to one minor unit, exactly', () => {
    const r = readPb(quirk('decimals.pb'));
    expect(r.moneyDecimals).toBe(2);
    expect(r.moneyScale).toBe(100);
    expect(r.prepared.budget).toBe(164726373);
    expect([...r.prepared.costs]).toEqual([50000050, 70000000, 64999999, 90000010]);
    expect(r.warnings).toEqual([expect.stringMatching(/^amounts have decimals; counted in units of 1\/100/)]);
    // The strings' reader scales the same way.
    expect(pbMoneyDecimals(parsePb(quirk('decimals.pb')))).toBe(2);
    expect(prepare(pbToTallyInput(parsePb(quirk('decimals.pb')))).budget).toBe(164726373);
  });

  it('scaling leaves Equal Shares unchanged: the same file in whole grosze buys the same projects', () => {
    const text = quirk('decimals.pb');
    const inGrosze = text
      .replace('budget;1647263.73', 'budget;164726373')
      .replace('1;500000.5;', '1;50000050;')
      .replace('2;700000;', '2;70000000;')
      .replace('3;649999.99;', '3;64999999;')
      .replace('4;900000.10;', '4;90000010;');
    const scaled = readPb(text);
    const whole = readPb(inGrosze);
    expect(whole.moneyScale).toBe(1);
    for (const completion of ['none', 'add1'] as const) {
      const a = tallyPrepared(scaled.prepared, { rule: 'equal-shares', completion }, { add1Step: scaled.moneyScale });
      const b = tallyPrepared(whole.prepared, { rule: 'equal-shares', completion }, { add1Step: 100 });
      expect(a.selected).toEqual(b.selected);
      expect(a.totalCost).toBe(b.totalCost);
      expect(a.equalShares!.perVoterBudget).toEqual(b.equalShares!.perVoterBudget);
    }
  });

  it('a project named twice in an approval ballot (Warszawa 2026 Błonia Wilanowskie) is counted once', () => {
    const r = readPb(quirk('repeated-id.pb'));
    expect(entries(r)[0]).toEqual([
      ['1481', 1],
      ['1482', 1],
    ]);
    expect(r.warnings).toEqual(['a project named twice in one ballot; counted once (line 14: 1481)']);
    const result = tallyPrepared(r.prepared, { rule: 'greedy', tieBreak: 'order' });
    expect(result.selected).toEqual(['1481', '1482']);
    expect(result.explanations.map((e) => e.voters)).toEqual([2, 1, 1]);
  });

  it('META and VOTES oddities: decimal comma, repeated keys and ids, counts, empty and unknown ids, None, long rows', () => {
    const r = readPb(quirk('odd.pb'));
    expect(r.voteType).toBe('approval');
    expect(r.prepared.ids).toEqual(['a', 'b']);
    expect([...r.prepared.costs]).toEqual([40025, 30000]);
    expect(r.prepared.budget).toBe(100050);
    expect(entries(r).map((b) => b.map(([id]) => id))).toEqual([['a', 'b'], ['a', 'b'], ['a'], ['b'], [], ['a', 'b']]);
    const text = r.warnings.join('\n');
    for (const pattern of [
      /^META key given twice, the last one is used \(budget\)$/m,
      /^META has no vote_type; read as approval/m,
      /^project ids given twice; the first is used \(b\)$/m,
      /^projects without a readable cost left out \(c: "None"\)$/m,
      /^amounts written with a decimal comma/m,
      /^amounts have decimals; counted in units of 1\/100/m,
      /^META num_votes differs from the VOTES rows \(9 vs 6\)$/m,
      /^empty ids in votes skipped: 2 entries \(first: line 17\)$/m,
      /^unknown project ids in votes skipped \(line 19: "zz"\)$/m,
      /^voter ids used twice; every row is counted \(3\)$/m,
      /^ballots shorter than min_length 2: 2 ballots/m,
      /^rows longer than their header; extra fields ignored \(line 22\)$/m,
    ]) {
      expect(text).toMatch(pattern);
    }
    expect(r.warnings).toHaveLength(12);
  });

  it('ranked ballots: a project ranked twice keeps its first place; ranks past max_length score 0', () => {
    const r = readPb(quirk('ranked.pb'));
    expect(entries(r)).toEqual([
      [
        ['x', 2],
        ['y', 1],
      ],
      [
        ['y', 2],
        ['z', 1],
        ['x', 0],
      ],
      [['z', 2]],
    ]);
    expect(r.warnings.join('\n')).toMatch(/a project ranked twice in one ballot; its first place is kept \(line 15: x\)/);
    expect(r.warnings.join('\n')).toMatch(/ballots longer than max_length 2 \(line 16\)/);
  });

  it('points: decimals scaled, the last points for a repeated project kept, mismatched lengths, negative and zero points', () => {
    const r = readPb(quirk('points.pb'));
    expect(r.pointsScale).toBe(10);
    expect(entries(r)).toEqual([
      [
        ['p', 15],
        ['q', 20],
      ],
      [['p', 30]],
      [['q', 20]],
      [],
      [['q', 10]],
    ]);
    const text = r.warnings.join('\n');
    expect(text).toMatch(/points have decimals; counted in units of 1\/10/);
    expect(text).toMatch(/a project given points twice in one ballot; the last points are kept \(line 15: p\)/);
    expect(text).toMatch(/ballots with fewer points than projects; the rest is ignored \(line 16\)/);
    expect(text).toMatch(/ballots with more points than projects; the rest is ignored \(line 18\)/);
    expect(text).toMatch(/negative points counted as no support/);
  });

  it('choose-1 ballots with two picks are read as approval, with a warning', () => {
    const r = readPb(quirk('choose-1.pb'));
    expect(r.voteType).toBe('approval');
    expect(entries(r)[1]!.map(([id]) => id)).toEqual(['k', 'l']);
    expect(r.warnings).toEqual(['choose-1 ballots naming more than one project (line 13)']);
  });

  it('only a file that cannot be tallied at all throws', () => {
    const withMeta = (meta: string, votes = 'VOTES\nvoter_id;vote\n1;a\n') =>
      `META\nkey;value\n${meta}PROJECTS\nproject_id;cost\na;5\n${votes}`;
    expect(() => readPb(withMeta('vote_type;approval\n'))).toThrow(/no budget/);
    expect(() => readPb(withMeta('budget;x\n'))).toThrow(PbReadError);
    expect(() => readPb(withMeta('budget;10\nvote_type;borda\n'))).toThrow(/unsupported vote_type "borda"/);
    expect(() => readPb(withMeta('budget;10\n', ''))).toThrow(/no VOTES section/);
    expect(() => readPb(withMeta('budget;10\n', 'VOTES\nvoter_id;ballot\n1;a\n'))).toThrow(/no vote column/);
    expect(readPb(withMeta('budget;10\n')).warnings).toEqual(['META has no vote_type; read as approval (vote_type)']);
  });
});
