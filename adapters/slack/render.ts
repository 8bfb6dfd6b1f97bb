import type { types } from '@slack/bolt';
import {
  renderSpans as renderMarkup,
  slack,
  truncate,
  type FittedCard,
  type FittedForm,
  type FittedMessage,
  type FittedRow,
  type FormError,
  type StyledSpan,
} from '../../src/conversation/index.ts';
import { slackCommands } from './commands.ts';
import { SLACK_EXTRA } from './limits.ts';

/*
 * Fitted messages and forms as Block Kit. Every mrkdwn text (sections, fields, the fallback text) is escaped for
 * mrkdwn (`&`, `<`, `>`), so `<!channel>` or `<@U…>` in user text is shown, never acted on; plain_text places
 * (headers, buttons, options, modal labels) are not escaped, since Slack shows them as they are.
 */

type Block = types.KnownBlock;
type Button = types.Button;

export interface RenderedMessage {
  /** The notification and accessibility fallback, mrkdwn (escaped like the blocks). */
  text: string;
  blocks: Block[];
}

/** On every post: Slack never turns names or links in the text into mentions (issue 11, "no injection"). */
export const POST_OPTIONS = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;

const MARKS = {
  strong: (m: ReturnType<typeof slack.escape>) => slack.tag`*${m}*`,
  em: (m: ReturnType<typeof slack.escape>) => slack.tag`_${m}_`,
  code: (m: ReturnType<typeof slack.escape>) => slack.tag`\`${m}\``,
};

/** One styled span: whitespace stays outside the marks (Slack shows "* x *" literally). */
export function renderSpans(spans: readonly StyledSpan[]): string {
  return renderMarkup(
    slack,
    spans.flatMap((s) => {
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text)!;
      const [, lead = '', core = '', trail = ''] = m;
      if (!core || !(s.strong || s.em || s.code)) return [{ text: slackCommands(s.text) }];
      return [...(lead ? [{ text: lead }] : []), { ...s, text: slackCommands(core) }, ...(trail ? [{ text: trail }] : [])];
    }),
    MARKS,
  ).value;
}

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text: slackCommands(text), emoji: true });
const escaped = (text: string) => slack.escape(slackCommands(text)).value;

function cardBlocks(card: FittedCard, controls: boolean): Block[] {
  const blocks: Block[] = [];
  if (card.title) blocks.push({ type: 'header', text: plain(card.title) });
  if (card.body.length) blocks.push({ type: 'section', text: mrkdwn(renderSpans(card.body)) });
  if (card.fields.length)
    blocks.push({
      type: 'section',
      fields: card.fields.map((f) => mrkdwn(`*${escaped(f.label)}*\n${escaped(f.value)}`)),
    });
  if (card.footer) blocks.push({ type: 'context', elements: [plain(card.footer)] });
  if (controls) blocks.push(...card.rows.flatMap((r) => rowBlock(r) ?? []));
  return blocks;
}

function rowBlock(row: FittedRow): Block | undefined {
  if (row.kind === 'buttons') {
    // Slack has no disabled buttons: a disabled one is left out (its action would be refused anyway).
    const buttons = row.buttons.filter((b) => !b.disabled);
    if (!buttons.length) return undefined;
    return {
      type: 'actions',
      elements: buttons.map((b): Button => {
        const style = b.style === 'primary' || b.style === 'success' ? 'primary' : b.style === 'danger' ? 'danger' : undefined;
        return { type: 'button', text: plain(b.label), action_id: b.id, ...(style ? { style } : {}) };
      }),
    };
  }
  const s = row.select;
  const options = s.options.map((o) => ({
    text: plain(o.label),
    value: o.value,
    ...(o.description ? { description: plain(o.description) } : {}),
  }));
  const chosen = options.filter((_, i) => s.options[i]!.selected);
  const placeholder = s.placeholder ? { placeholder: plain(s.placeholder) } : {};
  if (s.maxValues > 1) {
    return {
      type: 'actions',
      elements: [
        {
          type: 'multi_static_select',
          action_id: s.id,
          options,
          max_selected_items: s.maxValues,
          ...placeholder,
          ...(chosen.length ? { initial_options: chosen } : {}),
        },
      ],
    };
  }
  return {
    type: 'actions',
    elements: [{ type: 'static_select', action_id: s.id, options, ...placeholder, ...(chosen[0] ? { initial_option: chosen[0] } : {}) }],
  };
}

/**
 * Slack refuses a block whose elements share an action_id. Equal ids are the same action, so a repeat (two cards
 * offering the same button) is dropped; an actions block left empty goes with it.
 */
function distinctActions(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  return blocks.flatMap((b): Block[] => {
    if (b.type !== 'actions') return [b];
    const elements = b.elements.filter((e) => {
      const id = (e as { action_id?: string }).action_id;
      if (!id) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return elements.length ? [{ ...b, elements }] : [];
  });
}

/** The fallback text: the message's own text, else its first card's title and body, cut to Slack's advice. */
function fallback(message: FittedMessage): string {
  const first = message.cards[0];
  const parts = message.text.length
    ? message.text.map((s) => s.text).join('')
    : [first?.title, first?.body.map((s) => s.text).join('')].filter(Boolean).join('\n');
  return escaped(truncate(parts || '…', SLACK_EXTRA.fallbackText / 5));
}

/** A fitted message as a Block Kit message; `controls: false` leaves the buttons off (a copy sent by DM). */
export function renderMessage(message: FittedMessage, opts: { controls?: boolean } = {}): RenderedMessage {
  const blocks: Block[] = [];
  if (message.text.length) blocks.push({ type: 'section', text: mrkdwn(renderSpans(message.text)) });
  message.cards.forEach((card, i) => {
    if (i > 0 || blocks.length) blocks.push({ type: 'divider' });
    blocks.push(...cardBlocks(card, opts.controls !== false));
  });
  return { text: fallback(message), blocks: distinctActions(blocks).slice(0, SLACK_EXTRA.blocksPerMessage) };
}

export const isEmpty = (m: RenderedMessage): boolean => m.blocks.length === 0;

/** Where a form's answer goes: the channel, and the message it was opened from (kept in the modal). */
export interface FormOrigin {
  /** Channel id. */
  c: string;
  /** The source message's ts, its visibility (ephemeral) and the response_url of the press that opened the form. */
  s?: string;
  e?: 1;
  r?: string;
}

/** A form as a modal: one input block per input, its block_id and action_id the input's name. */
export function renderModal(form: FittedForm, origin: FormOrigin): types.ModalView {
  const cut = (text: string) => truncate(text, SLACK_EXTRA.modalButton) || '…';
  const metadata = JSON.stringify(origin);
  return {
    type: 'modal',
    callback_id: form.id,
    title: plain(cut(form.title)),
    submit: plain(cut(form.submitLabel ?? '✓')),
    ...(metadata.length <= SLACK_EXTRA.privateMetadata ? { private_metadata: metadata } : {}),
    blocks: form.inputs.map(
      (input): Block => ({
        type: 'input',
        block_id: input.name,
        label: plain(input.label),
        optional: !input.required,
        element: {
          type: 'plain_text_input',
          action_id: input.name,
          // Slack's number_input refuses "10.000"; numbers are typed as text and read by the flow.
          multiline: input.kind === 'long',
          max_length: input.maxLength,
          ...(input.minLength ? { min_length: input.minLength } : {}),
          ...(input.initial ? { initial_value: input.initial } : {}),
          ...(input.placeholder ? { placeholder: plain(input.placeholder) } : {}),
        },
      }),
    ),
  };
}

/** A refusal inside the modal: on its first input (response_action: errors wants an input block's id). */
/**
 * A refused form's errors for `response_action: errors`: each under its own input (block ids are input names),
 * and what concerns no one input under the first.
 */
export function modalErrors(
  form: { blocks?: Array<{ type?: string; block_id?: string }> },
  error: FormError,
): Record<string, string> | null {
  const inputs = (form.blocks ?? []).filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  if (!inputs.length) return null;
  const errors: Record<string, string> = {};
  for (const [name, text] of Object.entries(error.fields)) if (inputs.includes(name)) errors[name] = truncate(text, SLACK_EXTRA.errorText);
  if (!Object.keys(errors).length) errors[inputs[0]!] = truncate(error.message, SLACK_EXTRA.errorText);
  return errors;
}

/** The first discussion a message's cards ask for. */
export const discussionOf = (message: FittedMessage): string | undefined => message.cards.find((c) => c.discussion)?.discussion;

/** The Home tab (views.publish): the messages' blocks one after another, within the 100 a view may have. */
export function renderHome(messages: readonly FittedMessage[]): types.HomeView {
  const blocks: Block[] = [];
  for (const m of messages) {
    if (blocks.length) blocks.push({ type: 'divider' });
    blocks.push(...renderMessage(m).blocks);
  }
  return { type: 'home', blocks: blocks.slice(0, SLACK_EXTRA.blocksPerView) };
}
