import { describe, expect, it } from 'vitest';
import {
  FitError,
  fitForm,
  fitMessage,
  fitReply,
  limitViolations,
  type Card,
  type FittedMessage,
  type MessageBody,
  type SurfaceLimits,
  discord,
  renderSpans,
  type Markup,
} from '../../src/conversation/index.ts';
import { discordLike, rng, slackLike, tiny } from './surfaces.ts';
import { DISCORD_LIMITS } from '../../adapters/discord/limits.ts';
import { SLACK_LIMITS } from '../../adapters/slack/limits.ts';
import { WEB_LIMITS } from '../../adapters/web/limits.ts';

const SURFACES: Array<[string, Readonly<SurfaceLimits>]> = [
  ['discord-like', discordLike],
  ['slack-like', slackLike],
  ['tiny', tiny],
];
const squash = (s: string) => s.replace(/\s+/g, '');
const action = { flow: 'test', verb: 'do' };

function randomBody(seed: number, paged: boolean): MessageBody {
  const r = rng(seed);
  const cards: Card[] = [];
  for (let c = r.int(0, 3); c > 0; c--) {
    const fields = Array.from({ length: r.int(0, r.pick([3, 30, 80])) }, (_, i) => ({
      label: `#${i} ${r.text(6)}`,
      value: r.text(r.pick([3, 40, 300])),
    }));
    const options = Array.from({ length: r.int(0, r.pick([3, 30, 130])) }, (_, i) => ({
      value: `opt-${i}`,
      label: r.text(8) || `o${i}`,
      description: r.text(10),
    }));
    const buttons = Array.from({ length: r.int(0, paged ? 2 : 12) }, (_, i) => ({
      kind: 'button' as const,
      action: { ...action, args: [`b${c}x${i}`] },
      label: r.text(12) || 'ok',
    }));
    const card: Card = {
      title: r.text(20),
      body: r.text(r.pick([5, 100, 900])),
      fields,
      controls: [
        ...buttons,
        ...(options.length ? [{ kind: 'select' as const, action: { ...action, args: [`s${c}`] }, options, maxValues: r.int(1, 40) }] : []),
      ],
      footer: r.text(10),
    };
    if (paged) card.paging = { action: { flow: 'test', verb: 'page', args: [`c${c}`] }, page: 0 };
    cards.push(card);
  }
  return { text: r.next() < 0.5 ? r.text(r.pick([0, 50, 700])) : r.spans(r.pick([3, 40, 300])), cards };
}

function expectWithin(messages: FittedMessage[], limits: Readonly<SurfaceLimits>, seed: number) {
  for (const m of messages) expect(limitViolations(m, limits), `seed ${seed}`).toEqual([]);
}

const allFields = (ms: FittedMessage[]) => ms.flatMap((m) => m.cards.flatMap((c) => c.fields));
const allOptions = (ms: FittedMessage[]) =>
  ms.flatMap((m) => m.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'select' ? r.select.options.map((o) => o.value) : []))));
const allButtons = (ms: FittedMessage[]) =>
  ms.flatMap((m) => m.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons.map((b) => b.id) : []))));

describe('fitMessage', () => {
  for (const [name, limits] of SURFACES) {
    it(`${name}: random messages never exceed a limit and lose no field, option, button or word`, () => {
      for (let seed = 1; seed <= 250; seed++) {
        const body = randomBody(seed, false);
        const messages = fitMessage(body, limits);
        expectWithin(messages, limits, seed);
        const cards = body.cards ?? [];
        expect(allFields(messages).length, `seed ${seed}`).toBe(cards.reduce((n, c) => n + (c.fields?.length ?? 0), 0));
        expect(allOptions(messages), `seed ${seed}`).toEqual(
          cards.flatMap((c) => (c.controls ?? []).flatMap((x) => (x.kind === 'select' ? x.options.map((o) => o.value) : []))),
        );
        expect(allButtons(messages).length).toBe(
          cards.reduce((n, c) => n + (c.controls ?? []).filter((x) => x.kind === 'button').length, 0),
        );
        const text = messages.flatMap((m) => m.text.map((s) => s.text)).join('');
        const original =
          typeof body.text === 'string' ? body.text : (body.text ?? []).map((x) => (typeof x === 'string' ? x : x.text)).join('');
        expect(squash(text), `seed ${seed}`).toBe(squash(original));
      }
    });

    it(`${name}: a paged card shows every item exactly once across its pages, each page within limits`, () => {
      for (let seed = 1; seed <= 120; seed++) {
        const body = randomBody(seed, true);
        for (const [ci, card] of (body.cards ?? []).entries()) {
          const seenFields: string[] = [];
          const seenOptions: string[] = [];
          let pages = 1;
          for (let page = 0; page < pages; page++) {
            const messages = fitMessage({ cards: [{ ...card, paging: { ...card.paging!, page } }] }, limits);
            expect(messages, `seed ${seed} card ${ci}: one message per page`).toHaveLength(1);
            expectWithin(messages, limits, seed);
            const counter = allButtons(messages).find((id) => id.startsWith('test:page:') && id.endsWith(`~${page}`));
            if (page === 0 && counter) {
              const label = messages[0]!.cards[0]!.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])).find(
                (b) => b.id === counter,
              )!.label;
              pages = Number(label.split('/')[1]);
            }
            seenFields.push(...allFields(messages).map((f) => f.label));
            seenOptions.push(...allOptions(messages));
          }
          expect(seenFields.length, `seed ${seed}`).toBe(card.fields!.length);
          expect(seenOptions).toEqual((card.controls ?? []).flatMap((x) => (x.kind === 'select' ? x.options.map((o) => o.value) : [])));
        }
      }
    });
  }

  it('splits a long text into several messages and puts the cards after it', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sætning nummer ${i}.`).join(' ');
    const messages = fitMessage({ text, cards: [{ title: 'Kort' }] }, tiny);
    expect(messages.length).toBeGreaterThan(5);
    expect(messages.at(-1)!.cards[0]!.title).toBe('Kort');
    expect(messages[0]!.text[0]!.text).toBe('Sætning nummer 0. Sætning nummer 1.');
  });

  it('keeps emphasis on both sides of a cut', () => {
    const [first, second] = fitMessage({ text: [{ text: 'ord '.repeat(15).trim(), strong: true }] }, tiny);
    expect(first!.text[0]!.strong).toBe(true);
    expect(second!.text[0]!.strong).toBe(true);
  });

  it('shows page arrows only where they lead somewhere, with distinct ids', () => {
    const card: Card = {
      fields: Array.from({ length: 10 }, (_, i) => ({ label: `f${i}`, value: 'v' })),
      paging: { action: { flow: 'help', verb: 'page' }, page: 0 },
    };
    const labels = (page: number) =>
      fitMessage({ cards: [{ ...card, paging: { ...card.paging!, page } }] }, tiny)[0]!.cards[0]!.rows.flatMap((r) =>
        r.kind === 'buttons' ? r.buttons.map((b) => `${b.label}=${b.id}`) : [],
      );
    expect(labels(0)).toEqual(['1/4=help:page~0', '▶=help:page~1']);
    expect(labels(1)).toEqual(['◀=help:page~0', '2/4=help:page~1', '▶=help:page~2']);
    expect(labels(99)).toEqual(['◀=help:page~2', '4/4=help:page~3']);
  });
});

describe('choice lists', () => {
  /** A ballot card as the ballot flow makes it: `count` ideas as fields and list buttons, and as a choice list. */
  const ballot = (count: number, chosen: number[] = []): Card => {
    const set = (n: number, on: boolean) => ({ flow: 'ballot', verb: 'set', args: ['r1', String(n), on ? '0' : '1'] });
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    return {
      title: 'Din stemmeseddel',
      fields: numbers.slice(0, 10).map((n) => ({ label: `#${n} Idé ${n}`, value: '50 kr.' })),
      controls: [
        ...numbers.slice(0, 10).map((n) => ({ kind: 'button' as const, action: set(n, chosen.includes(n)), label: `#${n}`, list: true })),
        { kind: 'button', action: { flow: 'ballot', verb: 'submit', args: ['r1'] }, label: 'Send stemme', style: 'primary' },
      ],
      choices: {
        kind: 'toggle',
        summary: `Du har valgt ${chosen.length}.`,
        items: numbers.map((n) => ({
          title: `#${n} Idé ${n}`,
          detail: `50 kr. – Beskrivelse ${n}.`,
          checked: chosen.includes(n),
          chosen: chosen.includes(n),
          controls: [{ kind: 'button', action: set(n, chosen.includes(n)), label: chosen.includes(n) ? 'Fravælg' : 'Vælg' }],
        })),
      },
    };
  };
  const fitted = (card: Card, limits: Readonly<SurfaceLimits>) => {
    const messages = fitMessage({ cards: [card] }, limits);
    expect(messages).toHaveLength(1);
    expectWithin(messages, limits, 0);
    return messages[0]!.cards[0]!;
  };

  it('the web shows 140 ideas as one list with a search box, every idea with its own control, what was chosen marked', () => {
    const card = fitted(ballot(140, [7, 120]), WEB_LIMITS);
    expect(card.choices?.search).toBe(true);
    expect(card.choices!.items).toHaveLength(140);
    expect(card.choices!.items[119]).toEqual({
      title: '#120 Idé 120',
      detail: '50 kr. – Beskrivelse 120.',
      checked: true,
      chosen: true,
      buttons: [{ kind: 'button', id: 'ballot:set:r1:120:0', label: 'Fravælg', style: 'secondary', disabled: false }],
    });
    expect(card.choices!.items.filter((i) => i.chosen).map((i) => i.title)).toEqual(['#7 Idé 7', '#120 Idé 120']);
    expect(new Set(card.choices!.items.map((i) => i.buttons[0]!.id)).size).toBe(140);
  });

  it('up to 100 ideas need no search box; over 300 the web gets the paged ballot, as Discord and Slack always do', () => {
    expect(WEB_LIMITS.choiceSearchOver).toBe(100);
    expect(WEB_LIMITS.choiceItems).toBe(300);
    const hundred = fitted(ballot(100), WEB_LIMITS);
    expect(hundred.choices?.items).toHaveLength(100);
    expect(hundred.choices!.search).toBeUndefined();
    expect(fitted(ballot(101), WEB_LIMITS).choices?.search).toBe(true);
    expect(fitted(ballot(300), WEB_LIMITS).choices?.items).toHaveLength(300);
    for (const [count, limits] of [
      [301, WEB_LIMITS],
      [140, DISCORD_LIMITS],
      [140, SLACK_LIMITS],
      [140, discordLike],
    ] as const) {
      const card = fitted(ballot(count), limits);
      expect(card.choices).toBeUndefined();
      // The paged view stands for it: the page's fields and its buttons.
      expect(card.fields).toHaveLength(10);
      expect(card.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])).filter((b) => b.list)).toHaveLength(10);
    }
  });

  it('a choice list beyond what the surface shows is a violation', () => {
    const [message] = fitMessage({ cards: [ballot(140)] }, WEB_LIMITS);
    expect(limitViolations(message!, { ...WEB_LIMITS, choiceItems: 100 })).toEqual(['choice items: 140 > 100']);
    expect(limitViolations(message!, DISCORD_LIMITS)).toContain('choice items: 140 > 0');
  });
});

describe('rendering fitted text', () => {
  it('stays within the limit once escaped and marked up (Discord-shaped)', () => {
    const marks = {
      strong: (m: Markup<'discord'>) => discord.tag`**${m}**`,
      em: (m: Markup<'discord'>) => discord.tag`_${m}_`,
      code: (m: Markup<'discord'>) => discord.tag`\`${m}\``,
    };
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      for (const message of fitMessage({ text: r.spans(400) }, discordLike)) {
        expect(renderSpans(discord, message.text, marks).value.length, `seed ${seed}`).toBeLessThanOrEqual(discordLike.textLength);
      }
    }
  });
});

describe('fitForm', () => {
  it('shortens labels, clamps lengths and initial values, and encodes the id', () => {
    const form = fitForm(
      {
        action: { flow: 'proposal', verb: 'create', args: ['r1'] },
        title: 'Nyt forslag til puljen',
        inputs: [
          { name: 'title', label: 'Titel på dit forslag', kind: 'short', required: true, maxLength: 500, initial: 'x'.repeat(80) },
          { name: 'cost', label: 'Pris', kind: 'number', minLength: 90 },
        ],
      },
      tiny,
    );
    expect(form.id).toBe('proposal:create:r1');
    expect(form.title).toBe('Nyt forsl…');
    expect(form.inputs[0]).toMatchObject({ label: 'Titel på…', maxLength: 50, required: true });
    expect(form.inputs[0]!.initial).toHaveLength(50);
    expect(form.inputs[1]).toMatchObject({ minLength: 50, maxLength: 50, required: false });
  });
  it('refuses forms a surface cannot show rather than dropping inputs', () => {
    const inputs = ['a', 'b', 'c'].map((name) => ({ name, label: name, kind: 'short' as const }));
    expect(() => fitForm({ action, title: 'x', inputs }, tiny)).toThrow(FitError);
    expect(() => fitForm({ action, title: 'x', inputs: [inputs[0]!, inputs[0]!] }, discordLike)).toThrow(FitError);
  });
});

describe('fitReply', () => {
  it('keeps an update to one message and sends the rest as overflow', () => {
    const r = fitReply({ kind: 'update', body: { text: 'ord '.repeat(40) } }, tiny);
    expect(r.kind).toBe('update');
    if (r.kind === 'update') expect(r.overflow.length).toBeGreaterThan(0);
  });
});
