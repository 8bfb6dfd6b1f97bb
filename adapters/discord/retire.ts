import type { REST } from 'discord.js';
import { Routes } from 'discord.js';
import { retiredMessage, type Logger, type PublicCardStore } from '../../src/conversation/index.ts';
import { discordCode, LACKS_PERMISSION, UNEDITABLE } from './errors.ts';
import { asEdit, NO_MENTIONS, renderMessage } from './render.ts';

/** How many kept cards one retire edits (one scope is one round's phase: a card per bound channel, or a few). */
const RETIRE_AT_MOST = 100;

/**
 * Takes the buttons off the kept public cards of `scope` (posted by any interaction or notice, in any process),
 * keeping their text, with `note` as their footer: the bot edits its own channel messages by channel and id
 * (resources/message § Edit Message; no interaction token needed). discord.js's REST queue waits out 429s. A
 * message that can never be edited again (deleted, its channel gone, not the bot's) is forgotten quietly; one the
 * bot may not see now stays kept. Returns the channels where a permission was missing, with Discord's code.
 */
export async function retireKept(
  rest: REST,
  cards: PublicCardStore,
  scope: string,
  note: string,
  log: Logger,
): Promise<Array<{ channelId: string; code: number }>> {
  const refused: Array<{ channelId: string; code: number }> = [];
  let kept: Awaited<ReturnType<PublicCardStore['kept']>>;
  try {
    kept = await cards.kept({ platform: 'discord', workspace: '', scope, limit: RETIRE_AT_MOST });
  } catch (error) {
    log.error({ err: error, scope }, 'discord: could not read the public cards to retire');
    return refused;
  }
  for (const card of kept) {
    const now = retiredMessage(card.message, scope, note);
    const { content, embeds, components } = asEdit(renderMessage(now));
    let done: 'edited' | 'gone' | 'kept' = 'edited';
    try {
      await rest.patch(Routes.channelMessage(card.ref.channelId, card.ref.messageId), {
        body: { content, embeds, components, allowed_mentions: NO_MENTIONS },
      });
    } catch (error) {
      const code = discordCode(error);
      if (code !== undefined && UNEDITABLE.has(code)) {
        done = 'gone';
        log.info({ code, messageId: card.ref.messageId }, 'discord: a public card to retire can no longer be edited; forgotten');
      } else {
        done = 'kept';
        if (code !== undefined && LACKS_PERMISSION.has(code)) refused.push({ channelId: card.ref.channelId, code });
        else log.warn({ err: error, code, messageId: card.ref.messageId }, 'discord: could not retire a public card');
      }
    }
    if (done === 'kept') continue;
    try {
      await cards.retired(card.ref, scope, done === 'edited' ? now : null);
    } catch (error) {
      log.error({ err: error, scope }, 'discord: could not forget a retired public card');
    }
  }
  return refused;
}
