import { ChannelType, type Message, MessageFlags, type NewsChannel, PermissionFlagsBits, type TextChannel } from 'discord.js';
import {
  fitMessage,
  scopesOf,
  type FittedForm,
  type FittedMessage,
  type Logger,
  type PublicCardStore,
  type ReplyRef,
  type Surface,
} from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { DirectMessages } from './direct.ts';
import { ACKNOWLEDGED_ELSEWHERE, discordCode, LACKS_PERMISSION, LOST_INTERACTION, THREAD_EXISTS } from './errors.ts';
import type { HandledInteraction } from './inbound.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { retireKept } from './retire.ts';
import { asCreate, asEdit, isEmpty, renderMessage, renderModal, threadName } from './render.ts';
import { discordText, type NamedPermission } from './texts.ts';

/**
 * Where an interaction stands with Discord. The first callback must come within 3 s: either the answer itself
 * (reply, update, modal) or a deferral, after which the answer goes through the interaction's webhook.
 */
export type AckState =
  | 'fresh'
  /** Deferred with a "thinking…" placeholder (commands, forms opened from a command): see `Placeholder`. */
  | 'deferred-reply'
  /** Deferred as an update of the message whose control was used. */
  | 'deferred-update'
  | 'replied'
  | 'updated'
  | 'modal'
  /** Discord refused the interaction (too late, or its token expired): nothing more can be sent through it. */
  | 'lost';

/**
 * The "thinking…" message of a deferred reply. Discord fills it with the first follow-up, keeping its
 * visibility (receiving-and-responding § Followup Messages), so an answer of the other visibility may only come
 * after it was filled: with that answer if the visibility matches, else with a short note (removed at the end).
 */
interface Placeholder {
  ephemeral: boolean;
  holds: 'nothing' | 'note' | 'answer';
}

/** Something the bot was not allowed to do in a channel, to tell the person what to ask an admin for. */
type Refused = { action: 'thread' | 'edit' | 'post'; channelId: string; lacking: NamedPermission[] };

const NEEDS: Record<Refused['action'], NamedPermission[]> = {
  // resources/channel § Start Thread from Message
  thread: ['ViewChannel', 'CreatePublicThreads'],
  // resources/message § Edit Message: the bot's own message, in a channel it can see
  edit: ['ViewChannel'],
  // resources/message § Create Message
  post: ['ViewChannel', 'SendMessages', 'EmbedLinks'],
};

const ref = (m: Message): ReplyRef => ({ platform: 'discord', channelId: m.channelId, messageId: m.id });

export interface SurfaceDeps {
  log: Logger;
  dms: DirectMessages;
  /** For the few words the surface adds itself before the reader's language is known: the Discord client's. */
  noteLocale: Locale;
  /** Where public cards with a scope are kept, so that a later `retire` can take their buttons off. */
  cards?: PublicCardStore;
}

/**
 * The surface port for one Discord interaction: private answers are ephemeral, public ones go to the channel
 * through the interaction (its response or webhook follow-ups, which need no channel permission), updates onto
 * the message whose control was used, forms as modals, threads on public cards, DM copies of cards worth keeping.
 * Every Discord call is guarded: an interaction Discord no longer accepts marks the surface lost (delivery
 * stops); one that another process acknowledged first is answered through its webhook; what the bot may not do
 * in the channel is told to the person at the end (`settle`); other failures are logged and reported as "could not".
 */
export class DiscordSurface implements Surface {
  readonly limits = DISCORD_LIMITS;
  readonly fleetingPrivate = true;
  state: AckState = 'fresh';
  /** When the first callback was accepted (performance.now()), for measuring. */
  ackedAt: number | undefined;
  /** Whether this process deferred (rather than answering at once). */
  deferred = false;
  /** Another process acknowledged the interaction first; this one answers through the webhook. */
  elsewhere = false;
  #placeholder: Placeholder | undefined;
  #outcome: 'delivered' | 'duplicate' | 'failed' | undefined;
  readonly #refused: Refused[] = [];

  constructor(
    readonly interaction: HandledInteraction,
    private readonly deps: SurfaceDeps,
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
      const deferred = await this.first(async () => {
        if (!i.isChatInputCommand() && i.message) {
          await i.deferUpdate();
          this.state = 'deferred-update';
        } else {
          await i.deferReply({ flags: MessageFlags.Ephemeral });
          this.state = 'deferred-reply';
          this.#placeholder = { ephemeral: true, holds: 'nothing' };
        }
      });
      if (!deferred.ok) return;
      this.deferred = true;
      this.ackedAt = performance.now();
    });
  }

  async postPublic(message: FittedMessage): Promise<ReplyRef | null> {
    const posted = await this.guard(() => this.send(message, false), null);
    if (posted) await this.keep(posted, message);
    return posted;
  }

  postPrivate(message: FittedMessage): Promise<ReplyRef | null> {
    return this.guard(() => this.send(message, true), null);
  }

  openForm(form: FittedForm): Promise<boolean> {
    const i = this.interaction;
    // Discord opens a modal only as the first answer, and never in answer to another modal.
    if (this.state !== 'fresh' || i.isModalSubmit()) return Promise.resolve(false);
    return this.guard(async () => {
      const shown = await this.first(() => i.showModal(renderModal(form)));
      if (!shown.ok) return false;
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
      const done = () => ({ ref: ref(source), private: source.flags.has(MessageFlags.Ephemeral) });
      if (this.state === 'fresh') {
        if (i.isModalSubmit() && !i.isFromMessage()) return null;
        const updated = await this.first(() => i.update(body));
        if (updated.ok) {
          this.acked('updated');
          return done();
        }
        if (this.lost) return null;
      }
      if (this.state === 'deferred-update' || this.state === 'updated') {
        // After deferUpdate or update, the interaction's @original is the message the control sits on.
        await i.editReply(body);
      } else if (!source.flags.has(MessageFlags.Ephemeral)) {
        if (!(await this.inChannel('edit', source.channelId, () => source.edit(body)))) return null;
      } else return null;
      return done();
    }, null);
  }

  /** Replaces an earlier message: through the interaction if it is the source, else by channel and id. */
  async edit(target: ReplyRef, message: FittedMessage): Promise<boolean> {
    if (target.platform !== 'discord') return false;
    if (target.messageId === this.source?.id) return (await this.updateSource(message)) !== null;
    const edited = await this.inChannel('edit', target.channelId, async () => {
      const channel = await this.interaction.client.channels.fetch(target.channelId);
      if (!channel?.isTextBased()) return false;
      await channel.messages.edit(target.messageId, asEdit(renderMessage(message)));
      return true;
    });
    if (!edited)
      this.deps.log.warn({ messageId: target.messageId }, 'discord: could not edit an earlier message; answering privately instead');
    return edited === true;
  }

  /**
   * Takes the buttons off the kept public cards of `scope` (`retireKept`); where the bot may not see a channel
   * now, the person hears at the end which permission is missing.
   */
  async retire(scope: string, note: string): Promise<void> {
    if (!this.deps.cards) return;
    const refused = await retireKept(this.interaction.client.rest, this.deps.cards, scope, note, this.deps.log);
    for (const r of refused) this.refuse('edit', r.channelId, r.code);
  }

  directMessage(messages: readonly FittedMessage[]): Promise<'sent' | 'closed' | 'failed'> {
    return this.deps.dms.send(this.interaction.user.id, messages);
  }

  /** A thread on a public message (not in DMs or inside a thread). */
  async openThread(target: ReplyRef, name: string): Promise<void> {
    await this.inChannel('thread', target.channelId, async () => {
      const channel = await this.interaction.client.channels.fetch(target.channelId);
      if (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement) return;
      try {
        await (channel as TextChannel | NewsChannel).threads.create({ startMessage: target.messageId, name: threadName(name) });
      } catch (error) {
        if (discordCode(error) !== THREAD_EXISTS) throw error;
      }
    });
  }

  /**
   * Called by serve() when delivery is over. What is left to do needs the reader's language, which the adapter
   * learns from serve()'s outcome, so it happens in `settle`.
   */
  async finish(outcome: 'delivered' | 'duplicate' | 'failed'): Promise<void> {
    this.#outcome = outcome;
  }

  /**
   * After delivery: tells the person privately what the bot was not allowed to do in the channel and what to ask
   * an admin for, then removes a "thinking…" message that only a note filled, or that nothing did. A duplicate
   * leaves its placeholder alone: the process that claimed the event answers into it.
   */
  async settle(locale: Locale): Promise<void> {
    if (this.lost || this.#outcome === undefined || this.#outcome === 'duplicate') return;
    for (const r of this.#refused.splice(0)) {
      const text = discordText(locale, 'discord.missing_permissions', {
        action: r.action,
        channel: this.channelName(r.channelId),
        count: r.lacking.length,
        permissions: { list: r.lacking.map((p) => discordText(locale, `discord.permission.${p}`)), join: 'and' },
      });
      await this.postPrivate(fitMessage({ text }, this.limits)[0]!);
    }
    if (this.state === 'deferred-reply' && this.#placeholder && this.#placeholder.holds !== 'answer') {
      await this.guard(() => this.interaction.deleteReply(), undefined);
    }
  }

  /** A public message with scoped cards is kept for a later retire; not being able to keep it fails nothing. */
  private async keep(posted: ReplyRef, message: FittedMessage): Promise<void> {
    if (!this.deps.cards || !scopesOf(message).length) return;
    try {
      await this.deps.cards.keep({ ref: posted, workspace: '', message });
    } catch (error) {
      this.deps.log.error({ err: error, messageId: posted.messageId }, 'discord: could not keep a public card for retiring later');
    }
  }

  private async send(message: FittedMessage, ephemeral: boolean): Promise<ReplyRef | null> {
    const body = renderMessage(message);
    if (isEmpty(body)) return null;
    const i = this.interaction;
    const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
    if (this.state === 'fresh') {
      const replied = await this.first(() => i.reply({ ...asCreate(body), ...flags, withResponse: true }));
      if (replied.ok) {
        this.acked('replied');
        const sent = replied.value.resource?.message;
        return sent ? ref(sent) : null;
      }
      if (this.lost) return null;
    }
    if (!ephemeral && message.cards.some((c) => c.detached) && i.channel?.isSendable()) {
      // A follow-up would carry "<person> used /propose" above it: a card that must not name who acted goes
      // to the channel as the bot's own message.
      const channel = i.channel;
      const sent = await this.inChannel('post', channel.id, (): Promise<Message> => channel.send(asCreate(body)));
      return sent ? ref(sent) : null;
    }
    const p = this.#placeholder;
    if (this.state === 'deferred-reply' && p && p.holds !== 'answer') {
      if (p.ephemeral === ephemeral) {
        const sent = await i.editReply(asEdit(body));
        p.holds = 'answer';
        return ref(sent);
      }
      if (p.holds === 'nothing') {
        // Filled first, or the follow-up below would land in it with the placeholder's visibility.
        const note = discordText(this.deps.noteLocale, p.ephemeral ? 'discord.answer_in_channel' : 'discord.answer_private');
        await i.editReply(asEdit(renderMessage(fitMessage({ text: note }, this.limits)[0]!)));
        p.holds = 'note';
      }
    }
    return ref(await i.followUp({ ...asCreate(body), ...flags }));
  }

  /**
   * Runs a first callback (defer, reply, update, modal). If another process acknowledged the interaction first
   * (40060), takes over its acknowledgement and reports `ok: false`, so the caller answers through the webhook.
   */
  private async first<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      if (discordCode(error) !== ACKNOWLEDGED_ELSEWHERE) throw error;
      this.deps.log.info(
        { interactionId: this.interaction.id },
        'discord: interaction was acknowledged elsewhere; answering through its webhook',
      );
      await this.adopt();
      return { ok: false };
    }
  }

  /**
   * What the other process's acknowledgement left: its @original tells (a loading placeholder and its visibility,
   * or the message a control sits on for a deferred update). Pulje's processes acknowledge alike, so where the
   * message cannot be read the same kind is assumed, and a placeholder of unknown visibility counts as public
   * (nothing private is ever put into it).
   */
  private async adopt(): Promise<void> {
    const i = this.interaction;
    this.elsewhere = true;
    // discord.js refuses webhook calls on an interaction it did not acknowledge itself; Discord allows them.
    i.deferred = true;
    let original: Message | null = null;
    try {
      original = await i.fetchReply();
    } catch (error) {
      if (LOST_INTERACTION.has(discordCode(error) ?? 0)) throw error;
      this.deps.log.warn({ err: error, interactionId: i.id }, 'discord: could not read what another process answered');
    }
    const source = this.source;
    if (source && (!original || original.id === source.id)) {
      this.state = 'deferred-update';
    } else if (!original || original.flags.has(MessageFlags.Loading)) {
      this.state = 'deferred-reply';
      this.#placeholder = { ephemeral: original?.flags.has(MessageFlags.Ephemeral) ?? false, holds: 'nothing' };
    } else {
      this.state = 'replied';
    }
  }

  /**
   * A call on a channel rather than on the interaction (editing an earlier message, opening a thread). If the bot
   * lacks a permission there, it is remembered for `settle` and the call counts as not done (undefined).
   */
  private async inChannel<T>(action: Refused['action'], channelId: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const code = discordCode(error);
      if (code === undefined || !LACKS_PERMISSION.has(code)) {
        this.deps.log.warn({ err: error, code, channelId, action }, 'discord: a channel call failed');
        return undefined;
      }
      this.refuse(action, channelId, code);
      return undefined;
    }
  }

  /** The bot lacks a permission in a channel: remembered, to tell the person at the end (`settle`). */
  private refuse(action: Refused['action'], channelId: string, code: number): void {
    this.deps.log.warn({ code, channelId, action }, 'discord: the bot lacks a permission in a channel');
    // What the bot may do where the interaction came from is in the interaction; elsewhere, name all it needs.
    const have = channelId === this.interaction.channelId ? this.interaction.appPermissions : null;
    const lacking = NEEDS[action].filter((p) => !have?.has(PermissionFlagsBits[p]));
    const same = this.#refused.find((r) => r.action === action && r.channelId === channelId);
    if (!same) this.#refused.push({ action, channelId, lacking: lacking.length ? lacking : NEEDS[action] });
  }

  private channelName(channelId: string): string {
    const channel = this.interaction.client.channels.cache.get(channelId);
    return channel && 'name' in channel && channel.name ? channel.name : channelId;
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
        this.deps.log.warn({ code, interactionId: this.interaction.id }, 'discord: interaction can no longer be answered');
      } else {
        this.deps.log.error({ err: error, code, interactionId: this.interaction.id }, 'discord: sending an answer failed');
      }
      return failed;
    }
  }
}
