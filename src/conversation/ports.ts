import type { Role } from '../domain/roles.ts';
import type { Locale } from '../i18n/index.ts';
import type { ConversationRef, PlatformIdentity, PlatformRole, ReplyRef } from './events.ts';
import type { FittedMessage } from './fit.ts';

/**
 * What the conversation layer needs from the rest of Pulje. The use-case layer implements these; the layer
 * itself only reads through them, so it never depends on how people and groups are stored.
 */
export type { Role } from '../domain/roles.ts';

export interface ResolvedPerson {
  personId: string;
  displayName: string;
  /** The person's own language choice; null follows the group. */
  locale: Locale | null;
}

export interface ResolvedConversation {
  conversationId: string;
  groupId: string;
  groupName: string;
  locale: Locale;
}

export interface ConversationDirectory {
  /** The Pulje person behind a platform account; null if the account is not known (not invited yet). */
  person(identity: PlatformIdentity): Promise<ResolvedPerson | null>;
  /** The group a chat place is bound to; null if it is not bound. */
  conversation(ref: ConversationRef): Promise<ResolvedConversation | null>;
  /** The person's role in the group, taking platform roles into account as policy says; null if not a member. */
  role(personId: string, groupId: string, platformRoles: readonly PlatformRole[]): Promise<Role | null>;
  /**
   * Optional: makes someone who acts in a bound chat place a member of its group, where policy says being there
   * is enough (on Discord and Slack the server's admins decide who is in a channel). Called when the person is
   * unknown or not a member; returns the membership, or null if they may not join. Must be safe to call twice.
   */
  enrol?(identity: PlatformIdentity, conversation: ResolvedConversation): Promise<{ person: ResolvedPerson; role: Role } | null>;
  /** Optional: the person used Pulje now (retention counts inactivity from it). Never fails the event. */
  seen?(personId: string): Promise<void>;
}

/**
 * The actor's membership as the adapter read it for this very request (the web chat reads person, room and role
 * in one statement): the handler's use cases need not read it again.
 */
export interface KnownMember {
  personId: string;
  groupId: string;
  role: Role;
  /** Reads the adapter's use case made with the request (the web chat's: the rounds voting now), by their keys. */
  reads?: KnownReads;
}

/** What a use case read with a request, for the event's handler to be answered from; opaque to this layer. */
export type KnownReads = ReadonlyMap<string, unknown>;

/** What a claim found: the event is ours to handle, was handled already, or is being handled elsewhere now. */
export type ClaimResult = 'claimed' | 'duplicate' | 'busy';

/**
 * How an event's key is taken. 'claimed' (the default): by `claim` before the handler runs, with a lease, and
 * completed with the first change. 'with-change': no claim first; the key is written, handled, by the event's
 * first transaction, in the same commit as its change (or after a handler that changed nothing), and a repeat
 * finds it taken there and changes nothing. One statement and one commit fewer per event, for handlers that do
 * nothing outside the database before their first transaction, on a surface that answers only when the
 * handler is done (the web chat's HTTP reply): a repeat's work is thrown away, never seen. 'with-answer': as
 * 'with-change' for a typed command on a surface that stores the command under the event's key in the same
 * statement as its first answer (the web chat): a handler that changed nothing writes no key of its own, the
 * stored command is the record, and the surface answers a repeat as a duplicate when it finds it there.
 */
export type ClaimMode = 'claimed' | 'with-change' | 'with-answer';

/**
 * Remembers which inbound events were handled, so a redelivered event never acts twice (across processes), and
 * a crash never turns an event into a "duplicate" that did nothing: the claim is completed together with the
 * first change the event makes (`within`), and a claim left unfinished by a crash is taken over and run again.
 */
export interface IdempotencyStore {
  claim(key: string): Promise<ClaimResult>;
  /**
   * Runs the handler of a claimed event so that its first database change also completes the claim, in the same
   * transaction, and completes it when the handler returns if nothing did.
   */
  within<T>(key: string, run: () => Promise<T>, known?: KnownMember, mode?: ClaimMode): Promise<T>;
  /**
   * Marks a claimed event handled (one answered with a refusal, which `within` did not see through). False when
   * the event was not claimed first ('with-change') and its key was written handled already: it is a repeat.
   */
  complete(key: string, mode?: ClaimMode): Promise<boolean>;
  /** Forgets a claim whose handling failed unexpectedly, so a redelivery may try again. */
  release(key: string): Promise<void>;
  /** Whether the event was handled to the end (the web chat answers a repeat before checking its controls). */
  handled?(key: string): Promise<boolean>;
}

/**
 * What a person typed into a refused form, kept for the next time the same form opens: on a surface whose form
 * closes on submit (Discord's modal) nothing typed is lost. Keyed by person and the form's encoded action id.
 */
export interface FormDraftStore {
  /**
   * Keeps what was typed; the draft's id, new each time it is kept, so a control offered with one refusal
   * ("Send alligevel") never acts on what a later refusal kept.
   */
  keep(personId: string, formId: string, fields: Readonly<Record<string, string>>): Promise<string>;
  get(personId: string, formId: string): Promise<Record<string, string> | null>;
  /** The person's draft with this id (a control on the refusal names it); null if gone or someone else's. */
  find(personId: string, draftId: string): Promise<{ formId: string; fields: Record<string, string> } | null>;
  drop(personId: string, formId: string): Promise<void>;
}

/** A public message Pulje posted with controls of a scope, as kept by `PublicCardStore`. */
export interface KeptCard {
  ref: ReplyRef;
  /** The message as it shows now (the controls of scopes retired earlier already off). */
  message: FittedMessage;
}

/**
 * The public cards with a scope that a surface posted and can still edit (Discord, Slack: the web chat keeps its
 * messages itself), so that a later `retire` of the scope can take their controls off. `workspace` tells apart
 * places one bot token cannot reach (Slack's team id); empty where one bot reaches everything (Discord).
 */
export interface PublicCardStore {
  /** Keeps a posted public message under each scope of its cards (none: nothing kept). */
  keep(card: { ref: ReplyRef; workspace: string; message: FittedMessage }): Promise<void>;
  /** What is kept under `scope` on a platform's workspace, oldest first (at most `limit`). */
  kept(query: { platform: ReplyRef['platform']; workspace: string; scope: string; limit?: number }): Promise<KeptCard[]>;
  /**
   * The message lost the controls of `scope` (`now`: what it shows now, kept for its other scopes), or cannot be
   * edited any more (null: forgotten under every scope).
   */
  retired(ref: ReplyRef, scope: string, now: FittedMessage | null): Promise<void>;
}

/** The part of pino the layer uses; pino's logger fits it. */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {} };
