import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnIndex, parsePb, pbMethod, pbSelected, pbToTallyInput, type PbElection } from '../../src/pabulib/index.ts';
import { tally, type TallyInput } from '../../src/tally/index.ts';

const dir = new URL('../fixtures/pabulib/', import.meta.url);
const cache = new Map<string, { election: PbElection; input: TallyInput }>();
function load(name: string): { election: PbElection; input: TallyInput } {
  let hit = cache.get(name);
  if (!hit) {
    const election = parsePb(readFileSync(new URL(`${name}.pb`, dir), 'utf8'));
    hit = { election, input: pbToTallyInput(election) };
    cache.set(name, hit);
  }
  return hit;
}

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('official winners (the `selected` column), rule and tie-breaking from META', () => {
  const files = [
    ['Netherlands_Assen_2024', 'equal-shares', 9],
    ['Poland_Czestochowa_2024_Polnoc', 'greedy', 14],
    ['Poland_Warszawa_2021_Mokotow', 'greedy', 22],
    ['Poland_Krakow_2024', 'greedy', 10],
    ['Poland_Lodz_2022', 'greedy-threshold', 16],
  ] as const;
  for (const [name, rule, count] of files) {
    it(`${name}: ${rule}`, () => {
      const { election, input } = load(name);
      const method = pbMethod(election)!;
      expect(method.rule).toBe(rule);
      const result = tally(input, method);
      const official = pbSelected(election);
      expect(official).toHaveLength(count);
      expect(sorted(result.selected)).toEqual(sorted(official));
      const costOf = new Map(input.projects.map((p) => [p.id, p.cost]));
      expect(result.totalCost).toBe(official.reduce((sum, id) => sum + costOf.get(id)!, 0));
      expect(result.totalCost).toBeLessThanOrEqual(input.budget);
      // Every project is explained, in file order, and "funded" matches the selection.
      expect(result.explanations.map((e) => e.projectId)).toEqual(input.projects.map((p) => p.id));
      expect(sorted(result.explanations.filter((e) => e.outcome === 'funded').map((e) => e.projectId))).toEqual(sorted(official));
    });
  }

  it('Łódź threshold comes from META min_project_score_threshold (100 votes)', () => {
    const { election } = load('Poland_Lodz_2022');
    expect(pbMethod(election)).toEqual({ rule: 'greedy-threshold', threshold: 100, tieBreak: 'order' });
  });

  it('support matches the files’ votes and score columns (Kraków 3/2/1 by rank, Częstochowa points)', () => {
    for (const name of ['Poland_Krakow_2024', 'Poland_Czestochowa_2024_Polnoc', 'Poland_Lodz_2022']) {
      const { election, input } = load(name);
      const result = tally(input, { rule: 'greedy' });
      const votes = columnIndex(election.projects, 'votes');
      const score = columnIndex(election.projects, 'score');
      election.projects.rows.forEach((row, j) => {
        const e = result.explanations[j]!;
        expect(e.voters).toBe(Number(row[votes]));
        if (score !== -1) expect(e.support).toBe(Number(row[score]));
      });
    }
  });
});

describe('Method of Equal Shares: the reference table (pabutools and equalshares.net agree)', () => {
  const table = [
    ['Netherlands_Assen_2024', 'none', 60700, '11 12 13 14 2 3 9'],
    ['Netherlands_Assen_2024', 'add1', 76700, '11 12 13 14 2 3 5 6 9'],
    [
      'Poland_Lodz_2022',
      'none',
      2987680,
      'L025 L028 L031 L038 L050 L058 L060 L081 L085 L087 L094 L095 L096 L105 L109 L115 L126 L133 L136 L138 L141 L151 L160 L163 L175 L187 L203 L204 L207',
    ],
    [
      'Poland_Lodz_2022',
      'add1',
      5985880,
      'L007 L010 L025 L028 L029 L030 L038 L039 L047 L050 L056 L058 L060 L062 L064 L082 L085 L087 L094 L095 L096 L102 L105 L109 L113 L115 L122 L126 L133 L136 L138 L141 L142 L151 L160 L161 L163 L175 L187 L203 L204 L205 L206 L207',
    ],
    [
      'Poland_Warszawa_2021_Mokotow',
      'none',
      5264695,
      '1019 1027 1062 1065 1069 1142 1194 1315 1317 1330 1332 1356 1446 1460 1480 1547 1578 1601 1728 1749 1786 1878 1990 2062 213 2161 2168 2174 226 25 457 477 498 510 632 634 762 869 88 902 971 984 989',
    ],
    [
      'Poland_Warszawa_2021_Mokotow',
      'add1',
      7063359,
      '1019 1027 1062 1065 1069 1118 1142 1194 1310 1315 1317 1330 1332 1356 137 1446 1460 1480 1547 1578 1601 1728 1749 1786 1792 1824 1878 1990 2005 2011 2022 2062 213 2161 2168 2174 226 25 379 457 477 498 506 508 510 579 630 631 632 634 7 762 869 88 902 971 984 989',
    ],
  ] as const;
  for (const [name, completion, cost, ids] of table) {
    it(`${name} ${completion}`, () => {
      const { input } = load(name);
      const result = tally(input, { rule: 'equal-shares', completion });
      expect(sorted(result.selected)).toEqual(sorted(ids.split(' ')));
      expect(result.totalCost).toBe(cost);
      if (completion === 'add1') expect(result.equalShares!.add1Steps).toBeGreaterThan(0);
      // Explanations agree with the selection and use only equal-shares outcomes.
      for (const e of result.explanations) {
        expect(['funded', 'not_enough_support', 'shares_used_up']).toContain(e.outcome);
        expect(e.outcome === 'funded').toBe(result.selected.includes(e.projectId));
      }
    });
  }

  it('Assen add1 per-voter budget is a whole number of euros (add1 scan), none is B/n', () => {
    const { input } = load('Netherlands_Assen_2024');
    const none = tally(input, { rule: 'equal-shares', completion: 'none' });
    expect(none.equalShares!.perVoterBudget).toEqual({ numerator: 100000n, denominator: 84n });
    const add1 = tally(input, { rule: 'equal-shares', completion: 'add1' });
    expect(add1.equalShares!.perVoterBudget.denominator).toBe(1n);
    expect(add1.equalShares!.perVoterBudget.numerator).toBe(BigInt(Math.floor(100000 / 84) + add1.equalShares!.add1Steps - 1));
  });
});
