import { describe, expect, it } from 'vitest';
import { knowCommands } from '../../adapters/slack/commands.ts';
import { SLACK_LIMITS } from '../../adapters/slack/limits.ts';
import { renderHome, renderMessage, renderModal } from '../../adapters/slack/render.ts';
import { fitForm, fitMessage, type Card } from '../../src/conversation/index.ts';
import { mrkdwnTexts } from '../support/slack/block-kit.ts';
import { validateMessageBlocks, validateView } from '../support/slack/index.ts';

const long = (n: number, ch = 'ø') => ch.repeat(n);
/** Text full of what mrkdwn treats specially: it grows when escaped (& → &amp;), so limits must count that. */
const risky = (n: number) => '<!channel>&'.repeat(Math.ceil(n / 11)).slice(0, n);

describe('Slack rendering within Block Kit limits', () => {
  it('oversized cards, fields, buttons and selects become messages Slack accepts, every piece of text escaped', () => {
    const card: Card = {
      title: risky(400),
      body: [{ text: risky(9000) }, { text: ' fed ', strong: true }, { text: '<@U1>', code: true }],
      fields: Array.from({ length: 35 }, (_, i) => ({ label: `${risky(300)} ${i}`, value: risky(3000) })),
      footer: risky(800),
      controls: [
        ...Array.from({ length: 30 }, (_, i) => ({
          kind: 'button' as const,
          action: { flow: 'menu', verb: 'b', args: [String(i)] },
          label: long(100),
          style: 'success' as const,
        })),
        {
          kind: 'select',
          action: { flow: 'menu', verb: 'pick' },
          placeholder: risky(300),
          options: Array.from({ length: 120 }, (_, i) => ({ value: `o${i}`, label: risky(200), description: risky(200) })),
        },
      ],
    };
    const messages = fitMessage({ text: risky(5000), cards: [card, card] }, SLACK_LIMITS);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      const r = renderMessage(m);
      expect(validateMessageBlocks(r.blocks)).toEqual([]);
      // Nothing a person typed survives as a live token in mrkdwn or the fallback text (plain_text is never parsed).
      for (const text of [r.text, ...mrkdwnTexts(r.blocks)]) expect(text).not.toMatch(/<!channel>|<@U1>/);
      expect(mrkdwnTexts(r.blocks).join('')).toContain('&lt;!channel&gt;&amp;');
      expect(r.text.length).toBeLessThanOrEqual(4000);
    }
  });

  it('a long list pages: each page fits, with the paging buttons', () => {
    const options = Array.from({ length: 260 }, (_, i) => ({ value: `o${i}`, label: `Forslag #${i + 1}` }));
    const card: Card = {
      title: 'Menu',
      controls: [{ kind: 'select', action: { flow: 'menu', verb: 'pick' }, options }],
      paging: { action: { flow: 'menu', verb: 'page' }, page: 2 },
    };
    const [m] = fitMessage({ cards: [card] }, SLACK_LIMITS);
    const r = renderMessage(m!);
    expect(validateMessageBlocks(r.blocks)).toEqual([]);
    expect(JSON.stringify(r.blocks)).toContain('Forslag #201');
    expect(JSON.stringify(r.blocks)).not.toContain('Forslag #1"');
  });

  it('a form is a modal Slack accepts (title and submit ≤24, inputs by name); the Home tab too', () => {
    const form = fitForm(
      {
        action: { flow: 'idea', verb: 'new' },
        title: 'En meget lang titel på en formular',
        submitLabel: 'Send din idé til gruppen nu',
        inputs: [
          { name: 'title', label: risky(400), kind: 'short', required: true, maxLength: 80, initial: 'Nye bænke' },
          { name: 'description', label: 'Hvorfor?', kind: 'long', placeholder: risky(300) },
          { name: 'cost', label: 'Pris', kind: 'number', maxLength: 20 },
        ],
      },
      SLACK_LIMITS,
    );
    const view = renderModal(form, { c: 'C1', s: '123.456', e: 1, r: 'https://hooks.slack.com/x' });
    expect(validateView(view, 'modal')).toEqual([]);
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'description', 'cost']);
    const home = renderHome(fitMessage({ cards: [{ title: 'Klubben', body: risky(5000) }] }, SLACK_LIMITS));
    expect(validateView(home, 'home')).toEqual([]);
  });

  it('commands are spelled the Slack way (/pulje propose), counted in the limits; paths and URLs are left alone', () => {
    knowCommands(['help', 'propose']);
    const text = 'Skriv /help eller (/propose), og/eller https://pulje.example.dk/help og /ukendt.';
    const [m] = fitMessage(
      { text, cards: [{ title: 'Hjælp', fields: [{ label: '/propose <kr.> [titel]', value: 'Kom med en idé' }] }] },
      SLACK_LIMITS,
    );
    const r = renderMessage(m!);
    expect(r.text).toBe('Skriv /pulje help eller (/pulje propose), og/eller https://pulje.example.dk/help og /ukendt.');
    expect(JSON.stringify(r.blocks)).toContain('*/pulje propose &lt;kr.&gt; [titel]*');
    expect(SLACK_LIMITS.measure!('/help')).toBe('/pulje help'.length);
  });
});
