import { Routes, type REST } from 'discord.js';
import type { FittedMessage, Logger } from '../../src/conversation/index.ts';
import { CANNOT_DM, discordCode } from './errors.ts';
import { isEmpty, renderMessage } from './render.ts';

/** 'closed': the person does not take DMs from this server (Discord 50007). */
export type DirectResult = 'sent' | 'closed' | 'failed';

/**
 * Sends messages to someone's DMs over REST alone, so it works in any process (a shard, or the sharding manager,
 * which has no gateway connection). Copies carry no buttons: a DM is bound to no group, so they would not work.
 */
export async function sendDirect(rest: REST, userId: string, messages: readonly FittedMessage[], log: Logger): Promise<DirectResult> {
  try {
    const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    for (const message of messages) {
      const { content, embeds, components } = renderMessage(message, { controls: false });
      if (isEmpty({ content, embeds, components, allowedMentions: { parse: [] } })) continue;
      await rest.post(Routes.channelMessages(dm.id), {
        body: { ...(content ? { content } : {}), embeds, components, allowed_mentions: { parse: [] } },
      });
    }
    return 'sent';
  } catch (error) {
    if (discordCode(error) === CANNOT_DM) return 'closed';
    log.warn({ err: error, userId }, 'discord: could not send a direct message');
    return 'failed';
  }
}
