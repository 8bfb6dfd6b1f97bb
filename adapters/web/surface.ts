import type { FittedForm, FittedMessage, FormError, ReplyRef, Surface } from '../../src/conversation/index.ts';
import type { Hub } from './hub.ts';
import { WEB_LIMITS } from './limits.ts';
import type { PendingCommand, WebMessageView, WebStore } from './store.ts';

/**
 * The surface port for one web-chat request: Pulje's answers are stored (they are the chat's history) and
 * pushed to the open browsers that may see them; what the requester may see, and any form to open, come back
 * in the HTTP answer. Private answers last (they are stored), so nothing needs a DM copy; there are no threads.
 */
export class WebSurface implements Surface {
  readonly limits = WEB_LIMITS;
  readonly fleetingPrivate = false;
  /** What the requester may see, created or changed by this request, in order. */
  readonly shown: WebMessageView[] = [];
  readonly forms: FittedForm[] = [];
  /** A refused form submission, shown inside the still-open form by the browser. */
  formError: FormError | undefined;

  constructor(
    private readonly store: WebStore,
    private readonly hub: Hub,
    private readonly room: { id: string; groupId: string },
    private readonly personId: string,
    /** The message whose control was used, if any. */
    private readonly sourceId?: string,
    /** A typed command, stored with the first answer to it (one write), or alone by `storeCommand`. */
    private command?: PendingCommand,
  ) {}

  /** The pending command's key was this person's for a message in another room: nothing of it is stored here. */
  commandElsewhere = false;
  /**
   * The pending command is stored under its key already, with its answer: this request is a repeat of one that
   * was answered (the key's record, see ClaimMode 'with-answer'), and nothing more is stored or announced.
   */
  repeat = false;
  private get discarding(): boolean {
    return this.repeat || this.commandElsewhere;
  }

  /** Handling failed: the command is stored without its key (a retry with the key runs again, not a repeat). */
  answeringFailure(): void {
    if (this.command) this.command = { ...this.command, requestKey: undefined };
  }

  /** Stores the typed command if no answer took it along (the router answered nothing, or a duplicate). */
  async storeCommand(): Promise<void> {
    const command = this.command;
    if (!command) return;
    this.command = undefined;
    const row = await this.store.addMember(this.room.id, command.author, command.text, command.author.id, command.requestKey);
    if (!row) {
      this.commandElsewhere = true;
      return;
    }
    // Before what this request showed: it came first. Announced again on a retry (browsers replace it by id).
    this.hub.message(this.room.id, row);
    this.shown.unshift(row.view);
  }

  private async add(message: FittedMessage, recipientId: string | null): Promise<ReplyRef> {
    const command = this.command;
    if (this.discarding) return this.ref({ id: '' });
    if (!command) return this.publish(await this.store.addPulje(this.room.id, message, recipientId));
    this.command = undefined;
    const rows = await this.store.addCommandAndAnswer(this.room.id, command, message, recipientId);
    if ('repeat' in rows) {
      if (!rows.repeat) this.commandElsewhere = true;
      else {
        this.repeat = true;
        // Announced again (browsers replace it by id): the first try may have ended before announcing it.
        this.hub.message(this.room.id, rows.repeat);
      }
      return this.ref({ id: '' });
    }
    this.publish(rows.command);
    return this.publish(rows.answer);
  }

  private ref(view: { id: string }): ReplyRef {
    return { platform: 'web', channelId: this.room.groupId, messageId: view.id };
  }

  private publish(m: { view: WebMessageView; recipientId: string | null }): ReplyRef {
    this.hub.message(this.room.id, m);
    if (!m.recipientId || m.recipientId === this.personId) this.shown.push(m.view);
    return this.ref(m.view);
  }

  postPublic(message: FittedMessage): Promise<ReplyRef> {
    return this.add(message, null);
  }

  postPrivate(message: FittedMessage): Promise<ReplyRef> {
    return this.add(message, this.personId);
  }

  private async replace(messageId: string, message: FittedMessage) {
    if (this.discarding) return null;
    const replaced = await this.store.replacePulje(this.room.id, messageId, message);
    if (!replaced) return null;
    return { ref: this.publish(replaced), private: replaced.recipientId !== null };
  }

  async updateSource(message: FittedMessage) {
    return this.sourceId ? this.replace(this.sourceId, message) : null;
  }

  async edit(ref: ReplyRef, message: FittedMessage): Promise<boolean> {
    if (ref.platform !== 'web' || ref.channelId !== this.room.groupId) return false;
    return (await this.replace(ref.messageId, message)) !== null;
  }

  async openForm(form: FittedForm): Promise<boolean> {
    if (this.discarding) return true;
    this.forms.push(form);
    return true;
  }

  async retire(scope: string, note: string): Promise<void> {
    if (this.discarding) return;
    for (const m of await this.store.retire(this.room.id, this.personId, scope, note)) this.publish(m);
  }

  async rejectForm(error: FormError): Promise<boolean> {
    this.formError = error;
    return true;
  }

  async directMessage(): Promise<'unsupported'> {
    return 'unsupported';
  }

  async openThread(): Promise<void> {}

  /** The browser waits for the HTTP answer; there is nothing to acknowledge early. */
  async acknowledge(): Promise<void> {}
}
