/**
 * Live updates for open browsers: one subscriber per open SSE stream. In-process only; a second process would
 * need a shared channel (PostgreSQL LISTEN/NOTIFY) — clients also resume from the last seq they saw.
 */
export interface Subscriber {
  personId: string;
  send(event: string, data: unknown, id?: number): void;
}

export class Hub {
  private readonly byConversation = new Map<string, Set<Subscriber>>();

  subscribe(conversationId: string, subscriber: Subscriber): () => void {
    let set = this.byConversation.get(conversationId);
    if (!set) this.byConversation.set(conversationId, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (!set.size) this.byConversation.delete(conversationId);
    };
  }

  /** To everyone in the conversation, or only to `recipientId` for a private message. */
  publish(conversationId: string, event: string, data: unknown, opts: { recipientId?: string | null; id?: number } = {}): void {
    for (const s of this.byConversation.get(conversationId) ?? []) {
      if (opts.recipientId && s.personId !== opts.recipientId) continue;
      s.send(event, data, opts.id);
    }
  }

  get size(): number {
    let n = 0;
    for (const set of this.byConversation.values()) n += set.size;
    return n;
  }
}
