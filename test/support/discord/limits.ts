import type { SchemaIssue } from './spec.ts';

/*
 * Limits Discord documents and enforces that the OpenAPI spec does not encode (or encodes more loosely: it
 * allows content up to 4000 characters and 40 top-level components, both for newer message kinds).
 * Sources: https://discord.com/developers/docs/resources/message, …/components/reference, …/interactions/receiving-and-responding.
 */

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  modalComponents: 5,
  textInputLabel: 45,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsVoiceMessage: 1 << 13,
  IsComponentsV2: 1 << 15,
} as const;

const F = MessageFlag;
/** The message flags a request may set, per kind of request. */
export const SETTABLE_FLAGS = {
  /** resources/message § Create Message, JSON/Form Params: flags. */
  channelMessage: F.SuppressEmbeds | F.SuppressNotifications | F.IsVoiceMessage | F.IsComponentsV2,
  /** receiving-and-responding § Interaction Callback Data Structure → Messages: flags (types 4 and 7). */
  callbackMessage: F.SuppressEmbeds | F.Ephemeral | F.IsComponentsV2 | F.IsVoiceMessage | F.SuppressNotifications,
  /** Same section, note *: with DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE "the only valid message flag you may use is EPHEMERAL". */
  deferredReply: F.Ephemeral,
  /** receiving-and-responding § Create Followup Message and resources/webhook § Execute Webhook: flags. */
  followup: F.SuppressEmbeds | F.SuppressNotifications | F.IsComponentsV2 | F.Ephemeral,
  /** resources/channel § Forum and Media Thread Message Params Object: flags. */
  forumStarter: F.SuppressEmbeds | F.SuppressNotifications,
} as const;

/** Flags outside `allowed` (Discord refuses the request, it does not drop them). */
export function checkFlags(body: unknown, allowed: number, at: Path, what: string): SchemaIssue[] {
  if (!isObj(body) || body.flags == null || typeof body.flags !== 'number') return [];
  const extra = body.flags & ~allowed;
  if (extra === 0) return [];
  return [
    {
      path: [...at, 'flags'],
      code: 'MESSAGE_FLAGS_INVALID',
      message: `Flags ${extra} cannot be set on ${what} (allowed: ${allowed}).`,
    },
  ];
}

/** Component types (https://discord.com/developers/docs/components/reference#component-object-component-types). */
export const ComponentKind = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Container: 17,
  Label: 18,
} as const;

const SELECT_TYPES: ReadonlySet<number> = new Set([3, 5, 6, 7, 8]);

type Obj = Record<string, unknown>;
type Path = Array<string | number>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (v: unknown): number => (typeof v === 'string' ? [...v].length : 0);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function tooLong(out: SchemaIssue[], path: Path, value: unknown, max: number): void {
  if (len(value) > max) out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
}

function lengthBetween(out: SchemaIssue[], path: Path, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') return;
  const n = len(value);
  if (n < min) out.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
  else if (n > max) out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be between ${min} and ${max} in length.` });
}

/** Limits on a message body (create or edit); `at` is where the body sits in the request (['data'] in a callback). */
export function checkMessageLimits(body: unknown, at: Path = []): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (!isObj(body)) return out;
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const v2 = (flags & MessageFlag.IsComponentsV2) !== 0;

  tooLong(out, [...at, 'content'], body.content, LIMITS.content);
  if (v2 && ((typeof body.content === 'string' && body.content) || arr(body.embeds).length)) {
    out.push({
      path: [...at, 'content'],
      code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      message: 'content and embeds cannot be used with the IS_COMPONENTS_V2 flag.',
    });
  }

  const embeds = arr(body.embeds);
  if (embeds.length > LIMITS.embeds)
    out.push({ path: [...at, 'embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.embeds} or fewer in length.` });
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObj(embed)) return;
    const p: Path = [...at, 'embeds', i];
    tooLong(out, [...p, 'title'], embed.title, LIMITS.embedTitle);
    tooLong(out, [...p, 'description'], embed.description, LIMITS.embedDescription);
    total += len(embed.title) + len(embed.description);
    if (isObj(embed.footer)) {
      tooLong(out, [...p, 'footer', 'text'], embed.footer.text, LIMITS.embedFooter);
      total += len(embed.footer.text);
    }
    if (isObj(embed.author)) {
      tooLong(out, [...p, 'author', 'name'], embed.author.name, LIMITS.embedAuthor);
      total += len(embed.author.name);
    }
    const fields = arr(embed.fields);
    if (fields.length > LIMITS.embedFields)
      out.push({ path: [...p, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.embedFields} or fewer in length.` });
    fields.forEach((field, j) => {
      if (!isObj(field)) return;
      lengthBetween(out, [...p, 'fields', j, 'name'], field.name ?? '', 1, LIMITS.embedFieldName);
      lengthBetween(out, [...p, 'fields', j, 'value'], field.value ?? '', 1, LIMITS.embedFieldValue);
      total += len(field.name) + len(field.value);
    });
  });
  if (total > LIMITS.embedTotal) {
    out.push({
      path: [...at, 'embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    });
  }

  const components = arr(body.components);
  if (!v2) {
    if (components.length > LIMITS.actionRows)
      out.push({ path: [...at, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.actionRows} or fewer in length.` });
    components.forEach((row, i) => {
      if (!isObj(row)) return;
      if (row.type !== ComponentKind.ActionRow) {
        out.push({
          path: [...at, 'components', i, 'type'],
          code: 'COMPONENT_TYPE_INVALID',
          message: 'Only action rows may be top-level components without the IS_COMPONENTS_V2 flag.',
        });
      }
    });
  }
  const customIds = new Map<string, Path>();
  walkComponents(components, [...at, 'components'], out, customIds);
  return out;
}

function walkComponents(list: unknown[], at: Path, out: SchemaIssue[], customIds: Map<string, Path>): void {
  list.forEach((c, i) => {
    if (!isObj(c)) return;
    const p: Path = [...at, i];
    switch (c.type) {
      case ComponentKind.ActionRow: {
        const children = arr(c.components);
        const selects = children.filter((x) => isObj(x) && SELECT_TYPES.has(x.type as number)).length;
        if (selects > 0 && children.length > 1) {
          out.push({
            path: [...p, 'components'],
            code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
            message: 'The specified component exceeds the maximum width: a select menu must be alone in its action row.',
          });
        } else if (children.length > LIMITS.buttonsPerRow) {
          out.push({
            path: [...p, 'components'],
            code: 'BASE_TYPE_MAX_LENGTH',
            message: `Must be ${LIMITS.buttonsPerRow} or fewer in length.`,
          });
        }
        if (children.some((x) => isObj(x) && x.type === ComponentKind.TextInput)) {
          out.push({ path: [...p, 'components'], code: 'COMPONENT_TYPE_INVALID', message: 'Text inputs belong in modals, not messages.' });
        }
        walkComponents(children, [...p, 'components'], out, customIds);
        break;
      }
      case ComponentKind.Button:
        checkButton(c, p, out, customIds);
        break;
      case ComponentKind.StringSelect:
      case ComponentKind.UserSelect:
      case ComponentKind.RoleSelect:
      case ComponentKind.MentionableSelect:
      case ComponentKind.ChannelSelect:
        checkSelect(c, p, out, customIds);
        break;
      case ComponentKind.Section:
        walkComponents(arr(c.components), [...p, 'components'], out, customIds);
        if (isObj(c.accessory)) walkComponents([c.accessory], [...p, 'accessory'], out, customIds);
        break;
      case ComponentKind.Container:
        walkComponents(arr(c.components), [...p, 'components'], out, customIds);
        break;
      default:
        break;
    }
  });
}

function checkCustomId(c: Obj, p: Path, out: SchemaIssue[], customIds: Map<string, Path>): void {
  if (typeof c.custom_id !== 'string') {
    out.push({ path: [...p, 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  lengthBetween(out, [...p, 'custom_id'], c.custom_id, 1, LIMITS.customId);
  if (customIds.has(c.custom_id)) {
    out.push({
      path: [...p, 'custom_id'],
      code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      message: `Component custom id cannot be duplicated (${c.custom_id}).`,
    });
  }
  customIds.set(c.custom_id, p);
}

function checkButton(c: Obj, p: Path, out: SchemaIssue[], customIds: Map<string, Path>): void {
  tooLong(out, [...p, 'label'], c.label, LIMITS.buttonLabel);
  if (c.style === 5) {
    if (typeof c.url !== 'string') out.push({ path: [...p, 'url'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    if (c.custom_id != null)
      out.push({
        path: [...p, 'custom_id'],
        code: 'BUTTON_COMPONENT_LINK_WITH_CUSTOM_ID',
        message: 'A link button cannot have a custom id.',
      });
  } else if (c.style !== 6) {
    checkCustomId(c, p, out, customIds);
    if (c.url != null)
      out.push({ path: [...p, 'url'], code: 'BUTTON_COMPONENT_URL_WITHOUT_LINK_STYLE', message: 'Only link buttons may have a url.' });
  }
  if (c.style !== 6 && c.label == null && c.emoji == null) {
    out.push({ path: [...p, 'label'], code: 'BUTTON_COMPONENT_MISSING_LABEL_OR_EMOJI', message: 'A button needs a label or an emoji.' });
  }
}

function checkSelect(c: Obj, p: Path, out: SchemaIssue[], customIds: Map<string, Path>): void {
  checkCustomId(c, p, out, customIds);
  tooLong(out, [...p, 'placeholder'], c.placeholder, LIMITS.selectPlaceholder);
  const min = typeof c.min_values === 'number' ? c.min_values : 1;
  const max = typeof c.max_values === 'number' ? c.max_values : 1;
  if (min > max)
    out.push({ path: [...p, 'min_values'], code: 'SELECT_COMPONENT_MIN_MAX_INVALID', message: 'min_values must not exceed max_values.' });
  if (c.type !== ComponentKind.StringSelect) return;
  const options = arr(c.options);
  if (options.length < 1 || options.length > LIMITS.selectOptions) {
    out.push({
      path: [...p, 'options'],
      code: options.length < 1 ? 'BASE_TYPE_MIN_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      message: `Must be between 1 and ${LIMITS.selectOptions} in length.`,
    });
  }
  if (max > options.length && options.length > 0) {
    out.push({
      path: [...p, 'max_values'],
      code: 'SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS',
      message: `max_values (${max}) exceeds the number of options (${options.length}).`,
    });
  }
  const values = new Set<string>();
  options.forEach((o, j) => {
    if (!isObj(o)) return;
    lengthBetween(out, [...p, 'options', j, 'label'], o.label ?? '', 1, LIMITS.selectOptionText);
    lengthBetween(out, [...p, 'options', j, 'value'], o.value ?? '', 1, LIMITS.selectOptionText);
    tooLong(out, [...p, 'options', j, 'description'], o.description, LIMITS.selectOptionText);
    if (typeof o.value === 'string') {
      if (values.has(o.value))
        out.push({
          path: [...p, 'options', j, 'value'],
          code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
          message: `Option value ${o.value} is duplicated.`,
        });
      values.add(o.value);
    }
  });
}

/** Limits on a modal (the data of a type 9 callback): title, 1–5 rows, one text input a row, lengths. */
export function checkModalLimits(data: unknown, at: Path = ['data']): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (!isObj(data)) return out;
  lengthBetween(out, [...at, 'title'], data.title, 1, LIMITS.modalTitle);
  lengthBetween(out, [...at, 'custom_id'], data.custom_id, 1, LIMITS.customId);
  const rows = arr(data.components);
  if (rows.length < 1 || rows.length > LIMITS.modalComponents) {
    out.push({
      path: [...at, 'components'],
      code: rows.length < 1 ? 'BASE_TYPE_MIN_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      message: `Must be between 1 and ${LIMITS.modalComponents} in length.`,
    });
  }
  const customIds = new Map<string, Path>();
  let inputs = 0;
  rows.forEach((row, i) => {
    if (!isObj(row)) return;
    const p: Path = [...at, 'components', i];
    let inner: Array<[Obj, Path]> = [];
    if (row.type === ComponentKind.ActionRow) {
      const children = arr(row.components);
      if (children.length !== 1) {
        out.push({
          path: [...p, 'components'],
          code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
          message: 'A modal action row holds exactly one text input.',
        });
      }
      inner = children.filter(isObj).map((c, j) => [c, [...p, 'components', j]]);
    } else if (row.type === ComponentKind.Label) {
      tooLong(out, [...p, 'label'], row.label, LIMITS.textInputLabel);
      if (isObj(row.component)) inner = [[row.component, [...p, 'component']]];
    } else if (row.type !== ComponentKind.TextDisplay) {
      out.push({
        path: [...p, 'type'],
        code: 'COMPONENT_TYPE_INVALID',
        message: 'Modals take action rows with a text input, labels or text displays.',
      });
    }
    for (const [c, cp] of inner) {
      if (c.type === ComponentKind.TextInput) {
        inputs++;
        checkCustomId(c, cp, out, customIds);
        if (row.type === ComponentKind.ActionRow) lengthBetween(out, [...cp, 'label'], c.label ?? '', 1, LIMITS.textInputLabel);
        tooLong(out, [...cp, 'value'], c.value, LIMITS.textInputValue);
        tooLong(out, [...cp, 'placeholder'], c.placeholder, LIMITS.textInputPlaceholder);
        const min = typeof c.min_length === 'number' ? c.min_length : 0;
        const max = typeof c.max_length === 'number' ? c.max_length : LIMITS.textInputValue;
        if (min > max)
          out.push({ path: [...cp, 'min_length'], code: 'TEXT_INPUT_MIN_MAX_INVALID', message: 'min_length must not exceed max_length.' });
        if (typeof c.value === 'string' && len(c.value) > max)
          out.push({ path: [...cp, 'value'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
      } else if (SELECT_TYPES.has(c.type as number)) {
        inputs++;
        checkSelect(c, cp, out, customIds);
      } else {
        out.push({
          path: [...cp, 'type'],
          code: 'COMPONENT_TYPE_INVALID',
          message: 'Only text inputs (or selects in labels) may be filled in a modal.',
        });
      }
    }
  });
  if (inputs > LIMITS.modalComponents) {
    out.push({
      path: [...at, 'components'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `A modal takes at most ${LIMITS.modalComponents} inputs.`,
    });
  }
  return out;
}

/** Limits on an autocomplete answer (type 8): ≤ 25 choices, names 1–100, string values ≤ 100. */
export function checkAutocompleteLimits(data: unknown, at: Path = ['data']): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (!isObj(data)) return out;
  const choices = arr(data.choices);
  if (choices.length > LIMITS.autocompleteChoices)
    out.push({
      path: [...at, 'choices'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${LIMITS.autocompleteChoices} or fewer in length.`,
    });
  choices.forEach((c, i) => {
    if (!isObj(c)) return;
    lengthBetween(out, [...at, 'choices', i, 'name'], c.name ?? '', 1, LIMITS.choiceName);
    if (typeof c.value === 'string') tooLong(out, [...at, 'choices', i, 'value'], c.value, LIMITS.choiceValue);
  });
  return out;
}

/** True when a message to be created would have nothing to show (Discord answers 50006). */
export function isEmptyMessage(body: unknown): boolean {
  if (!isObj(body)) return true;
  const has = (v: unknown): boolean => (typeof v === 'string' ? v.length > 0 : Array.isArray(v) ? v.length > 0 : v != null);
  return !['content', 'embeds', 'components', 'attachments', 'sticker_ids', 'poll', 'files'].some((k) => has(body[k]));
}

/**
 * How strictly to insist on allowed_mentions:
 * - 'user-text' (default): a message whose text contains something a simulated user typed (a command option,
 *   a modal field, a message, or text given to markUserText) must carry allowed_mentions that parse nothing;
 * - 'all': every message with text must;
 * - 'off': no check.
 */
export type MentionStrictness = 'off' | 'user-text' | 'all';

/** Shortest user text that counts; single characters would match almost any reply. */
export const MIN_USER_TEXT = 2;

export function messageText(body: Obj): string {
  const parts: string[] = [];
  if (typeof body.content === 'string') parts.push(body.content);
  const visit = (list: unknown[]): void => {
    for (const c of list) {
      if (!isObj(c)) continue;
      if (c.type === ComponentKind.TextDisplay && typeof c.content === 'string') parts.push(c.content);
      visit(arr(c.components));
      if (isObj(c.accessory)) visit([c.accessory]);
    }
  };
  visit(arr(body.components));
  return parts.join('\n');
}

export function checkMentions(body: unknown, strictness: MentionStrictness, userTexts: Iterable<string>, at: Path = []): SchemaIssue[] {
  if (strictness === 'off' || !isObj(body)) return [];
  const text = messageText(body);
  if (!text) return [];
  let carried: string | undefined;
  if (strictness === 'user-text') {
    for (const t of userTexts) {
      if (t.length >= MIN_USER_TEXT && text.includes(t)) {
        carried = t;
        break;
      }
    }
    if (carried === undefined) return [];
  }
  const why =
    carried === undefined ? 'This message has text' : `This message carries user-written text (${JSON.stringify(carried.slice(0, 40))})`;
  const am = body.allowed_mentions;
  if (!isObj(am)) {
    return [
      {
        path: [...at, 'allowed_mentions'],
        code: 'STANDIN_ALLOWED_MENTIONS_REQUIRED',
        message: `${why} but no allowed_mentions, so Discord would parse @everyone, @here, roles and users in it.`,
      },
    ];
  }
  const parse = arr(am.parse);
  if (parse.length) {
    return [
      {
        path: [...at, 'allowed_mentions', 'parse'],
        code: 'STANDIN_ALLOWED_MENTIONS_PARSE',
        message: `${why} and allowed_mentions.parse is ${JSON.stringify(parse)}; it must parse nothing.`,
      },
    ];
  }
  return [];
}
