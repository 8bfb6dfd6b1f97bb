import type { Prisma } from '../db/database.ts';
import { prismaBallotDrafts, registerFlows } from '../flows/index.ts';
import type { Locale } from '../i18n/index.ts';
import type { Pulje } from '../usecases/index.ts';
import { registerHelp } from './flows/help.ts';
import { prismaIdempotencyStore } from './idempotency.ts';
import type { ConversationDirectory, Logger } from './ports.ts';
import { prismaDirectory } from './prisma-directory.ts';
import { Router } from './router.ts';

/**
 * A router on the database with the built-in flows registered: /help always, and every youth and staff flow
 * (src/flows) when the use cases are given. Pass the use-case layer's directory once it exists; until then
 * people, groups and roles are read straight from the tables.
 */
export function createRouter(opts: {
  prisma: Prisma;
  defaultLocale: Locale;
  logger?: Logger;
  directory?: ConversationDirectory;
  pulje?: Pulje;
}): Router {
  const router = new Router({
    directory: opts.directory ?? prismaDirectory(opts.prisma, opts.defaultLocale),
    idempotency: prismaIdempotencyStore(opts.prisma),
    defaultLocale: opts.defaultLocale,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  registerHelp(router);
  if (opts.pulje) registerFlows(router, opts.pulje, { drafts: prismaBallotDrafts(opts.prisma) });
  return router;
}
