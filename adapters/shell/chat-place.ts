import { randomUUID } from 'node:crypto';
import {
  type FittedButton,
  type FittedForm,
  type FittedMessage,
  type FittedSelect,
  type InboundEventInput,
  limitViolations,
  type Outcome,
  type Platform,
  type ReplyRef,
  type Router,
  type Surface,
  type SurfaceLimits,
  serve,
} from '../../src/conversation/index.ts';
import { DEFAULT_LOCALE } from '../../src/i18n/index.ts';

/**
 * An in-memory chat place that plays any platform's part: the test surface that ships with Pulje (like errbot's
 * TestBackend or Hubot's Shell adapter). Flow tests drive it, and `npm run shell` puts a terminal in front of
 * it. Public answers are shown to everyone, private ones to the person who acted; an update replaces the
 * message whose control was used, keeping who may see it.
 *
 * Strict by default, like a real platform: a message beyond the surface's limits, or an update that would turn
 * a card everyone sees into one person's answer, is refused with an error instead of shown.
 */
export interface Person {
  /** Who this is in the chat place (a short handle; recipients are keyed by it). */
  key: string;
  name: string;
  /** The platform account. */
  externalId: string;
}

export interface Shown {
  id: string;
  /** The person's key for a private message; null for a public one. */
  recipient: string | null;
  message: FittedMessage;
}

export interface ChatPlaceOptions {
  limits: Readonly<SurfaceLimits>;
  channelId?: string;
  platform?: Platform;
  /** Refuse over-limit messages and updates of public messages (default true). */
  strict?: boolean;
  /** Private answers vanish, so cards worth keeping are also sent by DM (Discord-like); default false. */
  fleetingPrivate?: boolean;
}

export class ChatPlace {
  readonly messages: Shown[] = [];
  /** Direct messages, by person key. */
  readonly dms = new Map<string, FittedMessage[]>();
  /** Discussion threads opened, by message id. */
  readonly threads = new Map<string, string>();
  readonly limits: Readonly<SurfaceLimits>;
  readonly channelId: string;
  readonly platform: Platform;
  private readonly strict: boolean;
  private readonly fleeting: boolean;
  private readonly forms = new Map<string, FittedForm>();
  private seq = 0;
  private keys = 0;
  /** Delivery ids are unique per chat place, so another run on the same database never looks like a redelivery. */
  private readonly instance = randomUUID().slice(0, 8);

  constructor(
    /** Replaceable, to let another "process" (router) take the next event in the same chat place. */
    public router: Router,
    opts: ChatPlaceOptions,
  ) {
    this.limits = opts.limits;
    this.channelId = opts.channelId ?? 'chan-1';
    this.platform = opts.platform ?? 'discord';
    this.strict = opts.strict ?? true;
    this.fleeting = opts.fleetingPrivate ?? false;
  }

  private check(message: FittedMessage): void {
    if (!this.strict) return;
    const violations = limitViolations(message, this.limits);
    if (violations.length) throw new Error(`message beyond the surface's limits: ${violations.join('; ')}`);
  }

  private ref(id: string): ReplyRef {
    return { platform: this.platform, channelId: this.channelId, messageId: id };
  }

  private push(recipient: string | null, message: FittedMessage): ReplyRef {
    this.check(message);
    const id = `m${++this.seq}`;
    this.messages.push({ id, recipient, message });
    return this.ref(id);
  }

  private replace(id: string | undefined, message: FittedMessage): Shown | null {
    const target = this.messages.find((m) => m.id === id);
    if (!target) return null;
    this.check(message);
    if (this.strict && target.recipient === null) {
      throw new Error(`an update would replace public message ${target.id}: ${textOf(message).slice(0, 200)}`);
    }
    target.message = message;
    return target;
  }

  /** The surface port for one event by `who` (on the message `sourceId`, if a control or form was used there). */
  surface(who: Person, sourceId?: string): Surface {
    const place = this;
    return {
      limits: this.limits,
      fleetingPrivate: this.fleeting,
      postPublic: async (m) => place.push(null, m),
      postPrivate: async (m) => place.push(who.key, m),
      async updateSource(m) {
        const target = place.replace(sourceId, m);
        return target ? { ref: place.ref(target.id), private: target.recipient !== null } : null;
      },
      edit: async (ref, m) => ref.channelId === place.channelId && place.replace(ref.messageId, m) !== null,
      async openForm(form) {
        place.forms.set(who.key, form);
        return true;
      },
      async directMessage(ms) {
        place.dms.set(who.key, [...(place.dms.get(who.key) ?? []), ...ms]);
        return 'sent';
      },
      async openThread(ref, name) {
        place.threads.set(ref.messageId, name);
      },
      async acknowledge() {},
    };
  }

  private base(who: Person, key?: string) {
    return {
      idempotencyKey: key ?? `${this.channelId}-${this.instance}-k${++this.keys}`,
      actor: { platform: this.platform, externalId: who.externalId, displayName: who.name },
      conversation: { platform: this.platform, channelId: this.channelId },
    };
  }

  /** Sends any event as `who`, through the router and the one delivery path; the router's outcome. */
  async send(who: Person, event: Record<string, unknown>, sourceId?: string, key?: string): Promise<Outcome> {
    const served = await serve(this.router, this.surface(who, sourceId), { ...this.base(who, key), ...event } as InboundEventInput, {
      fallbackLocale: DEFAULT_LOCALE,
    });
    if (!served.outcome) throw new Error('the event could not be handled (see the log)');
    return served.outcome;
  }

  command(who: Person, name: string, text?: string, key?: string): Promise<Outcome> {
    return this.send(who, { kind: 'command', name, ...(text !== undefined ? { text } : {}) }, undefined, key);
  }

  private source(messageId: string) {
    return { platform: this.platform, channelId: this.channelId, messageId };
  }

  /** Presses the button whose label matches on a message `who` can see. */
  async click(who: Person, shown: Shown, label: string | RegExp, key?: string): Promise<Outcome> {
    if (!this.visibleTo(who).includes(shown)) throw new Error(`${who.key} cannot see ${shown.id}`);
    const all = buttonsOf(shown.message);
    const b = all.find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
    if (!b) throw new Error(`no button ${label} on ${shown.id}; there are: ${all.map((x) => x.label).join(' | ')}`);
    if (b.disabled) throw new Error(`button ${b.label} is disabled`);
    return this.send(who, { kind: 'action', actionId: b.id, source: this.source(shown.id) }, shown.id, key);
  }

  /** Sends an action id as a (possibly forged or stale) control on a message. */
  action(who: Person, actionId: string, shown?: Shown, values: string[] = [], key?: string): Promise<Outcome> {
    return this.send(who, { kind: 'action', actionId, values, ...(shown ? { source: this.source(shown.id) } : {}) }, shown?.id, key);
  }

  /** Picks `values` in the `index`th select of a message. */
  async choose(who: Person, shown: Shown, values: string[], index = 0): Promise<Outcome> {
    const select = selectsOf(shown.message)[index];
    if (!select) throw new Error(`no select ${index} on ${shown.id}`);
    const offered = new Set(select.options.map((o) => o.value));
    const unknown = values.filter((v) => !offered.has(v));
    if (unknown.length) throw new Error(`select ${index} on ${shown.id} offers no ${unknown.join(', ')}`);
    return this.send(who, { kind: 'action', actionId: select.id, values, source: this.source(shown.id) }, shown.id);
  }

  /** The form the router last opened for `who`. */
  form(who: Person): FittedForm {
    const form = this.forms.get(who.key);
    if (!form) throw new Error(`no form open for ${who.key}`);
    return form;
  }

  /** Submits the open form; every field must be one of its inputs. */
  async submit(who: Person, fields: Record<string, string>, key?: string): Promise<Outcome> {
    const form = this.form(who);
    this.forms.delete(who.key);
    const known = new Set(form.inputs.map((i) => i.name));
    const unknown = Object.keys(fields).filter((name) => !known.has(name));
    if (unknown.length) throw new Error(`form ${form.id} has no input ${unknown.join(', ')}`);
    return this.send(who, { kind: 'form', formId: form.id, fields }, undefined, key);
  }

  visibleTo(who: Person): Shown[] {
    return this.messages.filter((m) => m.recipient === null || m.recipient === who.key);
  }

  /** The newest message `who` can see. */
  last(who: Person): Shown {
    const shown = this.visibleTo(who).at(-1);
    if (!shown) throw new Error(`nothing visible to ${who.key}`);
    return shown;
  }

  lastPublic(): Shown {
    const shown = this.messages.filter((m) => m.recipient === null).at(-1);
    if (!shown) throw new Error('no public message');
    return shown;
  }

  /** All text `who` can read in this chat place. */
  transcript(who: Person): string {
    return this.visibleTo(who)
      .map((m) => textOf(m.message))
      .join('\n');
  }
}

/** Everything a person can read in a fitted message, joined by lines. */
export function textOf(message: FittedMessage): string {
  return [
    ...message.text.map((s) => s.text),
    ...message.cards.flatMap((c) => [
      c.title ?? '',
      ...c.body.map((s) => s.text),
      ...c.fields.flatMap((f) => [f.label, f.value]),
      c.footer ?? '',
      ...c.rows.flatMap((r) =>
        r.kind === 'buttons' ? r.buttons.map((b) => b.label) : [r.select.placeholder ?? '', ...r.select.options.map((o) => o.label)],
      ),
    ]),
  ]
    .filter(Boolean)
    .join('\n');
}

export function buttonsOf(message: FittedMessage): FittedButton[] {
  return message.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])));
}

export function selectsOf(message: FittedMessage): FittedSelect[] {
  return message.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'select' ? [r.select] : [])));
}
