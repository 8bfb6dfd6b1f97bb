import type { MessageBody } from '../conversation/outbound.ts';
import type { Platform } from '../conversation/events.ts';
import { type Logger, silentLogger } from '../conversation/ports.ts';

/** How a notice went: 'closed' the person takes no direct messages there; 'unknown' no account there. */
export type NoticeResult = 'sent' | 'closed' | 'unknown' | 'failed';

/**
 * The notice port, one per running surface: what Pulje sends on its own rather than in answer to someone (a
 * result at a deadline, a reminder, a digest, a nudge). The composition root gives the notifier one for each
 * adapter that runs; each fits the neutral body to its own limits.
 */
export interface NoticeChannel {
  readonly platform: Platform;
  /** A public message in a chat place bound on this platform (its channel id as bound). */
  announce(channelId: string, body: MessageBody): Promise<boolean>;
  /**
   * A message only the person sees: a direct message (Discord, Slack), or a private message in the group's web
   * room. Controls on it must work outside the group's chat place (actions that need only a person).
   */
  notify(personId: string, groupId: string, body: MessageBody): Promise<NoticeResult>;
  /**
   * Takes the buttons off the public cards of `scope` this platform keeps (see Reply's `retire`), with `note`
   * as their footer, when Pulje itself moved a round on (a deadline) in the group `groupId`; platforms that
   * keep none leave it out.
   */
  retire?(groupId: string, scope: string, note: string): Promise<void>;
}

/** Where the group can be reached: its bound chat places, and on which platforms a person has an account. */
export interface NoticeDirectory {
  conversationsOf(groupId: string): Promise<Array<{ platform: Platform; channelId: string }>>;
  accountOf(personId: string, platform: Platform): Promise<string | null>;
}

export interface Notifier {
  /** Posts publicly in every chat place of the group a running surface serves; how many took it. */
  announce(groupId: string, body: MessageBody): Promise<number>;
  /**
   * Sends to one person, trying the platforms in order (Discord, Slack, then the web room, which always exists):
   * the first that takes it wins; a closed inbox moves on to the next.
   */
  notify(personId: string, groupId: string, body: MessageBody): Promise<NoticeResult>;
  /** The group's public cards of `scope` lose their buttons on every platform that can edit them. Never throws. */
  retire(groupId: string, scope: string, note: string): Promise<void>;
}

const PREFERENCE: readonly Platform[] = ['discord', 'slack', 'web'];

export function createNotifier(channels: readonly NoticeChannel[], directory: NoticeDirectory, log: Logger = silentLogger): Notifier {
  const by = new Map(channels.map((c) => [c.platform, c]));
  return {
    async announce(groupId, body) {
      let posted = 0;
      for (const place of await directory.conversationsOf(groupId)) {
        const channel = by.get(place.platform);
        if (!channel) continue;
        try {
          if (await channel.announce(place.channelId, body)) posted++;
        } catch (error) {
          log.warn({ err: error, platform: place.platform, groupId }, 'notifier: could not announce');
        }
      }
      return posted;
    },
    async notify(personId, groupId, body) {
      let last: NoticeResult = 'unknown';
      for (const platform of PREFERENCE) {
        const channel = by.get(platform);
        // The web room needs no account: a member of the group has it.
        if (!channel || (platform !== 'web' && !(await directory.accountOf(personId, platform)))) continue;
        try {
          last = await channel.notify(personId, groupId, body);
        } catch (error) {
          log.warn({ err: error, platform, personId }, 'notifier: could not notify');
          last = 'failed';
        }
        if (last === 'sent') return last;
      }
      return last;
    },
    async retire(groupId, scope, note) {
      for (const channel of channels) {
        try {
          await channel.retire?.(groupId, scope, note);
        } catch (error) {
          log.warn({ err: error, platform: channel.platform, scope }, 'notifier: could not retire public cards');
        }
      }
    },
  };
}

/** A notifier that reaches no one (no surface running, tests of other parts). */
export const nobody: Notifier = { announce: async () => 0, notify: async () => 'unknown', retire: async () => {} };
