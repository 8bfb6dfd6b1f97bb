import type { webApi } from '@slack/bolt';
import { retiredMessage, type Logger, type PublicCardStore } from '../../src/conversation/index.ts';
import { slackError, UNEDITABLE } from './errors.ts';
import { POST_OPTIONS, renderMessage } from './render.ts';

/** How many kept cards one retire updates (one scope is one round's phase: a card per bound channel, or a few). */
const RETIRE_AT_MOST = 100;

/**
 * Takes the buttons off one workspace's kept public cards of `scope` (posted by any event or notice, in any
 * process), keeping their text, with `note` as their footer: chat.update on the app's own messages (the Web API
 * client waits out 429s). A message that can never be updated again (deleted, not the app's, its channel gone)
 * is forgotten quietly; one that fails otherwise stays kept until the retention job.
 */
export async function retireKept(
  client: webApi.WebClient,
  workspace: string,
  cards: PublicCardStore,
  scope: string,
  note: string,
  log: Logger,
): Promise<void> {
  let kept: Awaited<ReturnType<PublicCardStore['kept']>>;
  try {
    kept = await cards.kept({ platform: 'slack', workspace, scope, limit: RETIRE_AT_MOST });
  } catch (error) {
    log.error({ err: error, scope }, 'slack: could not read the public cards to retire');
    return;
  }
  for (const card of kept) {
    const now = retiredMessage(card.message, scope, note);
    let done: 'edited' | 'gone' | 'kept' = 'edited';
    try {
      await client.chat.update({ channel: card.ref.channelId, ts: card.ref.messageId, ...renderMessage(now), ...POST_OPTIONS });
    } catch (error) {
      const code = slackError(error);
      done = code && UNEDITABLE.has(code) ? 'gone' : 'kept';
      if (done === 'gone') log.info({ code, ts: card.ref.messageId }, 'slack: a public card to retire can no longer be updated; forgotten');
      else log.warn({ err: error, code, ts: card.ref.messageId }, 'slack: could not retire a public card');
    }
    if (done === 'kept') continue;
    try {
      await cards.retired(card.ref, scope, done === 'edited' ? now : null);
    } catch (error) {
      log.error({ err: error, scope }, 'slack: could not forget a retired public card');
    }
  }
}
