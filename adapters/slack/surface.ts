import type { webApi } from '@slack/bolt';
import {
  fitMessage,
  scopesOf,
  slack,
  type PublicCardStore,
  type FittedForm,
  type FittedMessage,
  type Logger,
  type ReplyRef,
  type Surface,
  type FormError,
} from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { CANNOT_POST, slackError } from './errors.ts';
import { retireKept } from './retire.ts';
import { SLACK_LIMITS } from './limits.ts';
import { slackText } from './texts.ts';
import { modalErrors, POST_OPTIONS, renderMessage, renderModal, type FormOrigin, type RenderedMessage } from './render.ts';

type WebClient = webApi.WebClient;

/** Bolt's `ack` for the kind at hand: a command's answer, a view_submission's response_action, or nothing. */
export type Ack = (body?: Record<string, unknown>) => Promise<void>;

export interface SlackEventDeps {
  kind: 'command' | 'action' | 'form';
  client: WebClient;
  ack: Ack;
  log: Logger;
  teamId: string;
  userId: string;
  /** Where the person acted (for a form: where it was opened). */
  channelId: string;
  /** Commands and presses: opens a modal within 3 s of the event. */
  triggerId?: string;
  /** The payload's response_url (for a form, the one of the press that opened it): answers that need no channel access. */
  responseUrl?: string;
  /** The message whose control was used (for a form, the one it was opened from). */
  source?: { ts: string; ephemeral: boolean };
  /** The submitted modal's blocks (a refusal is shown on its first input). */
  viewBlocks?: Array<{ type?: string; block_id?: string }>;
  /**
   * A person's message in a channel (no command or press): a private answer to it (the talk-share nudge) goes by
   * DM, where it lasts, instead of an ephemeral that is gone once Slack reloads, as on Discord.
   */
  privateByDm?: boolean;
  /** A discussion thread was opened on a public card (its ts): replies carry only that ts, so its name is kept. */
  onThreadOpened?: (channelId: string, threadTs: string, name: string) => Promise<void>;
  /** Where public cards with a scope are kept, so that a later `retire` can take their buttons off. */
  cards?: PublicCardStore;
}

/** Ephemeral messages have no ts the app could use again: their refs are marked, and never edited. */
const EPHEMERAL = 'ephemeral:';
let ephemeralCount = 0;

/**
 * The surface port for one Slack command, press or modal submission. The event is acknowledged first (with the
 * answer itself when that is a command's private answer, or a refusal shown inside the submitted modal); then
 * public answers are posted to the channel, private ones as ephemerals through the response_url (or
 * chat.postEphemeral), updates replace the message whose control was used, forms open as modals and copies worth
 * keeping go by DM. Every Slack call is guarded: a failure is logged and reported as "could not".
 */
export class SlackSurface implements Surface {
  readonly limits = SLACK_LIMITS;
  /** Ephemeral messages vanish on reload, like Discord's: receipts also go by DM (private answers by DM already last). */
  get fleetingPrivate(): boolean {
    return !this.deps.privateByDm;
  }
  /** When Slack got its acknowledgement (performance.now()), for measuring. */
  ackedAt: number | undefined;
  #acked = false;
  /** The bot could not post in the channel: the person hears how to fix that at the end (settle). */
  #notInChannel = false;
  /** Whether the acknowledgement went before the answer was ready (serve's deadline). */
  deferred = false;

  constructor(private readonly deps: SlackEventDeps) {}

  get acked(): boolean {
    return this.#acked;
  }

  async acknowledge(): Promise<void> {
    if (!this.#acked) this.deferred = true;
    await this.ackWith(undefined);
  }

  /**
   * Errors are shown inside the modal (response_action: errors), next to their inputs. A second look with a
   * choice ("send anyway") is not: `errors` puts only text under existing inputs and cannot add a control, so the
   * modal closes and the private warning carries the router's "Send alligevel" and "Ret idéen" buttons, the same
   * as on Discord (the latter opens the modal again, filled in).
   */
  async rejectForm(error: FormError): Promise<boolean> {
    if (this.deps.kind !== 'form' || this.#acked || error.confirm) return false;
    const errors = modalErrors({ blocks: this.deps.viewBlocks ?? [] }, error);
    if (!errors) return false;
    await this.ackWith({ response_action: 'errors', errors });
    return true;
  }

  async postPrivate(message: FittedMessage): Promise<ReplyRef | null> {
    const body = renderMessage(message);
    if (!body.blocks.length) return null;
    const ref = { platform: 'slack' as const, channelId: this.deps.channelId, messageId: `${EPHEMERAL}${++ephemeralCount}` };
    if (this.deps.privateByDm) return (await this.directMessage([message])) === 'sent' ? ref : null;
    // A command's private answer can be the acknowledgement itself: one round trip, and no response_url use.
    if (this.deps.kind === 'command' && !this.#acked) {
      await this.ackWith({ response_type: 'ephemeral', ...body });
      return ref;
    }
    await this.ackWith(undefined);
    if (this.deps.responseUrl && (await this.respond({ response_type: 'ephemeral', replace_original: false, ...body }))) return ref;
    return (await this.call('chat.postEphemeral', () =>
      this.deps.client.chat.postEphemeral({ channel: this.deps.channelId, user: this.deps.userId, ...body, ...POST_OPTIONS }),
    ))
      ? ref
      : null;
  }

  async postPublic(message: FittedMessage): Promise<ReplyRef | null> {
    const body = renderMessage(message);
    if (!body.blocks.length) return null;
    await this.ackWith(undefined);
    try {
      const r = await this.deps.client.chat.postMessage({ channel: this.deps.channelId, ...body, ...POST_OPTIONS });
      if (!r.ts) return null;
      const posted: ReplyRef = { platform: 'slack', channelId: r.channel ?? this.deps.channelId, messageId: r.ts };
      await this.keep(posted, message);
      return posted;
    } catch (error) {
      const code = slackError(error);
      // Not invited to the channel: the response_url still reaches it (without a ts to edit or thread on later).
      if (code && CANNOT_POST.has(code) && this.deps.responseUrl) {
        this.deps.log.warn(
          { code, channelId: this.deps.channelId },
          'slack: cannot post in the channel; answering through the response_url',
        );
        await this.respond({ response_type: 'in_channel', replace_original: false, ...body });
        this.#notInChannel = true;
      } else this.deps.log.error({ err: error, code }, 'slack: chat.postMessage failed');
      return null;
    }
  }

  async updateSource(message: FittedMessage): Promise<{ ref: ReplyRef; private: boolean } | null> {
    const source = this.deps.source;
    if (!source || this.deps.kind === 'command') return null;
    await this.ackWith(undefined);
    const ref: ReplyRef = { platform: 'slack', channelId: this.deps.channelId, messageId: source.ts };
    const body = renderMessage(message);
    if (source.ephemeral) {
      // An ephemeral message can only be replaced through a response_url of a press on it.
      if (!this.deps.responseUrl) return null;
      return (await this.respond({ replace_original: true, ...body })) ? { ref, private: true } : null;
    }
    return (await this.update(ref, body)) ? { ref, private: false } : null;
  }

  async edit(target: ReplyRef, message: FittedMessage): Promise<boolean> {
    if (target.platform !== 'slack') return false;
    if (target.messageId === this.deps.source?.ts && this.deps.kind !== 'command') return (await this.updateSource(message)) !== null;
    if (target.messageId.startsWith(EPHEMERAL)) return false;
    await this.ackWith(undefined);
    return this.update(target, renderMessage(message));
  }

  async openForm(form: FittedForm): Promise<boolean> {
    const { triggerId, kind } = this.deps;
    const origin: FormOrigin = { c: this.deps.channelId };
    if (this.deps.source) {
      origin.s = this.deps.source.ts;
      if (this.deps.source.ephemeral) origin.e = 1;
    }
    if (this.deps.responseUrl) origin.r = this.deps.responseUrl;
    // A form answering a submitted modal replaces it, in the acknowledgement (response_action: update), so it
    // keeps the first modal's origin; once acknowledged the modal is closed and no form can follow.
    if (kind === 'form') {
      if (this.#acked) return false;
      await this.ackWith({ response_action: 'update', view: renderModal(form, origin) });
      return true;
    }
    // Otherwise a modal opens from the event's trigger (commands and presses).
    if (!triggerId) return false;
    await this.ackWith(undefined);
    return this.call('views.open', () => this.deps.client.views.open({ trigger_id: triggerId, view: renderModal(form, origin) }));
  }

  /** Takes the buttons off this workspace's kept public cards of `scope` (`retireKept`). */
  async retire(scope: string, note: string): Promise<void> {
    if (!this.deps.cards) return;
    await this.ackWith(undefined);
    await retireKept(this.deps.client, this.deps.teamId, this.deps.cards, scope, note, this.deps.log);
  }

  async directMessage(messages: readonly FittedMessage[]): Promise<'sent' | 'closed' | 'failed'> {
    await this.ackWith(undefined);
    try {
      const opened = await this.deps.client.conversations.open({ users: this.deps.userId });
      const channel = opened.channel?.id;
      if (!channel) return 'failed';
      for (const m of messages)
        await this.deps.client.chat.postMessage({ channel, ...renderMessage(m, { controls: false }), ...POST_OPTIONS });
      return 'sent';
    } catch (error) {
      const code = slackError(error);
      this.deps.log.warn({ err: error, code }, 'slack: could not send a direct message');
      return code === 'user_disabled' || code === 'cannot_dm_bot' ? 'closed' : 'failed';
    }
  }

  /** A proposal's discussion: a first reply in the message's thread, named like Discord's threads. */
  async openThread(target: ReplyRef, name: string): Promise<void> {
    if (target.messageId.startsWith(EPHEMERAL)) return;
    const opened = await this.call('chat.postMessage', () =>
      this.deps.client.chat.postMessage({
        channel: target.channelId,
        thread_ts: target.messageId,
        text: `*${slack.escape(name).value}*`,
        ...POST_OPTIONS,
      }),
    );
    // A reply's event names the thread only by the card's ts (thread_ts): Pulje keeps the name it gave it.
    if (opened) await this.deps.onThreadOpened?.(target.channelId, target.messageId, name);
  }

  /** After delivery, in the reader's language: what the bot could not do in the channel, and what to do about it. */
  async settle(locale: Locale): Promise<void> {
    if (!this.#notInChannel) return;
    this.#notInChannel = false;
    await this.postPrivate(fitMessage({ text: slackText(locale, 'slack.invite_bot') }, this.limits)[0]!);
  }

  /** Whatever happened, Slack hears back within its window: an empty acknowledgement if nothing went yet. */
  async finish(): Promise<void> {
    await this.ackWith(undefined);
  }

  /** A public message with scoped cards is kept for a later retire; not being able to keep it fails nothing. */
  private async keep(posted: ReplyRef, message: FittedMessage): Promise<void> {
    if (!this.deps.cards || !scopesOf(message).length) return;
    try {
      await this.deps.cards.keep({ ref: posted, workspace: this.deps.teamId, message });
    } catch (error) {
      this.deps.log.error({ err: error, ts: posted.messageId }, 'slack: could not keep a public card for retiring later');
    }
  }

  private async ackWith(body: Record<string, unknown> | undefined): Promise<void> {
    if (this.#acked) return;
    this.#acked = true;
    try {
      await this.deps.ack(body);
      this.ackedAt = performance.now();
    } catch (error) {
      this.deps.log.warn({ err: error }, 'slack: acknowledging failed');
    }
  }

  private async update(ref: ReplyRef, body: RenderedMessage): Promise<boolean> {
    return this.call('chat.update', () =>
      this.deps.client.chat.update({ channel: ref.channelId, ts: ref.messageId, ...body, ...POST_OPTIONS }),
    );
  }

  /** A post to the response_url (https://docs.slack.dev/interactivity/handling-user-interaction): false if refused. */
  private async respond(body: Record<string, unknown>): Promise<boolean> {
    try {
      const r = await fetch(this.deps.responseUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, ...POST_OPTIONS }),
        signal: AbortSignal.timeout(10_000),
      });
      if (r.ok) return true;
      this.deps.log.warn({ status: r.status, body: (await r.text()).slice(0, 200) }, 'slack: the response_url refused an answer');
    } catch (error) {
      this.deps.log.warn({ err: error }, 'slack: posting to the response_url failed');
    }
    return false;
  }

  private async call(method: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      this.deps.log.warn({ err: error, code: slackError(error), method }, 'slack: a Web API call failed');
      return false;
    }
  }
}
