import { describe, expect, it } from 'vitest';
import { toDiscordErrors } from '../support/discord/errors.ts';
import { checkAutocompleteLimits, checkMentions, checkMessageLimits, checkModalLimits, isEmptyMessage } from '../support/discord/limits.ts';
import { DiscordSpec, type SpecRoute } from '../support/discord/spec.ts';

const spec = DiscordSpec.load();

function route(method: string, template: string): SpecRoute {
  const r = spec.routes.find((x) => x.method === method && x.template === template);
  if (!r?.bodyKey) throw new Error(`no request body schema for ${method} ${template}`);
  return r;
}

const CALLBACK = route('POST', '/interactions/{interaction_id}/{interaction_token}/callback');
const MESSAGE = route('POST', '/channels/{channel_id}/messages');
const FOLLOWUP = route('POST', '/webhooks/{webhook_id}/{webhook_token}');
const COMMANDS = route('PUT', '/applications/{application_id}/commands');

const button = (n: number): Record<string, unknown> => ({ type: 2, style: 1, label: `Knap ${n}`, custom_id: `knap-${n}` });
const buttons = (n: number): Array<Record<string, unknown>> => Array.from({ length: n }, (_, i) => button(i + 1));
const row = (...components: unknown[]): Record<string, unknown> => ({ type: 1, components });
const select = (options: number): Record<string, unknown> => ({
  type: 3,
  custom_id: 'vælg',
  options: Array.from({ length: options }, (_, i) => ({ label: `Forslag ${i + 1}`, value: `f${i + 1}` })),
});
const textInput = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 4,
  custom_id: id,
  style: 1,
  label: 'Titel',
  ...extra,
});
const modal = (components: unknown[], title = 'Nyt forslag'): Record<string, unknown> => ({
  type: 9,
  data: { custom_id: 'forslag', title, components },
});

// [description, route, body, valid according to Discord's spec]
const CASES: Array<[string, SpecRoute, unknown, boolean]> = [
  ['a plain reply', CALLBACK, { type: 4, data: { content: 'Hej', allowed_mentions: { parse: [] } } }, true],
  ['a deferred reply without data', CALLBACK, { type: 5 }, true],
  ['a deferred reply with data: null', CALLBACK, { type: 5, data: null }, true],
  ['a reply with 5 buttons in a row', CALLBACK, { type: 4, data: { components: [row(...buttons(5))] } }, true],
  ['a reply with 6 buttons in a row', CALLBACK, { type: 4, data: { components: [row(...buttons(6))] } }, false],
  ['a reply with an empty row', CALLBACK, { type: 4, data: { components: [row()] } }, false],
  ['a button without style', CALLBACK, { type: 4, data: { components: [row({ type: 2, label: 'x', custom_id: 'x' })] } }, false],
  ['a button with an unknown style', CALLBACK, { type: 4, data: { components: [row({ ...button(1), style: 9 })] } }, false],
  [
    'a custom_id of 101 characters',
    CALLBACK,
    { type: 4, data: { components: [row({ ...button(1), custom_id: 'x'.repeat(101) })] } },
    false,
  ],
  ['a select with 25 options', CALLBACK, { type: 4, data: { components: [row(select(25))] } }, true],
  ['a select with 26 options', CALLBACK, { type: 4, data: { components: [row(select(26))] } }, false],
  ['an embed title of 257 characters', CALLBACK, { type: 4, data: { embeds: [{ title: 'x'.repeat(257) }] } }, false],
  ['reply content of 2001 characters', CALLBACK, { type: 4, data: { content: 'x'.repeat(2001) } }, false],
  ['an update removing components', CALLBACK, { type: 7, data: { components: [] } }, true],
  ['a modal', CALLBACK, modal([row(textInput('titel'))]), true],
  ['a modal titled with 46 characters', CALLBACK, modal([row(textInput('titel'))], 'x'.repeat(46)), false],
  ['a modal without components', CALLBACK, modal([]), false],
  ['a modal text input value of 4001 characters', CALLBACK, modal([row(textInput('titel', { value: 'x'.repeat(4001) }))]), false],
  ['autocomplete choices', CALLBACK, { type: 8, data: { choices: [{ name: 'Skatepark', value: 'skatepark' }] } }, true],
  [
    '26 autocomplete choices',
    CALLBACK,
    { type: 8, data: { choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })) } },
    false,
  ],
  ['an unknown callback type', CALLBACK, { type: 3 }, false],
  ['allowed_mentions parsing everyone', CALLBACK, { type: 4, data: { content: 'x', allowed_mentions: { parse: ['everyone'] } } }, true],
  ['allowed_mentions parsing nonsense', CALLBACK, { type: 4, data: { content: 'x', allowed_mentions: { parse: ['nonsense'] } } }, false],
  ['a channel message of 2001 characters (the spec allows 4000)', MESSAGE, { content: 'x'.repeat(2001) }, true],
  ['a channel message of 4001 characters', MESSAGE, { content: 'x'.repeat(4001) }, false],
  ['a string nonce', MESSAGE, { content: 'x', nonce: 'abc' }, true],
  ['a nonce of 26 characters', MESSAGE, { content: 'x', nonce: 'x'.repeat(26) }, false],
  ['a reply to a non-snowflake', MESSAGE, { content: 'x', message_reference: { message_id: 'abc' } }, false],
  ['a follow-up with flags', FOLLOWUP, { content: 'x', flags: 64 }, true],
  ['a command list', COMMANDS, [{ name: 'forslag', description: 'Nyt forslag', type: 1 }], true],
  ['a command list that is not a list', COMMANDS, { name: 'forslag' }, false],
];

describe('Discord stand-in: request validation against the OpenAPI spec', () => {
  const original = new Map<string, ReturnType<DiscordSpec['originalValidator']>>();
  const asPublished = (r: SpecRoute, body: unknown): boolean => {
    let v = original.get(r.bodyKey!);
    if (!v) original.set(r.bodyKey!, (v = spec.originalValidator(r.bodyKey!)));
    return v(body) as boolean;
  };

  it.each(CASES)('%s: valid = %s, the same as the spec as published', (_name, r, body, valid) => {
    const issues = spec.validate(r, body);
    expect(issues.length === 0).toBe(valid);
    expect(asPublished(r, body)).toBe(valid);
  });

  it('names the one problem in a union instead of every branch', () => {
    const issues = spec.validate(CALLBACK, { type: 4, data: { components: [row(...buttons(6))] } });
    expect(issues).toEqual([
      { path: ['data', 'components', 0, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' },
    ]);
    expect(toDiscordErrors(issues)).toEqual({
      data: {
        components: { 0: { components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' }] } } },
      },
    });
  });

  it('routes by the spec: literal segments win over parameters, percent-encoding is decoded', () => {
    const literal = spec.match('PATCH', '/webhooks/1/tok/messages/%40original');
    expect(literal && 'route' in literal ? literal.route.template : undefined).toBe(
      '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
    );
    const param = spec.match('PATCH', '/webhooks/1/tok/messages/123');
    expect(param && 'route' in param ? param.params : undefined).toEqual({ webhook_id: '1', webhook_token: 'tok', message_id: '123' });
    expect(spec.match('GET', '/no/such/route')).toBeUndefined();
    expect(spec.match('PUT', '/channels/1/messages')).toEqual({ methods: expect.arrayContaining(['GET', 'POST']) });
  });

  it('knows which routes need a bot token', () => {
    expect(spec.routes.find((r) => r.method === 'POST' && r.template === CALLBACK.template)?.authOptional).toBe(true);
    expect(MESSAGE.authOptional).toBe(false);
  });
});

describe('Discord stand-in: documented limits the spec does not encode', () => {
  const paths = (issues: Array<{ path: Array<string | number> }>): string[] => issues.map((i) => i.path.join('.'));

  it('accepts an ordinary message', () => {
    expect(
      checkMessageLimits({
        content: 'Hej',
        embeds: [{ title: 'Forslag', fields: [{ name: 'Beløb', value: '2.000 kr.' }] }],
        components: [row(...buttons(5)), row(select(3))],
      }),
    ).toEqual([]);
  });

  it('content over 2000 characters', () => {
    expect(paths(checkMessageLimits({ content: 'x'.repeat(2001) }))).toEqual(['content']);
    expect(checkMessageLimits({ content: 'æ'.repeat(2000) })).toEqual([]);
  });

  it('embeds: 6000 characters in all, 25 fields, field value 1024', () => {
    expect(paths(checkMessageLimits({ embeds: [{ description: 'x'.repeat(3500) }, { description: 'x'.repeat(3500) }] }))).toEqual([
      'embeds',
    ]);
    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    expect(paths(checkMessageLimits({ embeds: [{ fields }] }))).toEqual(['embeds.0.fields']);
    expect(paths(checkMessageLimits({ embeds: [{ fields: [{ name: 'n', value: 'x'.repeat(1025) }] }] }))).toEqual([
      'embeds.0.fields.0.value',
    ]);
    expect(paths(checkMessageLimits({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }))).toEqual(['embeds']);
  });

  it('components: 5 rows, a select alone in its row, unique custom ids, link buttons without custom id', () => {
    expect(
      paths(
        checkMessageLimits({
          components: Array.from({ length: 6 }, () => row(button(1))).map((r, i) => ({ ...r, components: [button(i)] })),
        }),
      ),
    ).toEqual(['components']);
    expect(checkMessageLimits({ components: [row(select(3), button(1))] }).map((i) => i.code)).toEqual(['COMPONENT_LAYOUT_WIDTH_EXCEEDED']);
    expect(checkMessageLimits({ components: [row(button(1), button(1))] }).map((i) => i.code)).toEqual(['COMPONENT_CUSTOM_ID_DUPLICATED']);
    expect(
      checkMessageLimits({ components: [row({ type: 2, style: 5, label: 'Læs', url: 'https://example.org', custom_id: 'x' })] }).map(
        (i) => i.code,
      ),
    ).toEqual(['BUTTON_COMPONENT_LINK_WITH_CUSTOM_ID']);
    expect(paths(checkMessageLimits({ components: [row({ ...button(1), label: 'x'.repeat(81) })] }))).toEqual([
      'components.0.components.0.label',
    ]);
    expect(paths(checkMessageLimits({ components: [row({ ...select(2), max_values: 3 })] }))).toEqual([
      'components.0.components.0.max_values',
    ]);
  });

  it('modals: title, 1–5 rows, one text input a row, lengths', () => {
    const ok = (modal([row(textInput('a'))]) as { data: unknown }).data;
    expect(checkModalLimits(ok)).toEqual([]);
    const six = (modal(Array.from({ length: 6 }, (_, i) => row(textInput(`f${i}`)))) as { data: unknown }).data;
    expect(paths(checkModalLimits(six))).toContain('data.components');
    const two = (modal([row(textInput('a'), textInput('b'))]) as { data: unknown }).data;
    expect(checkModalLimits(two).map((i) => i.code)).toEqual(['COMPONENT_LAYOUT_WIDTH_EXCEEDED']);
    const minMax = (modal([row(textInput('a', { min_length: 10, max_length: 5 }))]) as { data: unknown }).data;
    expect(checkModalLimits(minMax).map((i) => i.code)).toEqual(['TEXT_INPUT_MIN_MAX_INVALID']);
  });

  it('autocomplete: 25 choices', () => {
    expect(
      checkAutocompleteLimits({ choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: i })) }).map((i) =>
        i.path.join('.'),
      ),
    ).toEqual(['data.choices']);
  });

  it('an empty message', () => {
    expect(isEmptyMessage({ content: '' })).toBe(true);
    expect(isEmptyMessage({ content: '', embeds: [] })).toBe(true);
    expect(isEmptyMessage({ embeds: [{ title: 't' }] })).toBe(false);
  });
});

describe('Discord stand-in: allowed_mentions policy', () => {
  const typed = ['Skatepark ved hallen @everyone'];

  it("'user-text': text a user typed needs allowed_mentions that parse nothing", () => {
    expect(checkMentions({ content: 'Nyt forslag: Skatepark ved hallen @everyone' }, 'user-text', typed).map((i) => i.code)).toEqual([
      'STANDIN_ALLOWED_MENTIONS_REQUIRED',
    ]);
    expect(
      checkMentions(
        { content: 'Nyt forslag: Skatepark ved hallen @everyone', allowed_mentions: { parse: ['everyone'] } },
        'user-text',
        typed,
      ).map((i) => i.code),
    ).toEqual(['STANDIN_ALLOWED_MENTIONS_PARSE']);
    expect(
      checkMentions({ content: 'Nyt forslag: Skatepark ved hallen @everyone', allowed_mentions: { parse: [] } }, 'user-text', typed),
    ).toEqual([]);
    expect(checkMentions({ content: 'Afstemningen er åben' }, 'user-text', typed)).toEqual([]);
  });

  it('also looks into components v2 text displays, and ignores one-character "user text"', () => {
    const v2 = {
      flags: 1 << 15,
      components: [{ type: 17, components: [{ type: 10, content: 'Forslag: Skatepark ved hallen @everyone' }] }],
    };
    expect(checkMentions(v2, 'user-text', typed)).toHaveLength(1);
    expect(checkMentions({ content: 'a' }, 'user-text', ['a'])).toEqual([]);
  });

  it("'all' wants it on every message with text; 'off' on none", () => {
    expect(checkMentions({ content: 'Afstemningen er åben' }, 'all', [])).toHaveLength(1);
    expect(checkMentions({ content: 'Skatepark ved hallen @everyone' }, 'off', typed)).toEqual([]);
  });
});
