import { AlreadyHandled, PuljeError } from '../core/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { isRole, type Role } from '../domain/roles.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { claimScope, type Ctx, type EventScope, seedScope, writeHandled } from './context.ts';
import type { ClaimMode, KnownMember } from '../conversation/ports.ts';
import { addMembership, type Platform, personForIdentity } from './setup.ts';

/**
 * A platform account as an adapter sees it: `roles` are what the platform says (server admin; the deployment's
 * default staff role), `roleIds` the platform roles the person holds where they acted (Discord role ids).
 */
export interface PlatformAccount {
  platform: Platform;
  externalId: string;
  displayName: string;
  roles: readonly string[];
  roleIds?: readonly string[];
}

export interface DirectoryPerson {
  personId: string;
  displayName: string;
  /** The person's own language choice; null follows the group. */
  locale: Locale | null;
}

export interface DirectoryConversation {
  conversationId: string;
  groupId: string;
  groupName: string;
  locale: Locale;
}

/** How long activity notes wait to be written together. */
const SEEN_BATCH_MS = 5000;

/**
 * Who is behind a platform account and which group a chat place belongs to: what the conversation layer reads
 * before every event (it is the layer's ConversationDirectory). A web-chat session is issued for a person, so
 * on the web the external id is the person's id.
 */
export function directoryUseCases(ctx: Ctx, defaultLocale: Locale) {
  // Activity is noted at most once an hour per person and process, and written in batches: one statement every
  // few seconds for everyone who acted since, not one more write (and commit) in each person's request. A crash
  // loses at most those seconds' notes, and the person's next event notes them again.
  const touched = new Map<string, number>();
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  const write = async (ids: string[]) => {
    const now = ctx.now();
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    try {
      await ctx.prisma.person.updateMany({
        where: { id: { in: ids }, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: dayAgo } }] },
        data: { lastSeenAt: now, pseudonymisedAt: null },
      });
    } catch {
      // Kept for the next batch (a database that is down now may be back by then).
      for (const id of ids) if (pending.size < 10_000) pending.add(id);
    }
  };
  /** Writes the activity noted so far; resolves when it is stored (or kept for another try). */
  const flushSeen = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const ids = [...pending];
    pending.clear();
    // One batch at a time, in order; SQLite's bound on parameters is far above a batch's size.
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      writing = writing.then(() => write(batch));
    }
    return writing;
  };
  const directory = {
    async seen(personId: string): Promise<void> {
      const now = ctx.now();
      const last = touched.get(personId);
      if (last !== undefined && now.getTime() - last < 3600_000) return;
      if (touched.size > 10_000) touched.clear();
      touched.set(personId, now.getTime());
      pending.add(personId);
      if (!timer) {
        timer = setTimeout(() => void flushSeen(), SEEN_BATCH_MS);
        // A pending note never keeps a process alive on its own: close() writes it.
        timer.unref?.();
      }
    },

    /** Writes the activity noted but not yet stored (before the database closes). */
    flushSeen,

    async person(account: Pick<PlatformAccount, 'platform' | 'externalId'>): Promise<DirectoryPerson | null> {
      const linked = await ctx.prisma.identity.findUnique({
        where: { platform_externalId: { platform: account.platform, externalId: account.externalId } },
        include: { person: true },
      });
      const person =
        linked?.person ?? (account.platform === 'web' ? await ctx.prisma.person.findUnique({ where: { id: account.externalId } }) : null);
      if (!person) return null;
      return { personId: person.id, displayName: person.displayName, locale: person.locale ? asLocale(person.locale) : null };
    },

    async conversation(ref: { platform: Platform; channelId: string }): Promise<DirectoryConversation | null> {
      const row = await ctx.prisma.conversation.findUnique({
        where: { platform_channelId: { platform: ref.platform, channelId: ref.channelId } },
        include: { group: true },
      });
      if (!row) return null;
      return { conversationId: row.id, groupId: row.groupId, groupName: row.group.name, locale: asLocale(row.group.locale, defaultLocale) };
    },

    /**
     * The platform role whose holders join a bound chat place as staff (a Discord role id, a Slack user group id),
     * chosen with /bind; null where none was chosen or the place is not bound. Adapters look up only this one.
     */
    async staffRoleOf(ref: { platform: Platform; channelId: string }): Promise<string | null> {
      const row = await ctx.prisma.conversation.findUnique({
        where: { platform_channelId: { platform: ref.platform, channelId: ref.channelId } },
        select: { staffRoleId: true },
      });
      return row?.staffRoleId ?? null;
    },

    /** The person's role in the group; null if not a member. Platform roles never change it (see enrol). */
    async role(personId: string, groupId: string): Promise<Role | null> {
      const m = await ctx.prisma.membership.findUnique({ where: { personId_groupId: { personId, groupId } }, select: { role: true } });
      return m && isRole(m.role) ? m.role : null;
    },

    /** The person's account on a platform (to send them a direct message); null if they have none there. */
    async accountOf(personId: string, platform: Platform): Promise<string | null> {
      const identity = await ctx.prisma.identity.findFirst({ where: { personId, platform }, select: { externalId: true } });
      return identity?.externalId ?? null;
    },

    /**
     * Policy: on a chat platform whose server admins decide who is in a channel (Discord, Slack), whoever uses
     * Pulje in a bound channel joins its group: as staff if they are a server admin, or hold the staff role chosen
     * when the channel was bound (by its id: a role's name anyone allowed to manage roles can copy), or, where none
     * was chosen, the deployment's default staff role (the adapter says 'staff'); otherwise as youth. Only the
     * first time: afterwards the membership is Pulje's, changed in Pulje, so a platform role change never
     * silently grants or takes away a vote. Web people come by invite, never this way. The grant goes into the
     * group's decision log like any other. Safe to call twice at once.
     */
    async enrol(account: PlatformAccount, conversation: DirectoryConversation): Promise<{ person: DirectoryPerson; role: Role } | null> {
      if (account.platform === 'web') return null;
      try {
        return await ctx.tx(async (tx) => {
          const binding = await tx.conversation.findUnique({
            where: { id: conversation.conversationId },
            select: { staffRoleId: true, group: { select: { organisationId: true } } },
          });
          if (!binding) return null;
          const { group, staffRoleId } = binding;
          const byRole = staffRoleId !== null && (account.roleIds ?? []).includes(staffRoleId);
          const staff = account.roles.includes('server_admin') || byRole || (staffRoleId === null && account.roles.includes('staff'));
          const role: Role = staff ? 'staff' : 'youth';
          // The same steps as staff adding a member (setup use cases), with the platform as the one who vouches.
          let person: Awaited<ReturnType<typeof personForIdentity>>;
          try {
            const displayName = account.displayName.trim().slice(0, 80) || `${account.platform} ${account.externalId}`.slice(0, 80);
            person = await personForIdentity(tx, group.organisationId, {
              platform: account.platform,
              externalId: account.externalId,
              displayName,
            });
          } catch (error) {
            // An account already known in another organisation stays there.
            if (error instanceof PuljeError && error.details.some((d) => d.key === 'issue.identity_elsewhere')) return null;
            throw error;
          }
          const existing = await tx.membership.findUnique({
            where: { personId_groupId: { personId: person.id, groupId: conversation.groupId } },
          });
          const resolved: DirectoryPerson = {
            personId: person.id,
            displayName: person.displayName,
            locale: person.locale ? asLocale(person.locale) : null,
          };
          if (existing) return isRole(existing.role) ? { person: resolved, role: existing.role } : null;
          await addMembership(tx, conversation.groupId, person, role, null, ctx.now(), {
            via: account.platform,
            platformRoles: account.roles,
            ...(byRole ? { staffRoleId } : {}),
          });
          return { person: resolved, role };
        });
      } catch (error) {
        // Two first interactions at once: the other one created the person or membership; use what it made.
        if (!isUniqueViolation(error)) throw error;
        const person = await directory.person(account);
        const held = person ? await directory.role(person.personId, conversation.groupId) : null;
        return person && held ? { person, role: held } : null;
      }
    },
  };
  return directory;
}

/**
 * Which inbound events were handled, so a platform's redelivery never acts twice, in any process, and a crash
 * never leaves an event marked handled without its effect. A key is claimed by inserting it ('claimed', with a
 * lease); the event's first transaction completes it ('done') together with its change (see `Ctx.tx` and
 * `claimScope`); an event that changes nothing is completed afterwards. A claim whose lease ran out without
 * completing (its process died) is taken over by the next delivery and run again.
 */
export function handledEventsUseCases(ctx: Ctx, opts: { leaseMs?: number } = {}) {
  const leaseMs = opts.leaseMs ?? 30_000;
  const { prisma } = ctx;
  const complete = async (key: string, mode: ClaimMode = 'claimed'): Promise<boolean> => {
    if (mode === 'claimed') {
      await prisma.processedEvent.updateMany({ where: { key, state: 'claimed' }, data: { state: 'done', leaseUntil: null } });
      return true;
    }
    // The refusal is stored under the key with the command (see ClaimMode): nothing of its own to write.
    if (mode === 'with-answer') return true;
    // Not claimed first: written handled now; false if a change (or an earlier try's refusal) wrote it already.
    return writeHandled(prisma, key);
  };
  return {
    async claim(key: string): Promise<'claimed' | 'duplicate' | 'busy'> {
      const now = ctx.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      try {
        await prisma.processedEvent.create({ data: { key, state: 'claimed', leaseUntil } });
        return 'claimed';
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const taken = await prisma.processedEvent.updateMany({
        where: { key, state: 'claimed', leaseUntil: { lt: now } },
        data: { leaseUntil },
      });
      if (taken.count === 1) return 'claimed';
      const row = await prisma.processedEvent.findUnique({ where: { key }, select: { state: true } });
      // Gone between the two statements (released): whoever inserts next acts; this delivery may try again.
      if (!row) return 'busy';
      return row.state === 'done' ? 'duplicate' : 'busy';
    },

    /**
     * Runs `run` so that the first transaction inside it completes the claim with its change (`Ctx.tx`), and
     * completes it afterwards if nothing did; reads inside are made once (`readOnce`).
     */
    async within<T>(key: string, run: () => Promise<T>, known?: KnownMember, mode: ClaimMode = 'claimed'): Promise<T> {
      const scope: EventScope = { key, mode, completed: false, reads: new Map(), inTx: 0 };
      if (known) seedScope(scope, known);
      const result = await claimScope.run(scope, run);
      // An event that changed nothing is completed now; one whose change completed it needs no second write.
      if (scope.completed) return result;
      if (mode === 'claimed') await complete(key);
      // A repeat of an event that was handled: its answer is not given again.
      else if (mode === 'with-change' && !(await writeHandled(prisma, key))) throw new AlreadyHandled(key);
      // 'with-answer': the surface stores the command under the key with its answer, in one statement.
      return result;
    },

    complete,

    async release(key: string): Promise<void> {
      await prisma.processedEvent.deleteMany({ where: { key, state: 'claimed' } });
    },

    async handled(key: string): Promise<boolean> {
      return (await prisma.processedEvent.count({ where: { key, state: 'done' } })) > 0;
    },

    /**
     * At start-up of the only process that may use a SQLite file: claims left by a previous run are abandoned
     * (that process is gone), so they can be taken over at once rather than after their lease.
     */
    async abandonClaims(): Promise<number> {
      const { count } = await prisma.processedEvent.updateMany({ where: { state: 'claimed' }, data: { leaseUntil: new Date(0) } });
      return count;
    },

    /** Platforms redeliver within minutes to hours; keys older than `before` are forgotten. */
    async prune(before: Date): Promise<number> {
      const { count } = await prisma.processedEvent.deleteMany({ where: { createdAt: { lt: before }, state: 'done' } });
      return count;
    },
  };
}
