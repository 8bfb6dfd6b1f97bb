/**
 * Block Kit validation as strict as Slack's, from Slack's reference pages:
 *
 * - Blocks overview — 50 blocks a message, 100 in modals and Home tabs:
 *   https://docs.slack.dev/reference/block-kit/blocks
 * - Section (text 1–3000, ≤10 fields of ≤2000, text or fields required):
 *   https://docs.slack.dev/reference/block-kit/blocks/section-block
 * - Header (plain_text ≤150): https://docs.slack.dev/reference/block-kit/blocks/header-block
 * - Context (≤10 image/text elements): https://docs.slack.dev/reference/block-kit/blocks/context-block
 * - Actions (≤25 elements): https://docs.slack.dev/reference/block-kit/blocks/actions-block
 * - Input (label and hint plain_text ≤2000): https://docs.slack.dev/reference/block-kit/blocks/input-block
 * - Image (image_url ≤3000, alt_text ≤2000, title ≤2000): https://docs.slack.dev/reference/block-kit/blocks/image-block
 * - Markdown (≤12000, messages only): https://docs.slack.dev/reference/block-kit/blocks/markdown-block
 * - Button (text plain_text ≤75, action_id ≤255, url ≤3000, value ≤2000, style primary|danger,
 *   accessibility_label ≤75): https://docs.slack.dev/reference/block-kit/block-elements/button-element
 * - Select menus (placeholder ≤150, ≤100 options or ≤100 option groups, not both):
 *   https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element
 * - Overflow (up to 5 options): https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
 * - Checkboxes / radio buttons (≤10 options): .../block-elements/checkboxes-element, .../radio-button-group-element
 * - Plain-text input (min_length ≤3000, max_length ≤3000, placeholder ≤150):
 *   https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
 * - Text object (plain_text | mrkdwn, 1–3000; emoji only on plain_text, verbatim only on mrkdwn):
 *   https://docs.slack.dev/reference/block-kit/composition-objects/text-object
 * - Option object (text ≤75, value ≤150, description ≤75, url only in overflow menus):
 *   https://docs.slack.dev/reference/block-kit/composition-objects/option-object
 * - Option group (label ≤75, ≤100 options): .../composition-objects/option-group-object
 * - Confirmation dialog (title ≤100, text ≤300, confirm/deny ≤30):
 *   https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
 * - Modal view (title/submit/close plain_text ≤24, ≤100 blocks, private_metadata ≤3000, callback_id ≤255,
 *   external_id ≤255, submit required with an input block): https://docs.slack.dev/reference/views/modal-views
 * - Home tab view (≤100 blocks, same private_metadata/callback_id/external_id limits):
 *   https://docs.slack.dev/reference/views/home-tab-views
 * - block_id ≤255, unique in a message or view; action_id ≤255, unique among the action_ids of its block
 *   (button element and blocks pages above).
 *
 * Where the documentation and the platform differ, the stand-in is the stricter of the two and says so here:
 * - input blocks are refused outside modals (Pulje keeps forms in modals; Slack's input-block page also lists
 *   messages and Home tabs).
 * - unknown properties are refused, as Slack's published Block Kit JSON schema sets additionalProperties: false.
 *
 * Issues carry Slack's wording where it is known from its responses ("must be less than 3001 characters",
 * "no more than 50 items allowed", "must define either `text` or `fields`", "unsupported type: X") and a JSON
 * pointer from the request's root, as Slack's `[json-pointer:/blocks/0/text/text]` suffix has it.
 */

export type Surface = 'message' | 'modal' | 'home';

export interface BlockKitIssue {
  pointer: string;
  message: string;
}

/** Slack's limits, named so tests and README can cite them. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  imageUrl: 3000,
  altText: 2000,
  imageTitle: 2000,
  markdownText: 12000,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  id: 255,
  placeholder: 150,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3000,
  optionGroupLabel: 75,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  textInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

type Json = Record<string, unknown>;

const SECTION_ACCESSORIES = [
  'button',
  'overflow',
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'datepicker',
  'timepicker',
  'checkboxes',
  'radio_buttons',
  'image',
] as const;
const ACTIONS_ELEMENTS = [
  'button',
  'overflow',
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'checkboxes',
  'radio_buttons',
] as const;
const INPUT_ELEMENTS = [
  'plain_text_input',
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'checkboxes',
  'radio_buttons',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'number_input',
  'email_text_input',
  'url_text_input',
] as const;

class Checker {
  readonly issues: BlockKitIssue[] = [];

  constructor(readonly surface: Surface) {}

  fail(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  object(value: unknown, pointer: string): value is Json {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
    this.fail(pointer, 'must provide an object');
    return false;
  }

  array(value: unknown, pointer: string): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.fail(pointer, 'must provide an array');
    return false;
  }

  /** Slack refuses properties its schema does not define (additionalProperties: false). */
  only(o: Json, pointer: string, allowed: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) this.fail(`${pointer}/${key}`, `invalid additional property: ${key}`);
    }
  }

  required(o: Json, key: string, pointer: string): boolean {
    if (o[key] !== undefined) return true;
    this.fail(pointer, `missing required field: ${key}`);
    return false;
  }

  string(value: unknown, pointer: string, max: number, min = 0): value is string {
    if (typeof value !== 'string') {
      this.fail(pointer, 'must provide a string');
      return false;
    }
    // Slack counts characters, not UTF-16 code units.
    const length = [...value].length;
    if (length < min) this.fail(pointer, `must be more than ${min - 1} characters`);
    if (length > max) this.fail(pointer, `must be less than ${max + 1} characters`);
    return true;
  }

  boolean(value: unknown, pointer: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.fail(pointer, 'must provide a boolean');
  }

  count(value: unknown[], pointer: string, max: number, min = 0): void {
    if (value.length > max) this.fail(pointer, `no more than ${max} items allowed`);
    if (value.length < min) this.fail(pointer, `must provide at least ${min} items`);
  }

  oneOf(value: unknown, pointer: string, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value as string)) {
      this.fail(pointer, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
  }

  /** A text object; `only` restricts the type where Slack's reference says "must be plain_text" (or mrkdwn). */
  text(value: unknown, pointer: string, max: number, only?: 'plain_text' | 'mrkdwn'): void {
    if (!this.object(value, pointer)) return;
    const type = value.type;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.fail(`${pointer}/type`, `must be one of "plain_text", "mrkdwn"`);
      return;
    }
    if (only && type !== only) {
      this.fail(pointer, `failed to match all allowed schemas: must be a ${only} text object`);
      return;
    }
    this.only(value, pointer, type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim']);
    if (this.required(value, 'text', pointer)) this.string(value.text, `${pointer}/text`, max, 1);
    if (type === 'plain_text') this.boolean(value.emoji, `${pointer}/emoji`);
    else this.boolean(value.verbatim, `${pointer}/verbatim`);
  }

  id(value: unknown, pointer: string): void {
    if (value !== undefined) this.string(value, pointer, LIMITS.id, 1);
  }

  url(value: unknown, pointer: string, max: number): void {
    if (!this.string(value, pointer, max, 1)) return;
    if (!/^(https?|mailto|slack):/i.test(value)) this.fail(pointer, 'must be a valid URL');
  }
}

export function validateMessageBlocks(blocks: unknown, basePointer = '/blocks'): BlockKitIssue[] {
  const c = new Checker('message');
  checkBlocks(c, blocks, basePointer, LIMITS.messageBlocks);
  return c.issues;
}

/**
 * A view for views.open / views.push / views.update (modal) or views.publish (home). `expected` says which
 * type the method accepts; the documented fields of each view type are the only ones allowed.
 */
export function validateView(view: unknown, expected: 'modal' | 'home', basePointer = '/view'): BlockKitIssue[] {
  const c = new Checker(expected);
  if (!c.object(view, basePointer)) return c.issues;
  if (view.type !== expected) {
    c.fail(`${basePointer}/type`, `must be ${JSON.stringify(expected)}`);
    return c.issues;
  }
  const common = ['type', 'blocks', 'private_metadata', 'callback_id', 'external_id'];
  if (expected === 'modal') {
    c.only(view, basePointer, [...common, 'title', 'close', 'submit', 'clear_on_close', 'notify_on_close', 'submit_disabled']);
    if (c.required(view, 'title', basePointer)) c.text(view.title, `${basePointer}/title`, LIMITS.modalTitle, 'plain_text');
    if (view.close !== undefined) c.text(view.close, `${basePointer}/close`, LIMITS.modalButton, 'plain_text');
    if (view.submit !== undefined) c.text(view.submit, `${basePointer}/submit`, LIMITS.modalButton, 'plain_text');
    c.boolean(view.clear_on_close, `${basePointer}/clear_on_close`);
    c.boolean(view.notify_on_close, `${basePointer}/notify_on_close`);
    c.boolean(view.submit_disabled, `${basePointer}/submit_disabled`);
  } else {
    c.only(view, basePointer, common);
  }
  if (view.private_metadata !== undefined) c.string(view.private_metadata, `${basePointer}/private_metadata`, LIMITS.privateMetadata);
  if (view.callback_id !== undefined) c.string(view.callback_id, `${basePointer}/callback_id`, LIMITS.callbackId);
  if (view.external_id !== undefined) c.string(view.external_id, `${basePointer}/external_id`, LIMITS.externalId);
  if (c.required(view, 'blocks', basePointer)) {
    checkBlocks(c, view.blocks, `${basePointer}/blocks`, LIMITS.viewBlocks);
    if (expected === 'modal' && Array.isArray(view.blocks) && view.submit === undefined) {
      const inputAt = view.blocks.findIndex((b) => (b as Json | null)?.type === 'input');
      if (inputAt >= 0) c.fail(`${basePointer}/blocks/${inputAt}/input`, 'must define `submit` to use an `input` block in modals');
    }
  }
  return c.issues;
}

function checkBlocks(c: Checker, blocks: unknown, pointer: string, max: number): void {
  if (!c.array(blocks, pointer)) return;
  c.count(blocks, pointer, max);
  const blockIds = new Map<string, number>();
  blocks.forEach((block, i) => {
    const p = `${pointer}/${i}`;
    if (!c.object(block, p)) return;
    if (typeof block.block_id === 'string') {
      const first = blockIds.get(block.block_id);
      if (first !== undefined) c.fail(`${p}/block_id`, `duplicate block_id: ${block.block_id} (also ${pointer}/${first})`);
      else blockIds.set(block.block_id, i);
    }
    checkBlock(c, block, p);
  });
}

function checkBlock(c: Checker, b: Json, p: string): void {
  c.id(b.block_id, `${p}/block_id`);
  switch (b.type) {
    case 'section': {
      c.only(b, p, ['type', 'block_id', 'text', 'fields', 'accessory', 'expand']);
      if (b.text === undefined && b.fields === undefined) c.fail(`${p}/type`, 'must define either `text` or `fields`');
      if (b.text !== undefined) c.text(b.text, `${p}/text`, LIMITS.sectionText);
      if (b.fields !== undefined && c.array(b.fields, `${p}/fields`)) {
        c.count(b.fields, `${p}/fields`, LIMITS.sectionFields, 1);
        b.fields.forEach((f, i) => c.text(f, `${p}/fields/${i}`, LIMITS.sectionFieldText));
      }
      if (b.accessory !== undefined) checkElements(c, [b.accessory], `${p}/accessory`, SECTION_ACCESSORIES, true);
      c.boolean(b.expand, `${p}/expand`);
      return;
    }
    case 'divider':
      c.only(b, p, ['type', 'block_id']);
      return;
    case 'header':
      c.only(b, p, ['type', 'block_id', 'text']);
      if (c.required(b, 'text', p)) c.text(b.text, `${p}/text`, LIMITS.headerText, 'plain_text');
      return;
    case 'context':
      c.only(b, p, ['type', 'block_id', 'elements']);
      if (c.required(b, 'elements', p) && c.array(b.elements, `${p}/elements`)) {
        c.count(b.elements, `${p}/elements`, LIMITS.contextElements, 1);
        b.elements.forEach((e, i) => {
          const ep = `${p}/elements/${i}`;
          if (!c.object(e, ep)) return;
          if (e.type === 'image') checkImageElement(c, e, ep);
          else c.text(e, ep, LIMITS.textObject);
        });
      }
      return;
    case 'actions':
      c.only(b, p, ['type', 'block_id', 'elements']);
      if (c.required(b, 'elements', p) && c.array(b.elements, `${p}/elements`)) {
        c.count(b.elements, `${p}/elements`, LIMITS.actionsElements, 1);
        checkElements(c, b.elements, `${p}/elements`, ACTIONS_ELEMENTS, false);
      }
      return;
    case 'input':
      if (c.surface !== 'modal') {
        c.fail(`${p}/type`, `unsupported type: input (the stand-in accepts input blocks in modals only)`);
        return;
      }
      c.only(b, p, ['type', 'block_id', 'label', 'element', 'hint', 'optional', 'dispatch_action']);
      if (c.required(b, 'label', p)) c.text(b.label, `${p}/label`, LIMITS.inputLabel, 'plain_text');
      if (b.hint !== undefined) c.text(b.hint, `${p}/hint`, LIMITS.inputHint, 'plain_text');
      c.boolean(b.optional, `${p}/optional`);
      c.boolean(b.dispatch_action, `${p}/dispatch_action`);
      if (c.required(b, 'element', p)) checkElements(c, [b.element], `${p}/element`, INPUT_ELEMENTS, true);
      return;
    case 'image':
      c.only(b, p, ['type', 'block_id', 'image_url', 'slack_file', 'alt_text', 'title']);
      if (b.image_url === undefined && b.slack_file === undefined) c.fail(p, 'missing required field: image_url');
      if (b.image_url !== undefined) c.url(b.image_url, `${p}/image_url`, LIMITS.imageUrl);
      if (c.required(b, 'alt_text', p)) c.string(b.alt_text, `${p}/alt_text`, LIMITS.altText, 1);
      if (b.title !== undefined) c.text(b.title, `${p}/title`, LIMITS.imageTitle, 'plain_text');
      return;
    case 'markdown':
      if (c.surface !== 'message') {
        c.fail(`${p}/type`, 'unsupported type: markdown');
        return;
      }
      c.only(b, p, ['type', 'block_id', 'text']);
      if (c.required(b, 'text', p)) c.string(b.text, `${p}/text`, LIMITS.markdownText, 1);
      return;
    case 'rich_text':
      // Rich text is Slack's own rendering of user-typed messages; Pulje sends section/mrkdwn instead, so only its shape is checked.
      c.only(b, p, ['type', 'block_id', 'elements']);
      if (c.required(b, 'elements', p) && c.array(b.elements, `${p}/elements`)) c.count(b.elements, `${p}/elements`, 100, 1);
      return;
    default:
      c.fail(`${p}/type`, `unsupported type: ${String(b.type)}`);
  }
}

/** Elements of one block: each must be an allowed type; action_ids unique among the block's elements. */
function checkElements(c: Checker, elements: unknown[], pointer: string, allowed: readonly string[], single: boolean): void {
  const actionIds = new Map<string, number>();
  elements.forEach((e, i) => {
    const p = single ? pointer : `${pointer}/${i}`;
    if (!c.object(e, p)) return;
    if (typeof e.type !== 'string' || !allowed.includes(e.type)) {
      c.fail(`${p}/type`, `unsupported type: ${String(e.type)}`);
      return;
    }
    if (typeof e.action_id === 'string') {
      const first = actionIds.get(e.action_id);
      if (first !== undefined) c.fail(`${p}/action_id`, `duplicate action_id: ${e.action_id} (also ${pointer}/${first})`);
      else actionIds.set(e.action_id, i);
    }
    checkElement(c, e, p);
  });
}

const CONFIRMABLE = ['confirm'];

function checkElement(c: Checker, e: Json, p: string): void {
  c.id(e.action_id, `${p}/action_id`);
  if (e.confirm !== undefined) checkConfirm(c, e.confirm, `${p}/confirm`);
  switch (e.type) {
    case 'button':
      c.only(e, p, ['type', 'text', 'action_id', 'url', 'value', 'style', 'accessibility_label', ...CONFIRMABLE]);
      if (c.required(e, 'text', p)) c.text(e.text, `${p}/text`, LIMITS.buttonText, 'plain_text');
      if (e.url !== undefined) c.url(e.url, `${p}/url`, LIMITS.buttonUrl);
      if (e.value !== undefined) c.string(e.value, `${p}/value`, LIMITS.buttonValue);
      c.oneOf(e.style, `${p}/style`, ['primary', 'danger']);
      if (e.accessibility_label !== undefined) c.string(e.accessibility_label, `${p}/accessibility_label`, LIMITS.accessibilityLabel, 1);
      return;
    case 'static_select':
    case 'multi_static_select': {
      const multi = e.type === 'multi_static_select';
      c.only(e, p, [
        'type',
        'action_id',
        'placeholder',
        'options',
        'option_groups',
        multi ? 'initial_options' : 'initial_option',
        ...(multi ? ['max_selected_items'] : []),
        'focus_on_load',
        ...CONFIRMABLE,
      ]);
      placeholder(c, e, p);
      if ((e.options === undefined) === (e.option_groups === undefined)) {
        c.fail(p, 'must provide exactly one of `options` or `option_groups`');
      }
      const values: string[] = [];
      if (e.options !== undefined && c.array(e.options, `${p}/options`)) {
        c.count(e.options, `${p}/options`, LIMITS.selectOptions, 1);
        e.options.forEach((o, i) => values.push(...checkOption(c, o, `${p}/options/${i}`, 'plain_text', false)));
      }
      if (e.option_groups !== undefined && c.array(e.option_groups, `${p}/option_groups`)) {
        c.count(e.option_groups, `${p}/option_groups`, LIMITS.optionGroups, 1);
        e.option_groups.forEach((g, gi) => {
          const gp = `${p}/option_groups/${gi}`;
          if (!c.object(g, gp)) return;
          c.only(g, gp, ['label', 'options']);
          if (c.required(g, 'label', gp)) c.text(g.label, `${gp}/label`, LIMITS.optionGroupLabel, 'plain_text');
          if (c.required(g, 'options', gp) && c.array(g.options, `${gp}/options`)) {
            c.count(g.options, `${gp}/options`, LIMITS.selectOptions, 1);
            g.options.forEach((o, i) => values.push(...checkOption(c, o, `${gp}/options/${i}`, 'plain_text', false)));
          }
        });
      }
      initialOptions(c, e, p, values, multi);
      if (multi && e.max_selected_items !== undefined) positiveInteger(c, e.max_selected_items, `${p}/max_selected_items`);
      c.boolean(e.focus_on_load, `${p}/focus_on_load`);
      return;
    }
    case 'overflow':
      c.only(e, p, ['type', 'action_id', 'options', ...CONFIRMABLE]);
      if (c.required(e, 'options', p) && c.array(e.options, `${p}/options`)) {
        c.count(e.options, `${p}/options`, LIMITS.overflowOptions, 1);
        e.options.forEach((o, i) => checkOption(c, o, `${p}/options/${i}`, 'plain_text', true));
      }
      return;
    case 'checkboxes':
    case 'radio_buttons': {
      const multi = e.type === 'checkboxes';
      c.only(e, p, ['type', 'action_id', 'options', multi ? 'initial_options' : 'initial_option', 'focus_on_load', ...CONFIRMABLE]);
      const values: string[] = [];
      if (c.required(e, 'options', p) && c.array(e.options, `${p}/options`)) {
        c.count(e.options, `${p}/options`, multi ? LIMITS.checkboxOptions : LIMITS.radioOptions, 1);
        e.options.forEach((o, i) => values.push(...checkOption(c, o, `${p}/options/${i}`, undefined, false)));
      }
      initialOptions(c, e, p, values, multi);
      c.boolean(e.focus_on_load, `${p}/focus_on_load`);
      return;
    }
    case 'plain_text_input': {
      c.only(e, p, [
        'type',
        'action_id',
        'placeholder',
        'initial_value',
        'multiline',
        'min_length',
        'max_length',
        'dispatch_action_config',
        'focus_on_load',
      ]);
      placeholder(c, e, p);
      c.boolean(e.multiline, `${p}/multiline`);
      c.boolean(e.focus_on_load, `${p}/focus_on_load`);
      const min = e.min_length;
      const max = e.max_length;
      if (min !== undefined) integerIn(c, min, `${p}/min_length`, 0, LIMITS.textInputLength);
      if (max !== undefined) integerIn(c, max, `${p}/max_length`, 1, LIMITS.textInputLength);
      if (typeof min === 'number' && typeof max === 'number' && min > max) c.fail(`${p}/min_length`, 'must not be greater than max_length');
      if (e.initial_value !== undefined)
        c.string(e.initial_value, `${p}/initial_value`, typeof max === 'number' ? max : LIMITS.textInputLength);
      if (e.dispatch_action_config !== undefined && c.object(e.dispatch_action_config, `${p}/dispatch_action_config`)) {
        const d = e.dispatch_action_config;
        c.only(d, `${p}/dispatch_action_config`, ['trigger_actions_on']);
        if (d.trigger_actions_on !== undefined && c.array(d.trigger_actions_on, `${p}/dispatch_action_config/trigger_actions_on`)) {
          d.trigger_actions_on.forEach((t, i) =>
            c.oneOf(t, `${p}/dispatch_action_config/trigger_actions_on/${i}`, ['on_enter_pressed', 'on_character_entered']),
          );
        }
      }
      return;
    }
    case 'datepicker':
      c.only(e, p, ['type', 'action_id', 'initial_date', 'placeholder', 'focus_on_load', ...CONFIRMABLE]);
      placeholder(c, e, p);
      if (e.initial_date !== undefined && (typeof e.initial_date !== 'string' || !isCalendarDate(e.initial_date))) {
        c.fail(`${p}/initial_date`, 'must be a date in the format YYYY-MM-DD');
      }
      return;
    case 'timepicker':
      c.only(e, p, ['type', 'action_id', 'initial_time', 'placeholder', 'timezone', 'focus_on_load', ...CONFIRMABLE]);
      placeholder(c, e, p);
      if (e.initial_time !== undefined && (typeof e.initial_time !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(e.initial_time))) {
        c.fail(`${p}/initial_time`, 'must be a time in the format HH:mm');
      }
      return;
    case 'image':
      checkImageElement(c, e, p);
      return;
    default:
      // users/conversations/channels/external selects, datetimepicker, number/email/url inputs: the documented fields
      // are not all modelled; only the placeholder limit shared by all of them is checked.
      if (e.placeholder !== undefined) placeholder(c, e, p);
  }
}

function placeholder(c: Checker, e: Json, p: string): void {
  if (e.placeholder !== undefined) c.text(e.placeholder, `${p}/placeholder`, LIMITS.placeholder, 'plain_text');
}

function checkImageElement(c: Checker, e: Json, p: string): void {
  c.only(e, p, ['type', 'image_url', 'slack_file', 'alt_text']);
  if (e.image_url === undefined && e.slack_file === undefined) c.fail(p, 'missing required field: image_url');
  if (e.image_url !== undefined) c.url(e.image_url, `${p}/image_url`, LIMITS.imageUrl);
  if (c.required(e, 'alt_text', p)) c.string(e.alt_text, `${p}/alt_text`, LIMITS.altText, 1);
}

/** An option; returns its value for initial_option checks. `textType` undefined: either text type (checkboxes, radios). */
function checkOption(c: Checker, o: unknown, p: string, textType: 'plain_text' | undefined, allowUrl: boolean): string[] {
  if (!c.object(o, p)) return [];
  c.only(o, p, ['text', 'value', 'description', ...(allowUrl ? ['url'] : [])]);
  if (c.required(o, 'text', p)) c.text(o.text, `${p}/text`, LIMITS.optionText, textType);
  if (o.description !== undefined) c.text(o.description, `${p}/description`, LIMITS.optionDescription, textType);
  if (o.url !== undefined) c.url(o.url, `${p}/url`, LIMITS.optionUrl);
  if (c.required(o, 'value', p) && c.string(o.value, `${p}/value`, LIMITS.optionValue, 1)) return [o.value as string];
  return [];
}

/** initial_option(s) must be among the element's options (select menu and checkbox reference pages). */
function initialOptions(c: Checker, e: Json, p: string, values: string[], multi: boolean): void {
  const key = multi ? 'initial_options' : 'initial_option';
  const given = e[key];
  if (given === undefined) return;
  const list = multi ? (c.array(given, `${p}/${key}`) ? given : []) : [given];
  list.forEach((o, i) => {
    const op = multi ? `${p}/${key}/${i}` : `${p}/${key}`;
    if (!c.object(o, op)) return;
    if (!values.includes(o.value as string)) c.fail(op, 'must exactly match one of the provided options');
  });
}

function checkConfirm(c: Checker, confirm: unknown, p: string): void {
  if (!c.object(confirm, p)) return;
  c.only(confirm, p, ['title', 'text', 'confirm', 'deny', 'style']);
  for (const key of ['title', 'text', 'confirm', 'deny']) c.required(confirm, key, p);
  if (confirm.title !== undefined) c.text(confirm.title, `${p}/title`, LIMITS.confirmTitle, 'plain_text');
  if (confirm.text !== undefined) c.text(confirm.text, `${p}/text`, LIMITS.confirmText);
  if (confirm.confirm !== undefined) c.text(confirm.confirm, `${p}/confirm`, LIMITS.confirmButton, 'plain_text');
  if (confirm.deny !== undefined) c.text(confirm.deny, `${p}/deny`, LIMITS.confirmButton, 'plain_text');
  c.oneOf(confirm.style, `${p}/style`, ['primary', 'danger']);
}

function positiveInteger(c: Checker, value: unknown, p: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) c.fail(p, 'must be an integer of at least 1');
}

function integerIn(c: Checker, value: unknown, p: string, min: number, max: number): void {
  if (!Number.isInteger(value)) c.fail(p, 'must provide an integer');
  else if ((value as number) < min) c.fail(p, `must be at least ${min}`);
  else if ((value as number) > max) c.fail(p, `must be no more than ${max}`);
}

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Slack's two ways of listing the issues: `errors` (plain) and `response_metadata.messages` ("[ERROR] …"). */
export function describeIssues(issues: BlockKitIssue[]): { errors: string[]; response_metadata: { messages: string[] } } {
  const errors = issues.map((i) => `${i.message} [json-pointer:${i.pointer}]`);
  return { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}

/** Every text a surface shows as mrkdwn (so mentions in it are live): section/context/field texts of type mrkdwn. */
export function mrkdwnTexts(blocks: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Json;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'markdown' && typeof o.text === 'string') out.push(o.text);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') visit(v);
  };
  visit(blocks);
  return out;
}

/** Input blocks of a view, block_id → action_id → element type, for building view_submission state. */
export function inputElements(blocks: unknown): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (!Array.isArray(blocks)) return out;
  for (const b of blocks as Json[]) {
    if (b?.type !== 'input' || typeof b.block_id !== 'string') continue;
    const element = b.element as Json | undefined;
    if (!element || typeof element.action_id !== 'string' || typeof element.type !== 'string') continue;
    out.set(b.block_id, new Map([[element.action_id, element.type]]));
  }
  return out;
}
