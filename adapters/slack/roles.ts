import type { webApi } from '@slack/bolt';
import type { Logger, PlatformRole } from '../../src/conversation/index.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import type { SlackActor } from './inbound.ts';

type WebClient = webApi.WebClient;

/** What Slack says is kept this long: a role change shows within a minute, and a busy channel costs no calls. */
const TTL_MS = 60_000;
/** A lookup that takes longer is given up (no roles), so the 3-second acknowledgement is never at risk. */
const LOOKUP_MS = 1000;

class Cache<T> {
  readonly #entries = new Map<string, { at: number; value: Promise<T> }>();
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    this.#entries.set(key, { at: Date.now(), value });
    if (this.#entries.size > 10_000) this.#entries.delete(this.#entries.keys().next().value!);
    // A failed lookup is not kept.
    value.catch(() => this.#entries.delete(key));
    return value;
  }
}

const within = <T>(p: Promise<T>, fallback: T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), LOOKUP_MS);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

/**
 * Who someone is on Slack, for the directory: their name, whether they are a workspace admin or owner
 * (users.info, https://docs.slack.dev/reference/methods/users.info), and whether they are in the user group
 * chosen as staff when the channel was bound (usergroups.users.list). Never by display name: anyone can take one.
 */
export class SlackPeople {
  readonly #users = new Cache<{ name: string; admin: boolean }>();
  readonly #groups = new Cache<readonly string[]>();

  constructor(
    private readonly pulje: Pulje,
    private readonly log: Logger,
  ) {}

  async actor(client: WebClient, teamId: string, userId: string, channelId: string | undefined, fallbackName = ''): Promise<SlackActor> {
    const [user, staffGroup] = await Promise.all([
      within(
        this.#users.get(`${teamId}:${userId}`, () => this.user(client, userId)),
        { name: fallbackName, admin: false },
      ).catch(() => ({ name: fallbackName, admin: false })),
      channelId ? this.pulje.directory.staffRoleOf({ platform: 'slack', channelId }) : Promise.resolve(null),
    ]);
    const roles: PlatformRole[] = user.admin ? ['server_admin'] : [];
    let roleIds: string[] = [];
    if (staffGroup) {
      const members = await within(
        this.#groups.get(`${teamId}:${staffGroup}`, () => this.members(client, staffGroup)),
        [] as readonly string[],
      ).catch(() => [] as readonly string[]);
      if (members.includes(userId)) roleIds = [staffGroup];
    }
    return { userId, displayName: user.name || fallbackName, roles, roleIds };
  }

  private async user(client: WebClient, userId: string) {
    try {
      const r = await client.users.info({ user: userId });
      const u = r.user;
      return {
        name: u?.profile?.display_name || u?.real_name || u?.name || '',
        admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      };
    } catch (error) {
      this.log.warn({ err: error, userId }, 'slack: users.info failed; treating the person as having no workspace role');
      throw error;
    }
  }

  private async members(client: WebClient, usergroup: string): Promise<readonly string[]> {
    try {
      return (await client.usergroups.users.list({ usergroup })).users ?? [];
    } catch (error) {
      this.log.warn({ err: error, usergroup }, 'slack: usergroups.users.list failed; nobody counts as staff by group');
      throw error;
    }
  }
}
