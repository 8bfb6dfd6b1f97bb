import { z } from 'zod';
import { newId } from '../../src/core/ids.ts';
import { asFitted, type FittedMessage } from '../../src/conversation/index.ts';
import type { Prisma } from '../../src/db/database.ts';
import { asLocale, type Locale } from '../../src/i18n/index.ts';

/** The web chat's own storage: its messages, and the web room each group has. */
export interface WebConversation {
  id: string;
  groupId: string;
  groupName: string;
  role: string;
  locale: Locale;
}

export interface WebMessageView {
  id: string;
  seq: number;
  conversationId: string;
  author: 'member' | 'pulje';
  authorId: string | null;
  authorName: string | null;
  /** Visible only to the reader. */
  private: boolean;
  createdAt: string;
  editedAt: string | null;
  /** A member's message. */
  text?: string;
  /** Pulje's answer: a fitted message (text spans and cards), rendered by the client. */
  body?: FittedMessage;
}

type Row = {
  seq: number;
  id: string;
  conversationId: string;
  author: string;
  authorId: string | null;
  authorName: string | null;
  recipientId: string | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
};

const storedBody = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ pulje: z.object({ text: z.array(z.any()), cards: z.array(z.any()) }) }),
]);

export function toView(row: Row): WebMessageView {
  const view: WebMessageView = {
    id: row.id,
    seq: row.seq,
    conversationId: row.conversationId,
    author: row.author === 'member' ? 'member' : 'pulje',
    authorId: row.authorId,
    authorName: row.authorName,
    private: row.recipientId !== null,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
  const body = storedBody.parse(JSON.parse(row.body));
  if ('text' in body) view.text = body.text;
  else view.body = asFitted(body.pulje);
  return view;
}

const isUnique = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';

export function webStore(prisma: Prisma, defaultLocale: Locale) {
  const visibleTo = (personId: string) => ({ OR: [{ recipientId: null }, { recipientId: personId }] });

  /** Each group has one web room; it is made the first time a member opens the chat. */
  async function ensureRoom(groupId: string): Promise<string> {
    const where = { platform_channelId: { platform: 'web', channelId: groupId } };
    const found = await prisma.conversation.findUnique({ where });
    if (found) return found.id;
    try {
      return (await prisma.conversation.create({ data: { id: newId(), groupId, platform: 'web', channelId: groupId } })).id;
    } catch (e) {
      if (!isUnique(e)) throw e;
      return (await prisma.conversation.findUniqueOrThrow({ where })).id;
    }
  }

  return {
    async person(personId: string) {
      const p = await prisma.person.findUnique({ where: { id: personId } });
      return p ? { id: p.id, displayName: p.displayName, locale: p.locale ? asLocale(p.locale) : null } : null;
    },

    /** Everyone, for the demo sign-in page; grouped by the groups they are in. */
    async demoPeople() {
      const people = await prisma.person.findMany({
        include: { memberships: { include: { group: true } } },
        orderBy: { displayName: 'asc' },
        take: 500,
      });
      return people.map((p) => ({
        id: p.id,
        displayName: p.displayName,
        groups: p.memberships.map((m) => ({ name: m.group.name, role: m.role })),
      }));
    },

    async conversations(personId: string): Promise<WebConversation[]> {
      const memberships = await prisma.membership.findMany({
        where: { personId },
        include: { group: true },
        orderBy: { createdAt: 'asc' },
      });
      const out: WebConversation[] = [];
      for (const m of memberships) {
        out.push({
          id: await ensureRoom(m.groupId),
          groupId: m.groupId,
          groupName: m.group.name,
          role: m.role,
          locale: asLocale(m.group.locale, defaultLocale),
        });
      }
      return out;
    },

    /** The web room if this person is a member of its group; undefined otherwise (same answer as "no such room"). */
    async conversationFor(personId: string, conversationId: string): Promise<WebConversation | undefined> {
      const c = await prisma.conversation.findUnique({ where: { id: conversationId }, include: { group: true } });
      if (!c || c.platform !== 'web') return undefined;
      const m = await prisma.membership.findUnique({ where: { personId_groupId: { personId, groupId: c.groupId } } });
      if (!m) return undefined;
      return { id: c.id, groupId: c.groupId, groupName: c.group.name, role: m.role, locale: asLocale(c.group.locale, defaultLocale) };
    },

    async membership(personId: string, groupId: string) {
      return prisma.membership.findUnique({ where: { personId_groupId: { personId, groupId } } });
    },

    async messages(conversationId: string, personId: string, opts: { after?: number; limit: number }): Promise<WebMessageView[]> {
      const where = { conversationId, ...visibleTo(personId), ...(opts.after !== undefined ? { seq: { gt: opts.after } } : {}) };
      // Without a cursor: the newest page, shown oldest first.
      const rows =
        opts.after !== undefined
          ? await prisma.webMessage.findMany({ where, orderBy: { seq: 'asc' }, take: opts.limit })
          : (await prisma.webMessage.findMany({ where, orderBy: { seq: 'desc' }, take: opts.limit })).reverse();
      return rows.map(toView);
    },

    async message(
      conversationId: string,
      messageId: string,
      personId: string,
    ): Promise<(WebMessageView & { recipientId: string | null }) | undefined> {
      const row = await prisma.webMessage.findFirst({ where: { id: messageId, conversationId, ...visibleTo(personId) } });
      return row ? { ...toView(row), recipientId: row.recipientId } : undefined;
    },

    async addMember(conversationId: string, author: { id: string; name: string }, text: string, recipientId: string | null) {
      const row = await prisma.webMessage.create({
        data: {
          id: newId(),
          conversationId,
          author: 'member',
          authorId: author.id,
          authorName: author.name,
          recipientId,
          body: JSON.stringify({ text }),
        },
      });
      return { view: toView(row), recipientId };
    },

    async addPulje(conversationId: string, message: FittedMessage, recipientId: string | null) {
      const row = await prisma.webMessage.create({
        data: { id: newId(), conversationId, author: 'pulje', recipientId, body: JSON.stringify({ pulje: message }) },
      });
      return { view: toView(row), recipientId };
    },

    /** Replaces one of Pulje's messages; members' own messages are never rewritten. */
    async replacePulje(conversationId: string, messageId: string, message: FittedMessage) {
      const row = await prisma.webMessage.findFirst({ where: { id: messageId, conversationId, author: 'pulje' } });
      if (!row) return undefined;
      const updated = await prisma.webMessage.update({
        where: { seq: row.seq },
        data: { body: JSON.stringify({ pulje: message }), editedAt: new Date() },
      });
      return { view: toView(updated), recipientId: updated.recipientId };
    },
  };
}

export type WebStore = ReturnType<typeof webStore>;

/** The usable controls on a message, so a press can be checked against what was actually shown. */
export function shownControls(message: FittedMessage): Map<string, { options?: Set<string>; min: number; max: number }> {
  const out = new Map<string, { options?: Set<string>; min: number; max: number }>();
  for (const card of message.cards) {
    for (const row of card.rows) {
      if (row.kind === 'select') {
        const { select } = row;
        out.set(select.id, { options: new Set(select.options.map((o) => o.value)), min: select.minValues, max: select.maxValues });
      } else for (const b of row.buttons) if (!b.disabled) out.set(b.id, { min: 0, max: 0 });
    }
  }
  return out;
}

/** Whether `values` are a choice the control allowed: none for a button, listed options within min–max for a select. */
export function allowedChoice(control: { options?: Set<string>; min: number; max: number }, values: readonly string[]): boolean {
  if (!control.options) return values.length === 0;
  return (
    values.length >= control.min &&
    values.length <= control.max &&
    new Set(values).size === values.length &&
    values.every((v) => control.options!.has(v))
  );
}
