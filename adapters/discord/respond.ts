import { MessageFlags, type Message } from 'discord.js';
import { fitMessage, type FittedMessage, type FittedReply, type Logger, type ReplyRef } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { sendDirect } from './direct.ts';
import { LOST_INTERACTION, THREAD_EXISTS, discordCode } from './errors.ts';
import type { HandledInteraction } from './inbound.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { asCreate, asEdit, discussionOf, isEmpty, renderMessage, renderModal, threadName, worthKeeping } from './render.ts';
import { discordText, type DiscordText } from './texts.ts';

/**
 * Where an interaction stands with Discord. The first callback must come within 3 s: either the answer itself
 * (reply, update, modal) or a deferral, after which the answer goes through the interaction's webhook.
 */
export type AckState =
  | 'fresh'
  /** Deferred with an ephemeral "thinking…" message (commands, forms opened from a command). */
  | 'deferred-reply'
  /** Deferred as an update of the message whose control was used. */
  | 'deferred-update'
  | 'replied'
  | 'updated'
  | 'modal'
  /** Discord refused the interaction (too late, or acknowledged elsewhere): nothing more can be sent through it. */
  | 'lost';

const note = (locale: Locale, key: DiscordText | 'error.internal'): FittedMessage =>
  fitMessage({ text: discordText(locale, key) }, DISCORD_LIMITS)[0]!;

/**
 * Delivers the router's fitted replies for one interaction: private ones ephemeral, public ones to the channel,
 * updates onto the message whose control was used, forms as modals. Also opens discussion threads on public
 * cards that ask for one, and sends a DM copy of private cards worth keeping.
 */
export class Responder {
  state: AckState = 'fresh';
  /** When the first callback was accepted (performance.now()), for measuring. */
  ackedAt: number | undefined;
  /** Whether the first callback was a deferral. */
  deferred = false;
  /** After a deferred reply: its "thinking…" message still waits for content. */
  #pendingOriginal = false;

  constructor(
    readonly interaction: HandledInteraction,
    private readonly log: Logger,
  ) {}

  /** The message whose button, select or form was used, if any. */
  get source(): Message | null {
    const i = this.interaction;
    return i.isChatInputCommand() ? null : i.message;
  }

  /** Acknowledges now without answering yet; harmless once acknowledged. */
  async defer(): Promise<void> {
    if (this.state !== 'fresh') return;
    const i = this.interaction;
    await this.guard(async () => {
      if (!i.isChatInputCommand() && i.message) {
        await i.deferUpdate();
        this.state = 'deferred-update';
      } else {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        this.state = 'deferred-reply';
        this.#pendingOriginal = true;
      }
      this.deferred = true;
      this.ackedAt = performance.now();
    });
  }

  async deliver(replies: readonly FittedReply[], locale: Locale): Promise<void> {
    // A modal can only be the first answer, and an update only the first answer to a control: those go first.
    const forms = replies.filter((r) => r.kind === 'form');
    if (forms.length > 1) this.log.warn({ forms: forms.length }, 'discord: a reply opened several forms; only the first is shown');
    const ordered = [
      ...forms.slice(0, 1),
      ...replies.filter((r) => r.kind === 'update'),
      ...replies.filter((r) => r.kind === 'send' || r.kind === 'edit'),
    ];
    for (const r of ordered) {
      if (this.state === 'lost') break;
      await this.guard(() => this.one(r, locale));
    }
    // Only public answers came, after a deferred reply: the private "thinking…" message has nothing to say.
    if (this.state === 'deferred-reply' && this.#pendingOriginal) await this.guard(() => this.interaction.deleteReply());
  }

  /** Says "something went wrong" privately, if the interaction can still be answered. */
  async fail(locale: Locale): Promise<void> {
    await this.guard(() => this.send(note(locale, 'error.internal'), 'private', locale));
  }

  private async one(r: FittedReply, locale: Locale): Promise<void> {
    switch (r.kind) {
      case 'form':
        return this.form(r.form, locale);
      case 'update':
        await this.update(r.message, locale);
        for (const m of r.overflow) await this.send(m, 'private', locale);
        return;
      case 'edit':
        await this.edit(r.ref, r.message, locale);
        for (const m of r.overflow) await this.send(m, 'private', locale);
        return;
      case 'send':
        for (const m of r.messages) await this.send(m, r.visibility, locale);
        return;
    }
  }

  private async form(form: Extract<FittedReply, { kind: 'form' }>['form'], locale: Locale): Promise<void> {
    const i = this.interaction;
    // Discord opens a modal only as the first answer, and never in answer to another modal.
    if (this.state !== 'fresh' || i.isModalSubmit()) return this.send(note(locale, 'formTooSlow'), 'private', locale);
    await i.showModal(renderModal(form));
    this.acked('modal');
  }

  private async send(message: FittedMessage, visibility: 'public' | 'private', locale: Locale): Promise<void> {
    const body = renderMessage(message);
    if (isEmpty(body)) return;
    const i = this.interaction;
    const ephemeral = visibility === 'private';
    const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
    let sent: Message | null = null;
    if (this.state === 'fresh') {
      const response = await i.reply({ ...asCreate(body), ...flags, withResponse: true });
      sent = response.resource?.message ?? null;
      this.acked('replied');
    } else if (this.state === 'deferred-reply' && this.#pendingOriginal) {
      if (ephemeral) {
        sent = await i.editReply(asEdit(body));
        this.#pendingOriginal = false;
      } else {
        // The deferred answer is ephemeral for good; a public one goes to the channel as a message of its own.
        sent = await this.postInChannel(body);
      }
    } else {
      sent = await i.followUp({ ...asCreate(body), ...flags });
    }
    if (!ephemeral && sent) await this.openThread(sent, message);
    if (ephemeral) await this.keep(message, locale);
  }

  private async update(message: FittedMessage, locale: Locale): Promise<void> {
    const i = this.interaction;
    const source = this.source;
    const body = asEdit(renderMessage(message));
    if (!source || i.isChatInputCommand()) return this.send(message, 'private', locale);
    if (this.state === 'fresh') {
      if (i.isModalSubmit() && !i.isFromMessage()) return this.send(message, 'private', locale);
      await i.update(body);
      this.acked('updated');
    } else if (this.state === 'deferred-update' || this.state === 'updated') {
      // After deferUpdate or update, the interaction's @original is the message the control sits on.
      await i.editReply(body);
    } else if (!source.flags.has(MessageFlags.Ephemeral)) {
      await source.edit(body);
    } else {
      return this.send(message, 'private', locale);
    }
    if (source.flags.has(MessageFlags.Ephemeral)) await this.keep(message, locale);
  }

  /** Replaces an earlier message; one that cannot be edited any more gets its new content as a private answer. */
  private async edit(ref: ReplyRef, message: FittedMessage, locale: Locale): Promise<void> {
    if (ref.platform === 'discord' && ref.messageId === this.source?.id) return this.update(message, locale);
    if (ref.platform === 'discord') {
      try {
        const channel = await this.interaction.client.channels.fetch(ref.channelId);
        if (channel?.isTextBased()) {
          await channel.messages.edit(ref.messageId, asEdit(renderMessage(message)));
          return;
        }
      } catch (error) {
        this.log.warn({ err: error, messageId: ref.messageId }, 'discord: could not edit an earlier message; answering privately instead');
      }
    }
    await this.send(message, 'private', locale);
  }

  private async postInChannel(body: ReturnType<typeof renderMessage>): Promise<Message | null> {
    const i = this.interaction;
    const channel = i.channel ?? (i.channelId ? await i.client.channels.fetch(i.channelId) : null);
    if (!channel?.isSendable()) {
      this.log.error({ channelId: i.channelId }, 'discord: cannot post a public answer in this channel');
      return null;
    }
    return channel.send(asCreate(body));
  }

  /** A public card inviting discussion gets a thread on its message (not in DMs or inside a thread). */
  private async openThread(sent: Message, message: FittedMessage): Promise<void> {
    const discussion = discussionOf(message);
    if (!discussion) return;
    try {
      const channel = sent.channel ?? (await sent.client.channels.fetch(sent.channelId));
      if (!channel || channel.isDMBased() || channel.isThread() || !('threads' in channel)) return;
      await channel.threads.create({ startMessage: sent.id, name: threadName(discussion) });
    } catch (error) {
      if (discordCode(error) !== THREAD_EXISTS)
        this.log.warn({ err: error, messageId: sent.id }, 'discord: could not open a discussion thread');
    }
  }

  /**
   * Ephemeral messages vanish on reload, so a card worth keeping (a receipt) is also sent by DM, without its
   * buttons. Someone whose DMs are closed is told, privately, to keep the message themselves.
   */
  private async keep(message: FittedMessage, locale: Locale): Promise<void> {
    if (!worthKeeping(message)) return;
    const i = this.interaction;
    const result = await sendDirect(i.client.rest, i.user.id, [message], this.log);
    if (result === 'closed') await this.send(note(locale, 'dmClosed'), 'private', locale);
  }

  private acked(state: AckState): void {
    this.state = state;
    this.ackedAt ??= performance.now();
  }

  /** Runs one Discord call; an interaction Discord no longer accepts ends the delivery, other failures are logged. */
  private async guard(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      const code = discordCode(error);
      if (code !== undefined && LOST_INTERACTION.has(code)) {
        this.state = 'lost';
        this.log.warn(
          { code, interactionId: this.interaction.id },
          code === 40060 ? 'discord: interaction was acknowledged elsewhere' : 'discord: interaction can no longer be answered',
        );
        return;
      }
      this.log.error({ err: error, code, interactionId: this.interaction.id }, 'discord: sending an answer failed');
    }
  }
}
