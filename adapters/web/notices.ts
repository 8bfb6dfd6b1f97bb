import { fitMessage, type MessageBody } from '../../src/conversation/index.ts';
import type { NoticeChannel, NoticeResult } from '../../src/staff/notifier.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import type { Hub } from './hub.ts';
import { WEB_LIMITS } from './limits.ts';
import { webStore } from './store.ts';

const NO_ONE = '';

/**
 * Pulje's own notices in the web chat: a public message in the group's web room, or a private one only the
 * person sees there (the web chat has no DMs; private messages in a room last, so they serve). Stored like every
 * answer, and pushed through the server's hub (which also tells the other Pulje processes), so they show at once.
 * A round closed by its deadline takes the buttons off its public cards here too (`retire`), as a staff close does.
 */
export function webNotices(opts: { pulje: Pulje; hub: Hub }): NoticeChannel {
  const store = webStore(opts.pulje);
  const post = async (conversationId: string, body: MessageBody, recipientId: string | null) => {
    for (const message of fitMessage(body, WEB_LIMITS)) {
      // To this process's open browsers and, through the live feed, to the other processes'.
      opts.hub.message(conversationId, await store.addPulje(conversationId, message, recipientId));
    }
  };
  return {
    platform: 'web',
    async announce(channelId, body) {
      // A web room's channel id is its group's id.
      const room = await opts.pulje.directory.conversation({ platform: 'web', channelId });
      if (!room) return false;
      await post(room.conversationId, body, null);
      return true;
    },
    async notify(personId, groupId, body): Promise<NoticeResult> {
      const room = (await store.conversations(personId)).find((r) => r.groupId === groupId);
      if (!room) return 'unknown';
      await post(room.id, body, personId);
      return 'sent';
    },
    async retire(groupId, scope, note) {
      const room = await opts.pulje.directory.conversation({ platform: 'web', channelId: groupId });
      if (!room) return;
      // Only public messages are retired: read as no one in particular (no person has this id).
      for (const m of await store.retire(room.conversationId, NO_ONE, scope, note)) opts.hub.message(room.conversationId, m);
    },
  };
}
