import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PuljeError, notFound, parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Tx } from '../db/database.ts';
import { appendLog } from '../db/decision-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { shortText } from '../domain/values.ts';
import { asLocale, type Locale, localeSchema } from '../i18n/index.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';
import { ADMIN, ROLES, STAFF, forbidden, type Role, isRole } from '../domain/roles.ts';
import type { ConversationView, GroupView, MembershipView, OrganisationView, PersonView } from './views.ts';

export const PLATFORMS = ['web', 'discord', 'slack'] as const;
export type Platform = (typeof PLATFORMS)[number];

const platform = z.enum(PLATFORMS);
const externalId = z.string().trim().min(1).max(200);
const identityFields = { platform, externalId };

export const createOrganisationInput = z.object({
  name: shortText(120),
  /** The first group, so the first admin has somewhere to be admin. */
  group: z.object({ name: shortText(120), locale: localeSchema.default('da') }),
  /** The first admin: the person the operator hands the keys to. */
  admin: z.object({ displayName: shortText(80), locale: localeSchema.nullable().optional(), ...identityFields }),
});

export const createGroupInput = z.object({ organisationId: idField, name: shortText(120), locale: localeSchema.default('da') });

export const addMemberInput = z.object({
  groupId: idField,
  role: z.enum(ROLES),
  ...identityFields,
  /** Needed when the platform account is new to Pulje; ignored for someone Pulje already knows. */
  displayName: shortText(80).optional(),
  locale: localeSchema.nullable().optional(),
});

export const bindConversationInput = z.object({
  groupId: idField,
  platform,
  channelId: z.string().trim().min(1).max(200),
  /** The platform role whose holders join as staff here (see directory.enrol); given again, it replaces the old one. */
  staffRoleId: z.string().trim().min(1).max(200).optional(),
});
export const resolveActorInput = z.object(identityFields);
export const resolveGroupInput = z.object({ platform, channelId: z.string().trim().min(1).max(200) });
export const groupRefInput = z.object({ groupId: idField });

export interface ResolvedActor {
  person: PersonView;
  memberships: MembershipView[];
}

type PersonRow = { id: string; organisationId: string; displayName: string; locale: string | null };
const personView = (p: PersonRow): PersonView => ({
  id: p.id,
  organisationId: p.organisationId,
  displayName: p.displayName,
  locale: p.locale === null ? null : asLocale(p.locale),
});
type GroupRow = { id: string; organisationId: string; name: string; locale: string };
type ConversationRow = { id: string; groupId: string; platform: string; channelId: string; staffRoleId: string | null };
const conversationView = (c: ConversationRow): ConversationView => ({
  id: c.id,
  groupId: c.groupId,
  platform: c.platform,
  channelId: c.channelId,
  staffRoleId: c.staffRoleId,
});
const groupView = (g: GroupRow): GroupView => ({ id: g.id, organisationId: g.organisationId, name: g.name, locale: asLocale(g.locale) });

/** The person behind a platform account in this organisation, created with that account if new. */
export async function personForIdentity(
  tx: Tx,
  organisationId: string,
  input: { platform: Platform; externalId: string; displayName?: string | undefined; locale?: 'da' | 'en' | null | undefined },
): Promise<PersonRow> {
  const identity = await tx.identity.findUnique({
    where: { platform_externalId: { platform: input.platform, externalId: input.externalId } },
    include: { person: true },
  });
  if (identity) {
    if (identity.person.organisationId !== organisationId) throw new PuljeError('invalid_input', {}, [{ key: 'issue.identity_elsewhere' }]);
    return identity.person;
  }
  if (!input.displayName)
    throw new PuljeError('invalid_input', {}, [{ key: 'issue.required', params: { field: { key: 'field.displayName' } } }]);
  const person = await tx.person.create({
    data: { id: newId(), organisationId, displayName: input.displayName, locale: input.locale ?? null },
  });
  await tx.identity.create({ data: { id: newId(), personId: person.id, platform: input.platform, externalId: input.externalId } });
  return person;
}

/** Grants a role in a group and logs it; `how` adds to the log entry how the grant came about. */
export async function addMembership(
  tx: Tx,
  groupId: string,
  person: PersonRow,
  role: Role,
  actorId: string | null,
  at: Date,
  how: Record<string, unknown> = {},
): Promise<MembershipView> {
  const existing = await tx.membership.findUnique({ where: { personId_groupId: { personId: person.id, groupId } } });
  if (existing) throw new PuljeError('invalid_input', {}, [{ key: 'issue.already_member', params: { name: person.displayName } }]);
  await tx.membership.create({ data: { id: newId(), personId: person.id, groupId, role } });
  // Who holds which role is part of the story of every decision: role grants go into the group's log.
  await appendLog(tx, { groupId, kind: 'config', actorId, data: { action: 'member_added', personId: person.id, role, ...how }, at });
  return { groupId, personId: person.id, role };
}

export function setupUseCases(ctx: Ctx) {
  return {
    /** The actor's own language for what Pulje says to them privately; null follows the group's again. */
    async setLanguage(actor: unknown, input: unknown): Promise<{ locale: Locale | null }> {
      const who = parseActor(actor);
      const { locale } = parseInput(z.object({ locale: localeSchema.nullable() }), input);
      const updated = await ctx.prisma.person.updateMany({ where: { id: who.personId }, data: { locale } });
      if (!updated.count) throw notFound('person');
      return { locale };
    },

    /**
     * The key that signs web sessions and invite links when no PULJE_SECRET is set (local demo mode): made once,
     * kept in the database, so sessions survive a restart and every instance signs alike. Random, 32 bytes.
     */
    async signingKey(): Promise<string> {
      const key = 'web.signing-key';
      const found = await ctx.prisma.setting.findUnique({ where: { key } });
      if (found) return found.value;
      try {
        return (await ctx.prisma.setting.create({ data: { key, value: randomBytes(32).toString('base64url') } })).value;
      } catch (error) {
        // Another instance made it at the same moment: use theirs.
        if (!isUniqueViolation(error)) throw error;
        return (await ctx.prisma.setting.findUniqueOrThrow({ where: { key } })).value;
      }
    },

    /** Whether Pulje holds no organisation yet (first run: the demo may be seeded). */
    async isEmpty(): Promise<boolean> {
      return (await ctx.prisma.organisation.count()) === 0;
    },

    /**
     * Bootstrap for the operator (first run, command line): an organisation, its first group and that group's
     * first admin. It takes no actor, so adapters must never offer it to chat users.
     */
    async createOrganisation(
      input: unknown,
    ): Promise<{ organisation: OrganisationView; group: GroupView; admin: PersonView; membership: MembershipView }> {
      const data = parseInput(createOrganisationInput, input);
      return ctx.tx(async (tx) => {
        const organisation = await tx.organisation.create({ data: { id: newId(), name: data.name } });
        const group = await tx.group.create({
          data: { id: newId(), organisationId: organisation.id, name: data.group.name, locale: data.group.locale },
        });
        await appendLog(tx, {
          groupId: group.id,
          kind: 'config',
          actorId: null,
          data: { action: 'group_created', name: group.name, locale: group.locale },
          at: ctx.now(),
        });
        const admin = await personForIdentity(tx, organisation.id, data.admin);
        const membership = await addMembership(tx, group.id, admin, 'admin', null, ctx.now());
        return {
          organisation: { id: organisation.id, name: organisation.name },
          group: groupView(group),
          admin: personView(admin),
          membership,
        };
      });
    },

    /** A new group in the organisation; the actor must be an admin of one of its groups and becomes the new group's admin. */
    async createGroup(actor: unknown, input: unknown): Promise<GroupView> {
      const who = parseActor(actor);
      const data = parseInput(createGroupInput, input);
      return ctx.tx(async (tx) => {
        const adminSomewhere = await tx.membership.findFirst({
          where: { personId: who.personId, role: 'admin', group: { organisationId: data.organisationId } },
        });
        if (!adminSomewhere) throw forbidden(ADMIN);
        const group = await tx.group.create({
          data: { id: newId(), organisationId: data.organisationId, name: data.name, locale: data.locale },
        });
        await appendLog(tx, {
          groupId: group.id,
          kind: 'config',
          actorId: who.personId,
          data: { action: 'group_created', name: group.name, locale: group.locale },
          at: ctx.now(),
        });
        const person = await tx.person.findUniqueOrThrow({ where: { id: who.personId } });
        await addMembership(tx, group.id, person, 'admin', who.personId, ctx.now());
        return groupView(group);
      });
    },

    /**
     * Adds someone to a group by their platform account (creating the person the first time Pulje meets the
     * account). Staff add young people; only admins give the staff or admin role.
     */
    async addMember(actor: unknown, input: unknown): Promise<{ person: PersonView; membership: MembershipView }> {
      const who = parseActor(actor);
      const data = parseInput(addMemberInput, input);
      const member = await membershipOf(ctx.prisma, who, data.groupId);
      requireRole(member, data.role === 'youth' ? STAFF : ADMIN);
      return ctx.tx(async (tx) => {
        const group = await tx.group.findUnique({ where: { id: data.groupId } });
        if (!group) throw notFound('group');
        const person = await personForIdentity(tx, group.organisationId, data);
        const membership = await addMembership(tx, group.id, person, data.role, who.personId, ctx.now());
        return { person: personView(person), membership };
      });
    },

    /** Binds a chat place (web room, Discord or Slack channel) to a group; staff only, logged as `binding`. */
    async bindConversation(actor: unknown, input: unknown): Promise<ConversationView> {
      const who = parseActor(actor);
      const data = parseInput(bindConversationInput, input);
      requireRole(await membershipOf(ctx.prisma, who, data.groupId), STAFF);
      return ctx.tx(async (tx) => {
        const existing = await tx.conversation.findUnique({
          where: { platform_channelId: { platform: data.platform, channelId: data.channelId } },
        });
        if (existing && existing.groupId !== data.groupId) throw new PuljeError('invalid_input', {}, [{ key: 'issue.channel_bound' }]);
        const staffRoleId = data.staffRoleId ?? existing?.staffRoleId ?? null;
        // Binding the same channel again changes nothing and logs nothing, unless it names another staff role.
        if (existing && existing.staffRoleId === staffRoleId) return conversationView(existing);
        const conversation = existing
          ? await tx.conversation.update({ where: { id: existing.id }, data: { staffRoleId } })
          : await tx.conversation.create({
              data: { id: newId(), groupId: data.groupId, platform: data.platform, channelId: data.channelId, staffRoleId },
            });
        // Who may join as staff is part of the story of every decision, like a role grant.
        await appendLog(tx, {
          groupId: data.groupId,
          kind: 'binding',
          actorId: who.personId,
          data: {
            conversationId: conversation.id,
            platform: data.platform,
            channelId: data.channelId,
            ...(existing ? { action: 'staff_role_changed' } : {}),
            ...(staffRoleId ? { staffRoleId } : {}),
          },
          at: ctx.now(),
        });
        return conversationView(conversation);
      });
    },

    /** Who is behind a platform account, with their groups and roles; null for an account Pulje does not know. */
    async resolveActor(input: unknown): Promise<ResolvedActor | null> {
      const data = parseInput(resolveActorInput, input);
      const identity = await ctx.prisma.identity.findUnique({
        where: { platform_externalId: { platform: data.platform, externalId: data.externalId } },
        include: { person: { include: { memberships: { orderBy: { createdAt: 'asc' } } } } },
      });
      if (!identity) return null;
      const { person } = identity;
      return {
        person: personView(person),
        memberships: person.memberships.flatMap((m) => (isRole(m.role) ? [{ groupId: m.groupId, personId: person.id, role: m.role }] : [])),
      };
    },

    /** The group a chat place is bound to; null if it is not bound. */
    async resolveGroup(input: unknown): Promise<GroupView | null> {
      const data = parseInput(resolveGroupInput, input);
      const conversation = await ctx.prisma.conversation.findUnique({
        where: { platform_channelId: { platform: data.platform, channelId: data.channelId } },
        include: { group: true },
      });
      return conversation ? groupView(conversation.group) : null;
    },

    /** Every group the actor belongs to, with their role there (oldest membership first): chats use it to offer a group to bind. */
    async groups(actor: unknown): Promise<Array<{ group: GroupView; role: Role }>> {
      const who = parseActor(actor);
      const rows = await ctx.prisma.membership.findMany({
        where: { personId: who.personId },
        include: { group: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.flatMap((m) => (isRole(m.role) ? [{ group: groupView(m.group), role: m.role }] : []));
    },

    /** The actor's role in a group (`not_member` if none): adapters use it to offer the right commands. */
    async membership(actor: unknown, input: unknown): Promise<MembershipView> {
      const who = parseActor(actor);
      const data = parseInput(groupRefInput, input);
      const m = await membershipOf(ctx.prisma, who, data.groupId);
      return { groupId: m.groupId, personId: m.personId, role: m.role };
    },
  };
}
