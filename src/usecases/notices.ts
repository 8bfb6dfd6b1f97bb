import type { Platform } from '../conversation/events.ts';
import { PLATFORMS } from './setup.ts';
import type { Ctx } from './context.ts';

const isPlatform = (p: string): p is Platform => (PLATFORMS as readonly string[]).includes(p);

/** Where Pulje can reach a group and its people on its own (the notifier's directory): Pulje itself, no actor. */
export function noticesUseCases(ctx: Ctx) {
  return {
    async conversationsOf(groupId: string): Promise<Array<{ platform: Platform; channelId: string }>> {
      const rows = await ctx.prisma.conversation.findMany({ where: { groupId }, orderBy: { createdAt: 'asc' } });
      return rows.flatMap((r) => (isPlatform(r.platform) ? [{ platform: r.platform, channelId: r.channelId }] : []));
    },
    async accountOf(personId: string, platform: Platform): Promise<string | null> {
      if (platform === 'web') return personId;
      const identity = await ctx.prisma.identity.findFirst({ where: { personId, platform }, select: { externalId: true } });
      return identity?.externalId ?? null;
    },
  };
}
