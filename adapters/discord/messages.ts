import { type Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { type FittedMessage, type InboundEventInput, type Logger, type Router, type Surface, serve } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { DirectMessages } from './direct.ts';
import { DISCORD_LIMITS } from './limits.ts';

/**
 * Discussion capture on Discord (issue 12): messages written in bound channels and their threads become the
 * conversation layer's `message` events, so summaries and the talk-share nudge work as on the web. Reading
 * members' messages needs the privileged Message Content intent, so it is off unless DISCORD_MESSAGE_CONTENT=true
 * (and the intent is switched on for the bot in the developer portal; Discord refuses the connection otherwise,
 * close code 4014). Without it Pulje receives only its own interactions, and captures nothing here.
 * https://discord.com/developers/docs/events/gateway#message-content-intent
 */
export function messageIntents(enabled: boolean): GatewayIntentBits[] {
  return enabled ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : [];
}

export interface MessageCaptureDeps {
  router: Router;
  log: Logger;
  defaultLocale: Locale;
  /** The adapter's paced DMs. */
  dms: DirectMessages;
}

/**
 * A message event has no interaction to answer through: the only thing the message handler sends back is
 * private (a staff member's nudge), which goes to the writer's DMs. Nothing is posted in the channel.
 */
class MessageSurface implements Surface {
  readonly limits = DISCORD_LIMITS;
  readonly fleetingPrivate = false;
  constructor(
    private readonly message: Message,
    private readonly dms: DirectMessages,
  ) {}
  async postPublic(): Promise<null> {
    return null;
  }
  async postPrivate(m: FittedMessage) {
    const sent = await this.dms.send(this.message.author.id, [m]);
    return sent === 'sent'
      ? { platform: 'discord' as const, channelId: `user:${this.message.author.id}`, messageId: this.message.id }
      : null;
  }
  async updateSource(): Promise<null> {
    return null;
  }
  async edit(): Promise<boolean> {
    return false;
  }
  async openForm(): Promise<boolean> {
    return false;
  }
  async directMessage(ms: readonly FittedMessage[]) {
    return this.dms.send(this.message.author.id, ms);
  }
  async openThread(): Promise<void> {}
  async acknowledge(): Promise<void> {}
}

/** The neutral event for a message in a guild channel or thread; null for what is not a member's chat. */
export function messageEvent(message: Message): InboundEventInput | null {
  if (message.author.bot || message.system || message.webhookId || !message.inGuild()) return null;
  const channel = message.channel;
  const thread = channel.isThread() ? { id: channel.id, name: channel.name } : undefined;
  const member = message.member;
  return {
    kind: 'message',
    idempotencyKey: `message:${message.id}`,
    messageId: message.id,
    link: message.url,
    ...(thread ? { thread } : {}),
    actor: {
      platform: 'discord',
      externalId: message.author.id,
      displayName: (member?.displayName ?? message.author.globalName ?? message.author.username).slice(0, 200),
      // Only the router's directory decides roles; platform roles matter only when someone is enrolled, which
      // free chat never does.
      roles: [],
    },
    // A thread belongs to its channel's group, as for interactions.
    conversation: { platform: 'discord', channelId: thread ? (channel.parentId ?? channel.id) : channel.id },
    text: message.content.slice(0, 8000),
  };
}

/**
 * Listens for MessageCreate and hands each member message to the router (unbound channels are ignored there). A
 * channel's messages are handled one after another, in the order Discord sent them, so their times and the
 * talk-share count follow the conversation; different channels go on side by side.
 */
export function captureMessages(client: Client, deps: MessageCaptureDeps): void {
  const tails = new Map<string, Promise<void>>();
  client.on(Events.MessageCreate, (message) => {
    const event = messageEvent(message);
    if (!event) return;
    const key = event.conversation.channelId;
    const run = () =>
      serve(deps.router, new MessageSurface(message, deps.dms), event, { fallbackLocale: deps.defaultLocale, log: deps.log }).then(
        () => {},
        (error: unknown) => deps.log.error({ err: error, messageId: message.id }, 'discord: could not capture a message'),
      );
    const tail = (tails.get(key) ?? Promise.resolve()).then(run);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
  });
}
