import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPb,
  parsePb,
  PbParseError,
  pbBallots,
  pbMethod,
  pbProjects,
  pbToTallyInput,
  writePb,
  type PbElection,
} from '../../src/pabulib/index.ts';
import { tally, type TallyInput } from '../../src/tally/index.ts';

const dir = new URL('../fixtures/pabulib/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.pb'));

const messy =
  '\uFEFFmeta\r\n' +
  'key;value\r\n' +
  'description;"Ungdomsrådet; Aarhus ""2025"""\r\n' +
  'budget;1000\r\n' +
  'vote_type;approval\r\n' +
  'rule;greedy\r\n' +
  '\r\n' +
  'PROJECTS;;\r\n' +
  'project_id;cost;name\r\n' +
  '11;600;"Skaterbane\r\nved havnen"\r\n' +
  '2;500;Café\r\n' +
  'BO.OM.97/24;300\r\n' + // short row: padded
  'VOTES\r\n' +
  'voter_id;vote\r\n' +
  '1;11,2\r\n' +
  '2;"2, BO.OM.97/24"\r\n' +
  '3;\r\n';

describe('parsePb', () => {
  it('reads messy input: BOM, CRLF, quotes with ; and "" and line breaks, blank lines, short rows, odd section lines', () => {
    const e = parsePb(messy);
    expect([...e.meta]).toEqual([
      ['description', 'Ungdomsrådet; Aarhus "2025"'],
      ['budget', '1000'],
      ['vote_type', 'approval'],
      ['rule', 'greedy'],
    ]);
    expect(e.projects.columns).toEqual(['project_id', 'cost', 'name']);
    expect(e.projects.rows).toEqual([
      ['11', '600', 'Skaterbane\r\nved havnen'],
      ['2', '500', 'Café'],
      ['BO.OM.97/24', '300', ''],
    ]);
    expect(e.votes.rows).toEqual([
      ['1', '11,2'],
      ['2', '2, BO.OM.97/24'],
      ['3', ''],
    ]);
    expect(e.format).toEqual({ eol: '\r\n', finalNewline: true, bom: true });
  });

  it('converts to tally input keeping file order and string ids', () => {
    const input = pbToTallyInput(parsePb(messy));
    expect(input.projects).toEqual([
      { id: '11', cost: 600 },
      { id: '2', cost: 500 },
      { id: 'BO.OM.97/24', cost: 300 },
    ]);
    expect(input.budget).toBe(1000);
    expect(input.ballots).toEqual({
      type: 'approval',
      ballots: [{ approved: ['11', '2'] }, { approved: ['2', 'BO.OM.97/24'] }, { approved: [] }],
    });
    // "2" has 2 votes; "11" and "BO.OM.97/24" tie with 1 and are taken in file order: "11" does not fit.
    const result = tally(input, pbMethod(parsePb(messy))!);
    expect(result.selected).toEqual(['2', 'BO.OM.97/24']);
    expect(result.explanations.map((e) => [e.projectId, e.outcome, e.rank])).toEqual([
      ['11', 'did_not_fit', 2],
      ['2', 'funded', 1],
      ['BO.OM.97/24', 'funded', 3],
    ]);
  });

  it('reports errors with line numbers', () => {
    expect(() => parsePb('META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\n1;2;3\nVOTES\nvoter_id;vote\n')).toThrow(/line 6/);
    expect(() => parsePb('META\nkey;value\n')).toThrow(PbParseError);
    expect(() => parsePb('hello\n')).toThrow(/line 1/);
    expect(() => parsePb('META\nkey;value\nx;"open\n')).toThrow(/unterminated/);
  });
});

describe('writePb', () => {
  for (const file of fixtures) {
    it(`round-trips ${file} byte for byte`, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const parsed = parsePb(text);
      expect(writePb(parsed)).toBe(text);
    });
  }

  it('quotes fields that need it and reads them back', () => {
    const election: PbElection = {
      meta: new Map([
        ['description', 'a;b "c"'],
        ['comment', 'line\nbreak'],
      ]),
      projects: { columns: ['project_id', 'cost', 'name'], rows: [['p;1', '5', '"quoted"']] },
      votes: {
        columns: ['voter_id', 'vote'],
        rows: [
          ['VOTES', ''],
          ['', ''],
          [' meta ', ' '],
        ],
      },
    };
    const text = writePb(election);
    expect(text).toContain('description;"a;b ""c"""\n');
    expect(text).toContain('"p;1";5;"""quoted"""\n');
    expect(text).toContain('\n"VOTES";\n;\n" meta "; \n');
    const back = parsePb(text);
    expect([...back.meta]).toEqual([...election.meta]);
    expect(back.projects).toEqual(election.projects);
    expect(back.votes).toEqual(election.votes);
    const single: PbElection = { ...election, votes: { columns: ['voter_id'], rows: [[''], ['  '], ['Projects']] } };
    expect(writePb(single)).toContain('\nvoter_id\n""\n"  "\n"Projects"\n');
    expect(parsePb(writePb(single)).votes).toEqual(single.votes);
    expect(writePb(back, { eol: '\r\n', bom: true }).startsWith('\uFEFFMETA\r\nkey;value\r\n')).toBe(true);
  });
});

describe('buildPb (exporting a finished round without identities)', () => {
  const round: TallyInput = {
    projects: [
      { id: 'skate', cost: 4500 },
      { id: 'cinema', cost: 7000 },
      { id: 'cakes', cost: 500 },
    ],
    budget: 10000,
    ballots: {
      type: 'cumulative',
      ballots: [
        {
          points: [
            ['cinema', 3],
            ['skate', 2],
          ],
        },
        { points: [['cakes', 5]], weight: 2 },
        {
          points: [
            ['skate', 5],
            ['cinema', 0],
          ],
        },
      ],
    },
  };

  it('numbers voters 1..n in a canonical order, computes votes and score, and tallies the same', () => {
    const result = tally(round, { rule: 'greedy' });
    const election = buildPb({
      meta: [
        ['description', 'Ungdomsrådet – sommer'],
        ['currency', 'DKK'],
        ['rule', 'greedy'],
      ],
      budget: round.budget,
      projects: round.projects.map((p) => ({
        ...p,
        name: `Projekt ${p.id}`,
        selected: result.selected.includes(p.id),
        extra: [['category', 'fritid']],
      })),
      ballots: round.ballots,
    });
    const text = writePb(election);
    expect(text).toBe(
      [
        'META',
        'key;value',
        'description;Ungdomsrådet – sommer',
        'currency;DKK',
        'rule;greedy',
        'num_projects;3',
        'num_votes;4',
        'budget;10000',
        'vote_type;cumulative',
        'PROJECTS',
        'project_id;cost;votes;score;name;selected;category',
        'skate;4500;2;7;Projekt skate;1;fritid',
        'cinema;7000;1;3;Projekt cinema;0;fritid',
        'cakes;500;2;10;Projekt cakes;1;fritid',
        'VOTES',
        'voter_id;vote;points',
        '1;cakes;5',
        '2;cakes;5',
        '3;cinema,skate;3,2',
        '4;skate;5',
        '',
      ].join('\n'),
    );
    const back = parsePb(text);
    expect(tally(pbToTallyInput(back), pbMethod(back)!).selected).toEqual(['cakes', 'skate']);
    expect(result.selected).toEqual(['cakes', 'skate']);
  });

  it('writes ranked ballots best first with max_length so they read back with the same scores', () => {
    const ranked: TallyInput = {
      projects: round.projects,
      budget: 10000,
      ballots: { type: 'ordinal', ballots: [{ ranking: ['cinema', 'skate', 'cakes'] }, { ranking: ['skate'] }] },
    };
    const back = parsePb(writePb(buildPb({ budget: 10000, projects: ranked.projects, ballots: ranked.ballots, voterOrder: 'given' })));
    expect(pbBallots(back)).toEqual({ ...ranked.ballots, scores: [3, 2, 1] });
    expect(tally(pbToTallyInput(back), { rule: 'greedy' }).explanations.map((e) => e.support)).toEqual(
      tally(ranked, { rule: 'greedy' }).explanations.map((e) => e.support),
    );
  });

  it('refuses computed META keys and unknown ids', () => {
    expect(() => buildPb({ meta: [['budget', '1']], budget: 1, projects: [], ballots: { type: 'approval', ballots: [] } })).toThrow(
      /computed/,
    );
    expect(() =>
      buildPb({ budget: 1, projects: [{ id: 'a', cost: 1 }], ballots: { type: 'approval', ballots: [{ approved: ['b'] }] } }),
    ).toThrow(/unknown project/);
  });
});

describe('META rule mapping', () => {
  const withRule = (rule: string, extra = ''): PbElection =>
    parsePb(`META\nkey;value\nbudget;10\nrule;${rule}\n${extra}PROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n`);
  it('maps the pabulib rule names', () => {
    expect(pbMethod(withRule('greedy'))).toEqual({ rule: 'greedy', tieBreak: 'order' });
    expect(pbMethod(withRule('greedy-no-skip'))).toEqual({ rule: 'greedy-no-skip', tieBreak: 'order' });
    expect(pbMethod(withRule('greedy-threshold', 'min_project_score_threshold;25\n'))).toEqual({
      rule: 'greedy-threshold',
      threshold: 25,
      tieBreak: 'order',
    });
    expect(pbMethod(withRule('equalshares'))).toMatchObject({ rule: 'equal-shares', completion: 'none' });
    expect(pbMethod(withRule('equalshares/add1'))).toMatchObject({ rule: 'equal-shares', completion: 'add1' });
    expect(pbMethod(withRule('unknown'))).toBeUndefined();
    expect(() => pbMethod(withRule('greedy-threshold'))).toThrow(/min_project_score_threshold/);
  });
  it('rejects non-integer costs', () => {
    const e = parsePb('META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;1.5\nVOTES\nvoter_id;vote\n');
    expect(() => pbProjects(e)).toThrow(/whole number/);
  });
});
