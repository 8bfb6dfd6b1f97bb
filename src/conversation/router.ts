import { z } from 'zod';
import { AlreadyHandled, PuljeError, zodDetails } from '../core/errors.ts';
import { forbidden } from '../domain/roles.ts';
import { DEFAULT_LOCALE, t, type Locale, type MessageKey, type Translate, translator } from '../i18n/index.ts';
import { decodeActionId, encodeActionId, type ActionRef, type DecodedActionId } from './action-id.ts';
import { parseCommandText } from './command-text.ts';
import {
  completionRequestSchema,
  formEventSchema,
  inboundEventSchema,
  type ActionEvent,
  type CommandEvent,
  type CompletionRequestInput,
  type FormEvent,
  type InboundEvent,
  type InboundEventInput,
  type MessageEvent,
  type PlatformRole,
  type ReplyRef,
} from './events.ts';
import { fitReply, type FittedReply } from './fit.ts';
import type { SurfaceLimits } from './limits.ts';
import { type Control, reply, type Reply } from './outbound.ts';
import {
  silentLogger,
  type ClaimMode,
  type KnownReads,
  type ConversationDirectory,
  type FormDraftStore,
  type IdempotencyStore,
  type Logger,
  type ResolvedConversation,
  type ResolvedPerson,
  type Role,
} from './ports.ts';

/** What a handler needs before it runs: nothing, a known person, or a member of the conversation's group. */
export type Requirement = 'none' | 'person' | 'member';

export interface Context {
  event: InboundEvent;
  locale: Locale;
  t: Translate;
  person: ResolvedPerson | null;
  conversation: ResolvedConversation | null;
  /** The person's role in the conversation's group, if both are known and the person is a member. */
  role: Role | null;
  platformRoles: readonly PlatformRole[];
  log: Logger;
  /** The commands this person may use here, localized (for help and command hints). */
  commands(): CommandInfo[];
  /**
   * Loads something once per event (the current round, its proposals): preconditions and the handler ask for
   * the same thing and the second asks are answered from here, so one event reads each row once.
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface PersonContext extends Context {
  person: ResolvedPerson;
}
export interface MemberContext extends PersonContext {
  conversation: ResolvedConversation;
  role: Role;
}

/**
 * A check that must pass before a handler runs (Sapphire's preconditions): it throws a PuljeError for someone
 * who may not do this now (a round in the wrong phase, of another group). Declared on the definition and run
 * by the router in one place, after the role check; what it loads it may keep in `ctx.memo` for the handler.
 */
export type Precondition<C, I> = (ctx: C, input: I) => Promise<void> | void;

export type ContextFor<R extends Requirement> = R extends 'member' ? MemberContext : R extends 'person' ? PersonContext : Context;
type Result = Reply[] | Reply | void;

/** A suggestion for an argument being typed: `label` is shown, `value` is what the argument becomes. */
export interface Choice {
  label: string;
  value: string;
}

export interface ArgDef<R extends Requirement = Requirement> {
  name: string;
  /** Shown as the argument's hint ("<titel>") and as its description where the platform has one. */
  hint: MessageKey;
  required?: boolean;
  /**
   * What the argument names: text (default), or one of the platform's roles, which a platform with a role
   * picker offers as one (Discord) and passes on as the role's id; elsewhere it is typed as text.
   */
  kind?: 'text' | 'role';
  /**
   * Suggestions while the argument is typed (Discord autocomplete), e.g. proposals matching `partial`. Runs only
   * for someone who may use the command here; read-only, since it may run on every keystroke and is never claimed.
   * The person may still send text that matches no suggestion, so the handler validates as usual.
   */
  complete?(ctx: ContextFor<R>, input: { partial: string; args: Record<string, string> }): Promise<readonly Choice[]> | readonly Choice[];
}

export interface CommandDef<R extends Requirement = 'member'> {
  name: string;
  description: MessageKey;
  args?: readonly ArgDef<R>[];
  /** Who may use it and sees it in help; everyone when absent. */
  roles?: readonly Role[];
  requires?: R;
  preconditions?: readonly Precondition<ContextFor<R>, { args: Record<string, string> }>[];
  /**
   * 'with-change': the handler does nothing outside the database before its first transaction (no message
   * posted, no model asked), so where the surface allows it (HandleOptions.claimWithChange) its event is not
   * claimed first: the key is written by that transaction, in its commit (see ClaimMode).
   */
  claim?: ClaimMode;
  handler(ctx: ContextFor<R>, input: { args: Record<string, string> }): Promise<Result> | Result;
}

export interface ActionDef<R extends Requirement, A extends z.ZodType<unknown, readonly string[]>> {
  flow: string;
  verb: string;
  version?: number;
  /** Validates the id's arguments; a mismatch is answered as a broken button, not passed on. */
  args?: A;
  requires?: R;
  /** Who may use it; everyone who meets `requires` when absent. */
  roles?: readonly Role[];
  preconditions?: readonly Precondition<ContextFor<R>, ActionInput<A>>[];
  /** As CommandDef.claim. */
  claim?: ClaimMode;
  handler(ctx: ContextFor<R>, input: ActionInput<A>): Promise<Result> | Result;
}

export interface ActionInput<A extends z.ZodType<unknown, readonly string[]>> {
  args: z.output<A>;
  values: string[];
  page: number | undefined;
  source: ReplyRef | undefined;
}

export interface FormInputOf<A extends z.ZodType<unknown, readonly string[]>> {
  args: z.output<A>;
  fields: Record<string, string>;
  source: ReplyRef | undefined;
}

export interface FormDef<R extends Requirement, A extends z.ZodType<unknown, readonly string[]>> {
  flow: string;
  verb: string;
  version?: number;
  args?: A;
  requires?: R;
  /** Who may submit it; everyone who meets `requires` when absent. */
  roles?: readonly Role[];
  preconditions?: readonly Precondition<ContextFor<R>, FormInputOf<A>>[];
  handler(ctx: ContextFor<R>, input: FormInputOf<A>): Promise<Result> | Result;
  /**
   * Opens this form again (the same action id), for the "put it right" button a warning carries where the
   * surface could not show it inside the form; the router fills it in from the kept draft. `label` names it.
   */
  reopen?: {
    label: MessageKey;
    open(ctx: ContextFor<R>, input: { args: z.output<A> }): Promise<Result> | Result;
  };
}

export interface MessageDef<R extends Requirement> {
  requires?: R;
  handler(ctx: ContextFor<R>, input: { text: string }): Promise<Result> | Result;
}

export interface CommandInfo {
  name: string;
  description: string;
  /** `complete`: the argument offers suggestions while typed (see ArgDef.complete). */
  args: Array<{ name: string; hint: string; required: boolean; complete: boolean; kind: 'text' | 'role' }>;
  /** "help [command]" in the reader's language. */
  usage: string;
  roles: readonly Role[] | null;
  /** In Danish: the command's Danish name (its alias, "stem" for "vote"), which the web chat's hints show. */
  localName?: string;
}

export interface RouterDeps {
  directory: ConversationDirectory;
  idempotency: IdempotencyStore;
  /** Where refused forms' values wait for the form to open again; without it they are not kept. */
  formDrafts?: FormDraftStore;
  logger?: Logger;
  defaultLocale?: Locale;
}

export interface HandleOptions {
  /** The adapter's surface: replies are fitted to it before they are returned. */
  limits: Readonly<SurfaceLimits>;
  /**
   * Called once the event is known to be new (its key claimed), before the handler runs. Platforms that want an
   * acknowledgement within seconds (Discord, Slack) can acknowledge a slow event then, and never a duplicate.
   */
  onClaimed?: () => void;
  /**
   * Who acted and where, when the adapter has already resolved and checked it for this very request (the web
   * chat signs people in and checks their room): the directory is not asked again.
   */
  known?: { person: ResolvedPerson; conversation: ResolvedConversation; role: Role; reads?: KnownReads };
  /**
   * Nothing leaves before the outcome is returned (the web chat answers in its HTTP reply): events whose
   * definition asks for it are not claimed first (CommandDef.claim), and a repeat's discarded work is never seen.
   */
  claimWithChange?: boolean;
  /**
   * The surface stores a typed command under the event's key in the same statement as its first answer, and
   * answers a repeat it finds there as a duplicate (the web chat): with claimWithChange, a command that changes
   * nothing then writes no key of its own ('with-answer', see ClaimMode), so its key and answer commit together.
   */
  commandKeyedByAnswer?: boolean;
}

export interface FormError {
  message: string;
  /** Input name → what is wrong with it, in the reader's language. */
  fields: Record<string, string>;
  /**
   * Not wrong, only worth a second look (personal data about to be shown to the group): sending the same form
   * again with `field` set to `value` goes ahead. `label` names that choice ("Send alligevel").
   */
  confirm?: { field: string; value: string; label: string };
}

export interface Outcome {
  /** True when the idempotency key had been handled before: nothing was done. */
  duplicate: boolean;
  /** True when another process is handling the same event right now: nothing was done here; try again soon. */
  busy?: boolean;
  /**
   * The event's key is its surface's stored answer (ClaimMode 'with-answer'): on a duplicate the surface stores
   * nothing of it, since the try that made the change stores its command with the answer.
   */
  keyedByAnswer?: boolean;
  /** Handling failed unexpectedly: the answer says so, and a retry with the same key must run again. */
  failed?: boolean;
  replies: FittedReply[];
  /**
   * A submitted form was refused (bad input, wrong phase): the same words as the private reply, and, per input,
   * what is wrong with it. A surface that can keep its form open shows them there instead of the reply.
   */
  formError?: FormError;
  /** The resolved context, so an adapter can store who acted and where. */
  locale: Locale;
  person: ResolvedPerson | null;
  conversation: ResolvedConversation | null;
}

const noArgs = z.tuple([]);

type AnyAction = ActionDef<Requirement, z.ZodType<unknown, readonly string[]>>;
type AnyForm = FormDef<Requirement, z.ZodType<unknown, readonly string[]>>;
type AnyCommand = CommandDef<Requirement>;

const key = (flow: string, verb: string, version: number) => `${flow}:${verb}.${version}`;

/**
 * Maps inbound events to handlers and their replies to fitted, localized output. Adapters call `handle`; flows
 * register commands, actions, forms and a message handler. Handlers throw PuljeError for anything the person
 * did wrongly: it becomes a private answer in their language and nothing else is sent.
 */
export class Router {
  private readonly commandsByName = new Map<string, AnyCommand>();
  private readonly aliases = new Map<string, string>();
  private readonly actions = new Map<string, AnyAction>();
  private readonly forms = new Map<string, AnyForm>();
  private messageDef: MessageDef<Requirement> | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: RouterDeps) {
    this.log = deps.logger ?? silentLogger;
  }

  command<R extends Requirement = 'member'>(def: CommandDef<R>): this {
    if (!/^[\p{Ll}\p{N}_-]{1,32}$/u.test(def.name)) throw new Error(`bad command name ${def.name}`);
    if (this.commandsByName.has(def.name)) throw new Error(`command ${def.name} registered twice`);
    this.commandsByName.set(def.name, def as unknown as AnyCommand);
    return this;
  }

  action<R extends Requirement = 'member', A extends z.ZodType<unknown, readonly string[]> = typeof noArgs>(def: ActionDef<R, A>): this {
    const k = key(def.flow, def.verb, def.version ?? 1);
    if (this.actions.has(k)) throw new Error(`action ${k} registered twice`);
    if (def.flow === DRAFT_FLOW) throw new Error(`the flow name ${DRAFT_FLOW} is the router's own`);
    this.actions.set(k, def as unknown as AnyAction);
    return this;
  }

  form<R extends Requirement = 'member', A extends z.ZodType<unknown, readonly string[]> = typeof noArgs>(def: FormDef<R, A>): this {
    const k = key(def.flow, def.verb, def.version ?? 1);
    if (this.forms.has(k)) throw new Error(`form ${k} registered twice`);
    this.forms.set(k, def as unknown as AnyForm);
    return this;
  }

  message<R extends Requirement = 'member'>(def: MessageDef<R>): this {
    this.messageDef = def as unknown as MessageDef<Requirement>;
    return this;
  }

  /**
   * The registry, for platform registration (Discord/Slack) and the web chat's command hints. `role` undefined:
   * every command; null (not a member, or unknown): only the commands open to everyone.
   */
  describeCommands(locale: Locale, role?: Role | null): CommandInfo[] {
    return [...this.commandsByName.values()]
      .filter((c) => role === undefined || !c.roles || (role !== null && c.roles.includes(role)))
      .map((c) => {
        const args = (c.args ?? []).map((a) => ({
          name: a.name,
          hint: t(locale, a.hint),
          required: a.required ?? false,
          complete: a.complete !== undefined,
          kind: a.kind ?? 'text',
        }));
        // Aliases are the Danish names of the commands (see alias()).
        const localName = locale === 'da' ? [...this.aliases].find(([, name]) => name === c.name)?.[0] : undefined;
        const usage = [c.name, ...args.map((a) => (a.required ? `<${a.hint}>` : `[${a.hint}]`))].join(' ');
        const info: CommandInfo = { name: c.name, description: t(locale, c.description), args, usage, roles: c.roles ?? null };
        return localName ? { ...info, localName } : info;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a registered action would accept this id (the web chat checks ids against the message they sit on). */
  knowsAction(ref: ActionRef): boolean {
    if (ref.flow === DRAFT_FLOW) return (ref.version ?? 1) === 1 && (ref.verb === 'send' || ref.verb === 'edit');
    return this.actions.has(key(ref.flow, ref.verb, ref.version ?? 1));
  }

  /**
   * Suggestions for a command argument being typed. Never throws: anything that is not a usable request (unknown
   * command or argument, someone who may not use the command here, a failing suggester) gets none.
   */
  async complete(input: CompletionRequestInput): Promise<Choice[]> {
    const parsed = completionRequestSchema.safeParse(input);
    if (!parsed.success) return [];
    const req = parsed.data;
    const def = this.commandNamed(req.command);
    const arg = def?.args?.find((a) => a.name === req.arg);
    if (!def || !arg?.complete) return [];
    // The command as typed so far stands in for the event; it is never claimed.
    const event: InboundEvent = {
      kind: 'command',
      idempotencyKey: 'complete',
      actor: req.actor,
      conversation: req.conversation,
      name: req.command,
      args: req.args,
      ...(req.localeHint ? { localeHint: req.localeHint } : {}),
    };
    try {
      const ctx = await this.context(event);
      if (!this.allows(ctx, def.requires) || (def.roles && ctx.role && !def.roles.includes(ctx.role))) return [];
      const choices = await arg.complete(ctx as ContextFor<Requirement>, { partial: req.partial, args: req.args });
      return choices
        .filter((c) => typeof c.label === 'string' && c.label.trim() && typeof c.value === 'string' && c.value)
        .map((c) => ({ label: c.label, value: c.value }));
    } catch (error) {
      this.log.warn({ err: error, command: req.command, arg: req.arg }, 'conversation: suggestions failed');
      return [];
    }
  }

  async handle(input: InboundEventInput, opts: HandleOptions): Promise<Outcome> {
    const parsed = inboundEventSchema.safeParse(input);
    if (!parsed.success) {
      // An adapter bug or a forged request: answer privately, act on nothing.
      this.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'conversation: invalid inbound event');
      const error = new PuljeError('invalid_input', {}, zodDetails(parsed.error));
      return {
        duplicate: false,
        replies: [fitReply(reply.private(error.localize(this.deps.defaultLocale ?? DEFAULT_LOCALE)), opts.limits)],
        locale: DEFAULT_LOCALE,
        person: null,
        conversation: null,
      };
    }
    const event = parsed.data;
    let ctx: Context;
    try {
      ctx = await this.context(event, opts.known);
    } catch (error) {
      // The directory is unreachable (database down): nothing was claimed or done.
      this.log.error({ err: error, kind: event.kind }, 'conversation: could not resolve the actor or conversation');
      const locale = event.localeHint ?? this.deps.defaultLocale ?? DEFAULT_LOCALE;
      return {
        duplicate: false,
        failed: true,
        replies: [fitReply(reply.private(t(locale, 'error.internal')), opts.limits)],
        locale,
        person: null,
        conversation: null,
      };
    }
    const base = { locale: ctx.locale, person: ctx.person, conversation: ctx.conversation };
    const claimKey = claimKeyOf(event);
    const { idempotency } = this.deps;
    const mode: ClaimMode =
      opts.claimWithChange && this.claimModeOf(event) === 'with-change'
        ? event.kind === 'command' && opts.commandKeyedByAnswer
          ? 'with-answer'
          : 'with-change'
        : 'claimed';
    if (mode === 'claimed') {
      const claim = await idempotency.claim(claimKey);
      if (claim === 'duplicate') return { duplicate: true, replies: [], ...base };
      if (claim === 'busy') return { duplicate: false, busy: true, replies: [], ...base };
    }
    const answer = (replies: Reply[]) => ({ duplicate: false, replies: replies.map((r) => fitReply(r, opts.limits)), ...base });
    // Every claim this event holds: its own, and for "send anyway" the warning's (see resubmission()).
    const claims = [claimKey];
    let current: InboundEvent = event;
    try {
      opts.onClaimed?.();
      // What the adapter read with the request (web: person, room and role in one statement) is not read again.
      const member =
        opts.known && ctx.person && ctx.conversation && ctx.role
          ? {
              personId: ctx.person.personId,
              groupId: ctx.conversation.groupId,
              role: ctx.role,
              ...(opts.known.reads ? { reads: opts.known.reads } : {}),
            }
          : undefined;
      const draft = event.kind === 'action' ? draftControlOf(event.actionId) : undefined;
      let replies: Reply[];
      if (draft?.verb === 'send' && event.kind === 'action') {
        const resubmitted = await this.resubmission(ctx, event, draft.draftId);
        if (!resubmitted) {
          await idempotency.complete(claimKey);
          return answer([reply.private(ctx.t('conversation.already_sent'))]);
        }
        claims.push(resubmitted.claimKey);
        current = ctx.event = resubmitted.event;
        replies = await idempotency.within(resubmitted.claimKey, () => this.dispatch(current, ctx), member);
        await idempotency.complete(claimKey);
      } else if (draft?.verb === 'edit') {
        replies = await idempotency.within(claimKey, () => this.reopen(ctx, draft.draftId), member);
      } else replies = await idempotency.within(claimKey, () => this.dispatch(event, ctx), member, mode);
      // A form that went through needs its kept draft no more.
      if (current.kind === 'form' && ctx.person) await this.draft('drop', ctx.person.personId, current.formId);
      // Activity is noted only for what was done: a refusal changes nothing, not even this.
      if (ctx.person && this.deps.directory.seen)
        await this.deps.directory
          .seen(ctx.person.personId)
          .catch((error) => this.log.warn({ err: error }, 'conversation: could not note activity'));
      return answer(await this.prefill(ctx, replies));
    } catch (error) {
      // Another delivery of this event made its change first (it took over a claim that looked abandoned).
      if (error instanceof AlreadyHandled)
        return { duplicate: true, replies: [], ...base, ...(mode === 'with-answer' ? { keyedByAnswer: true } : {}) };
      // A refusal is an answer: the event was handled, a redelivery gets "duplicate" like any other.
      if (error instanceof Refusal || error instanceof PuljeError) {
        let repeat = false;
        for (const k of claims) if (!(await idempotency.complete(k, mode))) repeat = true;
        // Not claimed first, and an earlier try was handled: this try is a repeat, its refusal is not given again.
        if (repeat) return { duplicate: true, replies: [], ...base };
        const message = error instanceof Refusal ? ctx.t(error.key) : error.localize(ctx.locale);
        if (current.kind !== 'form') return answer([reply.private(message)]);
        const fields = error instanceof PuljeError ? error.byInput(ctx.locale, Object.keys(current.fields)) : null;
        const formError: FormError = { message, fields: fields ?? {} };
        if (error instanceof PuljeError && error.code === 'personal_data')
          formError.confirm = { field: CONFIRM_FIELD, value: CONFIRM_VALUE, label: ctx.t('conversation.send_anyway') };
        // What was typed waits for the form to open again (a Discord modal is gone once submitted), when writing
        // it again can put it right: an input was wrong, or asks for a second look. A surface that keeps its form
        // open shows `formError` instead, and the note is not shown there.
        const fixable = Object.keys(formError.fields).length > 0 || formError.confirm !== undefined;
        const draftId = ctx.person && fixable ? await this.draft('keep', ctx.person.personId, current.formId, current.fields) : null;
        return { ...answer([this.refusedForm(ctx, current.formId, message, formError, draftId)]), formError };
      }
      this.log.error({ err: error, kind: current.kind, key: claimKey }, 'conversation: handler failed');
      // Nothing is known to have happened; let a redelivery try again.
      // (An event not claimed first holds nothing to release.)
      if (mode === 'claimed') for (const k of claims) await idempotency.release(k).catch(() => {});
      return { ...answer([reply.private(t(ctx.locale, 'error.internal'))]), failed: true };
    }
  }

  /** Keeps (its id), or drops, a form's draft; null when not done. A failing store costs the draft, never the answer. */
  private async draft(op: 'keep' | 'drop', personId: string, formId: string, fields?: Record<string, string>): Promise<string | null> {
    const store = this.deps.formDrafts;
    if (!store) return null;
    try {
      if (op === 'keep') return await store.keep(personId, formId, fields ?? {});
      await store.drop(personId, formId);
      return formId;
    } catch (error) {
      this.log.warn({ err: error, op }, 'conversation: form draft store failed');
      return null;
    }
  }

  /**
   * The private answer to a refused form. With what was typed kept: where the form asks for a second look
   * (`confirm`), "send anyway" and "put it right" buttons, since a surface whose form is gone (Discord's modal) or
   * cannot show the choice in it has no other way to make it; else a note that the form will open filled in.
   */
  private refusedForm(ctx: Context, formId: string, message: string, formError: FormError, draftId: string | null): Reply {
    if (!draftId) return reply.private(message);
    if (!formError.confirm) return reply.private(`${message}\n\n${ctx.t('conversation.form_kept')}`);
    const decoded = decodeActionId(formId);
    const def = decoded && this.forms.get(key(decoded.flow, decoded.verb, decoded.version));
    const controls: Control[] = [
      { kind: 'button', label: formError.confirm.label, style: 'primary', action: { flow: DRAFT_FLOW, verb: 'send', args: [draftId] } },
    ];
    if (def?.reopen)
      controls.push({ kind: 'button', label: ctx.t(def.reopen.label), action: { flow: DRAFT_FLOW, verb: 'edit', args: [draftId] } });
    // Without a button to open it again, the way back to the form is the note.
    const body = def?.reopen ? message : `${message}\n\n${ctx.t('conversation.form_kept')}`;
    return reply.private({ cards: [{ body, controls, tone: 'warning' }] });
  }

  /**
   * "Send anyway": the kept draft submitted again as the same form, by the same person, with the confirm field
   * set, so every check and the form's handler run as for any submission. Claimed once per warning (the draft's
   * id): a second press, or two at once, never submits twice. Null when that claim is taken (already sent, or
   * being sent); a draft that is gone (sent otherwise, kept anew since, expired) is refused.
   */
  private async resubmission(ctx: Context, press: ActionEvent, draftId: string): Promise<{ claimKey: string; event: FormEvent } | null> {
    if (!ctx.person) throw new Refusal('conversation.unknown_person');
    const claimKey = `${press.conversation.platform}:send-anyway:${ctx.person.personId}:${draftId}`;
    const claim = await this.deps.idempotency.claim(claimKey);
    if (claim !== 'claimed') return null;
    const kept = await this.deps.formDrafts?.find(ctx.person.personId, draftId).catch(() => null);
    if (!kept) {
      await this.deps.idempotency.complete(claimKey);
      throw new Refusal('conversation.draft_gone');
    }
    const event = formEventSchema.parse({
      kind: 'form',
      idempotencyKey: `send-anyway:${draftId}`,
      actor: press.actor,
      conversation: press.conversation,
      ...(press.localeHint ? { localeHint: press.localeHint } : {}),
      formId: kept.formId,
      fields: { ...kept.fields, [CONFIRM_FIELD]: CONFIRM_VALUE },
      ...(press.source ? { source: press.source } : {}),
    });
    return { claimKey, event };
  }

  /** "Put it right": the kept draft's form opened again, filled in with it (by prefill()). */
  private async reopen(ctx: Context, draftId: string): Promise<Reply[]> {
    if (!ctx.person) throw new Refusal('conversation.unknown_person');
    const kept = await this.deps.formDrafts?.find(ctx.person.personId, draftId);
    if (!kept) throw new Refusal('conversation.draft_gone');
    const { def, args } = this.decode(kept.formId, this.forms);
    const form = def as AnyForm;
    if (!form.reopen) throw new Refusal('conversation.draft_gone');
    this.admit(ctx, form);
    return normalize(await form.reopen.open(ctx as ContextFor<Requirement>, { args }));
  }

  /** Forms about to open are filled in with what the person typed last time they were refused. */
  private async prefill(ctx: Context, replies: Reply[]): Promise<Reply[]> {
    const store = this.deps.formDrafts;
    const person = ctx.person;
    if (!store || !person || !replies.some((r) => r.kind === 'form')) return replies;
    return Promise.all(
      replies.map(async (r) => {
        if (r.kind !== 'form') return r;
        const kept = await store.get(person.personId, encodeActionId(r.form.action)).catch(() => null);
        if (!kept) return r;
        const inputs = r.form.inputs.map((input) => (kept[input.name]?.trim() ? { ...input, initial: kept[input.name]! } : input));
        return { ...r, form: { ...r.form, inputs } };
      }),
    );
  }

  /** Whether an event with this key was handled to the end (false where the store cannot tell). */
  async handled(event: Pick<InboundEventInput, 'conversation' | 'idempotencyKey'>): Promise<boolean> {
    return (await this.deps.idempotency.handled?.(claimKeyOf(event))) ?? false;
  }

  private async context(event: InboundEvent, known?: HandleOptions['known']): Promise<Context> {
    const { directory } = this.deps;
    let [person, conversation] = known
      ? [known.person, known.conversation]
      : await Promise.all([directory.person(event.actor), directory.conversation(event.conversation)]);
    let role = known
      ? known.role
      : person && conversation
        ? await directory.role(person.personId, conversation.groupId, event.actor.roles)
        : null;
    // Someone new who uses Pulje in a bound place (a command, a control, a form, typing a command's argument) may
    // join its group, if the directory's policy says so. Free chat is not using Pulje.
    if (conversation && !role && directory.enrol && event.kind !== 'message') {
      const joined = await directory.enrol(event.actor, conversation);
      if (joined) ({ person, role } = joined);
    }
    const locale = person?.locale ?? conversation?.locale ?? event.localeHint ?? this.deps.defaultLocale ?? DEFAULT_LOCALE;
    const memo = new Map<string, Promise<unknown>>();
    const ctx: Context = {
      event,
      locale,
      t: translator(locale),
      person,
      conversation,
      role,
      platformRoles: event.actor.roles,
      log: this.log,
      commands: () => this.describeCommands(locale, role),
      memo: <T>(k: string, load: () => Promise<T>): Promise<T> => {
        let hit = memo.get(k) as Promise<T> | undefined;
        if (!hit) memo.set(k, (hit = load()));
        return hit;
      },
    };
    return ctx;
  }

  private allows(ctx: Context, requirement: Requirement = 'member'): boolean {
    if (requirement === 'none') return true;
    if (!ctx.person) return false;
    return requirement === 'person' || (ctx.conversation !== null && ctx.role !== null);
  }

  /** The one place a definition's conditions are checked: who (requires, then roles) … */
  private admit(ctx: Context, def: { requires?: Requirement; roles?: readonly Role[] }): void {
    this.require(ctx, def.requires);
    if (def.roles && ctx.role && !def.roles.includes(ctx.role)) throw forbidden(def.roles);
  }

  /** … and then, once the input is read, its preconditions, in order. */
  private async preconditions<I>(ctx: Context, def: { preconditions?: readonly unknown[] }, input: I): Promise<void> {
    for (const check of (def.preconditions ?? []) as readonly Precondition<Context, I>[]) await check(ctx, input);
  }

  private require(ctx: Context, requirement: Requirement = 'member'): void {
    if (requirement === 'none') return;
    if (!ctx.person) throw new Refusal('conversation.unknown_person');
    if (requirement === 'person') return;
    if (!ctx.conversation) throw new Refusal('conversation.unbound');
    if (!ctx.role) throw new PuljeError('not_member');
  }

  /** How the event's definition wants its key taken (an unknown command or control: claimed, as always). */
  private claimModeOf(event: InboundEvent): ClaimMode {
    if (event.kind === 'command') return this.commandNamed(event.name)?.claim ?? 'claimed';
    if (event.kind === 'action') return this.controlNamed(event.actionId, this.actions)?.def.claim ?? 'claimed';
    return 'claimed';
  }

  /** A command by its name or one of its aliases. */
  private commandNamed(name: string): AnyCommand | undefined {
    const target = this.commandsByName.has(name) ? name : this.aliases.get(name);
    return target ? this.commandsByName.get(target) : undefined;
  }

  /** The definition a control or form id names in `registry`, with the id decoded; undefined if none. */
  private controlNamed<D extends AnyAction | AnyForm>(
    id: string,
    registry: Map<string, D>,
  ): { decoded: DecodedActionId; def: D } | undefined {
    const decoded = decodeActionId(id);
    const def = decoded && registry.get(key(decoded.flow, decoded.verb, decoded.version));
    return decoded && def ? { decoded, def } : undefined;
  }

  private async dispatch(event: InboundEvent, ctx: Context): Promise<Reply[]> {
    switch (event.kind) {
      case 'command':
        return this.onCommand(event, ctx);
      case 'action':
        return this.onAction(event, ctx);
      case 'form':
        return this.onForm(event, ctx);
      case 'message':
        return this.onMessage(event, ctx);
    }
  }

  private async onCommand(event: CommandEvent, ctx: Context): Promise<Reply[]> {
    const def = this.commandNamed(event.name);
    if (!def) return [reply.private(ctx.t('conversation.unknown_command', { name: event.name }))];
    this.admit(ctx, def);
    const args = { ...(event.text !== undefined ? parseCommandText(event.text, def.args ?? []) : {}), ...event.args };
    const missing = (def.args ?? []).filter((a) => a.required && !args[a.name]?.trim());
    if (missing.length) {
      throw new PuljeError(
        'invalid_input',
        {},
        missing.map((a) => ({ key: 'issue.required' as const, params: { field: { key: a.hint } } })),
      );
    }
    await this.preconditions(ctx, def, { args });
    return normalize(await def.handler(ctx, { args }));
  }

  private decode(
    id: string,
    registry: Map<string, AnyAction | AnyForm>,
  ): { def: AnyAction | AnyForm; decoded: DecodedActionId; args: unknown } {
    const named = this.controlNamed(id, registry);
    const args = named ? (named.def.args ?? noArgs).safeParse(named.decoded.args) : undefined;
    if (!named || !args?.success) {
      this.log.warn({ id: id.slice(0, 120) }, 'conversation: unknown or malformed control id');
      throw new PuljeError('invalid_input', {}, [{ key: 'conversation.bad_control' }]);
    }
    return { def: named.def, decoded: named.decoded, args: args.data };
  }

  private async onAction(event: ActionEvent, ctx: Context): Promise<Reply[]> {
    const { def, decoded, args } = this.decode(event.actionId, this.actions);
    this.admit(ctx, def);
    const action = def as AnyAction;
    const input = { args, values: event.values, page: decoded.page, source: event.source };
    await this.preconditions(ctx, action, input);
    return normalize(await action.handler(ctx as ContextFor<Requirement>, input));
  }

  private async onForm(event: FormEvent, ctx: Context): Promise<Reply[]> {
    const { def, decoded, args } = this.decode(event.formId, this.forms);
    if (decoded.page !== undefined) throw new PuljeError('invalid_input', {}, [{ key: 'conversation.bad_control' }]);
    this.admit(ctx, def);
    const form = def as AnyForm;
    const input = { args, fields: event.fields, source: event.source };
    await this.preconditions(ctx, form, input);
    return normalize(await form.handler(ctx as ContextFor<Requirement>, input));
  }

  private async onMessage(event: MessageEvent, ctx: Context): Promise<Reply[]> {
    // Free talk between members is not for Pulje unless a flow listens; it is never an error.
    if (!this.messageDef) return [];
    const requirement = this.messageDef.requires ?? 'member';
    if (requirement !== 'none' && (!ctx.person || (requirement === 'member' && !ctx.role))) return [];
    return normalize(await this.messageDef.handler(ctx as ContextFor<Requirement>, { text: event.text }));
  }

  /** Another name for a command, e.g. a Danish one; shown nowhere, accepted everywhere. */
  alias(alias: string, command: string): this {
    if (!this.commandsByName.has(command)) throw new Error(`alias ${alias} for unknown command ${command}`);
    this.aliases.set(alias, command);
    return this;
  }
}

/** The confirm field a form refused with a second look is sent again with ("send anyway"). */
const CONFIRM_FIELD = '_confirm';
const CONFIRM_VALUE = 'personal_data';

/** The router's own controls on a refused form's kept draft: send it anyway, or open the form again with it. */
const DRAFT_FLOW = 'draft';
const draftIdSchema = z.uuid();

function draftControlOf(actionId: string): { verb: 'send' | 'edit'; draftId: string } | undefined {
  const decoded = decodeActionId(actionId);
  if (!decoded || decoded.flow !== DRAFT_FLOW || decoded.version !== 1 || decoded.page !== undefined) return undefined;
  if (decoded.verb !== 'send' && decoded.verb !== 'edit') return undefined;
  const draftId = draftIdSchema.safeParse(decoded.args[0]);
  return draftId.success && decoded.args.length === 1 ? { verb: decoded.verb, draftId: draftId.data } : undefined;
}

/** Events are keyed per platform: two platforms' delivery ids can never collide. */
const claimKeyOf = (event: Pick<InboundEventInput, 'conversation' | 'idempotencyKey'>) =>
  `${event.conversation.platform}:${event.idempotencyKey}`;

/** The layer's own "cannot do that here" answers, which are about the chat place rather than the domain. */
class Refusal extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
  }
}

function normalize(result: Result): Reply[] {
  if (!result) return [];
  return Array.isArray(result) ? result : [result];
}
