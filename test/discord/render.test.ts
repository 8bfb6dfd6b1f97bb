import { describe, expect, it } from 'vitest';
import { fitChoices } from '../../adapters/discord/interactions.ts';
import { DISCORD_LIMITS } from '../../adapters/discord/limits.ts';
import { asCreate, asEdit, renderMessage, renderModal, renderSpans, threadName } from '../../adapters/discord/render.ts';
import { fitForm, fitMessage, type Card, type Control } from '../../src/conversation/index.ts';
import { checkMessageLimits, checkModalLimits } from '../support/discord/limits.ts';
import { rng } from '../conversation/surfaces.ts';

describe('rendering for Discord', () => {
  it('puts marks around the text and whitespace outside them; code keeps its text but loses backticks', () => {
    expect(renderSpans([{ text: ' fed ', strong: true }, { text: 'og ' }, { text: 'skrå', em: true }])).toBe(' **fed** og *skrå*');
    expect(renderSpans([{ text: 'a*b', strong: true, em: true }])).toBe('***a\\*b***');
    expect(renderSpans([{ text: 'K7Q `x` @all \\n', code: true }])).toBe('`K7Q ˋxˋ @all \\n`');
    expect(renderSpans([{ text: '   ', strong: true }])).toBe('   ');
  });

  it('escapes an ordered-list marker at the start of a line (Discord would renumber it), and counts the backslash', () => {
    const text = '1. Skatepark\n  2. Bænke\n3.5 kr. og 4.\tslut';
    expect(renderSpans([{ text }])).toBe('1\\. Skatepark\n  2\\. Bænke\n3.5 kr. og 4.\tslut');
    expect(renderSpans([{ text: '7. plads', strong: true }])).toBe('**7\\. plads**');
    expect(renderSpans([{ text: 'nr. 1. plads' }])).toBe('nr. 1. plads');
    for (const t of [text, '7. plads', '\n 12. x']) expect(DISCORD_LIMITS.measure!(t)).toBe(renderSpans([{ text: t }]).length);
  });

  it('leaves out empty parts of a new message, and clears them in an edit', () => {
    const [plain] = fitMessage({ text: 'Hej' }, DISCORD_LIMITS);
    expect(asCreate(renderMessage(plain!))).toEqual({ content: 'Hej', embeds: [], components: [], allowedMentions: { parse: [] } });
    const [card] = fitMessage({ cards: [{ title: 'Titel' }] }, DISCORD_LIMITS);
    expect(asCreate(renderMessage(card!))).not.toHaveProperty('content');
    expect(asEdit(renderMessage(card!))).toMatchObject({ content: '', embeds: [{ title: 'Titel' }], components: [] });
    const [empty] = fitMessage({}, DISCORD_LIMITS);
    expect(asEdit(renderMessage(empty!)).content).toBe('\u200b');
  });

  it('a card of controls alone is no embed; a DM copy has no controls', () => {
    const controls: Control[] = [{ kind: 'button', action: { flow: 'a', verb: 'b' }, label: 'OK' }];
    const [m] = fitMessage({ cards: [{ controls }] }, DISCORD_LIMITS);
    expect(renderMessage(m!)).toMatchObject({
      embeds: [],
      components: [{ type: 1, components: [{ type: 2, label: 'OK', custom_id: 'a:b', style: 2, disabled: false }] }],
    });
    expect(renderMessage(m!, { controls: false }).components).toEqual([]);
  });

  it('drops a control that repeats one earlier in the message, since Discord would refuse the whole message', () => {
    const vote: Control = { kind: 'button', action: { flow: 'ballot', verb: 'open', args: ['r1'] }, label: 'Stem' };
    const [m] = fitMessage(
      {
        cards: [
          { title: 'A', controls: [vote] },
          { title: 'B', controls: [vote, { ...vote, action: { ...vote.action, args: ['r2'] } }] },
        ],
      },
      DISCORD_LIMITS,
    );
    const rows = renderMessage(m!).components;
    expect(rows.map((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')))).toEqual([
      ['ballot:open:r1'],
      ['ballot:open:r2'],
    ]);
    expect(checkMessageLimits({ ...renderMessage(m!), allowed_mentions: { parse: [] } })).toEqual([]);
  });

  it("forms become modals within Discord's limits", () => {
    const form = fitForm(
      {
        action: { flow: 'idea', verb: 'new' },
        title: 'En meget lang titel på en formular der ikke kan være der',
        inputs: [
          {
            name: 'title',
            label: 'Titel på idéen, gerne kort og præcist formuleret',
            kind: 'short',
            required: true,
            minLength: 3,
            maxLength: 120,
            initial: 'x'.repeat(200),
          },
        ],
      },
      DISCORD_LIMITS,
    );
    const modal = renderModal(form);
    expect(checkModalLimits(modal)).toEqual([]);
    expect(modal.title.length).toBeLessThanOrEqual(45);
    // The current component form: a Label around each text input (the input itself has no label).
    expect(modal.components[0]).toEqual({
      type: 18,
      label: 'Titel på idéen, gerne kort og præcist…',
      component: { type: 4, custom_id: 'title', style: 1, required: true, min_length: 3, max_length: 120, value: 'x'.repeat(120) },
    });
  });

  it('thread names and autocomplete choices fit', () => {
    expect(threadName('  #1   Skatepark\n ved hallen ')).toBe('#1 Skatepark ved hallen');
    expect(threadName('x'.repeat(300))).toHaveLength(100);
    const choices = fitChoices([
      { label: 'a', value: 'same' },
      { label: 'b', value: 'same' },
      { label: '  ', value: 'blank' },
      ...Array.from({ length: 30 }, (_, i) => ({ label: `c${i}`, value: `v${i}` })),
    ]);
    expect(choices).toHaveLength(25);
    expect(choices.slice(0, 3)).toEqual([
      { name: 'a', value: 'same' },
      { name: '…', value: 'blank' },
      { name: 'c0', value: 'v0' },
    ]);
  });

  it('random messages, fitted and rendered, never break a documented Discord limit', () => {
    const r = rng(20261123);
    for (let round = 0; round < 300; round++) {
      const cards: Card[] = Array.from({ length: r.int(0, 12) }, (_, c) => ({
        title: r.text(60),
        body: r.spans(40),
        fields: Array.from({ length: r.int(0, 30) }, () => ({ label: r.text(40) || 'x', value: r.text(300), inline: r.next() < 0.5 })),
        footer: r.text(30),
        tone: r.pick(['neutral', 'info', 'success', 'warning', 'danger'] as const),
        controls: Array.from(
          { length: r.int(0, 14) },
          (_, i): Control =>
            r.next() < 0.8
              ? { kind: 'button', action: { flow: 'f', verb: 'v', args: [String(c), String(i)] }, label: r.text(20) || 'b' }
              : {
                  kind: 'select',
                  action: { flow: 'f', verb: 's', args: [String(c), String(i)] },
                  options: Array.from({ length: r.int(1, 40) }, (_, j) => ({
                    value: `o${j}`,
                    label: r.text(30) || 'o',
                    description: r.text(30),
                  })),
                },
        ),
      }));
      for (const message of fitMessage({ text: r.spans(30), cards }, DISCORD_LIMITS)) {
        const body = asCreate(renderMessage(message));
        const wire = { ...body, allowed_mentions: body.allowedMentions };
        expect(checkMessageLimits(wire), `round ${round}`).toEqual([]);
      }
    }
  });
});
