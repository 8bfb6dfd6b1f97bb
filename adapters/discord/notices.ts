import { REST, Routes } from 'discord.js';
import { fitMessage, type Logger, type MessageBody, silentLogger } from '../../src/conversation/index.ts';
import type { NoticeChannel, NoticeResult } from '../../src/staff/notifier.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { DEFAULT_DM_PACING, DirectMessages, dmRest, type DmPacing } from './direct.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { asCreate, isEmpty, renderMessage } from './render.ts';
import { retireKept } from './retire.ts';

/**
 * Pulje's own notices on Discord, over REST alone (any process can send them, with or without a gateway
 * connection): a result posted in the bound channel at a deadline (the closed round's public cards losing their
 * buttons), and reminders and digests by DM. Unlike the
 * adapter's DM copies, a notice keeps its buttons: its controls are ones that need only the person (the
 * reminder's opt-out), which work in a DM.
 */
export function discordNotices(opts: {
  token: string;
  api?: string | undefined;
  pulje: Pulje;
  log?: Logger;
  dmPacing?: DmPacing;
}): NoticeChannel {
  const log = opts.log ?? silentLogger;
  const rest = new REST(opts.api ? { api: opts.api } : {}).setToken(opts.token);
  // Reminders go to a whole group at once: paced like every DM the adapter sends.
  const dms = new DirectMessages(dmRest(opts.token, opts.api), log, opts.dmPacing ?? DEFAULT_DM_PACING);
  const post = async (channelId: string, body: MessageBody) => {
    for (const message of fitMessage(body, DISCORD_LIMITS)) {
      const rendered = renderMessage(message);
      if (isEmpty(rendered)) continue;
      const { allowedMentions: _a, ...create } = asCreate(rendered);
      await rest.post(Routes.channelMessages(channelId), { body: { ...create, allowed_mentions: { parse: [] } } });
    }
  };
  return {
    platform: 'discord',
    async announce(channelId, body) {
      try {
        await post(channelId, body);
        return true;
      } catch (error) {
        log.warn({ err: error, channelId }, 'discord: could not post a notice');
        return false;
      }
    },
    async notify(personId, _groupId, body): Promise<NoticeResult> {
      const userId = await opts.pulje.notices.accountOf(personId, 'discord');
      if (!userId) return 'unknown';
      return dms.send(userId, fitMessage(body, DISCORD_LIMITS), { controls: true });
    },
    async retire(_groupId, scope, note) {
      const refused = await retireKept(rest, opts.pulje.publicCards, scope, note, log);
      // Nobody acted, so nobody to tell: the operator reads it here, and the retention job removes them later.
      for (const r of refused) log.warn({ ...r, scope }, 'discord: the bot may not edit a public card in a channel');
    },
  };
}
