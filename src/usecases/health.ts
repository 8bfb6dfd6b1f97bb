import type { Ctx } from './context.ts';

export function healthUseCases(ctx: Ctx) {
  return {
    /** True when the database answers a trivial query within `ms`; false when it is down or too slow. */
    async database(ms = 2000): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      });
      try {
        return await Promise.race([ctx.prisma.$queryRawUnsafe('SELECT 1').then(() => true as const), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
