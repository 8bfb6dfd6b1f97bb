import { ChannelType, type Message, MessageFlags, type NewsChannel, type TextChannel } from 'discord.js';
import type { FittedForm, FittedMessage, Logger, ReplyRef, Surface } from '../../src/conversation/index.ts';
import { sendDirect } from './direct.ts';
import { discordCode, LOST_INTERACTION, THREAD_EXISTS } from './errors.ts';
import type { HandledInteraction } from './inbound.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { asCreate, asEdit, isEmpty, type RenderedMessage, renderMessage, renderModal, threadName } from './render.ts';

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

const ref = (m: Message): ReplyRef => ({ platform: 'discord', channelId: m.channelId, messageId: m.id });

/**
 * The surface port for one Discord interaction: private answers are ephemeral, public ones go to the channel,
 * updates onto the message whose control was used, forms as modals, threads on public cards, DM copies of
 * cards worth keeping. Every Discord call is guarded: an interaction Discord no longer accepts marks the
 * surface lost (delivery stops), other failures are logged and reported as "could not".
 */
export class DiscordSurface implements Surface {
  readonly limits = DISCORD_LIMITS;
  readonly fleetingPrivate = true;
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

  get lost(): boolean {
    return this.state === 'lost';
  }

  /** The message whose button, select or form was used, if any. */
  get source(): Message | null {
    const i = this.interaction;
    return i.isChatInputCommand() ? null : i.message;
  }

  async acknowledge(): Promise<void> {
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

  postPublic(message: FittedMessage): Promise<ReplyRef | null> {
    return this.guard(() => this.send(message, false), null);
  }

  postPrivate(message: FittedMessage): Promise<ReplyRef | null> {
    return this.guard(() => this.send(message, true), null);
  }

  openForm(form: FittedForm): Promise<boolean> {
    const i = this.interaction;
    // Discord opens a modal only as the first answer, and never in answer to another modal.
    if (this.state !== 'fresh' || i.isModalSubmit()) return Promise.resolve(false);
    return this.guard(async () => {
      await i.showModal(renderModal(form));
      this.acked('modal');
      return true;
    }, false);
  }

  updateSource(message: FittedMessage): Promise<{ ref: ReplyRef; private: boolean } | null> {
    return this.guard(async () => {
      const i = this.interaction;
      const source = this.source;
      if (!source || i.isChatInputCommand()) return null;
      const body = asEdit(renderMessage(message));
      if (this.state === 'fresh') {
        if (i.isModalSubmit() && !i.isFromMessage()) return null;
        await i.update(body);
        this.acked('updated');
      } else if (this.state === 'deferred-update' || this.state === 'updated') {
        // After deferUpdate or update, the interaction's @original is the message the control sits on.
        await i.editReply(body);
      } else if (!source.flags.has(MessageFlags.Ephemeral)) {
        await source.edit(body);
      } else return null;
      return { ref: ref(source), private: source.flags.has(MessageFlags.Ephemeral) };
    }, null);
  }

  /** Replaces an earlier message: through the interaction if it is the source, else by channel and id. */
  async edit(target: ReplyRef, message: FittedMessage): Promise<boolean> {
    if (target.platform !== 'discord') return false;
    if (target.messageId === this.source?.id) return (await this.updateSource(message)) !== null;
    try {
      const channel = await this.interaction.client.channels.fetch(target.channelId);
      if (!channel?.isTextBased()) return false;
      await channel.messages.edit(target.messageId, asEdit(renderMessage(message)));
      return true;
    } catch (error) {
      this.log.warn({ err: error, messageId: target.messageId }, 'discord: could not edit an earlier message; answering privately instead');
      return false;
    }
  }

  async directMessage(messages: readonly FittedMessage[]): Promise<'sent' | 'closed' | 'failed'> {
    const i = this.interaction;
    return sendDirect(i.client.rest, i.user.id, messages, this.log);
  }

  /** A thread on a public message (not in DMs or inside a thread). */
  async openThread(target: ReplyRef, name: string): Promise<void> {
    try {
      const channel = await this.interaction.client.channels.fetch(target.channelId);
      if (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement) return;
      await (channel as TextChannel | NewsChannel).threads.create({ startMessage: target.messageId, name: threadName(name) });
    } catch (error) {
      if (discordCode(error) !== THREAD_EXISTS)
        this.log.warn({ err: error, messageId: target.messageId }, 'discord: could not open a discussion thread');
    }
  }

  async finish(outcome: 'delivered' | 'duplicate' | 'failed'): Promise<void> {
    // A "thinking…" message nobody will fill: only public answers came, or another delivery answers.
    if (this.state !== 'deferred-reply' || !this.#pendingOriginal) return;
    if (outcome === 'duplicate') await this.interaction.deleteReply().catch(() => {});
    else await this.guard(() => this.interaction.deleteReply(), undefined);
  }

  private async send(message: FittedMessage, ephemeral: boolean): Promise<ReplyRef | null> {
    const body = renderMessage(message);
    if (isEmpty(body)) return null;
    const i = this.interaction;
    const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
    let sent: Message | null;
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
    return sent ? ref(sent) : null;
  }

  private async postInChannel(body: RenderedMessage): Promise<Message | null> {
    const i = this.interaction;
    const channel = i.channel ?? (i.channelId ? await i.client.channels.fetch(i.channelId) : null);
    if (!channel?.isSendable()) {
      this.log.error({ channelId: i.channelId }, 'discord: cannot post a public answer in this channel');
      return null;
    }
    return channel.send(asCreate(body));
  }

  private acked(state: AckState): void {
    this.state = state;
    this.ackedAt ??= performance.now();
  }

  /** Runs one Discord call; an interaction Discord no longer accepts ends the delivery, other failures are logged. */
  private async guard<T>(call: () => Promise<T>, failed: T): Promise<T>;
  private async guard(call: () => Promise<unknown>): Promise<void>;
  private async guard<T>(call: () => Promise<T>, failed?: T): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const code = discordCode(error);
      if (code !== undefined && LOST_INTERACTION.has(code)) {
        this.state = 'lost';
        this.log.warn(
          { code, interactionId: this.interaction.id },
          code === 40060 ? 'discord: interaction was acknowledged elsewhere' : 'discord: interaction can no longer be answered',
        );
      } else {
        this.log.error({ err: error, code, interactionId: this.interaction.id }, 'discord: sending an answer failed');
      }
      return failed;
    }
  }
}
