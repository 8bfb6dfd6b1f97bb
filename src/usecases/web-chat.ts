import { z } from 'zod';
import { newId } from '../core/ids.ts';
import { isNotFound, isUniqueViolation } from '../db/errors.ts';
import { storedDate } from '../db/raw-values.ts';
import { forbidden, isRole, isStaffRole, type Role, STAFF } from '../domain/roles.ts';
import { asLocale, type Locale } from '../i18n/index.ts';
import { empty, sqltag } from '@prisma/client/runtime/client';
import type { KnownReads } from '../conversation/ports.ts';
import { type Ctx, keyedMessageId, membershipOf, parseActor, VOTER_COLUMNS, votingReads } from './context.ts';
import { parseInput, PuljeError } from '../core/errors.ts';

/**
 * The built-in web chat's rooms and history. Every group has one web room, made the first time a member opens
 * the chat. Messages are a member's text or one of Pulje's answers (stored as the adapter gives it: an opaque,
 * JSON-serialisable body); a private one is shown only to its recipient. Who may read a room is checked here.
 */
export interface WebRoom {
  id: string;
  groupId: string;
  groupName: string;
  role: Role;
  locale: Locale;
}

/** Tokens issued before the person's revocation are void; a check without an issue time is not one about tokens. */
function revoked(validFrom: Date | null, issuedAt: Date | undefined): boolean {
  if (!validFrom || !issuedAt) return false;
  // Issued in the very millisecond of the revocation counts as before it.
  return issuedAt.getTime() <= validFrom.getTime();
}

export interface WebPerson {
  id: string;
  displayName: string;
  locale: Locale | null;
}

export interface WebMessageRow {
  id: string;
  seq: number;
  conversationId: string;
  author: 'member' | 'pulje';
  authorId: string | null;
  authorName: string | null;
  recipientId: string | null;
  createdAt: string;
  editedAt: string | null;
  /** A member's message. */
  text?: string;
  /** Pulje's answer, as stored. */
  body?: unknown;
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

const storedBody = z.union([z.object({ text: z.string() }).strict(), z.object({ pulje: z.unknown() })]);

/** A member's message; with the request's idempotency key its id is made from it (see addMember). */
function memberMessage(
  conversationId: string,
  author: { id: string; name: string },
  text: string,
  recipientId: string | null,
  requestKey?: string,
) {
  return {
    id: requestKey === undefined ? newId() : keyedMessageId(requestKey),
    conversationId,
    author: 'member',
    authorId: author.id,
    authorName: author.name,
    recipientId,
    body: JSON.stringify({ text }),
  };
}

function puljeMessage(conversationId: string, body: unknown, recipientId: string | null) {
  return { id: newId(), conversationId, author: 'pulje', recipientId, body: JSON.stringify({ pulje: body }) };
}

/** A stored row as a view; `body` given when the caller has it already (it has just stored it), to skip reparsing. */
function toRow(row: Row, known?: { pulje: unknown }): WebMessageRow {
  const out: WebMessageRow = {
    id: row.id,
    seq: row.seq,
    conversationId: row.conversationId,
    author: row.author === 'member' ? 'member' : 'pulje',
    authorId: row.authorId,
    authorName: row.authorName,
    recipientId: row.recipientId,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
  const body = known ?? storedBody.parse(JSON.parse(row.body));
  if ('text' in body) out.text = body.text;
  else out.body = body.pulje;
  return out;
}

const inviteInput = z.object({ personId: z.string().min(1).max(200), groupId: z.string().min(1).max(200) });

export function webChatUseCases(ctx: Ctx, defaultLocale: Locale) {
  const { prisma } = ctx;
  const visibleTo = (personId: string) => ({ OR: [{ recipientId: null }, { recipientId: personId }] });

  async function ensureRoom(groupId: string): Promise<string> {
    const where = { platform_channelId: { platform: 'web', channelId: groupId } };
    const found = await prisma.conversation.findUnique({ where, select: { id: true } });
    if (found) return found.id;
    try {
      return (await prisma.conversation.create({ data: { id: newId(), groupId, platform: 'web', channelId: groupId } })).id;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return (await prisma.conversation.findUniqueOrThrow({ where })).id;
    }
  }

  /**
   * The member's message already stored under a request's key, after `conflict` said so. The key is the author's
   * own (a row under it that is someone else's is a collision, not a retry), and it is theirs in every room, as the
   * router's is: a message already sent with it elsewhere is that request (null).
   */
  async function storedUnder(id: string, conversationId: string, authorId: string, conflict: unknown): Promise<WebMessageRow | null> {
    const before = await prisma.webMessage.findUnique({ where: { id } });
    if (!before || before.authorId !== authorId) throw conflict;
    return before.conversationId === conversationId ? toRow(before) : null;
  }

  /** Stores one of Pulje's messages (`puljeMessage`) whose body the caller has, so it is not parsed again. */
  async function addPulje(data: ReturnType<typeof puljeMessage>, body: unknown): Promise<WebMessageRow> {
    return toRow(await prisma.webMessage.create({ data }), { pulje: body });
  }

  return {
    /** The person a session names; null when gone, erased, or when their tokens issued before `issuedAt` were revoked. */
    async person(personId: string, issuedAt?: Date): Promise<WebPerson | null> {
      const p = await prisma.person.findUnique({ where: { id: personId } });
      // An erased person's sessions end with their identity.
      return p && !p.erasedAt && !revoked(p.tokensValidFrom, issuedAt)
        ? { id: p.id, displayName: p.displayName, locale: p.locale ? asLocale(p.locale) : null }
        : null;
    },

    /** Everyone, for the demo sign-in page (demo mode only: the adapter never calls it otherwise). */
    async demoPeople() {
      const people = await prisma.person.findMany({
        where: { erasedAt: null },
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

    /** One web room per group the person is in, oldest membership first. */
    async rooms(personId: string): Promise<WebRoom[]> {
      const memberships = await prisma.membership.findMany({
        where: { personId },
        include: { group: true },
        orderBy: { createdAt: 'asc' },
      });
      const out: WebRoom[] = [];
      for (const m of memberships) {
        if (!isRole(m.role)) continue;
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

    /**
     * The signed-in person and their web room in one statement (every chat request starts here), or null when
     * either is missing: the person no longer exists, or the room is not theirs (the caller tells which apart).
     * With `voting`, the rounds voting now come with it, with the person's ballot and draft of each (a row per
     * round): what a ballot click or /vote reads first (`reads`, for the event's handler).
     */
    async personInRoom(
      personId: string,
      conversationId: string,
      issuedAt?: Date,
      messageId?: string,
      voting = false,
    ): Promise<{ person: WebPerson; room: WebRoom; message?: WebMessageRow; reads?: KnownReads } | null> {
      const rounds = voting
        ? sqltag`LEFT JOIN "Round" r ON r."groupId" = c."groupId" AND r."phase" = 'voting'
                 LEFT JOIN "Ballot" b ON b."roundId" = r."id" AND b."voterId" = ${personId}
                 LEFT JOIN "BallotDraft" d ON d."roundId" = r."id" AND d."voterId" = ${personId}`
        : empty;
      const rows = await prisma.$queryRaw<
        Array<
          {
            roomId: string;
            roomGroupId: string;
            groupName: string;
            groupLocale: string;
            memberRole: string;
            displayName: string;
            personLocale: string | null;
            validFrom: unknown;
            wId: string | null;
            wSeq: number | bigint | null;
            wAuthor: string | null;
            wAuthorId: string | null;
            wAuthorName: string | null;
            wRecipientId: string | null;
            wBody: string | null;
            wCreatedAt: unknown;
            wEditedAt: unknown;
          } & Record<string, unknown>
        >
      >`SELECT c."id" AS "roomId", c."groupId" AS "roomGroupId", g."name" AS "groupName", g."locale" AS "groupLocale", m."role" AS "memberRole",
               p."displayName" AS "displayName", p."locale" AS "personLocale",
               p."tokensValidFrom" AS "validFrom",
               w."id" AS "wId", w."seq" AS "wSeq", w."author" AS "wAuthor", w."authorId" AS "wAuthorId",
               w."authorName" AS "wAuthorName", w."recipientId" AS "wRecipientId", w."body" AS "wBody",
               w."createdAt" AS "wCreatedAt", w."editedAt" AS "wEditedAt"${voting ? sqltag`, r.*, ${VOTER_COLUMNS}` : empty}
          FROM "Conversation" c
          JOIN "Group" g ON g."id" = c."groupId"
          JOIN "Membership" m ON m."groupId" = c."groupId" AND m."personId" = ${personId}
          JOIN "Person" p ON p."id" = m."personId"
          LEFT JOIN "WebMessage" w ON w."id" = ${messageId ?? ''} AND w."conversationId" = c."id"
                                  AND (w."recipientId" IS NULL OR w."recipientId" = ${personId})
          ${rounds}
         WHERE c."id" = ${conversationId} AND c."platform" = 'web' AND p."erasedAt" IS NULL
         ${voting ? sqltag`ORDER BY r."createdAt" DESC, r."id" ASC` : empty}`;
      const r = rows[0];
      if (!r || !isRole(r.memberRole)) return null;
      if (r.validFrom !== null && r.validFrom !== undefined && revoked(storedDate(r.validFrom), issuedAt)) return null;
      const role = r.memberRole;
      return {
        person: { id: personId, displayName: r.displayName, locale: r.personLocale ? asLocale(r.personLocale) : null },
        room: { id: r.roomId, groupId: r.roomGroupId, groupName: r.groupName, role, locale: asLocale(r.groupLocale, defaultLocale) },
        // The message a press or form names, if it is in this room and theirs to see: one statement, not two.
        ...(r.wId !== null && r.wBody !== null
          ? {
              message: toRow({
                id: r.wId,
                seq: Number(r.wSeq),
                conversationId: r.roomId,
                author: r.wAuthor ?? 'pulje',
                authorId: r.wAuthorId,
                authorName: r.wAuthorName,
                recipientId: r.wRecipientId,
                body: r.wBody,
                createdAt: storedDate(r.wCreatedAt),
                editedAt: r.wEditedAt === null || r.wEditedAt === undefined ? null : storedDate(r.wEditedAt),
              }),
            }
          : {}),
        ...(voting ? { reads: votingReads({ personId, groupId: r.roomGroupId, role }, rows) } : {}),
      };
    },

    /** Whether the person is (still) in the group: an invite link is honoured only then. */
    async isMember(personId: string, groupId: string, issuedAt?: Date): Promise<boolean> {
      const m = await prisma.membership.findUnique({
        where: { personId_groupId: { personId, groupId } },
        select: { person: { select: { erasedAt: true, tokensValidFrom: true } } },
      });
      return !!m && !m.person.erasedAt && !revoked(m.person.tokensValidFrom, issuedAt);
    },

    /** Staff and admins of a group may invite its members by link; anyone else is refused. */
    async authorizeInvite(actor: unknown, input: unknown): Promise<void> {
      const who = parseActor(actor);
      const data = parseInput(inviteInput, input);
      const mine = await membershipOf(prisma, who, data.groupId).catch(() => null);
      if (!mine || !isStaffRole(mine.role)) throw forbidden(STAFF);
      if (!(await prisma.membership.count({ where: { personId: data.personId, groupId: data.groupId } })))
        throw new PuljeError('not_member');
    },

    async messages(conversationId: string, personId: string, opts: { after?: number; limit: number }): Promise<WebMessageRow[]> {
      const where = { conversationId, ...visibleTo(personId), ...(opts.after !== undefined ? { seq: { gt: opts.after } } : {}) };
      // Without a cursor: the newest page, shown oldest first.
      const rows =
        opts.after !== undefined
          ? await prisma.webMessage.findMany({ where, orderBy: { seq: 'asc' }, take: opts.limit })
          : (await prisma.webMessage.findMany({ where, orderBy: { seq: 'desc' }, take: opts.limit })).reverse();
      return rows.map((r) => toRow(r));
    },

    /** A message as stored, whoever may read it: for live updates relayed from another process (it says who). */
    async stored(conversationId: string, messageId: string): Promise<WebMessageRow | undefined> {
      const row = await prisma.webMessage.findFirst({ where: { id: messageId, conversationId } });
      return row ? toRow(row) : undefined;
    },

    async message(conversationId: string, messageId: string, personId: string): Promise<WebMessageRow | undefined> {
      const row = await prisma.webMessage.findFirst({ where: { id: messageId, conversationId, ...visibleTo(personId) } });
      return row ? toRow(row) : undefined;
    },

    /**
     * Stores a member's message. With the request's idempotency key, the message's id is made from it, so a retry
     * of the same request finds its message already stored and gets that one back instead of storing a second
     * copy. Null: the key was used for a message in another room.
     */
    async addMember(
      conversationId: string,
      author: { id: string; name: string },
      text: string,
      recipientId: string | null,
      requestKey?: string,
    ) {
      const data = memberMessage(conversationId, author, text, recipientId, requestKey);
      try {
        return toRow(await prisma.webMessage.create({ data }));
      } catch (error) {
        if (requestKey === undefined || !isUniqueViolation(error)) throw error;
        return await storedUnder(data.id, conversationId, author.id, error);
      }
    },

    addPulje: (conversationId: string, body: unknown, recipientId: string | null) =>
      addPulje(puljeMessage(conversationId, body, recipientId), body),

    /**
     * A member's command, private to them, and Pulje's first answer to it, in one statement (one write and one
     * commit, not two). The command keeps its place before the answer. With the request's key the command's id is
     * made from it, as in `addMember`, so the key, the command and its answer commit together: a request whose
     * command is stored already is a repeat, and nothing is stored (`repeat`, with the command as stored; null
     * when the key was used in another room).
     */
    async addCommandAndAnswer(
      conversationId: string,
      command: { author: { id: string; name: string }; text: string; requestKey?: string | undefined },
      answer: { body: unknown; recipientId: string | null },
    ): Promise<{ command: WebMessageRow; answer: WebMessageRow } | { repeat: WebMessageRow | null }> {
      const { author, text, requestKey } = command;
      const mine = memberMessage(conversationId, author, text, author.id, requestKey);
      const theirs = puljeMessage(conversationId, answer.body, answer.recipientId);
      try {
        const rows = await prisma.webMessage.createManyAndReturn({ data: [mine, theirs] });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return { command: toRow(byId.get(mine.id)!), answer: toRow(byId.get(theirs.id)!, { pulje: answer.body }) };
      } catch (error) {
        if (requestKey === undefined || !isUniqueViolation(error)) throw error;
        return { repeat: await storedUnder(mine.id, conversationId, author.id, error) };
      }
    },

    /** Replaces one of Pulje's messages; members' own messages are never rewritten. Undefined if there is none. */
    async replacePulje(conversationId: string, messageId: string, body: unknown) {
      try {
        // One statement: the unique id, narrowed to Pulje's messages in this room (a member's text is never rewritten).
        const updated = await prisma.webMessage.update({
          where: { id: messageId, conversationId, author: 'pulje' },
          data: { body: JSON.stringify({ pulje: body }), editedAt: ctx.now() },
        });
        return toRow(updated, { pulje: body });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
