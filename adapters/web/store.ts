import { asFitted, type FittedCard, type FittedMessage, type StyledSpan } from '../../src/conversation/index.ts';
import type { Pulje, WebMessageRow, WebRoom } from '../../src/usecases/index.ts';

/** The web room each group has. */
export type WebConversation = WebRoom;

/** A message as the browser sees it: whether it is private to the reader, and Pulje's fitted body. */
export type WebMessageView = Omit<WebMessageRow, 'recipientId' | 'body'> & {
  /** Visible only to the reader. */
  private: boolean;
  /** Pulje's answer: a fitted message (text spans and cards), rendered by the client. */
  body?: FittedMessage;
};

/** A stored row as the browser sees it: Pulje's bodies were fitted before they were stored. */
export function toView(row: WebMessageRow): WebMessageView {
  const view: WebMessageView = {
    id: row.id,
    seq: row.seq,
    conversationId: row.conversationId,
    author: row.author,
    authorId: row.authorId,
    authorName: row.authorName,
    private: row.recipientId !== null,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
  };
  if (row.text !== undefined) view.text = row.text;
  else view.body = asFitted(row.body as { text: StyledSpan[]; cards: FittedCard[] });
  return view;
}

/** A typed command not stored yet: it is stored with Pulje's first answer to it (WebSurface). */
export interface PendingCommand {
  author: { id: string; name: string };
  text: string;
  /** The request's idempotency key, as for `addMember`. */
  requestKey?: string | undefined;
}

const withRecipient = (row: WebMessageRow) => ({ view: toView(row), recipientId: row.recipientId });

/** A message a press or form came from: as the browser saw it, and who it was for. */
export type StoredMessage = WebMessageView & { recipientId: string | null };
const stored = (row: WebMessageRow): StoredMessage => ({ ...toView(row), recipientId: row.recipientId });

/** The web chat's storage as the adapter uses it, on the web-chat use cases. */
export function webStore(pulje: Pulje) {
  const chat = pulje.webChat;
  return {
    person: (personId: string, issuedAt?: Date) => chat.person(personId, issuedAt),
    demoPeople: () => chat.demoPeople(),
    conversations: (personId: string): Promise<WebConversation[]> => chat.rooms(personId),
    isMember: (personId: string, groupId: string, issuedAt?: Date) => chat.isMember(personId, groupId, issuedAt),
    /** The person, their room, (when named) the message a press or form came from and (`voting`) the rounds voting now, in one statement. */
    async personInRoom(personId: string, conversationId: string, issuedAt?: Date, messageId?: string, voting?: boolean) {
      const found = await chat.personInRoom(personId, conversationId, issuedAt, messageId, voting);
      if (!found) return null;
      const { message, ...rest } = found;
      return { ...rest, ...(message ? { message: stored(message) } : {}) };
    },
    async messages(conversationId: string, personId: string, opts: { after?: number; limit: number }): Promise<WebMessageView[]> {
      return (await chat.messages(conversationId, personId, opts)).map(toView);
    },
    /** A stored message and who may read it, for a live update another process announced. */
    async relayed(conversationId: string, messageId: string) {
      const row = await chat.stored(conversationId, messageId);
      return row ? withRecipient(row) : undefined;
    },
    async message(conversationId: string, messageId: string, personId: string) {
      const row = await chat.message(conversationId, messageId, personId);
      return row ? stored(row) : undefined;
    },
    /** A member's message; with the request's key, a retry gets the stored one back, not a second copy. */
    async addMember(conversationId: string, author: { id: string; name: string }, text: string, recipientId: string | null, key?: string) {
      const row = await chat.addMember(conversationId, author, text, recipientId, key);
      // No row: the key was used for a message in another room.
      return row ? withRecipient(row) : null;
    },
    addPulje: async (conversationId: string, message: FittedMessage, recipientId: string | null) =>
      withRecipient(await chat.addPulje(conversationId, message, recipientId)),
    /**
     * A member's command and Pulje's first answer, in one write; or, when the command is stored under its key
     * already, `repeat` and nothing stored (the command as stored, null when the key was another room's).
     */
    async addCommandAndAnswer(conversationId: string, command: PendingCommand, message: FittedMessage, recipientId: string | null) {
      const rows = await chat.addCommandAndAnswer(conversationId, command, { body: message, recipientId });
      if ('repeat' in rows) return { repeat: rows.repeat ? withRecipient(rows.repeat) : null };
      return { command: withRecipient(rows.command), answer: withRecipient(rows.answer) };
    },
    /**
     * Takes the controls off the room's public Pulje cards of `scope` (among its latest 500 messages) and adds
     * `note` as their footer; the messages replaced.
     */
    async retire(conversationId: string, personId: string, scope: string, note: string) {
      const recent = await chat.messages(conversationId, personId, { limit: 500 });
      const out = [];
      for (const row of recent) {
        if (row.recipientId !== null || row.text !== undefined) continue;
        const body = toView(row).body!;
        if (!body.cards.some((c) => c.scope === scope && c.rows.length)) continue;
        const cards = body.cards.map((c) => (c.scope === scope ? { ...c, rows: [], footer: note } : c));
        const replaced = await chat.replacePulje(conversationId, row.id, asFitted({ ...body, cards }));
        if (replaced) out.push(withRecipient(replaced));
      }
      return out;
    },
    /** Replaces one of Pulje's messages; members' own messages are never rewritten. */
    async replacePulje(conversationId: string, messageId: string, message: FittedMessage) {
      const row = await chat.replacePulje(conversationId, messageId, message);
      return row ? withRecipient(row) : undefined;
    },
  };
}

export type WebStore = ReturnType<typeof webStore>;

/** The usable controls on a message, so a press can be checked against what was actually shown. */
export function shownControls(message: FittedMessage): Map<string, { options?: Set<string>; min: number; max: number }> {
  const out = new Map<string, { options?: Set<string>; min: number; max: number }>();
  for (const card of message.cards) {
    const listed = card.choices ? [...card.choices.items.flatMap((i) => i.buttons), ...card.choices.buttons] : [];
    for (const b of listed) if (!b.disabled) out.set(b.id, { min: 0, max: 0 });
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
