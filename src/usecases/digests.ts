import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isRole, isStaffRole, STAFF } from '../domain/roles.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { idField, membershipOf, parseActor, requireRole, type Ctx } from './context.ts';

export const DIGEST_FREQUENCIES = ['daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface DigestSubscriptionView {
  id: string;
  personId: string;
  groupId: string;
  groupName: string;
  frequency: DigestFrequency;
  /** The staff member's language: their own, else the group's. */
  locale: Locale;
  lastSlot: Date | null;
}

/** Staff following groups: who gets which digest, and the compare-and-set that sends each slot once. */
export function digestsUseCases(ctx: Ctx) {
  const { prisma } = ctx;
  type Row = { id: string; personId: string; groupId: string; frequency: string; lastSlot: Date | null };
  // Subscriptions hold ids only (no relations, like the other staff-side rows): names and languages are read here.
  async function views(rows: readonly Row[]): Promise<DigestSubscriptionView[]> {
    const [people, groups] = await Promise.all([
      prisma.person.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.personId))] } }, select: { id: true, locale: true } }),
      prisma.group.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.groupId))] } },
        select: { id: true, name: true, locale: true },
      }),
    ]);
    const person = new Map(people.map((p) => [p.id, p]));
    const group = new Map(groups.map((g) => [g.id, g]));
    return rows.flatMap((row) => {
      const g = group.get(row.groupId);
      if (!g) return [];
      return [
        {
          id: row.id,
          personId: row.personId,
          groupId: row.groupId,
          groupName: g.name,
          frequency: row.frequency === 'weekly' ? 'weekly' : 'daily',
          locale: asLocale(person.get(row.personId)?.locale ?? g.locale),
          lastSlot: row.lastSlot,
        },
      ];
    });
  }
  const one = async (row: Row) => (await views([row]))[0]!;

  return {
    /** A staff member follows a group (or changes how often). */
    async follow(actor: unknown, input: unknown): Promise<DigestSubscriptionView> {
      const who = parseActor(actor);
      const data = parseInput(z.object({ groupId: idField, frequency: z.enum(DIGEST_FREQUENCIES) }), input);
      requireRole(await membershipOf(prisma, who, data.groupId), STAFF);
      const row = await ctx.tx(async (tx) => {
        return tx.digestSubscription.upsert({
          where: { personId_groupId: { personId: who.personId, groupId: data.groupId } },
          create: { id: newId(), personId: who.personId, groupId: data.groupId, frequency: data.frequency, createdAt: ctx.now() },
          update: { frequency: data.frequency },
        });
      });
      return one(row);
    },

    async unfollow(actor: unknown, input: unknown): Promise<{ removed: boolean }> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      await membershipOf(prisma, who, groupId);
      const { count } = await ctx.tx((tx) => tx.digestSubscription.deleteMany({ where: { personId: who.personId, groupId } }));
      return { removed: count > 0 };
    },

    /** The actor's own subscription in a group, if any. */
    async mine(actor: unknown, input: unknown): Promise<DigestSubscriptionView | null> {
      const who = parseActor(actor);
      const { groupId } = parseInput(z.object({ groupId: idField }), input);
      const row = await prisma.digestSubscription.findUnique({ where: { personId_groupId: { personId: who.personId, groupId } } });
      return row ? one(row) : null;
    },

    /** Pulje itself: the subscriptions of one frequency whose holder is still staff in the group. */
    async subscribers(frequency: DigestFrequency): Promise<DigestSubscriptionView[]> {
      const rows = await prisma.digestSubscription.findMany({ where: { frequency }, orderBy: { createdAt: 'asc' } });
      const kept: Row[] = [];
      for (const row of rows) {
        const m = await prisma.membership.findUnique({ where: { personId_groupId: { personId: row.personId, groupId: row.groupId } } });
        if (m && isRole(m.role) && isStaffRole(m.role)) kept.push(row);
      }
      return views(kept);
    },

    /** Pulje itself: takes the slot for one subscription; false if it was sent for this slot (or a later one) already. */
    async claimSlot(subscriptionId: string, slot: Date): Promise<boolean> {
      const { count } = await prisma.digestSubscription.updateMany({
        where: { id: subscriptionId, OR: [{ lastSlot: null }, { lastSlot: { lt: slot } }] },
        data: { lastSlot: slot },
      });
      return count === 1;
    },
  };
}
