import {
  ButtonStyle as DiscordButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import {
  discord,
  truncate,
  type ButtonStyle,
  type FittedCard,
  type FittedForm,
  type FittedMessage,
  type FittedRow,
  type StyledSpan,
  type Tone,
} from '../../src/conversation/index.ts';
import { DISCORD_EXTRA, ORDERED_LIST_MARKER } from './limits.ts';

/*
 * Fitted messages and forms as Discord bodies (legacy messages: content, embeds, action rows). Everything with
 * markdown (content, embed titles, descriptions, field names and values) is escaped; plain-text places (buttons,
 * select options, footers, modals, thread names) are not, since Discord would show the backslashes there.
 */

/** Mentions in anything Pulje sends never ping: user-written text can contain "@everyone" or "<@id>". */
export const NO_MENTIONS = { parse: [] as [] };

export interface RenderedMessage {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  allowedMentions: typeof NO_MENTIONS;
}

const TONE: Record<Tone, number> = { neutral: 0x4f545c, info: 0x3498db, success: 0x2ecc71, warning: 0xf1c40f, danger: 0xe74c3c };
const STYLE = {
  primary: DiscordButtonStyle.Primary,
  secondary: DiscordButtonStyle.Secondary,
  success: DiscordButtonStyle.Success,
  danger: DiscordButtonStyle.Danger,
} as const satisfies Record<ButtonStyle, DiscordButtonStyle>;

const escapeText = (text: string) => discord.escape(text).value.replace(ORDERED_LIST_MARKER, '$1$2\\.');

// Inside backticks Discord shows backslashes literally, so code keeps its text and only loses backticks, which
// would end the span early. Never longer than the escaped text the fit step measured.
const codeText = (text: string) => text.replace(/`/g, 'ˋ');

/** One styled span: marks around the text, whitespace outside them (Discord shows "** x **" literally). */
function renderSpan(span: StyledSpan): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(span.text)!;
  const [, lead = '', core = '', trail = ''] = m;
  if (!core) return span.text;
  let out = span.code ? '`' + codeText(core) + '`' : escapeText(core);
  if (span.em) out = `*${out}*`;
  if (span.strong) out = `**${out}**`;
  return lead + out + trail;
}

export function renderSpans(spans: readonly StyledSpan[]): string {
  return spans.map(renderSpan).join('');
}

function renderEmbed(card: FittedCard): APIEmbed | undefined {
  const embed: APIEmbed = { color: TONE[card.tone] };
  if (card.title) embed.title = escapeText(card.title);
  if (card.body.length) embed.description = renderSpans(card.body);
  if (card.fields.length)
    embed.fields = card.fields.map((f) => ({ name: escapeText(f.label), value: escapeText(f.value), inline: f.inline ?? false }));
  if (card.footer) embed.footer = { text: card.footer };
  // A card of controls alone needs no embed; Discord refuses an empty one.
  return embed.title || embed.description || embed.fields || embed.footer ? embed : undefined;
}

function renderRow(row: FittedRow): APIActionRowComponent<APIComponentInMessageActionRow> {
  if (row.kind === 'buttons') {
    return {
      type: ComponentType.ActionRow,
      components: row.buttons.map((b) => ({
        type: ComponentType.Button,
        style: STYLE[b.style],
        label: b.label,
        custom_id: b.id,
        disabled: b.disabled,
      })),
    };
  }
  const s = row.select;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: s.id,
        ...(s.placeholder ? { placeholder: s.placeholder } : {}),
        min_values: s.minValues,
        max_values: s.maxValues,
        options: s.options.map((o) => ({
          label: o.label,
          value: o.value,
          ...(o.description ? { description: o.description } : {}),
          ...(o.selected ? { default: true } : {}),
        })),
      },
    ],
  };
}

/**
 * Discord refuses a whole message in which two controls share a custom id. Equal ids are the same action, so a
 * repeat (two cards offering the same button) is dropped rather than losing the message.
 */
function distinctRows(rows: FittedRow[]): FittedRow[] {
  const seen = new Set<string>();
  const fresh = (id: string) => !seen.has(id) && Boolean(seen.add(id));
  return rows.flatMap((row): FittedRow[] => {
    if (row.kind === 'select') return fresh(row.select.id) ? [row] : [];
    const buttons = row.buttons.filter((b) => fresh(b.id));
    return buttons.length ? [{ kind: 'buttons', buttons }] : [];
  });
}

/** A fitted message as a Discord body; `controls: false` leaves the buttons off (a copy sent by DM). */
export function renderMessage(message: FittedMessage, opts: { controls?: boolean } = {}): RenderedMessage {
  return {
    content: renderSpans(message.text),
    embeds: message.cards.flatMap((c) => renderEmbed(c) ?? []),
    components: opts.controls === false ? [] : distinctRows(message.cards.flatMap((c) => c.rows)).map(renderRow),
    allowedMentions: NO_MENTIONS,
  };
}

/** True when Discord would refuse it as empty (nothing to show). */
export function isEmpty(m: RenderedMessage): boolean {
  return !m.content && !m.embeds.length && !m.components.length;
}

/** For a new message: empty content is left out. */
export function asCreate(m: RenderedMessage): Omit<RenderedMessage, 'content'> & { content?: string } {
  const { content, ...rest } = m;
  return content ? m : rest;
}

/** For an edit: every part is sent, so what the new content lacks is removed; never wholly empty. */
export function asEdit(m: RenderedMessage): RenderedMessage {
  return isEmpty(m) ? { ...m, content: '\u200b' } : m;
}

/**
 * A form as a modal in Discord's current form: each text input inside a Label component, which carries the
 * label (components/reference § Text Input: action rows in modals are no longer recommended, and the input's own
 * `label` is deprecated in favour of the Label's).
 */
export function renderModal(form: FittedForm): APIModalInteractionResponseCallbackData {
  return {
    custom_id: form.id,
    title: form.title,
    components: form.inputs.map((input) => ({
      type: ComponentType.Label,
      label: input.label,
      component: {
        type: ComponentType.TextInput,
        custom_id: input.name,
        // Discord has no number input: numbers are typed as text and read by the flow.
        style: input.kind === 'long' ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: input.required,
        max_length: input.maxLength,
        ...(input.minLength ? { min_length: input.minLength } : {}),
        ...(input.initial ? { value: input.initial } : {}),
        ...(input.placeholder ? { placeholder: input.placeholder } : {}),
      },
    })),
  };
}

/** The name of a discussion thread, within Discord's 100 characters. */
export function threadName(discussion: string): string {
  return truncate(discussion.replace(/\s+/g, ' ').trim(), DISCORD_EXTRA.threadName) || '…';
}

/** Cards worth keeping (receipts) in a message, if any. */
export const worthKeeping = (message: FittedMessage): boolean => message.cards.some((c) => c.keep);

/** The first discussion a message's cards ask for. */
export const discussionOf = (message: FittedMessage): string | undefined => message.cards.find((c) => c.discussion)?.discussion;
