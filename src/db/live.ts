import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { ConnectionTarget } from './connection.ts';

/**
 * "Something changed that open screens should see", across every Pulje process on one database. On PostgreSQL
 * it is LISTEN/NOTIFY on one channel (payloads are small: ids, never message text); on SQLite only one process
 * may use the file, so an in-process emitter is the whole story. A process does not hear its own notices back:
 * it has already told its own listeners.
 */
export interface LiveFeed {
  /** Tells the other processes (after the change is committed). */
  publish(notice: LiveNotice): Promise<void>;
  /** Called for notices from other processes. */
  subscribe(listener: (notice: LiveNotice) => void): () => void;
  close(): Promise<void>;
}

export interface LiveNotice {
  /** What kind of change: a web-chat message was added or replaced. */
  kind: 'web-message';
  conversationId: string;
  messageId: string;
}

/** PostgreSQL's limit on a NOTIFY payload is 8000 bytes; notices are ids, far below. */
const MAX_PAYLOAD = 7900;

export async function openLiveFeed(
  target: ConnectionTarget,
  log: { warn(o: object, m?: string): void } = { warn() {} },
): Promise<LiveFeed> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  if (target.engine === 'sqlite') {
    return {
      async publish() {},
      subscribe: (listener) => {
        emitter.on('notice', listener);
        return () => emitter.off('notice', listener);
      },
      async close() {},
    };
  }
  const instance = randomUUID();
  const schema = (target.schema ?? 'public').replace(/"/g, '');
  // NOTIFY channels are database-wide: one per schema, so two Pulje installs in one database stay apart.
  const CHANNEL = `pulje_live_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
  const connect = async () => {
    const c = new pg.Client({ connectionString: target.url, options: `-c search_path="${schema}"` });
    await c.connect();
    return c;
  };
  // One connection listens for as long as the process runs; another sends (a listening connection may not be
  // the one a pool hands to a transaction). Both come back after the database drops them.
  let listener = await connect();
  let sender: Promise<pg.Client> | undefined;
  const sending = () => {
    sender ??= connect().then((c) => {
      c.on('error', (error) => {
        log.warn({ err: error }, 'live: sending connection lost');
        sender = undefined;
      });
      return c;
    });
    sender.catch(() => {
      sender = undefined;
    });
    return sender;
  };
  let closed = false;
  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== CHANNEL || !msg.payload) return;
    try {
      const { from, notice } = JSON.parse(msg.payload) as { from: string; notice: LiveNotice };
      if (from !== instance) emitter.emit('notice', notice);
    } catch (error) {
      log.warn({ err: error }, 'live: unreadable notice');
    }
  };
  const listen = async (c: pg.Client) => {
    c.on('notification', onNotification);
    // A lost connection would silently stop live updates: reconnect (screens also catch up on reconnect).
    c.on('error', (error) => {
      log.warn({ err: error }, 'live: listening connection lost; reconnecting');
      if (closed) return;
      void (async () => {
        for (let attempt = 1; !closed; attempt++) {
          try {
            listener = await connect();
            await listen(listener);
            return;
          } catch {
            await new Promise((r) => setTimeout(r, Math.min(5000, 200 * attempt)));
          }
        }
      })();
    });
    await c.query(`LISTEN ${CHANNEL}`);
  };
  await listen(listener);
  return {
    async publish(notice) {
      const payload = JSON.stringify({ from: instance, notice });
      if (payload.length > MAX_PAYLOAD) throw new Error('live notice too large');
      await (await sending()).query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    },
    subscribe: (fn) => {
      emitter.on('notice', fn);
      return () => emitter.off('notice', fn);
    },
    async close() {
      closed = true;
      await Promise.allSettled([listener.end(), sender?.then((c) => c.end())]);
    },
  };
}
