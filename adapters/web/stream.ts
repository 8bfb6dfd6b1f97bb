import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Logger } from '../../src/conversation/index.ts';
import type { WebEnv } from './context.ts';
import type { Hub } from './hub.ts';
import type { WebStore } from './store.ts';

const PING_MS = 25_000;
// x-accel-buffering: tells nginx-style proxies not to hold the stream back.
const STREAM_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' };

/** A response that has been sent in full, or whose connection is gone. */
const over = (res: ServerResponse): Promise<unknown> =>
  res.writableFinished || res.destroyed
    ? Promise.resolve()
    : Promise.race([once(res, 'finish'), once(res, 'close')]).catch(() => undefined);

interface OpenStream {
  end(): void;
  /** Resolves once the response is over and its connection idle (or gone). */
  finished(): Promise<unknown>;
}

/**
 * Live updates as Server-Sent Events (Hono's streaming helper): every new or changed message the person may see,
 * as `event: message`, `id: <seq>`. A client that reconnects with Last-Event-ID (or `?after=`) first gets what
 * it missed. Comment pings keep proxies from closing a quiet stream. `closeAll` ends every open stream, so a
 * server shutting down does not wait for browsers to hang up.
 */
export class EventStreams {
  private readonly open = new Set<OpenStream>();

  constructor(
    private readonly hub: Hub,
    private readonly store: WebStore,
    private readonly log: Logger,
  ) {}

  respond<E extends WebEnv>(c: Context<E>, conversationId: string, personId: string, after: number | undefined): Response {
    // HEAD asks for the headers only: no stream to open (Hono would drop its body, and it would never end).
    if (c.req.method === 'HEAD') return new Response(null, { headers: STREAM_HEADERS });
    const outgoing = c.env?.outgoing;
    const response = streamSSE(c, async (stream) => {
      // Writes go out in order, one after the other, however they are triggered.
      let queue: Promise<unknown> = stream.write('retry: 2000\n\n');
      const enqueue = (write: () => Promise<unknown>) => {
        queue = queue.then(write);
      };
      const send = (event: string, data: unknown, id?: number) =>
        enqueue(() => stream.writeSSE({ event, data: JSON.stringify(data), ...(id !== undefined ? { id: String(id) } : {}) }));
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      stream.onAbort(end);
      const entry: OpenStream = { end, finished: () => (outgoing ? over(outgoing) : ended) };
      this.open.add(entry);
      // Subscribing before reading the history means nothing falls between the two (the client drops repeats by id).
      const unsubscribe = this.hub.subscribe(conversationId, { personId, send });
      if (after !== undefined) {
        this.store.messages(conversationId, personId, { after, limit: 500 }).then(
          (missed) => {
            for (const m of missed) send('message', m, m.seq);
          },
          (error: unknown) => this.log.warn({ err: error }, 'web: replaying missed messages failed'),
        );
      }
      const ping = setInterval(() => enqueue(() => stream.write(': ping\n\n')), PING_MS);
      try {
        await ended;
      } finally {
        clearInterval(ping);
        unsubscribe();
        this.open.delete(entry);
        await queue;
      }
    });
    for (const [name, value] of Object.entries(STREAM_HEADERS)) response.headers.set(name, value);
    return response;
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every open stream; resolves when their responses are over. */
  async closeAll(): Promise<void> {
    const open = [...this.open];
    for (const s of open) s.end();
    await Promise.all(open.map((s) => s.finished()));
  }
}
