import { webApi } from '@slack/bolt';
import { fitMessage, type Logger, type MessageBody } from '../../src/conversation/index.ts';
import type { NoticeChannel, NoticeResult } from '../../src/staff/notifier.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { slackError } from './errors.ts';
import { SLACK_LIMITS } from './limits.ts';
import { POST_OPTIONS, renderMessage } from './render.ts';
import { retireKept } from './retire.ts';

/** Not this workspace's channel or person: the next workspace's token may reach it. */
const ELSEWHERE = new Set(['channel_not_found', 'user_not_found', 'not_in_channel']);

/**
 * Pulje's own notices on Slack, over the Web API alone (any process can send them): a result posted in the bound
 * channel at a deadline (the closed round's public cards losing their buttons), reminders and digests by DM (their controls, such as the reminder's opt-out, kept). With
 * several workspaces the channel's is found by trying each installed workspace's token.
 */
export function slackNotices(opts: {
  /** The bot tokens to try: the one of SLACK_BOT_TOKEN, or every installed workspace's. */
  tokens: () => Promise<string[]>;
  clientOptions: webApi.WebClientOptions;
  pulje: Pulje;
  log: Logger;
}): NoticeChannel {
  const clients = new Map<string, webApi.WebClient>();
  const client = (token: string) => {
    let c = clients.get(token);
    if (!c) clients.set(token, (c = new webApi.WebClient(token, opts.clientOptions)));
    return c;
  };
  /** Runs `send` with each token until one reaches the target; what the last one said otherwise. */
  const withEach = async (send: (c: webApi.WebClient) => Promise<void>): Promise<string | null> => {
    let last = 'not_installed';
    for (const token of await opts.tokens()) {
      try {
        await send(client(token));
        return null;
      } catch (error) {
        last = slackError(error) ?? 'failed';
        if (!ELSEWHERE.has(last)) break;
      }
    }
    return last;
  };
  const post = (c: webApi.WebClient, channel: string, body: MessageBody, controls: boolean) =>
    fitMessage(body, SLACK_LIMITS).reduce(
      (done, m) => done.then(() => c.chat.postMessage({ channel, ...renderMessage(m, { controls }), ...POST_OPTIONS }).then(() => {})),
      Promise.resolve(),
    );
  /** Each token's workspace (auth.test), for the cards kept under it. */
  const teams = new Map<string, string>();
  const teamOf = async (token: string) => {
    let team = teams.get(token);
    if (team === undefined) {
      team = (await client(token).auth.test()).team_id ?? '';
      teams.set(token, team);
    }
    return team;
  };
  return {
    platform: 'slack',
    async announce(channelId, body) {
      const failed = await withEach((c) => post(c, channelId, body, true));
      if (failed) opts.log.warn({ channelId, error: failed }, 'slack: could not post a notice');
      return failed === null;
    },
    async notify(personId, _groupId, body): Promise<NoticeResult> {
      const userId = await opts.pulje.notices.accountOf(personId, 'slack');
      if (!userId) return 'unknown';
      const failed = await withEach(async (c) => {
        const opened = await c.conversations.open({ users: userId });
        await post(c, opened.channel!.id!, body, true);
      });
      if (failed === null) return 'sent';
      opts.log.warn({ error: failed }, 'slack: could not send a notice by DM');
      return failed === 'user_disabled' || failed === 'cannot_dm_bot' ? 'closed' : 'failed';
    },
    async retire(_groupId, scope, note) {
      for (const token of await opts.tokens()) {
        try {
          await retireKept(client(token), await teamOf(token), opts.pulje.publicCards, scope, note, opts.log);
        } catch (error) {
          opts.log.warn({ err: error, code: slackError(error), scope }, 'slack: could not retire public cards in a workspace');
        }
      }
    },
  };
}
