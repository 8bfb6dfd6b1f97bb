import type { Prisma } from '../db/database.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import type { ConversationDirectory, Role } from './ports.ts';

const ROLE_OF: Record<string, Role> = { youth: 'youth', staff: 'staff', admin: 'admin' };

/**
 * A read-only directory straight on the tables, until the use-case layer provides its own. A web-chat
 * session is issued for a person, so on the web the external id is the person's id.
 */
export function prismaDirectory(prisma: Prisma, defaultLocale: Locale): ConversationDirectory {
  return {
    async person(identity) {
      const linked = await prisma.identity.findUnique({
        where: { platform_externalId: { platform: identity.platform, externalId: identity.externalId } },
        include: { person: true },
      });
      const person = linked?.person ?? (identity.platform === 'web' ? await prisma.person.findUnique({ where: { id: identity.externalId } }) : null);
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
  };
}
