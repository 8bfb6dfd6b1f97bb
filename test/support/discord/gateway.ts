import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

/*
 * The gateway side: a WebSocket endpoint speaking Discord's JSON protocol (never binary, never compressed).
 * One session per IDENTIFY; a session outlives its connection so a client can RESUME and get what it missed.
 */

export const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Gateway intents (events/gateway § Gateway Intents) the stand-in honours. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/** Every intent bit Discord defines (events/gateway § List of Intents): 0–16, 20, 21, 24, 25. Others close with 4013. */
export const KNOWN_INTENTS = [...Array.from({ length: 17 }, (_, i) => i), 20, 21, 24, 25].reduce((bits, i) => bits | (1 << i), 0);

/** events/gateway § Privileged Intents: GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT need enabling in the Developer Portal. */
export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

export type PrivilegedIntentName = 'GuildMembers' | 'GuildPresences' | 'MessageContent';

export interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

export interface GatewaySession {
  id: string;
  /** Last sequence number handed out. */
  seq: number;
  intents: number;
  /** The IDENTIFY payload's d, token removed. */
  identify: Record<string, unknown>;
  /** Every dispatch of this session, kept for replay on RESUME (the last 5000). */
  events: DispatchFrame[];
  /** False once the session can no longer be resumed (the client closed it, or the test invalidated it). */
  resumable: boolean;
  connection: GatewayConnection | undefined;
}

export interface GatewayConnection {
  readonly id: number;
  readonly ws: WebSocket;
  readonly query: URLSearchParams;
  session: GatewaySession | undefined;
  open: boolean;
  closeCode?: number;
  /** Real times of the frames the client sent, for the send limit. */
  sent: number[];
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  /** RESUMEs answered with op 9 (session unknown, invalidated or too old). */
  invalidSessions: number;
  heartbeats: number;
  dispatches: number;
  /** Events sent again on RESUME. */
  replayed: number;
  /** Connections the test dropped with disconnect(). */
  forcedDisconnects: number;
  /** IDENTIFYs closed for their intents: 4013 (unknown bits) or 4014 (privileged, not enabled). */
  refusedIntents: number;
}

export interface GatewayFrameRecord {
  at: number;
  connection: number;
  op: number;
  d: unknown;
}

export interface GatewayHost {
  token: string;
  heartbeatIntervalMs: number;
  /** Privileged intents enabled for the app (bits of PRIVILEGED_INTENTS); IDENTIFY asking for others is closed with 4014. */
  enabledPrivilegedIntents(): number;
  /** Gateway events a client may send per connection per window (events/gateway § Rate Limiting: 120 per 60 s). */
  sendLimit: { limit: number; windowMs: number };
  now(): number;
  readyPayload(session: GatewaySession): Record<string, unknown>;
  /** Dispatches that follow READY, e.g. one GUILD_CREATE per guild. */
  afterReady(session: GatewaySession): Array<{ t: string; d: unknown }>;
  requestGuildMembers(d: Record<string, unknown>): Array<{ t: string; d: unknown }>;
  recordError(kind: string, message: string, detail?: unknown): void;
  notify(): void;
}

const REPLAY_BUFFER = 5000;

export class FakeGateway {
  readonly stats: GatewayStats = {
    connections: 0,
    identifies: 0,
    resumes: 0,
    invalidSessions: 0,
    heartbeats: 0,
    dispatches: 0,
    replayed: 0,
    forcedDisconnects: 0,
    refusedIntents: 0,
  };
  readonly sessions: GatewaySession[] = [];
  readonly connections: GatewayConnection[] = [];
  /** Every frame a client sent (heartbeats included), in order. */
  readonly received: GatewayFrameRecord[] = [];
  readonly #wss = new WebSocketServer({ noServer: true });
  #nextConnection = 0;

  constructor(
    private readonly host: GatewayHost,
    private readonly path = '/gateway',
  ) {
    this.#wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.#onConnection(ws, req));
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.replace(/\/+$/, '') !== this.path) {
        this.host.recordError('gateway', `WebSocket upgrade on unknown path ${url.pathname}`);
        socket.destroy();
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
    });
  }

  /** Connections currently open with an identified or resumed session. */
  liveSessions(): GatewaySession[] {
    return this.sessions.filter((s) => s.connection?.open);
  }

  /**
   * Sends a dispatch to every resumable session (buffered for replay when its connection is down). `d` may be a
   * function of the session, returning undefined to skip it (intents). Returns how many sessions took it.
   */
  dispatch(t: string, d: unknown | ((session: GatewaySession) => unknown)): number {
    const targets = this.sessions.filter((s) => s.resumable);
    if (!targets.length) {
      throw new Error(
        `Discord stand-in: cannot dispatch ${t}: no gateway session. Log a client in first (client.login(discord.token)) and wait for it to be ready.`,
      );
    }
    let n = 0;
    for (const session of targets) {
      const data = typeof d === 'function' ? (d as (s: GatewaySession) => unknown)(session) : d;
      if (data === undefined) continue;
      this.#dispatchTo(session, t, data);
      n++;
    }
    this.host.notify();
    return n;
  }

  /**
   * Drops every open connection with `code` (4000 by default, which clients resume from). With
   * `invalidateSession` the sessions are gone too, so a RESUME gets op 9 and the client identifies again.
   */
  disconnect(code = 4000, opts: { reason?: string; invalidateSession?: boolean } = {}): number {
    let n = 0;
    for (const conn of this.connections) {
      if (!conn.open) continue;
      this.#detach(conn);
      if (opts.invalidateSession && conn.session) conn.session.resumable = false;
      conn.closeCode = code;
      conn.ws.close(code, opts.reason ?? 'Disconnected by the Discord stand-in');
      this.stats.forcedDisconnects++;
      n++;
    }
    this.host.notify();
    return n;
  }

  /** Asks connected clients to reconnect and resume (op 7), as Discord does before moving a session. */
  requestReconnect(): void {
    for (const conn of this.connections) if (conn.open) this.#send(conn, { op: GatewayOp.Reconnect, d: null });
  }

  async close(): Promise<void> {
    for (const conn of this.connections) {
      this.#detach(conn);
      conn.ws.terminate();
    }
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    const frame: DispatchFrame = { op: 0, t, s: ++session.seq, d };
    session.events.push(frame);
    if (session.events.length > REPLAY_BUFFER) session.events.splice(0, session.events.length - REPLAY_BUFFER);
    this.stats.dispatches++;
    const conn = session.connection;
    if (conn?.open) this.#send(conn, frame);
  }

  #send(conn: GatewayConnection, payload: unknown): void {
    if (!conn.open || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(JSON.stringify(payload));
  }

  #detach(conn: GatewayConnection): void {
    conn.open = false;
    if (conn.session?.connection === conn) conn.session.connection = undefined;
  }

  #onConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conn: GatewayConnection = { id: ++this.#nextConnection, ws, query: url.searchParams, session: undefined, open: true, sent: [] };
    this.connections.push(conn);
    this.stats.connections++;
    if (url.searchParams.get('encoding') && url.searchParams.get('encoding') !== 'json') {
      this.host.recordError('gateway', `client asked for encoding=${url.searchParams.get('encoding')}; the stand-in speaks JSON only`);
    }
    if (url.searchParams.get('compress')) {
      this.host.recordError('gateway', `client asked for compress=${url.searchParams.get('compress')}; the stand-in never compresses`);
    }
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(conn, data, isBinary));
    ws.on('close', (code: number) => {
      const wasOpen = conn.open;
      this.#detach(conn);
      conn.closeCode ??= code;
      // A client that closes with 1000/1001 ends its session, as on Discord.
      if (wasOpen && conn.session && (code === 1000 || code === 1001)) conn.session.resumable = false;
      this.host.notify();
    });
    ws.on('error', (err: Error) => this.host.recordError('gateway', `WebSocket error: ${err.message}`));
    this.#send(conn, { op: GatewayOp.Hello, d: { heartbeat_interval: this.host.heartbeatIntervalMs, _trace: ['pulje-discord-standin'] } });
    this.host.notify();
  }

  #onMessage(conn: GatewayConnection, data: RawData, isBinary: boolean): void {
    if (!conn.open) return;
    if (isBinary) {
      this.host.recordError('gateway', 'client sent a binary frame');
      this.#closeWith(conn, 4002, 'Decode error');
      return;
    }
    let frame: { op?: unknown; d?: unknown };
    try {
      frame = JSON.parse(rawToString(data)) as { op?: unknown; d?: unknown };
    } catch {
      this.host.recordError('gateway', 'client sent a frame that is not JSON');
      this.#closeWith(conn, 4002, 'Decode error');
      return;
    }
    const op = typeof frame.op === 'number' ? frame.op : -1;
    const d = frame.d as Record<string, unknown> | null | undefined;
    this.received.push({ at: this.host.now(), connection: conn.id, op, d: redactToken(d) });
    // events/gateway § Rate Limiting: more than 120 events in 60 s and the app "is immediately disconnected" (4008).
    const now = Date.now();
    conn.sent.push(now);
    while (conn.sent.length && now - conn.sent[0]! >= this.host.sendLimit.windowMs) conn.sent.shift();
    if (conn.sent.length > this.host.sendLimit.limit) {
      this.host.recordError(
        'gateway',
        `client sent more than ${this.host.sendLimit.limit} gateway events in ${this.host.sendLimit.windowMs} ms`,
      );
      this.#closeWith(conn, 4008, 'Rate limited.');
      return;
    }

    switch (op) {
      case GatewayOp.Heartbeat:
        this.stats.heartbeats++;
        this.#send(conn, { op: GatewayOp.HeartbeatAck });
        break;
      case GatewayOp.Identify:
        this.#identify(conn, d ?? {});
        break;
      case GatewayOp.Resume:
        this.#resume(conn, d ?? {});
        break;
      case GatewayOp.RequestGuildMembers:
        if (!conn.session) {
          this.#closeWith(conn, 4003, 'Not authenticated');
          return;
        }
        for (const e of this.host.requestGuildMembers(d ?? {})) this.#dispatchTo(conn.session, e.t, e.d);
        break;
      case GatewayOp.PresenceUpdate:
      case GatewayOp.VoiceStateUpdate:
        if (!conn.session) {
          this.#closeWith(conn, 4003, 'Not authenticated');
          return;
        }
        break;
      default:
        this.host.recordError('gateway', `client sent unknown opcode ${String(frame.op)}`, frame);
        this.#closeWith(conn, 4001, 'Unknown opcode');
    }
    this.host.notify();
  }

  #identify(conn: GatewayConnection, d: Record<string, unknown>): void {
    if (conn.session) {
      this.#closeWith(conn, 4005, 'Already authenticated');
      return;
    }
    if (d.token !== this.host.token) {
      this.host.recordError('gateway', 'IDENTIFY with a token the stand-in does not know');
      this.#closeWith(conn, 4004, 'Authentication failed');
      return;
    }
    const shard = d.shard as unknown;
    if (Array.isArray(shard) && (shard[0] !== 0 || shard[1] !== 1)) {
      this.host.recordError('gateway', `IDENTIFY for shard ${JSON.stringify(shard)}; the stand-in serves one shard`);
      this.#closeWith(conn, 4010, 'Invalid shard');
      return;
    }
    // events/gateway § Gateway Intents: unknown intent bits close with 4013, privileged intents the app has not
    // enabled (§ Privileged Intents) with 4014. Neither is retried by the client (opcodes-and-status-codes § Gateway Close Event Codes).
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if ((intents & ~KNOWN_INTENTS) !== 0) {
      this.stats.refusedIntents++;
      this.#closeWith(conn, 4013, 'Invalid intent(s).');
      return;
    }
    const disallowed = intents & PRIVILEGED_INTENTS & ~this.host.enabledPrivilegedIntents();
    if (disallowed !== 0) {
      this.stats.refusedIntents++;
      this.#closeWith(conn, 4014, 'Disallowed intent(s).');
      return;
    }
    this.stats.identifies++;
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      intents,
      identify: redactToken(d) as Record<string, unknown>,
      events: [],
      resumable: true,
      connection: conn,
    };
    this.sessions.push(session);
    conn.session = session;
    this.#dispatchTo(session, 'READY', this.host.readyPayload(session));
    for (const e of this.host.afterReady(session)) this.#dispatchTo(session, e.t, e.d);
  }

  #resume(conn: GatewayConnection, d: Record<string, unknown>): void {
    if (conn.session) {
      this.#closeWith(conn, 4005, 'Already authenticated');
      return;
    }
    if (d.token !== this.host.token) {
      this.#closeWith(conn, 4004, 'Authentication failed');
      return;
    }
    const session = this.sessions.find((s) => s.id === d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const oldest = session?.events[0]?.s ?? 1;
    if (!session || !session.resumable || seq > session.seq || seq < oldest - 1) {
      this.stats.invalidSessions++;
      this.#send(conn, { op: GatewayOp.InvalidSession, d: false });
      return;
    }
    if (session.connection && session.connection !== conn) {
      const old = session.connection;
      this.#detach(old);
      old.ws.terminate();
    }
    session.connection = conn;
    conn.session = session;
    this.stats.resumes++;
    for (const frame of session.events) {
      if (frame.s > seq) {
        this.stats.replayed++;
        this.#send(conn, frame);
      }
    }
    this.#dispatchTo(session, 'RESUMED', { _trace: ['pulje-discord-standin'] });
  }

  #closeWith(conn: GatewayConnection, code: number, reason: string): void {
    this.#detach(conn);
    conn.closeCode = code;
    conn.ws.close(code, reason);
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function redactToken(d: unknown): unknown {
  if (!d || typeof d !== 'object' || !('token' in d)) return d;
  return { ...(d as Record<string, unknown>), token: '[redacted]' };
}
