import { encodeActionId, type ActionRef } from './action-id.ts';
import type { ReplyRef } from './events.ts';
import type { SurfaceLimits } from './limits.ts';
import {
  spansOf,
  type ButtonStyle,
  type Card,
  type Control,
  type Field,
  type Form,
  type InputKind,
  type MessageBody,
  type Reply,
  type RichText,
  type SelectOption,
  type StyledSpan,
  type Tone,
  type Visibility,
} from './outbound.ts';
import { chunk, codeUnits, splitRanges, truncate, type Measure } from './text.ts';

/**
 * The fit step: turns what a flow answered into messages one surface accepts. Long text is split at
 * paragraph/sentence boundaries, lists that overflow are paged (when the flow declared how) or continued in
 * further cards and messages, labels are shortened with an ellipsis, and control ids are encoded. Nothing it
 * returns exceeds the surface's limits, and no list item is dropped. Adapters render only fitted values.
 */
declare const FITTED: unique symbol;

export interface FittedButton {
  kind: 'button';
  id: string;
  label: string;
  style: ButtonStyle;
  disabled: boolean;
  list?: true;
}

export interface FittedSelect {
  kind: 'select';
  id: string;
  placeholder?: string;
  options: SelectOption[];
  minValues: number;
  maxValues: number;
}

export interface FittedChoiceItem {
  title: string;
  detail: string;
  checked?: boolean;
  state?: string;
  chosen?: true;
  buttons: FittedButton[];
}

export interface FittedChoices {
  kind: 'toggle' | 'stepper' | 'rank';
  summary: string;
  /** The list is longer than `SurfaceLimits.choiceSearchOver`: shown with a search box that filters it. */
  search?: true;
  items: FittedChoiceItem[];
  buttons: FittedButton[];
}

export type FittedRow = { kind: 'buttons'; buttons: FittedButton[] } | { kind: 'select'; select: FittedSelect };

export interface FittedCard {
  title?: string;
  body: StyledSpan[];
  fields: Field[];
  footer?: string;
  tone: Tone;
  rows: FittedRow[];
  /** The card's hints: `discussion` on the first piece of a card that was cut, `keep` on every piece. */
  discussion?: string;
  keep?: true;
  scope?: string;
  detached?: true;
  /** Only where the surface shows choice lists; its buttons are controls of the message like those in `rows`. */
  choices?: FittedChoices;
}

export interface FittedMessage {
  readonly [FITTED]: true;
  text: StyledSpan[];
  cards: FittedCard[];
}

export interface FittedInput {
  name: string;
  label: string;
  kind: InputKind;
  required: boolean;
  minLength?: number;
  maxLength: number;
  initial?: string;
  placeholder?: string;
}

export interface FittedForm {
  readonly [FITTED]: true;
  id: string;
  title: string;
  submitLabel?: string;
  inputs: FittedInput[];
}

export type FittedReply =
  | { kind: 'send'; visibility: Visibility; messages: FittedMessage[] }
  /** `overflow`: further messages when the new content no longer fits in one (sent privately after it). */
  | { kind: 'edit'; ref: ReplyRef; message: FittedMessage; overflow: FittedMessage[] }
  | { kind: 'update'; message: FittedMessage; overflow: FittedMessage[] }
  | { kind: 'form'; form: FittedForm }
  | { kind: 'retire'; scope: string; note: string };

/** A flow asked for something no surface can show (a form with too many inputs, an over-long option value). */
export class FitError extends Error {
  override name = 'FitError';
}

/** Re-brands a fitted value read back from storage; only for values that were fitted and then serialised. */
export function asFitted<T extends { text: StyledSpan[]; cards: FittedCard[] }>(message: T): FittedMessage {
  return message as unknown as FittedMessage;
}

/** The scopes of a message's cards that still show controls (what a later `retire` may take off). */
export function scopesOf(message: FittedMessage): string[] {
  const scopes = message.cards.filter((c) => c.scope && (c.rows.length || c.choices)).map((c) => c.scope!);
  return [...new Set(scopes)];
}

/**
 * The message as it shows once the controls of `scope` no longer apply: its cards of that scope keep their text
 * and lose their controls, with `note` (fitted by `fitReply`) as their footer. The same for every surface.
 */
export function retiredMessage(message: FittedMessage, scope: string, note: string): FittedMessage {
  const cards = message.cards.map((c) => {
    if (c.scope !== scope) return c;
    const { choices: _, ...rest } = c;
    return { ...rest, rows: [], footer: note };
  });
  return asFitted({ ...message, cards });
}

type Limits = Readonly<SurfaceLimits>;
const measureOf = (limits: Limits): Measure => limits.measure ?? codeUnits;

// ---------------------------------------------------------------------------------------------------------
// Rich text

/** What styled text costs on a surface: its escaped length plus the marks around each styled span. */
export interface SpanCost {
  measure: Measure;
  overhead: (span: StyledSpan) => number;
}

const noOverhead = () => 0;

function costOf(limits: Limits): SpanCost {
  const marks = limits.styleOverhead;
  if (!marks) return { measure: measureOf(limits), overhead: noOverhead };
  return {
    measure: measureOf(limits),
    overhead: (s) => (s.strong ? marks.strong : 0) + (s.em ? marks.em : 0) + (s.code ? marks.code : 0),
  };
}

function spansLength(spans: readonly StyledSpan[], cost: SpanCost): number {
  return spans.reduce((n, s) => n + cost.measure(s.text) + cost.overhead(s), 0);
}

/**
 * Splits spans into runs that each cost at most `max`, keeping each span's style on both sides of a cut. A run
 * whose marks push it over is split again with less room for text.
 */
export function splitSpans(text: RichText | undefined, max: number, cost: SpanCost | Measure = codeUnits): StyledSpan[][] {
  const c: SpanCost = typeof cost === 'function' ? { measure: cost, overhead: noOverhead } : cost;
  const split = (spans: StyledSpan[], room: number): StyledSpan[][] => {
    if (room < 2) throw new FitError(`styled text cannot fit in ${max}: too many marks`);
    const plain = spans.map((s) => s.text).join('');
    const starts: number[] = [];
    let pos = 0;
    for (const s of spans) {
      starts.push(pos);
      pos += s.text.length;
    }
    return splitRanges(plain, room, c.measure).flatMap(({ start, end }) => {
      const out: StyledSpan[] = [];
      spans.forEach((s, i) => {
        const from = Math.max(start, starts[i]!);
        const to = Math.min(end, starts[i]! + s.text.length);
        if (to > from) out.push({ ...s, text: plain.slice(from, to) });
      });
      const excess = spansLength(out, c) - max;
      return excess > 0 ? split(out, room - excess) : [out];
    });
  };
  return split(spansOf(text), max);
}

function truncateSpans(text: RichText | undefined, max: number, cost: SpanCost): StyledSpan[] {
  const pieces = splitSpans(text, max, cost);
  if (pieces.length <= 1) return pieces[0] ?? [];
  // Keep what fits of the first piece and mark the cut; used where a surface allows only one block.
  const first = pieces[0]!;
  const last = first.at(-1)!;
  const room = max - spansLength(first.slice(0, -1), cost) - cost.overhead(last);
  return [...first.slice(0, -1), { ...last, text: truncate(last.text + ' …', room, cost.measure) }];
}

// ---------------------------------------------------------------------------------------------------------
// Controls

function fitButton(
  control: { action: ActionRef; label: string; style?: ButtonStyle; disabled?: boolean; list?: boolean },
  limits: Limits,
  page?: number,
): FittedButton {
  const out: FittedButton = {
    kind: 'button',
    id: encodeActionId(control.action, page),
    label: truncate(control.label, limits.buttonLabelLength, measureOf(limits)) || '…',
    style: control.style ?? 'secondary',
    disabled: control.disabled ?? false,
  };
  if (control.list) out.list = true;
  return out;
}

function fitOption(option: SelectOption, limits: Limits): SelectOption {
  const measure = measureOf(limits);
  if (option.value.length > limits.optionValueLength)
    throw new FitError(`select option value over ${limits.optionValueLength}: ${option.value}`);
  const out: SelectOption = { value: option.value, label: truncate(option.label, limits.optionLabelLength, measure) || '…' };
  if (option.description) out.description = truncate(option.description, limits.optionDescriptionLength, measure);
  if (option.selected) out.selected = true;
  return out;
}

function fitSelect(select: Extract<Control, { kind: 'select' }>, options: SelectOption[], limits: Limits, part?: number): FittedSelect {
  const fitted: FittedSelect = {
    kind: 'select',
    id: encodeActionId(select.action, part),
    options: options.map((o) => fitOption(o, limits)),
    minValues: Math.min(Math.max(0, select.minValues ?? 1), options.length),
    maxValues: Math.max(1, Math.min(select.maxValues ?? 1, options.length)),
  };
  if (fitted.minValues > fitted.maxValues) fitted.minValues = fitted.maxValues;
  if (select.placeholder) fitted.placeholder = truncate(select.placeholder, limits.placeholderLength, measureOf(limits));
  return fitted;
}

/** Buttons next to each other share rows; a select takes a row of its own (Discord's rule, the strictest). */
function packRows(controls: readonly Control[], limits: Limits): FittedRow[] {
  const rows: FittedRow[] = [];
  let buttons: FittedButton[] = [];
  const flush = () => {
    for (const c of chunk(buttons, limits.buttonsPerRow)) rows.push({ kind: 'buttons', buttons: c });
    buttons = [];
  };
  for (const control of controls) {
    if (control.kind === 'button') {
      buttons.push(fitButton(control, limits));
      continue;
    }
    flush();
    const groups = chunk(control.options, limits.selectOptions);
    // Parts after the first carry their part number as the page, so ids on a message stay distinct.
    groups.forEach((options, part) => rows.push({ kind: 'select', select: fitSelect(control, options, limits, part || undefined) }));
  }
  flush();
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Cards

interface Piece extends FittedCard {
  size: number;
}

function fitField(field: Field, limits: Limits): Field {
  const measure = measureOf(limits);
  const label = truncate(field.label, limits.fieldLabelLength, measure) || '…';
  // A field must also fit a message on its own, whatever the per-field limits say.
  const room = Math.min(limits.fieldValueLength, limits.messageTotalLength - measure(label));
  const out: Field = { label, value: truncate(field.value, room, measure) || '—' };
  if (field.inline) out.inline = true;
  return out;
}

const fieldSize = (f: Field, measure: Measure) => measure(f.label) + measure(f.value);

/** Groups fields into runs that fit one card and a message's text budget. */
function fieldRuns(fields: Field[], budget: number, limits: Limits): Field[][] {
  const measure = measureOf(limits);
  const runs: Field[][] = [];
  let run: Field[] = [];
  let used = 0;
  for (const f of fields) {
    const size = fieldSize(f, measure);
    if (run.length && (run.length >= limits.fieldsPerCard || used + size > budget)) {
      runs.push(run);
      run = [];
      used = 0;
    }
    run.push(f);
    used += size;
  }
  if (run.length) runs.push(run);
  return runs;
}

/** A card cut into pieces that each fit a message alone; the title goes on the first, the footer on the last. */
function cardPieces(card: Card, limits: Limits): Piece[] {
  const measure = measureOf(limits);
  const tone = card.tone ?? 'neutral';
  const title = card.title ? truncate(card.title, limits.titleLength, measure) : undefined;
  const footer = card.footer ? truncate(card.footer, limits.footerLength, measure) : undefined;
  const titleSize = title ? measure(title) : 0;
  const footerSize = footer ? measure(footer) : 0;
  const total = limits.messageTotalLength;
  const fields = (card.fields ?? []).map((f) => fitField(f, limits));

  if (card.paging) return [withHints(pagedPiece(card, title, footer, fields, limits), card)];

  const pieces: Piece[] = [];
  const newPiece = (): Piece => {
    const p: Piece = { body: [], fields: [], tone, rows: [], size: 0 };
    pieces.push(p);
    return p;
  };
  let current = newPiece();
  if (title) {
    current.title = title;
    current.size = titleSize;
  }
  for (const body of splitSpans(card.body, Math.min(limits.bodyLength, total - titleSize), costOf(limits))) {
    const size = spansLength(body, costOf(limits));
    if (current.body.length || current.fields.length || current.size + size > total) current = newPiece();
    current.body = body;
    current.size += size;
  }
  for (const f of fields) {
    const size = fieldSize(f, measure);
    if (current.fields.length >= limits.fieldsPerCard || current.size + size > total) current = newPiece();
    current.fields.push(f);
    current.size += size;
  }
  for (const row of packRows(card.controls ?? [], limits)) {
    if (current.rows.length >= limits.rowsPerMessage) current = newPiece();
    current.rows.push(row);
  }
  if (footer) {
    if (current.size + footerSize > total) current = newPiece();
    current.footer = footer;
    current.size += footerSize;
  }
  pieces.forEach((p, i) => withHints(p, card, i === 0));
  const choices = fitChoices(card, limits);
  if (choices) pieces[0]!.choices = choices;
  return pieces;
}

/**
 * The card's choice list where the surface shows one and it is no longer than the surface allows
 * (`choiceItems`); otherwise none, and the card's fields and (paged) buttons stand for it. Over
 * `choiceSearchOver` ideas, the list is marked to be shown with a search box.
 */
function fitChoices(card: Card, limits: Limits): FittedChoices | undefined {
  const list = card.choices;
  if (!list || !limits.choiceItems || list.items.length > limits.choiceItems) return undefined;
  const measure = measureOf(limits);
  const text = (s: string, max: number) => truncate(s, max, measure);
  const out: FittedChoices = {
    kind: list.kind,
    summary: text(list.summary, limits.bodyLength),
    items: list.items.map((item) => {
      const out: FittedChoiceItem = {
        title: text(item.title, limits.fieldLabelLength) || '…',
        detail: text(item.detail, limits.fieldValueLength),
        buttons: item.controls.map((b) => fitButton(b, limits)),
      };
      if (item.checked !== undefined) out.checked = item.checked;
      if (item.state) out.state = text(item.state, limits.fieldLabelLength);
      if (item.chosen) out.chosen = true;
      return out;
    }),
    buttons: (list.controls ?? []).map((b) => fitButton(b, limits)),
  };
  if (limits.choiceSearchOver !== undefined && list.items.length > limits.choiceSearchOver) out.search = true;
  return out;
}

/** A card cut into pieces opens one thread (on its first piece), but every piece of a card worth keeping is kept. */
function withHints(piece: Piece, card: Card, first = true): Piece {
  if (first && card.discussion?.trim()) piece.discussion = card.discussion.trim();
  if (card.keep) piece.keep = true;
  if (card.scope) piece.scope = card.scope;
  if (card.detached) piece.detached = true;
  return piece;
}

/** One page of a paged card: its fields and its first select's options for that page, plus ◀ n/m ▶. */
function pagedPiece(card: Card, title: string | undefined, footer: string | undefined, fields: Field[], limits: Limits): Piece {
  const measure = measureOf(limits);
  const paging = card.paging!;
  const fixed = (title ? measure(title) : 0) + (footer ? measure(footer) : 0);
  // The page's text must leave room for at least one field of the longest kind.
  const longestField = fields.reduce((m, f) => Math.max(m, fieldSize(f, measure)), 0);
  const bodyRoom = Math.max(0, Math.min(limits.bodyLength, limits.messageTotalLength - fixed - longestField));
  const body = bodyRoom >= 16 ? truncateSpans(card.body, bodyRoom, costOf(limits)) : [];
  const fieldBudget = limits.messageTotalLength - fixed - spansLength(body, costOf(limits));
  const runs = fieldRuns(fields, fieldBudget, limits);
  const controls = card.controls ?? [];
  const select = controls.find((c) => c.kind === 'select');
  // Rows left for the select's page and the other controls once the navigation row is placed.
  // Other selects are split, never cut: if that needs more rows than a page has, the flow must change (FitError).
  const others = packRows(
    controls.filter((c) => c !== select),
    limits,
  );
  const optionPages = select ? Math.ceil(select.options.length / limits.selectOptions) : 0;
  const pages = Math.max(1, runs.length, optionPages);
  const page = Math.min(Math.max(0, Math.floor(paging.page)), pages - 1);
  const rows: FittedRow[] = [];
  if (select) {
    const options = select.options.slice(page * limits.selectOptions, (page + 1) * limits.selectOptions);
    if (options.length) rows.push({ kind: 'select', select: fitSelect(select, options, limits) });
  }
  const navRows = pages > 1 ? 1 : 0;
  const room = limits.rowsPerMessage - rows.length - navRows;
  if (others.length > room) throw new FitError(`paged card has ${others.length} rows of other controls; room for ${room}`);
  rows.push(...others);
  if (pages > 1) {
    // Only usable arrows are shown: a disabled arrow would need an id of its own, and ids on a message must differ.
    const nav = (label: string, target: number, disabled = false): FittedButton => ({
      ...fitButton({ action: paging.action, label, disabled }, limits, target),
      style: 'secondary',
    });
    const buttons: FittedButton[] = [];
    if (page > 0) buttons.push(nav('◀', page - 1));
    buttons.push(nav(`${page + 1}/${pages}`, page, true));
    if (page < pages - 1) buttons.push(nav('▶', page + 1));
    rows.push({ kind: 'buttons', buttons });
  }
  const piece: Piece = { body, fields: runs[page] ?? [], tone: card.tone ?? 'neutral', rows, size: 0 };
  if (title) piece.title = title;
  if (footer) piece.footer = footer;
  piece.size = fixed + spansLength(body, costOf(limits)) + piece.fields.reduce((n, f) => n + fieldSize(f, measure), 0);
  return piece;
}

// ---------------------------------------------------------------------------------------------------------
// Messages

const brand = (text: StyledSpan[], cards: FittedCard[]) => ({ text, cards }) as unknown as FittedMessage;

/** Fits one message body; several messages come back when it does not fit in one. */
export function fitMessage(body: MessageBody, limits: Limits): FittedMessage[] {
  const out: Array<{ text: StyledSpan[]; cards: Piece[]; size: number; rows: number }> = [];
  for (const text of splitSpans(body.text, Math.min(limits.textLength, limits.messageTotalLength), costOf(limits))) {
    out.push({ text, cards: [], size: spansLength(text, costOf(limits)), rows: 0 });
  }
  for (const card of body.cards ?? []) {
    for (const piece of cardPieces(card, limits)) {
      const last = out.at(-1);
      const fits =
        last &&
        last.cards.length < limits.cardsPerMessage &&
        last.size + piece.size <= limits.messageTotalLength &&
        last.rows + piece.rows.length <= limits.rowsPerMessage;
      if (fits) {
        last.cards.push(piece);
        last.size += piece.size;
        last.rows += piece.rows.length;
      } else out.push({ text: [], cards: [piece], size: piece.size, rows: piece.rows.length });
    }
  }
  if (!out.length) out.push({ text: [], cards: [], size: 0, rows: 0 });
  return out.map((m) =>
    brand(
      m.text,
      m.cards.map(({ size: _size, ...card }) => card),
    ),
  );
}

export function fitForm(form: Form, limits: Limits): FittedForm {
  const measure = measureOf(limits);
  if (form.inputs.length === 0) throw new FitError('a form needs at least one input');
  if (form.inputs.length > limits.formInputs)
    throw new FitError(`form has ${form.inputs.length} inputs; the surface takes ${limits.formInputs}`);
  const names = new Set<string>();
  const inputs = form.inputs.map((input): FittedInput => {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(input.name) || names.has(input.name)) throw new FitError(`bad or repeated input name ${input.name}`);
    names.add(input.name);
    const maxLength = Math.max(1, Math.min(input.maxLength ?? limits.inputValueLength, limits.inputValueLength));
    const out: FittedInput = {
      name: input.name,
      label: truncate(input.label, limits.inputLabelLength, measure) || '…',
      kind: input.kind,
      required: input.required ?? false,
      maxLength,
    };
    if (input.minLength !== undefined) out.minLength = Math.min(Math.max(0, input.minLength), maxLength);
    // A prefilled value is data, not a label: cut it hard rather than adding an ellipsis to it.
    if (input.initial !== undefined) out.initial = Array.from(input.initial).slice(0, maxLength).join('').slice(0, maxLength);
    if (input.placeholder) out.placeholder = truncate(input.placeholder, limits.inputPlaceholderLength, measure);
    return out;
  });
  const fitted = { id: encodeActionId(form.action), title: truncate(form.title, limits.formTitleLength, measure) || '…', inputs } as Omit<
    FittedForm,
    typeof FITTED
  >;
  if (form.submitLabel) fitted.submitLabel = truncate(form.submitLabel, limits.buttonLabelLength, measure);
  return fitted as FittedForm;
}

export function fitReply(reply: Reply, limits: Limits): FittedReply {
  switch (reply.kind) {
    case 'send':
      return { kind: 'send', visibility: reply.visibility, messages: fitMessage(reply.body, limits) };
    case 'edit': {
      const [message, ...overflow] = fitMessage(reply.body, limits);
      return { kind: 'edit', ref: reply.ref, message: message!, overflow };
    }
    case 'update': {
      const [message, ...overflow] = fitMessage(reply.body, limits);
      return { kind: 'update', message: message!, overflow };
    }
    case 'form':
      return { kind: 'form', form: fitForm(reply.form, limits) };
    case 'retire':
      return { kind: 'retire', scope: reply.scope, note: truncate(reply.note, limits.footerLength, measureOf(limits)) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Checking

/** Everything in a fitted message that breaks a limit; empty when it is fine. Used by tests and adapters' tests. */
export function limitViolations(message: FittedMessage, limits: Limits): string[] {
  const measure = measureOf(limits);
  const v: string[] = [];
  const over = (what: string, size: number, max: number) => {
    if (size > max) v.push(`${what}: ${size} > ${max}`);
  };
  const cost = costOf(limits);
  let total = spansLength(message.text, cost);
  over('text', total, limits.textLength);
  over('cards', message.cards.length, limits.cardsPerMessage);
  let rows = 0;
  const ids = new Set<string>();
  for (const card of message.cards) {
    if (card.title) over('title', measure(card.title), limits.titleLength);
    over('body', spansLength(card.body, cost), limits.bodyLength);
    over('fields', card.fields.length, limits.fieldsPerCard);
    if (card.footer) over('footer', measure(card.footer), limits.footerLength);
    total += (card.title ? measure(card.title) : 0) + spansLength(card.body, cost) + (card.footer ? measure(card.footer) : 0);
    for (const f of card.fields) {
      over('field label', measure(f.label), limits.fieldLabelLength);
      over('field value', measure(f.value), limits.fieldValueLength);
      total += fieldSize(f, measure);
    }
    rows += card.rows.length;
    for (const row of card.rows) {
      const controls = row.kind === 'buttons' ? row.buttons : [row.select];
      if (row.kind === 'buttons') over('buttons in a row', row.buttons.length, limits.buttonsPerRow);
      else {
        over('select options', row.select.options.length, limits.selectOptions);
        for (const o of row.select.options) {
          over('option label', measure(o.label), limits.optionLabelLength);
          if (o.description) over('option description', measure(o.description), limits.optionDescriptionLength);
          over('option value', o.value.length, limits.optionValueLength);
        }
        if (row.select.placeholder) over('placeholder', measure(row.select.placeholder), limits.placeholderLength);
      }
      for (const c of controls) {
        over('id', c.id.length, Math.min(limits.idLength, 100));
        if (c.kind === 'button') over('button label', measure(c.label), limits.buttonLabelLength);
        if (ids.has(c.id)) v.push(`duplicate id ${c.id}`);
        ids.add(c.id);
      }
    }
  }
  over('rows', rows, limits.rowsPerMessage);
  over('message total', total, limits.messageTotalLength);
  for (const card of message.cards) {
    if (!card.choices) continue;
    const list = card.choices;
    over('choice items', list.items.length, limits.choiceItems ?? 0);
    over('choice summary', measure(list.summary), limits.bodyLength);
    const listed = new Set<string>();
    for (const item of list.items) {
      over('choice title', measure(item.title), limits.fieldLabelLength);
      over('choice detail', measure(item.detail), limits.fieldValueLength);
      if (item.state) over('choice state', measure(item.state), limits.fieldLabelLength);
    }
    for (const b of [...list.items.flatMap((i) => i.buttons), ...list.buttons]) {
      over('id', b.id.length, Math.min(limits.idLength, 100));
      over('button label', measure(b.label), limits.buttonLabelLength);
      if (listed.has(b.id)) v.push(`duplicate id ${b.id} in a choice list`);
      listed.add(b.id);
    }
  }
  return v;
}
