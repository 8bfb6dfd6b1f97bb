import type { ReplyRef } from './events.ts';
import type { FittedForm, FittedMessage } from './fit.ts';
import type { SurfaceLimits } from './limits.ts';
import type { FormError } from './router.ts';

/**
 * The surface port: what a chat platform can do with Pulje's fitted output, for one inbound event (one
 * interaction, one HTTP request). Each adapter implements it once; `deliver()` (the one delivery path) decides
 * what to call in which order, and `serve()` adds the acknowledgement deadline. An adapter owns its platform's
 * limits, its acknowledgement window and its own failures: a method that cannot do what it is asked returns the
 * "could not" answer below instead of throwing, unless something is wrong that a person must hear about
 * (the web chat's database), in which case the error reaches the adapter's caller.
 */
export interface Surface {
  readonly limits: Readonly<SurfaceLimits>;
  /**
   * Private answers vanish (Discord's ephemeral messages go on reload): cards worth keeping (receipts) are also
   * sent as a direct message.
   */
  readonly fleetingPrivate: boolean;
  /** The message is shown to everyone in the conversation; its ref, or null if it could not be posted. */
  postPublic(message: FittedMessage): Promise<ReplyRef | null>;
  /** Shown only to the person who acted; its ref, or null if it could not be posted. */
  postPrivate(message: FittedMessage): Promise<ReplyRef | null>;
  /**
   * Replaces the message whose control was used (answers to actions and to forms opened from a message). Null
   * when there is none or it cannot be replaced; otherwise who could see it, which overflow follows.
   */
  updateSource(message: FittedMessage): Promise<{ ref: ReplyRef; private: boolean } | null>;
  /** Replaces an earlier message wherever it was delivered; false if it cannot (gone, not editable). */
  edit(ref: ReplyRef, message: FittedMessage): Promise<boolean>;
  /** Opens a form for the person who acted; false if the surface no longer can (too late, after a form). */
  openForm(form: FittedForm): Promise<boolean>;
  /**
   * Keeps the form that was just submitted open, with what was typed, and shows what is wrong next to each
   * input. Where a surface cannot (Discord closes a modal on submit), it leaves this out and the refusal is a
   * private answer as usual; true when shown. One that cannot offer `error.confirm` (the choice to send anyway)
   * inside its form returns false: the private answer then carries the router's "send anyway" and "put it
   * right" buttons on the kept draft.
   */
  rejectForm?(error: FormError): Promise<boolean>;
  /**
   * Takes the controls off public cards of `scope` it posted earlier and adds `note`, where the surface keeps
   * track of them and can edit (the web chat in its own history; Discord and Slack through a `PublicCardStore`,
   * filled as they post scoped cards); surfaces that cannot leave it out.
   */
  retire?(scope: string, note: string): Promise<void>;
  /** A lasting copy in the person's direct messages. 'closed': they take none; 'unsupported': no DMs here. */
  directMessage(messages: readonly FittedMessage[]): Promise<'sent' | 'closed' | 'failed' | 'unsupported'>;
  /** Opens a discussion thread on a public message, where the surface has threads; otherwise does nothing. */
  openThread(ref: ReplyRef, name: string): Promise<void>;
  /**
   * Tells the platform the event is being handled, before the answer is ready (Discord's deferral, Slack's
   * ack). Called at most once, by the deadline helper; harmless where the platform waits anyway.
   */
  acknowledge(): Promise<void>;
  /** True once the platform refuses further answers to this event (Discord's 10062): delivery stops. */
  readonly lost?: boolean;
  /**
   * Before an answer that says handling failed: a surface that keeps the event's key with its answer (the web
   * chat's typed command, ClaimMode 'with-answer') keeps this one apart from it, so a retry runs again.
   */
  answeringFailure?(): void;
  /** After delivery: tidy up what the surface itself left (Discord's unused "thinking…" message). */
  finish?(outcome: 'delivered' | 'duplicate' | 'failed'): Promise<void>;
}
