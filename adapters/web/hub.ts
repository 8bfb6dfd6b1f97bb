/**
 * Live updates for open browsers: one subscriber per open SSE stream. A message added or changed here is sent
 * to this process's streams at once and announced to the other Pulje processes on the same database (the
 * relay: PostgreSQL LISTEN/NOTIFY, ids only), which load it and send it to theirs. Clients also resume from the
 * last seq they saw, so nothing is lost across a reconnect.
 */
export interface Subscriber {
  personId: string;
  send(event: string, data: unknown, id?: number): void;
}

export interface Relay {
  publish(notice: { kind: 'web-message'; conversationId: string; messageId: string }): Promise<void>;
  subscribe(listener: (notice: { kind: 'web-message'; conversationId: string; messageId: string }) => void): () => void;
}

/** A stored message as its stream event: its view for the reader, and who may read it (null: everyone). */
export interface Relayed {
  view: { id: string; seq: number } & Record<string, unknown>;
  recipientId: string | null;
}

export class Hub {
  private readonly byConversation = new Map<string, Set<Subscriber>>();
  private relay: Relay | undefined;
  private stopRelay: (() => void) | undefined;

  /**
   * Joins the other processes: what they announce is loaded with `load` (only for rooms someone here is
   * watching) and sent to this process's streams.
   */
  connect(
    relay: Relay,
    load: (conversationId: string, messageId: string) => Promise<Relayed | undefined>,
    onError: (e: unknown) => void,
  ): void {
    this.relay = relay;
    this.stopRelay = relay.subscribe((notice) => {
      if (notice.kind !== 'web-message' || !this.byConversation.has(notice.conversationId)) return;
      load(notice.conversationId, notice.messageId).then((m) => m && this.send(notice.conversationId, m), onError);
    });
  }

  disconnect(): void {
    this.stopRelay?.();
  }

  /** A message added or changed: to this process's streams now, and announced to the other processes. */
  message(conversationId: string, m: Relayed): void {
    this.send(conversationId, m);
    void this.relay?.publish({ kind: 'web-message', conversationId, messageId: m.view.id }).catch(() => {});
  }

  private send(conversationId: string, m: Relayed): void {
    this.publish(conversationId, 'message', { ...m.view, private: m.recipientId !== null }, { recipientId: m.recipientId, id: m.view.seq });
  }

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
