import type { ActionRef } from './action-id.ts';
import type { ReplyRef } from './events.ts';

/**
 * What flows answer with, independent of any platform. Every string here is literal text — never markup —
 * and formatting is expressed only by structure (titles, fields, emphasis flags); adapters escape and render.
 */
export interface StyledSpan {
  text: string;
  strong?: boolean;
  em?: boolean;
  code?: boolean;
}
export type Span = string | StyledSpan;
/** A plain string or a run of spans; "\n" is a line break, "\n\n" a new paragraph. */
export type RichText = string | readonly Span[];

export interface Field {
  label: string;
  value: string;
  /** A hint that the field may sit beside its neighbours. */
  inline?: boolean;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

export interface Button {
  kind: 'button';
  action: ActionRef;
  label: string;
  style?: ButtonStyle;
  disabled?: boolean;
  /** Part of the paged list a card's `choices` show natively: a surface showing those leaves this out. */
  list?: boolean;
}

export interface SelectOption {
  /** Returned in the action's values; not shown, never shortened (keep it an id). */
  value: string;
  label: string;
  description?: string;
  selected?: boolean;
}

export interface Select {
  kind: 'select';
  action: ActionRef;
  placeholder?: string;
  options: readonly SelectOption[];
  minValues?: number;
  maxValues?: number;
}

export type Control = Button | Select;
export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/**
 * Declares that a card's list (its fields and its select's options) may be shown a page at a time: the fit step
 * shows page `page` and adds previous/next buttons that send `action` with the new page. The flow answers that
 * action by rendering the same card with `page` set to the context's page, as an update of the source message.
 */
export interface Paging {
  action: ActionRef;
  page: number;
}

/** One idea on a choice list: what it is, where it stands, and its own controls. */
export interface ChoiceItem {
  /** "#3 Musikudstyr til øvelokalet" */
  title: string;
  /** Its cost and a short description. */
  detail: string;
  /** A toggle's state (approval, knapsack): the surface shows a checkbox, its control toggles it. */
  checked?: boolean;
  /** Where it stands in words ("2 point", "nr. 1"), for steppers and rankings. */
  state?: string;
  /**
   * Whether the voter has chosen it (ticked, given points, ranked): a surface that filters a long list keeps
   * these in sight, so nobody loses track of what they picked.
   */
  chosen?: boolean;
  /** Its controls, labelled with the idea's name, since a screen reader reads a control on its own. */
  controls: readonly Button[];
}

/**
 * The ballot as a native list, for surfaces that can show one (`SurfaceLimits.choiceItems`): every idea with
 * its own control next to it, and a running summary that stays in sight; a long list (over
 * `SurfaceLimits.choiceSearchOver`) is searched rather than paged. Other surfaces, and lists longer than a
 * surface shows, get the card's fields and controls instead, which say the same.
 */
export interface ChoiceList {
  kind: 'toggle' | 'stepper' | 'rank';
  /** "Du har valgt 2 · brugt 12.000 kr. af 20.000 kr." */
  summary: string;
  items: readonly ChoiceItem[];
  /** Controls for the whole list (undo), shown with it. */
  controls?: readonly Button[];
}

export interface Card {
  title?: string;
  body?: RichText;
  fields?: readonly Field[];
  controls?: readonly Control[];
  footer?: string;
  tone?: Tone;
  paging?: Paging;
  /**
   * Invites discussion of what the card shows (a proposal): where the surface has threads, a public message
   * carrying the card gets one, named this. Surfaces without threads ignore it.
   */
  discussion?: string;
  /**
   * Worth keeping (a ballot receipt): where private answers are fleeting (Discord's ephemeral messages vanish on
   * reload), the surface also delivers a copy that lasts, such as a direct message.
   */
  keep?: boolean;
  /**
   * What the card's controls belong to (`round:<id>:voting`): a later `retire` reply of the same scope takes
   * them off the public cards that still show them, where the surface can edit its messages.
   */
  scope?: string;
  /**
   * A public card that must not look like an answer to the person who acted (a new idea, whose author is
   * secret): where a platform labels answers with who asked (Discord's "X used /propose"), the surface posts it
   * as its own message in the channel.
   */
  detached?: boolean;
  /** The same choice as a native list, where the surface has one (see ChoiceList). */
  choices?: ChoiceList;
}

export interface MessageBody {
  text?: RichText;
  cards?: readonly Card[];
}

export type InputKind = 'short' | 'long' | 'number';

export interface FormInput {
  /** Key of the value in the submitted fields. */
  name: string;
  label: string;
  kind: InputKind;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  initial?: string;
  placeholder?: string;
}

/** A modal dialog. Surfaces can only open one in answer to a command or an action, never on their own. */
export interface Form {
  action: ActionRef;
  title: string;
  inputs: readonly FormInput[];
  submitLabel?: string;
}

export type Visibility = 'public' | 'private';

export type Reply =
  /** A new message, to everyone in the conversation or only to the person who acted. */
  | { kind: 'send'; visibility: Visibility; body: MessageBody }
  /** Replace an earlier reply (e.g. a progress message) wherever it was delivered. */
  | { kind: 'edit'; ref: ReplyRef; body: MessageBody }
  /** Replace the message whose button or select was used (only in answer to an action). */
  | { kind: 'update'; body: MessageBody }
  /** Open a form for the person who acted. */
  | { kind: 'form'; form: Form }
  /**
   * The controls of public cards in `scope` no longer apply (the round moved on): where the surface can edit
   * what it posted, those cards lose their controls and show `note`. Surfaces that cannot do nothing; a press
   * on such a stale control is answered truthfully by the flow anyway.
   */
  | { kind: 'retire'; scope: string; note: string };

const asBody = (body: MessageBody | RichText): MessageBody =>
  typeof body === 'string' || Array.isArray(body) ? { text: body as RichText } : (body as MessageBody);

export const reply = {
  public: (body: MessageBody | RichText): Reply => ({ kind: 'send', visibility: 'public', body: asBody(body) }),
  private: (body: MessageBody | RichText): Reply => ({ kind: 'send', visibility: 'private', body: asBody(body) }),
  update: (body: MessageBody | RichText): Reply => ({ kind: 'update', body: asBody(body) }),
  edit: (ref: ReplyRef, body: MessageBody | RichText): Reply => ({ kind: 'edit', ref, body: asBody(body) }),
  form: (form: Form): Reply => ({ kind: 'form', form }),
  retire: (scope: string, note: string): Reply => ({ kind: 'retire', scope, note }),
};

export function spansOf(text: RichText | undefined): StyledSpan[] {
  if (text === undefined) return [];
  if (typeof text === 'string') return text ? [{ text }] : [];
  return text.map((s) => (typeof s === 'string' ? { text: s } : s)).filter((s) => s.text.length > 0);
}

export function plainText(text: RichText | undefined): string {
  return spansOf(text)
    .map((s) => s.text)
    .join('');
}
