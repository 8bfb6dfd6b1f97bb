import { PuljeError } from '../core/errors.ts';
import type { Prisma } from '../db/database.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { addMembership, personForIdentity } from '../usecases/setup.ts';
import type { PlatformIdentity } from './events.ts';
import type { ConversationDirectory, ResolvedConversation, ResolvedPerson, Role } from './ports.ts';

const ROLE_OF: Record<string, Role> = { youth: 'youth', staff: 'staff', admin: 'admin' };

/**
 * A directory straight on the tables, until the use-case layer provides its own. A web-chat session is issued
 * for a person, so on the web the external id is the person's id. Its only write is enrolment (below).
 */
export function prismaDirectory(prisma: Prisma, defaultLocale: Locale): ConversationDirectory {
  const directory: ConversationDirectory = {
    async person(identity) {
      const linked = await prisma.identity.findUnique({
        where: { platform_externalId: { platform: identity.platform, externalId: identity.externalId } },
        include: { person: true },
      });
      const person =
        linked?.person ?? (identity.platform === 'web' ? await prisma.person.findUnique({ where: { id: identity.externalId } }) : null);
      if (!person) return null;
      return { personId: person.id, displayName: person.displayName, locale: person.locale ? asLocale(person.locale) : null };
    },
    async conversation(ref) {
      const row = await prisma.conversation.findUnique({
        where: { platform_channelId: { platform: ref.platform, channelId: ref.channelId } },
        include: { group: true },
      });
      if (!row) return null;
      return { conversationId: row.id, groupId: row.groupId, groupName: row.group.name, locale: asLocale(row.group.locale, defaultLocale) };
    },
    async role(personId, groupId) {
      const m = await prisma.membership.findUnique({ where: { personId_groupId: { personId, groupId } } });
      return m ? (ROLE_OF[m.role] ?? null) : null;
    },
    enrol: (identity, conversation) => enrol(prisma, directory, identity, conversation),
  };
  return directory;
}

/**
 * Policy: on a chat platform whose server admins decide who is in a channel (Discord, Slack), whoever uses Pulje
 * in a bound channel joins its group: as staff if the platform says so (the configured staff role, server
 * admins), otherwise as youth. Only the first time: afterwards the membership is Pulje's, changed in Pulje, so a
 * platform role change never silently grants or takes away a vote. Web people come by invite, never this way.
 * The grant goes into the group's decision log like any other.
 */
async function enrol(
  prisma: Prisma,
  directory: ConversationDirectory,
  identity: PlatformIdentity,
  conversation: ResolvedConversation,
): Promise<{ person: ResolvedPerson; role: Role } | null> {
  if (identity.platform === 'web') return null;
  const role: Role = identity.roles.length > 0 ? 'staff' : 'youth';
  try {
    return await prisma.$transaction(async (tx) => {
      const group = await tx.group.findUnique({ where: { id: conversation.groupId }, select: { organisationId: true } });
      if (!group) return null;
      // The same steps as staff adding a member (setup use cases), with the platform as the one who vouches.
      let person;
      try {
        const displayName = identity.displayName.trim().slice(0, 80) || `${identity.platform} ${identity.externalId}`.slice(0, 80);
        person = await personForIdentity(tx, group.organisationId, {
          platform: identity.platform,
          externalId: identity.externalId,
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
      const resolved: ResolvedPerson = {
        personId: person.id,
        displayName: person.displayName,
        locale: person.locale ? asLocale(person.locale) : null,
      };
      if (existing) {
        const held = ROLE_OF[existing.role];
        return held ? { person: resolved, role: held } : null;
      }
      await addMembership(tx, conversation.groupId, person, role, null, new Date(), {
        via: identity.platform,
        platformRoles: identity.roles,
      });
      return { person: resolved, role };
    });
  } catch (error) {
    // Two first interactions at once: the other one created the person or membership; use what it made.
    if ((error as { code?: unknown })?.code !== 'P2002') throw error;
    const person = await directory.person(identity);
    const held = person ? await directory.role(person.personId, conversation.groupId, identity.roles) : null;
    return person && held ? { person, role: held } : null;
  }
}
