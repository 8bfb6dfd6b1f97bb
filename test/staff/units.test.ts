import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/core/paths.ts';
import { createNotifier, type NoticeChannel } from '../../src/staff/notifier.ts';
import { loadPrompts, parsePrompt, PromptError } from '../../src/staff/prompts.ts';
import { classifySituation, SITUATIONS, SPARRING_BANK } from '../../src/staff/sparring-bank.ts';
import { guardCitations } from '../../src/staff/summary-schema.ts';
import { copenhagenTime, formatDeadlineInput, parseDeadline } from '../../src/staff/time.ts';
import { parseScope } from '../../src/staff/flows.ts';

describe('Danish deadlines', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  it('reads the usual ways of writing a date and time, in Copenhagen time across summer time', () => {
    expect(parseDeadline('24.12.2026 18:00', now)?.toISOString()).toBe('2026-12-24T17:00:00.000Z');
    expect(parseDeadline('2026-07-01 12:30', now)?.toISOString()).toBe('2026-07-01T10:30:00.000Z');
    expect(parseDeadline('1/4 2026 kl. 12', now)?.toISOString()).toBe('2026-04-01T10:00:00.000Z');
    expect(parseDeadline('24/12 kl. 18', now)?.toISOString()).toBe('2026-12-24T17:00:00.000Z');
    // Without a year: the next such day; without a time: the end of the day.
    expect(parseDeadline('15.2', now)?.toISOString()).toBe('2027-02-15T22:59:00.000Z');
    expect(parseDeadline('  ', now)).toBeNull();
    for (const bad of ['31.2.2026 10:00', 'på fredag', '24.12.2026 25:00', '29.3.2026 02:30'])
      expect(parseDeadline(bad, now), bad).toBeUndefined();
  });
  it('the autumn hour that happens twice is the earlier one; the formatted value reads back the same', () => {
    expect(copenhagenTime(2026, 10, 25, 2, 30)?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const at = new Date('2026-07-01T10:30:00Z');
    expect(formatDeadlineInput(at)).toBe('01.07.2026 12:30');
    expect(parseDeadline(formatDeadlineInput(at), now)?.getTime()).toBe(at.getTime());
  });
});

describe('/summary scope', () => {
  it('days or an idea number', () => {
    expect(parseScope(undefined)).toEqual({ days: 7 });
    expect(parseScope('14')).toEqual({ days: 14 });
    expect(parseScope('3 dage')).toEqual({ days: 3 });
    expect(parseScope('#3')).toEqual({ proposalNumber: 3 });
    expect(parseScope('idé 12')).toEqual({ proposalNumber: 12 });
    expect(() => parseScope('0')).toThrow();
    expect(() => parseScope('i går')).toThrow();
  });
});

describe('prompt templates', () => {
  it('every template in prompts/ has a versioned header and the placeholders its code fills', () => {
    const prompts = loadPrompts();
    expect(prompts.all.map((p) => p.id).sort()).toEqual(['sparring.da@1', 'sparring.en@1', 'summary.da@1', 'summary.en@1']);
    const text = prompts.render('summary', 'en', { fence: 'FENCE', group: 'The Club' }).text;
    expect(text).toContain('discussion for The Club');
    expect(text.endsWith('FENCE')).toBe(true);
  });
  it('a broken template stops start-up with one line naming the file and the problem', () => {
    const good = readFileSync(path.join(ROOT, 'prompts/summary.da.txt'), 'utf8');
    expect(() => parsePrompt(good.replace('version: 1', 'version: x'), 'summary.da.txt')).toThrow(/summary.da.txt: header version/);
    expect(() => parsePrompt(good.replace('{{fence}}', ''), 'summary.da.txt')).toThrow('summary.da.txt: missing placeholder {{fence}}');
    expect(() => parsePrompt(`${good}\n{{secret}}`, 'summary.da.txt')).toThrow('unknown placeholder {{secret}}');
    expect(() => parsePrompt(good.replace(/^---\n/, ''), 'summary.da.txt')).toThrow(PromptError);
    const dir = mkdtempSync(path.join(tmpdir(), 'prompts-'));
    for (const f of readdirSync(path.join(ROOT, 'prompts'))) writeFileSync(path.join(dir, f), readFileSync(path.join(ROOT, 'prompts', f)));
    writeFileSync(path.join(dir, 'sparring.en.txt'), readFileSync(path.join(ROOT, 'prompts/sparring.da.txt')));
    expect(() => loadPrompts(dir)).toThrow('sparring.en.txt: the header says sparring.da; name the file so');
  });
});

describe('the citation guard', () => {
  it('drops invented ids, and points left without a valid one; caps what a model sends', () => {
    const sent = new Set(['m1', 'm2']);
    const { content, report } = guardCitations(
      {
        themes: [
          { title: 'Bænke', cites: ['m1', 'm1', 'm9'] },
          { title: 'Opdigtet', cites: ['m9'] },
          { title: '  ', cites: ['m2'] },
        ],
        agreements: Array.from({ length: 8 }, (_, i) => ({ text: `punkt ${i}`, cites: ['m2'] })),
        disagreements: [{ text: 'x'.repeat(500), cites: ['m1'] }],
        openQuestions: [{ text: 'Hvad med lys?', cites: [] }],
      },
      sent,
    );
    expect(content.themes).toEqual([{ title: 'Bænke', cites: ['m1'] }]);
    expect(content.agreements).toHaveLength(6);
    expect(content.disagreements[0]!.text).toHaveLength(300);
    expect(content.openQuestions).toEqual([]);
    expect(report).toEqual({ droppedPoints: 5, invalidCitations: 2 });
  });
});

describe('sparring question bank', () => {
  it('recognises situations in both languages, and every entry asks open questions in both', () => {
    expect(classifySituation('Gruppen vil bruge alle pengene på en PlayStation')).toBe('all_on_one');
    expect(classifySituation('The group wants to spend all the money on an Xbox')).toBe('all_on_one');
    expect(classifySituation('De vil købe øl til festen')).toBe('not_feasible');
    expect(classifySituation('To piger skændes hele tiden om idéerne')).toBe('conflict');
    expect(classifySituation('Ingen siger noget til møderne')).toBe('quiet');
    expect(classifySituation('Hvad gør jeg?')).toBe('general');
    for (const locale of ['da', 'en'] as const)
      for (const s of SITUATIONS) {
        const a = SPARRING_BANK[locale][s];
        expect(a.questions.length, `${locale} ${s}`).toBeGreaterThanOrEqual(3);
        expect(
          a.questions.every((q) => q.endsWith('?')),
          `${locale} ${s}`,
        ).toBe(true);
        expect(a.options.length).toBeGreaterThanOrEqual(2);
      }
  });
});

describe('the notifier', () => {
  it('announces in every bound place a surface serves; a private notice tries Discord, then the web room', async () => {
    const sent: string[] = [];
    const channel = (platform: 'web' | 'discord', result: 'sent' | 'closed'): NoticeChannel => ({
      platform,
      announce: async (channelId) => Boolean(sent.push(`${platform} announce ${channelId}`)),
      notify: async (personId) => {
        sent.push(`${platform} notify ${personId}`);
        return result;
      },
    });
    const directory = {
      conversationsOf: async () => [
        { platform: 'discord' as const, channelId: 'c1' },
        { platform: 'slack' as const, channelId: 's1' },
        { platform: 'web' as const, channelId: 'g1' },
      ],
      accountOf: async (personId: string, platform: string) => (personId === 'p1' && platform === 'discord' ? 'u1' : null),
    };
    const notifier = createNotifier([channel('web', 'sent'), channel('discord', 'closed')], directory);
    expect(await notifier.announce('g1', { text: 'x' })).toBe(2);
    expect(await notifier.notify('p1', 'g1', { text: 'x' })).toBe('sent');
    expect(await notifier.notify('p2', 'g1', { text: 'x' })).toBe('sent');
    expect(sent).toEqual(['discord announce c1', 'web announce g1', 'discord notify p1', 'web notify p1', 'web notify p2']);
  });
});
