import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../support/slack/bolt.ts';
import { LIMITS, type SlackStandIn, startSlackStandIn, validateMessageBlocks, validateView } from '../support/slack/index.ts';

const pt = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const section = (text: string) => ({ type: 'section', text: md(text) });
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'a', text: pt('Stem'), ...over });
const option = (i: number, over: Record<string, unknown> = {}) => ({ text: pt(`Mulighed ${i}`), value: `v${i}`, ...over });
const modal = (over: Record<string, unknown> = {}) => ({ type: 'modal', title: pt('Forslag'), blocks: [section('hej')], ...over });

/** The pointers of the issues, which say where Slack would point. */
const at = (issues: Array<{ pointer: string }>) => issues.map((i) => i.pointer);

describe('Block Kit validation against Slack’s documented limits (each limit: accepted at it, refused past it)', () => {
  const cases: Array<[string, (n: number) => unknown[], number, string]> = [
    ['blocks in a message', (n) => Array.from({ length: n }, () => ({ type: 'divider' })), LIMITS.messageBlocks, '/blocks'],
    ['section text', (n) => [section(x(n))], LIMITS.sectionText, '/blocks/0/text/text'],
    [
      'section fields',
      (n) => [{ type: 'section', fields: Array.from({ length: n }, () => md('f')) }],
      LIMITS.sectionFields,
      '/blocks/0/fields',
    ],
    ['section field text', (n) => [{ type: 'section', fields: [md(x(n))] }], LIMITS.sectionFieldText, '/blocks/0/fields/0/text'],
    ['header text', (n) => [{ type: 'header', text: pt(x(n)) }], LIMITS.headerText, '/blocks/0/text/text'],
    [
      'context elements',
      (n) => [{ type: 'context', elements: Array.from({ length: n }, () => md('c')) }],
      LIMITS.contextElements,
      '/blocks/0/elements',
    ],
    [
      'actions elements',
      (n) => [{ type: 'actions', elements: Array.from({ length: n }, (_, i) => button({ action_id: `a${i}` })) }],
      LIMITS.actionsElements,
      '/blocks/0/elements',
    ],
    [
      'button text',
      (n) => [{ type: 'actions', elements: [button({ text: pt(x(n)) })] }],
      LIMITS.buttonText,
      '/blocks/0/elements/0/text/text',
    ],
    ['button value', (n) => [{ type: 'actions', elements: [button({ value: x(n) })] }], LIMITS.buttonValue, '/blocks/0/elements/0/value'],
    [
      'button url',
      (n) => [{ type: 'actions', elements: [button({ url: `https://a.dk/${x(n - 13)}` })] }],
      LIMITS.buttonUrl,
      '/blocks/0/elements/0/url',
    ],
    ['action_id', (n) => [{ type: 'actions', elements: [button({ action_id: x(n) })] }], LIMITS.id, '/blocks/0/elements/0/action_id'],
    ['block_id', (n) => [{ type: 'divider', block_id: x(n) }], LIMITS.id, '/blocks/0/block_id'],
    [
      'static_select options',
      (n) => [
        {
          type: 'actions',
          elements: [
            { type: 'static_select', action_id: 's', placeholder: pt('Vælg'), options: Array.from({ length: n }, (_, i) => option(i)) },
          ],
        },
      ],
      LIMITS.selectOptions,
      '/blocks/0/elements/0/options',
    ],
    [
      'option text',
      (n) => [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: [option(1, { text: pt(x(n)) })] }] }],
      LIMITS.optionText,
      '/blocks/0/elements/0/options/0/text/text',
    ],
    [
      'option value',
      (n) => [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: [option(1, { value: x(n) })] }] }],
      LIMITS.optionValue,
      '/blocks/0/elements/0/options/0/value',
    ],
    [
      'overflow options',
      (n) => [
        {
          type: 'section',
          text: md('m'),
          accessory: { type: 'overflow', action_id: 'o', options: Array.from({ length: n }, (_, i) => option(i)) },
        },
      ],
      LIMITS.overflowOptions,
      '/blocks/0/accessory/options',
    ],
  ];

  for (const [name, build, limit, pointer] of cases) {
    it(`${name}: ${limit} accepted, ${limit + 1} refused at ${pointer}`, () => {
      expect(validateMessageBlocks(build(limit))).toEqual([]);
      const issues = validateMessageBlocks(build(limit + 1));
      expect(at(issues)).toContain(pointer);
    });
  }

  it('uses Slack’s wording: "must be less than 3001 characters", "no more than 50 items allowed"', () => {
    expect(validateMessageBlocks([section(x(3001))])).toEqual([
      { pointer: '/blocks/0/text/text', message: 'must be less than 3001 characters' },
    ]);
    expect(validateMessageBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual([
      { pointer: '/blocks', message: 'no more than 50 items allowed' },
    ]);
  });

  it('text types where Slack requires one: header, button and option texts must be plain_text; empty text is refused', () => {
    expect(at(validateMessageBlocks([{ type: 'header', text: md('*fed*') }]))).toEqual(['/blocks/0/text']);
    expect(at(validateMessageBlocks([{ type: 'actions', elements: [button({ text: md('Stem') })] }]))).toEqual([
      '/blocks/0/elements/0/text',
    ]);
    expect(at(validateMessageBlocks([{ type: 'section', text: md('') }]))).toEqual(['/blocks/0/text/text']);
    expect(at(validateMessageBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }]))).toEqual([
      '/blocks/0/text/emoji',
    ]);
  });

  it('block_ids are unique in a message; action_ids unique among a block’s elements (and may repeat across blocks)', () => {
    expect(
      at(
        validateMessageBlocks([
          { type: 'divider', block_id: 'b' },
          { type: 'divider', block_id: 'b' },
        ]),
      ),
    ).toEqual(['/blocks/1/block_id']);
    expect(
      at(validateMessageBlocks([{ type: 'actions', elements: [button({ action_id: 'vote' }), button({ action_id: 'vote' })] }])),
    ).toEqual(['/blocks/0/elements/1/action_id']);
    expect(
      validateMessageBlocks([
        { type: 'actions', block_id: 'p1', elements: [button({ action_id: 'vote', value: 'p1' })] },
        { type: 'actions', block_id: 'p2', elements: [button({ action_id: 'vote', value: 'p2' })] },
      ]),
    ).toEqual([]);
  });

  it('refuses what a message cannot hold: input blocks, unknown block types, unknown properties, a section without text or fields', () => {
    const input = { type: 'input', label: pt('Titel'), element: { type: 'plain_text_input', action_id: 't' } };
    expect(validateMessageBlocks([input])[0]).toMatchObject({
      pointer: '/blocks/0/type',
      message: expect.stringContaining('unsupported type: input'),
    });
    expect(validateMessageBlocks([{ type: 'sections', text: md('x') }])).toEqual([
      { pointer: '/blocks/0/type', message: 'unsupported type: sections' },
    ]);
    expect(at(validateMessageBlocks([{ type: 'divider', colour: 'red' }]))).toEqual(['/blocks/0/colour']);
    expect(validateMessageBlocks([{ type: 'section' }])).toEqual([
      { pointer: '/blocks/0/type', message: 'must define either `text` or `fields`' },
    ]);
    expect(at(validateMessageBlocks([{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'x' }] }]))).toEqual([
      '/blocks/0/elements/0/type',
    ]);
  });

  it('select menus: exactly one of options / option_groups, initial_option among the options', () => {
    const sel = (over: Record<string, unknown>) => [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', ...over }] }];
    expect(at(validateMessageBlocks(sel({})))).toEqual(['/blocks/0/elements/0']);
    expect(at(validateMessageBlocks(sel({ options: [option(1)], option_groups: [{ label: pt('g'), options: [option(2)] }] })))).toEqual([
      '/blocks/0/elements/0',
    ]);
    expect(validateMessageBlocks(sel({ options: [option(1)], initial_option: option(1) }))).toEqual([]);
    expect(at(validateMessageBlocks(sel({ options: [option(1)], initial_option: option(9) })))).toEqual([
      '/blocks/0/elements/0/initial_option',
    ]);
  });

  describe('views', () => {
    it('modal: title, submit and close ≤24; ≤100 blocks; private_metadata ≤3000; callback_id ≤255', () => {
      expect(validateView(modal({ title: pt(x(24)), submit: pt(x(24)), close: pt(x(24)) }), 'modal')).toEqual([]);
      expect(at(validateView(modal({ title: pt(x(25)) }), 'modal'))).toEqual(['/view/title/text']);
      expect(at(validateView(modal({ submit: pt(x(25)) }), 'modal'))).toEqual(['/view/submit/text']);
      expect(at(validateView(modal({ close: pt(x(25)) }), 'modal'))).toEqual(['/view/close/text']);
      expect(validateView(modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) }), 'modal')).toEqual([]);
      expect(at(validateView(modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), 'modal'))).toEqual([
        '/view/blocks',
      ]);
      expect(validateView(modal({ private_metadata: x(3000), callback_id: x(255) }), 'modal')).toEqual([]);
      expect(at(validateView(modal({ private_metadata: x(3001), callback_id: x(256) }), 'modal'))).toEqual([
        '/view/private_metadata',
        '/view/callback_id',
      ]);
      expect(at(validateView(modal({ title: md('Forslag') }), 'modal'))).toEqual(['/view/title']);
    });

    it('modal inputs: submit required with an input block; plain_text_input max_length ≤3000, min ≤ max; label ≤2000', () => {
      const input = (element: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
        type: 'input',
        block_id: 'i',
        label: pt('Titel'),
        element: { type: 'plain_text_input', action_id: 't', ...element },
        ...over,
      });
      expect(validateView(modal({ blocks: [input({})] }), 'modal')).toEqual([
        { pointer: '/view/blocks/0/input', message: 'must define `submit` to use an `input` block in modals' },
      ]);
      const withSubmit = (blocks: unknown[]) => modal({ submit: pt('Send'), blocks });
      expect(validateView(withSubmit([input({ max_length: 3000, min_length: 3 })]), 'modal')).toEqual([]);
      expect(at(validateView(withSubmit([input({ max_length: 3001 })]), 'modal'))).toEqual(['/view/blocks/0/element/max_length']);
      expect(at(validateView(withSubmit([input({ max_length: 10, min_length: 11 })]), 'modal'))).toEqual([
        '/view/blocks/0/element/min_length',
      ]);
      expect(at(validateView(withSubmit([input({}, { label: pt(x(2001)) })]), 'modal'))).toEqual(['/view/blocks/0/label/text']);
    });

    it('App Home: ≤100 blocks, no title or submit, no input blocks; views.open takes modals only', () => {
      const home = { type: 'home', blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) };
      expect(validateView(home, 'home')).toEqual([]);
      expect(at(validateView({ ...home, blocks: [...home.blocks, { type: 'divider' }] }, 'home'))).toEqual(['/view/blocks']);
      expect(at(validateView({ type: 'home', title: pt('x'), blocks: [] }, 'home'))).toEqual(['/view/title']);
      expect(
        at(validateView({ type: 'home', blocks: [{ type: 'input', label: pt('x'), element: { type: 'plain_text_input' } }] }, 'home')),
      ).toEqual(['/view/blocks/0/type']);
      expect(at(validateView(home, 'modal'))).toEqual(['/view/type']);
    });
  });
});

describe('Block Kit refusals through the Web API, as the real client receives them', () => {
  let slack: SlackStandIn | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('views.publish with 101 blocks answers invalid_arguments with pointer messages; 100 are published', async () => {
    slack = await startSlackStandIn();
    const c = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: captureLogger() });
    const user = [...slack.workspace().users.values()].find((u) => u.name === 'ida')!.id;
    const blocks = Array.from({ length: 101 }, (_, i) => ({ type: 'section', text: md(`Runde ${i}`) }));
    const err = await c.views
      .publish({ user_id: user, view: { type: 'home', blocks } })
      .catch((e: { data: Record<string, unknown> }) => e.data);
    expect(err).toEqual({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: {
        messages: [
          '[ERROR] failed to match all allowed schemas [json-pointer:/view]',
          '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
        ],
      },
    });
    const ok = await c.views.publish({ user_id: user, view: { type: 'home', blocks: blocks.slice(0, 100) } });
    expect(ok.view?.id).toMatch(/^V/);
    expect(slack.views({ type: 'home', userId: user })).toHaveLength(1);
    // hash protects against races: a stale one is refused.
    const stale = await c.views
      .publish({ user_id: user, view: { type: 'home', blocks: [] }, hash: 'old' })
      .catch((e: { data: { error: string } }) => e.data.error);
    expect(stale).toBe('hash_conflict');
  });
});
