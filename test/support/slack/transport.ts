import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from './core.ts';
import { type SignatureMode, signedHeaders } from './signing.ts';

/**
 * How Slack reaches the app: signed HTTP requests to the Request URL, or envelopes over a Socket Mode WebSocket.
 *
 * HTTP (https://docs.slack.dev/apis/events-api/using-http-request-urls and the slash command / interactivity
 * pages): slash commands are form fields, interactions a form field `payload` holding JSON, events a JSON body;
 * every request is signed (signing.ts). The app must answer within 3 seconds ("Your app should respond … within
 * three seconds"); events not answered with a 2xx in time are retried "immediately, then after 1 minute, then
 * after 5 minutes" with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (http_timeout, http_error, …); an app may
 * answer `X-Slack-No-Retry: 1` to stop retries (https://docs.slack.dev/apis/events-api, "Failure conditions",
 * "Retries").
 *
 * Socket Mode (https://docs.slack.dev/apis/events-api/using-socket-mode): apps.connections.open hands out a
 * WebSocket URL; Slack sends `hello`, then envelopes `{envelope_id, type, payload, accepts_response_payload}`
 * (type events_api | interactive | slash_commands; events also `retry_attempt`, `retry_reason`); the app
 * acknowledges each with `{envelope_id, payload?}` "within 3 seconds"; `disconnect` messages (reason
 * refresh_requested, warning, link_disabled) ask the app to reconnect. Up to 10 connections per app; each
 * envelope goes to one of them.
 */

export type Transport = 'http' | 'socket';
export type DeliveryKind = 'slash_commands' | 'interactive' | 'events_api' | 'url_verification';

export interface AckResult {
  transport: Transport;
  /** HTTP status of the app's answer (socket: 200 when acknowledged). */
  status: number | undefined;
  headers: Record<string, string>;
  /** The acknowledgement body as received (HTTP body text; socket: the ack's `payload`, JSON-encoded). */
  rawBody: string;
  contentType: string;
  /** Real milliseconds from sending to the app's answer (undefined when it never answered). */
  ackMs: number | undefined;
  /** Answered after the deadline (3 s): Slack has already shown the user an error. */
  late: boolean;
  /** No answer at all before the deadline (and, for socket, none later either when the result was settled). */
  missing: boolean;
  /** The request that was sent (for HTTP: headers and raw body). */
  request: { headers: Record<string, string>; body: string };
}

export interface DeliverOptions {
  signature?: SignatureMode;
  retryNum?: number;
  retryReason?: string;
}

const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

/** HTTP delivery: one signed request to the Request URL; resolves at the answer or at the deadline, whichever is first. */
export function deliverHttp(core: Core, url: string, kind: DeliveryKind, payload: object, o: DeliverOptions = {}): Promise<AckResult> {
  let body: string;
  let contentType: string;
  if (kind === 'slash_commands') {
    body = new URLSearchParams(payload as Record<string, string>).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else if (kind === 'interactive') {
    body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    contentType = 'application/x-www-form-urlencoded';
  } else {
    body = JSON.stringify(payload);
    contentType = 'application/json';
  }
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': SLACK_USER_AGENT,
    ...signedHeaders(core.signingSecret, body, o.signature ?? 'valid', Date.now()),
    ...(o.retryNum ? { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': o.retryReason ?? 'http_timeout' } : {}),
  };
  const deadline = core.options.ackDeadlineMs;
  const started = performance.now();
  const result: AckResult = {
    transport: 'http',
    status: undefined,
    headers: {},
    rawBody: '',
    contentType: '',
    ackMs: undefined,
    late: false,
    missing: true,
    request: { headers, body },
  };
  return new Promise<AckResult>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve(result);
    }, deadline);
    timer.unref();
    const abort = AbortSignal.timeout(core.options.waitTimeoutMs);
    fetch(url, { method: 'POST', headers, body, signal: abort })
      .then(async (res) => {
        const text = await res.text();
        result.status = res.status;
        result.headers = Object.fromEntries(res.headers.entries());
        result.rawBody = text;
        result.contentType = res.headers.get('content-type') ?? '';
        result.ackMs = performance.now() - started;
        result.missing = false;
        result.late = result.ackMs > deadline;
        if (result.late) {
          core.violations.push({ at: core.clock.now(), kind: 'late-ack', detail: `${kind} answered after ${Math.round(result.ackMs)} ms` });
        }
      })
      .catch((err: unknown) => {
        core.errors.push(`HTTP delivery of ${kind} to ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        core.waiters.notify();
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(result);
        }
      });
  });
}

interface Connection {
  id: number;
  socket: WebSocket;
  openedAt: number;
}

interface PendingAck {
  envelopeId: string;
  type: DeliveryKind;
  sentAt: number;
  resolve: (r: AckResult) => void;
  result: AckResult;
  settled: boolean;
}

export interface SocketEnvelopeRecord {
  envelopeId: string;
  type: string;
  connectionId: number;
  payload: unknown;
  ack: unknown;
  ackMs: number | undefined;
}

/** The Socket Mode side: a WebSocket server behind the stand-in's HTTP port, on /link/. */
export class SocketModeServer {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Map<number, Connection>();
  readonly #pending = new Map<string, PendingAck>();
  readonly envelopes: SocketEnvelopeRecord[] = [];
  /** Every connection ever opened, with how it ended. */
  readonly history: Array<{ id: number; openedAt: number; closedAt?: number; closeCode?: number }> = [];
  #nextId = 0;
  #roundRobin = 0;
  #ping: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: Core,
    pingIntervalMs: number,
  ) {
    // Slack pings its Socket Mode clients; @slack/socket-mode reconnects when it hears no ping for 30 s.
    this.#ping = setInterval(() => {
      for (const c of this.#connections.values()) c.socket.ping();
    }, pingIntervalMs);
    this.#ping.unref();
  }

  get openConnections(): number {
    return this.#connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.core.socketTickets.delete(ticket)) {
      // A URL from apps.connections.open is good for one connection.
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      this.core.errors.push('Socket Mode connection with an unknown or reused ticket');
      return;
    }
    if (this.#connections.size >= 10) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(socket: WebSocket): void {
    const id = ++this.#nextId;
    const conn: Connection = { id, socket, openedAt: this.core.clock.now() };
    this.#connections.set(id, conn);
    const entry: { id: number; openedAt: number; closedAt?: number; closeCode?: number } = { id, openedAt: conn.openedAt };
    this.history.push(entry);
    socket.on('message', (data, isBinary) => this.#onMessage(conn, data.toString(), isBinary));
    socket.on('close', (code) => {
      this.#connections.delete(id);
      entry.closedAt = this.core.clock.now();
      entry.closeCode = code;
      this.core.waiters.notify();
    });
    socket.on('error', () => {});
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#connections.size,
        debug_info: { host: 'applink-standin', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.core.appId },
      }),
    );
    this.core.waiters.notify();
  }

  #onMessage(conn: Connection, text: string, isBinary: boolean): void {
    if (isBinary) {
      this.core.errors.push(`Socket Mode connection ${conn.id} sent a binary frame`);
      return;
    }
    let msg: { envelope_id?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      this.core.errors.push(`Socket Mode connection ${conn.id} sent non-JSON: ${text.slice(0, 200)}`);
      return;
    }
    const id = typeof msg.envelope_id === 'string' ? msg.envelope_id : '';
    const pending = this.#pending.get(id);
    if (!pending) {
      this.core.errors.push(`Socket Mode ack for unknown envelope ${id || '(none)'}`);
      return;
    }
    this.#pending.delete(id);
    const ackMs = performance.now() - pending.sentAt;
    const record = this.envelopes.find((e) => e.envelopeId === id);
    if (record) {
      record.ack = msg.payload;
      record.ackMs = ackMs;
    }
    const r = pending.result;
    r.status = 200;
    r.rawBody = msg.payload === undefined ? '' : JSON.stringify(msg.payload);
    r.contentType = 'application/json';
    r.ackMs = ackMs;
    r.missing = false;
    r.late = ackMs > this.core.options.ackDeadlineMs;
    if (r.late) {
      this.core.violations.push({
        at: this.core.clock.now(),
        kind: 'socket-late-ack',
        detail: `${pending.type} envelope ${id} acknowledged after ${Math.round(ackMs)} ms`,
      });
    }
    this.core.waiters.notify();
    if (!pending.settled) {
      pending.settled = true;
      pending.resolve(r);
    }
  }

  /** Sends one envelope; resolves at the acknowledgement or at the deadline (then the ack is recorded as missing, and late if it comes). */
  deliver(type: DeliveryKind, payload: object, acceptsResponsePayload: boolean, extra: Record<string, unknown> = {}): Promise<AckResult> {
    const open = [...this.#connections.values()];
    if (open.length === 0)
      throw new Error('Slack stand-in: no Socket Mode connection is open (await standIn.socketMode.waitForConnection())');
    const conn = open[this.#roundRobin++ % open.length] as Connection;
    const envelopeId = crypto.randomUUID();
    const result: AckResult = {
      transport: 'socket',
      status: undefined,
      headers: {},
      rawBody: '',
      contentType: '',
      ackMs: undefined,
      late: false,
      missing: true,
      request: { headers: {}, body: '' },
    };
    const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload, ...extra };
    result.request.body = JSON.stringify(envelope);
    this.envelopes.push({ envelopeId, type, connectionId: conn.id, payload, ack: undefined, ackMs: undefined });
    return new Promise<AckResult>((resolve) => {
      const pending: PendingAck = { envelopeId, type, sentAt: performance.now(), resolve, result, settled: false };
      this.#pending.set(envelopeId, pending);
      const timer = setTimeout(() => {
        if (pending.settled) return;
        pending.settled = true;
        this.core.violations.push({
          at: this.core.clock.now(),
          kind: 'socket-missing-ack',
          detail: `${type} envelope ${envelopeId} not acknowledged within ${this.core.options.ackDeadlineMs} ms`,
        });
        resolve(result);
      }, this.core.options.ackDeadlineMs);
      timer.unref();
      conn.socket.send(result.request.body);
    });
  }

  /** Asks every open connection to reconnect, as Slack does before recycling a server. */
  disconnectAll(reason: 'refresh_requested' | 'warning' | 'link_disabled'): void {
    for (const c of this.#connections.values()) {
      c.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }));
    }
  }

  close(): Promise<void> {
    if (this.#ping) clearInterval(this.#ping);
    for (const p of this.#pending.values()) {
      if (!p.settled) {
        p.settled = true;
        p.resolve(p.result);
      }
    }
    this.#pending.clear();
    for (const c of this.#connections.values()) c.socket.terminate();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }
}
