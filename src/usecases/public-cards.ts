import { z } from 'zod';
import { replyRefSchema } from '../conversation/events.ts';
import { asFitted, scopesOf, type FittedCard, type FittedMessage } from '../conversation/fit.ts';
import type { StyledSpan } from '../conversation/outbound.ts';
import type { KeptCard, PublicCardStore } from '../conversation/ports.ts';
import { parseInput } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Ctx } from './context.ts';

// The Discord and Slack surfaces' plumbing: refs of messages the platform has just accepted, and fitted messages
// Pulje itself made. Both are checked anyway, and what is read back again, since a row is only as good as what
// wrote it.
const platform = z.enum(['discord', 'slack']);
const workspace = z.string().max(64);
const scope = z.string().min(1).max(200);
const ref = replyRefSchema.extend({ platform });
/** The shape of a fitted message, enough to render it again (each surface checks its own limits). */
const messageSchema = z.object({ text: z.array(z.unknown()), cards: z.array(z.object({ rows: z.array(z.unknown()) }).loose()) }).loose();
const keepSchema = z.object({ ref, workspace, message: messageSchema });
const keptSchema = z.object({ platform, workspace, scope, limit: z.int().min(1).max(500).default(100) });
const retiredSchema = z.object({ ref, scope, now: messageSchema.nullable() });

/** The round a flow's scope names (`round:<id>:<phase>`), for pruning once it is done. */
const roundOf = (s: string) => /^round:([^:]+):/.exec(s)?.[1] ?? null;

const bodyOf = (message: unknown) => JSON.stringify(message);
const messageOf = (body: string): FittedMessage | null => {
  const parsed = messageSchema.safeParse(JSON.parse(body));
  return parsed.success ? asFitted(parsed.data as unknown as { text: StyledSpan[]; cards: FittedCard[] }) : null;
};

/** Public cards whose controls a later `retire` takes off (see PublicCardStore); pruned by the retention job. */
export function publicCardsUseCases(ctx: Ctx): PublicCardStore {
  const { prisma } = ctx;
  return {
    async keep(input) {
      const { ref, workspace, message } = parseInput(keepSchema, input);
      const body = bodyOf(message);
      for (const s of scopesOf(asFitted(message as unknown as { text: StyledSpan[]; cards: FittedCard[] }))) {
        const where = {
          platform_channelId_messageId_scope: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId, scope: s },
        };
        try {
          await prisma.publicCard.upsert({
            where,
            create: { id: newId(), ...ref, workspace, scope: s, roundId: roundOf(s), body, createdAt: ctx.now() },
            update: { body },
          });
        } catch (error) {
          // The same message kept twice at once: either will do.
          if (!isUniqueViolation(error)) throw error;
        }
      }
    },
    async kept(input) {
      const q = parseInput(keptSchema, input);
      const rows = await prisma.publicCard.findMany({
        where: { platform: q.platform, workspace: q.workspace, scope: q.scope },
        orderBy: { createdAt: 'asc' },
        take: q.limit,
      });
      const out: KeptCard[] = [];
      for (const row of rows) {
        const message = messageOf(row.body);
        if (message) out.push({ ref: { platform: q.platform, channelId: row.channelId, messageId: row.messageId }, message });
      }
      return out;
    },
    async retired(r, s, now) {
      const input = parseInput(retiredSchema, { ref: r, scope: s, now });
      const message = { platform: input.ref.platform, channelId: input.ref.channelId, messageId: input.ref.messageId };
      if (input.now === null) {
        await prisma.publicCard.deleteMany({ where: message });
        return;
      }
      await prisma.publicCard.deleteMany({ where: { ...message, scope: input.scope } });
      // Its other scopes' controls are still on: a later retire of those starts from what it shows now.
      await prisma.publicCard.updateMany({ where: message, data: { body: bodyOf(input.now) } });
    },
  };
}
