import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PuljeError, parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Prisma } from '../db/database.ts';
import { ADMIN, type DashboardScope, forbidden, PROGRAMME, STAFF } from '../domain/roles.ts';
import { idField, parseActor, type Actor, type Ctx } from './context.ts';

/** A sign-in link is good for 15 minutes and one use; a session for 12 hours, unless revoked first. */
export const LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;

/** Only hashes are stored: a token is 32 random bytes, so one round of SHA-256 is enough (no guessing to slow). */
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const tokenField = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Issued before (or in the very millisecond of) the person's revocation: void, as for the web chat's tokens. */
const revokedSince = (validFrom: Date | null, issuedAt: Date | undefined) =>
  !!validFrom && !!issuedAt && issuedAt.getTime() <= validFrom.getTime();

/** Which groups a dashboard viewer may see, and why. `groupIds` null: all of them (an admin). */
export interface DashboardViewer {
  personId: string;
  displayName: string;
  locale: string | null;
  scope: DashboardScope;
  /** Null for "all"; otherwise every group the viewer may see. */
  groupIds: string[] | null;
  organisationIds: string[];
}

/**
 * The viewer's scope: admin anywhere → all; programme staff → their organisations' groups; staff → their groups.
 * An erased person is no viewer; with `issuedAt` (a session's or link's creation), neither is one whose tokens
 * issued until then were revoked (`/signout` sets `tokensValidFrom`, as erasure does).
 */
export async function viewerOf(prisma: Prisma, personId: string, issuedAt?: Date): Promise<DashboardViewer> {
  const person = await prisma.person.findUnique({
    where: { id: personId },
    select: { id: true, displayName: true, locale: true, erasedAt: true, tokensValidFrom: true },
  });
  if (!person || person.erasedAt || revokedSince(person.tokensValidFrom, issuedAt))
    throw new PuljeError('forbidden', { roles: { anyOf: ['role.staff', 'role.admin'] } });
  const [memberships, programme] = await Promise.all([
    prisma.membership.findMany({
      where: { personId, role: { in: [...STAFF] } },
      select: { groupId: true, role: true, group: { select: { organisationId: true } } },
    }),
    prisma.programmeStaff.findMany({ where: { personId }, select: { organisationId: true } }),
  ]);
  const base = { personId, displayName: person.displayName, locale: person.locale };
  if (memberships.some((m) => (ADMIN as readonly string[]).includes(m.role)))
    return { ...base, scope: 'all', groupIds: null, organisationIds: [] };
  const organisationIds = [...new Set(programme.map((p) => p.organisationId))];
  const own = memberships.map((m) => m.groupId);
  if (organisationIds.length) {
    const groups = await prisma.group.findMany({ where: { organisationId: { in: organisationIds } }, select: { id: true } });
    return { ...base, scope: 'organisations', groupIds: [...new Set([...groups.map((g) => g.id), ...own])], organisationIds };
  }
  if (own.length)
    return { ...base, scope: 'groups', groupIds: own, organisationIds: [...new Set(memberships.map((m) => m.group.organisationId))] };
  throw forbidden(STAFF);
}

/**
 * Dashboard sign-in (issue 14): `/dashboard` in chat gives a staff member a one-time link; opening it trades the
 * link for a session kept in the database. Links and sessions are stored as hashes of their tokens.
 */
export function dashboardAccessUseCases(ctx: Ctx) {
  const { prisma } = ctx;
  return {
    /**
     * A one-time sign-in link token (returned raw, once) for the actor, or, from an admin, for programme staff of
     * the admin's organisation: they follow the groups without being in any group chat, so they cannot ask.
     */
    async issueLink(actor: unknown, input: unknown = {}): Promise<{ token: string; expiresAt: string; personId: string }> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ personId: idField.optional() }), input);
      const personId = data.personId ?? who.personId;
      if (personId !== who.personId) {
        const grants = await prisma.programmeStaff.findMany({ where: { personId }, select: { organisationId: true } });
        const admin = await prisma.membership.findFirst({
          where: { personId: who.personId, role: 'admin', group: { organisationId: { in: grants.map((g) => g.organisationId) } } },
          select: { id: true },
        });
        if (!admin) throw forbidden(ADMIN);
      }
      await viewerOf(prisma, personId);
      const token = newToken();
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
      await prisma.dashboardLink.create({ data: { id: newId(), tokenHash: hashOf(token), personId, createdAt: now, expiresAt } });
      return { token, expiresAt: expiresAt.toISOString(), personId };
    },

    /**
     * Trades a link for a session, once: the link is marked used in the same conditional update that checks it is
     * unused and unexpired, so two clicks at once give one session. Unknown, used, expired, or issued before the
     * person's `/signout`: null.
     */
    async redeem(input: unknown): Promise<{ token: string; expiresAt: string; ttlSeconds: number; personId: string } | null> {
      const parsed = tokenField.safeParse(input);
      if (!parsed.success) return null;
      const now = ctx.now();
      return ctx.tx(async (tx) => {
        const link = await tx.dashboardLink.findUnique({ where: { tokenHash: hashOf(parsed.data) } });
        if (!link) return null;
        // A link issued before the person signed out everywhere (or of an erased person) is void too.
        const person = await tx.person.findUnique({ where: { id: link.personId }, select: { erasedAt: true, tokensValidFrom: true } });
        if (!person || person.erasedAt || revokedSince(person.tokensValidFrom, link.createdAt)) return null;
        const { count } = await tx.dashboardLink.updateMany({
          where: { id: link.id, usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now },
        });
        if (count !== 1) return null;
        const token = newToken();
        const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
        await tx.dashboardSession.create({
          data: { id: newId(), tokenHash: hashOf(token), personId: link.personId, createdAt: now, expiresAt },
        });
        return { token, expiresAt: expiresAt.toISOString(), ttlSeconds: SESSION_TTL_MS / 1000, personId: link.personId };
      });
    },

    /**
     * The viewer behind a session token (live, unrevoked, not from before the person's `/signout`, not of an
     * erased person, and still staff somewhere), or null.
     */
    async viewer(input: unknown): Promise<DashboardViewer | null> {
      const parsed = tokenField.safeParse(input);
      if (!parsed.success) return null;
      const session = await prisma.dashboardSession.findUnique({ where: { tokenHash: hashOf(parsed.data) } });
      if (!session || session.revokedAt || session.expiresAt <= ctx.now()) return null;
      try {
        return await viewerOf(prisma, session.personId, session.createdAt);
      } catch (error) {
        // No longer staff anywhere, signed out everywhere since, or erased: the session shows nothing.
        if (error instanceof PuljeError) return null;
        throw error;
      }
    },

    /** Signs this session out. */
    async signOut(input: unknown): Promise<void> {
      const parsed = tokenField.safeParse(input);
      if (!parsed.success) return;
      await prisma.dashboardSession.updateMany({
        where: { tokenHash: hashOf(parsed.data), revokedAt: null },
        data: { revokedAt: ctx.now() },
      });
    },

    /** Revokes every dashboard session of the actor (a lost phone), or, for an admin, of the person named. */
    async revokeAll(actor: unknown, input: unknown = {}): Promise<{ revoked: number }> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ personId: idField.optional() }), input);
      const target = data.personId ?? who.personId;
      if (target !== who.personId && (await viewerOf(prisma, who.personId)).scope !== 'all') throw forbidden(ADMIN);
      const { count } = await prisma.dashboardSession.updateMany({
        where: { personId: target, revokedAt: null },
        data: { revokedAt: ctx.now() },
      });
      return { revoked: count };
    },

    /**
     * A new programme staff member of the group's organisation (someone who follows its groups without being in
     * their chats), and a one-time link for them that the admin hands on; the actor must be an admin of the group.
     */
    async addProgrammeStaff(
      actor: unknown,
      input: unknown,
    ): Promise<{ personId: string; displayName: string; token: string; expiresAt: string; again: boolean }> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ groupId: idField, displayName: z.string().trim().min(1).max(80) }), input);
      const admin = await prisma.membership.findUnique({
        where: { personId_groupId: { personId: who.personId, groupId: data.groupId } },
        select: { role: true, group: { select: { organisationId: true } } },
      });
      if (!admin || admin.role !== 'admin') throw forbidden(ADMIN);
      const now = ctx.now();
      const token = newToken();
      const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
      const person = await ctx.tx(async (tx) => {
        // Programme staff are in no chat, so this is also how they get in again once their session has ended: the
        // same name in the same organisation is the same person, given a new link, not a second person.
        const granted = await tx.programmeStaff.findMany({
          where: { organisationId: admin.group.organisationId },
          select: { personId: true },
        });
        const known = (
          await tx.person.findMany({
            where: { id: { in: granted.map((g) => g.personId) }, erasedAt: null },
            select: { id: true, displayName: true },
            orderBy: { id: 'asc' },
          })
        ).find((p) => p.displayName.trim().toLocaleLowerCase('da') === data.displayName.toLocaleLowerCase('da'));
        if (known) {
          await tx.dashboardLink.create({ data: { id: newId(), tokenHash: hashOf(token), personId: known.id, createdAt: now, expiresAt } });
          return { ...known, again: true };
        }
        const created = await tx.person.create({
          data: { id: newId(), organisationId: admin.group.organisationId, displayName: data.displayName },
        });
        await tx.programmeStaff.create({
          data: { personId: created.id, organisationId: admin.group.organisationId, grantedBy: who.personId, createdAt: now },
        });
        await tx.dashboardLink.create({ data: { id: newId(), tokenHash: hashOf(token), personId: created.id, createdAt: now, expiresAt } });
        return { ...created, again: false };
      });
      return { personId: person.id, displayName: person.displayName, token, expiresAt: expiresAt.toISOString(), again: person.again };
    },

    /** Makes a person programme staff of an organisation; the actor must be an admin of one of its groups. */
    async grantProgramme(actor: unknown, input: unknown): Promise<{ personId: string; organisationId: string; role: typeof PROGRAMME }> {
      const who: Actor = parseActor(actor);
      const data = parseInput(z.object({ personId: idField, organisationId: idField }), input);
      const admin = await prisma.membership.findFirst({
        where: { personId: who.personId, role: 'admin', group: { organisationId: data.organisationId } },
        select: { id: true },
      });
      if (!admin) throw forbidden(ADMIN);
      await prisma.programmeStaff.upsert({
        where: { personId_organisationId: data },
        create: { ...data, grantedBy: who.personId, createdAt: ctx.now() },
        update: {},
      });
      return { ...data, role: PROGRAMME };
    },
  };
}
