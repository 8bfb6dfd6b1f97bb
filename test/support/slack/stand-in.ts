import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { inputElements } from './block-kit.ts';
import { type Clock, systemClock } from './clock.ts';
import { Core, type RecordedCall, type ResponseUrlRecord, type Violation } from './core.ts';
import { type AckOutcome, applyViewSubmissionAck, decodeAckBody, handleResponseUrl, postResponse } from './interactions.ts';
import type { Channel, StoredMessage, StoredView, User, Workspace, WorkspaceInit } from './model.ts';
import { eventEnvelope, messagePayloadObject, slashCommandPayload, userObject, VERIFICATION_TOKEN, viewPayloadObject } from './payloads.ts';
import type { RateLimitOptions } from './rate-limits.ts';
import type { SignatureMode } from './signing.ts';
import { type AckResult, type DeliveryKind, deliverHttp, SocketModeServer, type Transport } from './transport.ts';
import { handleCall } from './web-api.ts';

export interface SlackStandInOptions {
  /** Workspaces (teams). Default: one, from standardWorkspace('T0PULJE01', 'Pulje Test'). */
  workspaces?: WorkspaceInit[];
  signingSecret?: string;
  /** How deliveries reach the app unless a call says otherwise. Default 'http'. */
  transport?: Transport;
  /** The app's Request URL for HTTP mode (can be set later with setRequestUrl). */
  requestUrl?: string;
  /** Stand-in time for trigger_id, response_url and OAuth code lifetimes and rate-limit windows (see ManualClock). */
  clock?: Clock;
  rateLimits?: RateLimitOptions;
  /** Acknowledgement deadline, real ms. Slack: 3000. */
  ackDeadlineMs?: number;
  /** Delays before Events API retries 1, 2, 3. Slack: [0, 60 000, 300 000]; tests usually pass [0, 0, 0]. */
  eventRetryDelaysMs?: number[];
  /** trigger_id lifetime. Slack: 3000. */
  triggerLifetimeMs?: number;
  /** response_url lifetime and uses. Slack: 30 minutes, 5. */
  responseUrlLifetimeMs?: number;
  responseUrlMaxUses?: number;
  /** OAuth code lifetime. Slack: 10 minutes. */
  oauthCodeLifetimeMs?: number;
  /**
   * Longest top-level `text` accepted before msg_too_long. Slack's chat.postMessage page says it truncates
   * past 40,000 characters and advises staying under 4,000; Slack's SDK maintainers report msg_too_long past
   * about 4,000 today (seratch/ChatGPT-in-Slack#102). Default 4000, the stricter reading.
   */
  maxTextLength?: number;
  /** Socket Mode ping interval (Slack pings; the client gives up after 30 s without one). */
  socketPingIntervalMs?: number;
  /** Safety net for the waitFor… helpers. */
  waitTimeoutMs?: number;
}

export interface DeliveryCommon {
  teamId?: string;
  userId?: string;
  transport?: Transport;
  /** HTTP only: sign correctly (default), with the wrong secret, or with a timestamp older than 5 minutes. */
  signature?: SignatureMode;
}

export interface Delivery extends AckResult {
  /** What Slack did with the acknowledgement body (posted a message, updated a view, refused it, …). */
  outcome: AckOutcome;
  /** The decoded acknowledgement body (JSON when JSON, else text; undefined when empty). */
  ack: unknown;
}

export interface CommandDelivery extends Delivery {
  triggerId: string;
  responseUrl: ResponseUrlRecord;
  payload: Record<string, string>;
}

export interface InteractionDelivery extends Delivery {
  triggerId: string | undefined;
  responseUrl: ResponseUrlRecord | undefined;
  payload: Record<string, unknown>;
}

export interface EventDelivery {
  eventId: string;
  envelope: Record<string, unknown>;
  /** Every attempt, the first and Slack's retries. */
  attempts: AckResult[];
  /** Acknowledged with a 2xx in time on some attempt (or X-Slack-No-Retry stopped the retries). */
  delivered: boolean;
}

export interface SelectedValue {
  /** plain_text_input, number_input, email/url inputs: the typed text. */
  value?: string;
  /** static_select / radio_buttons: the chosen option's value. */
  option?: string;
  /** multi_static_select / checkboxes: the chosen options' values. */
  options?: string[];
  /** datepicker: YYYY-MM-DD. */
  date?: string;
  /** users_select. */
  user?: string;
  /** conversations_select / channels_select. */
  conversation?: string;
}

export interface SlackStandIn {
  /** For `clientOptions.slackApiUrl`: ends with /api/. */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly signingSecret: string;
  /** App-level token (xapp-) for Socket Mode. */
  readonly appToken: string;
  readonly appId: string;
  /** OAuth client credentials for oauth.v2.access. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The first workspace's team ID and bot token, for single-workspace tests. */
  readonly teamId: string;
  readonly botToken: string;
  readonly workspaces: Workspace[];
  workspace(teamId?: string): Workspace;
  /** The bot token of a workspace (throws if the app is not installed there). */
  botTokenFor(teamId: string): string;
  setRequestUrl(url: string): void;

  sendSlashCommand(o: DeliveryCommon & { command?: string; text: string; channelId?: string }): Promise<CommandDelivery>;
  sendBlockAction(
    o: DeliveryCommon &
      ({ channelId: string; messageTs: string } | { viewId: string }) & { actionId: string; blockId?: string; selected?: SelectedValue },
  ): Promise<InteractionDelivery>;
  sendViewSubmission(
    o: DeliveryCommon & { viewId: string; values: Record<string, Record<string, SelectedValue>> },
  ): Promise<InteractionDelivery>;
  sendViewClosed(o: DeliveryCommon & { viewId: string }): Promise<InteractionDelivery | undefined>;
  sendShortcut(o: DeliveryCommon & { callbackId: string }): Promise<InteractionDelivery>;
  sendMessageShortcut(o: DeliveryCommon & { callbackId: string; channelId: string; messageTs: string }): Promise<InteractionDelivery>;
  sendEvent(o: {
    teamId?: string;
    event: Record<string, unknown>;
    transport?: Transport;
    signature?: SignatureMode;
  }): Promise<EventDelivery>;
  /** A user writes in a channel: the message is stored and (unless deliver is false) a `message` event delivered. */
  userPosts(o: {
    teamId?: string;
    userId?: string;
    channelId: string;
    text: string;
    threadTs?: string;
    transport?: Transport;
    deliver?: boolean;
  }): Promise<EventDelivery | undefined>;
  sendUrlVerification(o?: { signature?: SignatureMode }): Promise<{ result: AckResult; challenge: string; echoed: boolean }>;

  readonly socketMode: {
    readonly openConnections: number;
    waitForConnections(n?: number): Promise<void>;
    /** Sends `disconnect` (refresh_requested by default) on every connection, as Slack does before recycling. */
    requestReconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
    readonly envelopes: SocketModeServer['envelopes'];
    readonly history: SocketModeServer['history'];
  };

  /**
   * A user approves the install in a workspace: returns the code and the URL Slack sends the browser back to —
   * the authorize request's `redirect_uri` if it had one (then oauth.v2.access must repeat it), else the app's
   * configured Redirect URL (`callbackUrl`).
   */
  oauthAuthorize(o: { teamId: string; userId?: string; redirectUri?: string; callbackUrl?: string; state?: string }): {
    code: string;
    redirect: string | undefined;
  };
  /** The app is removed from a workspace: tokens revoked, then app_uninstalled and tokens_revoked delivered. */
  uninstall(teamId: string): Promise<EventDelivery[]>;
  revokeToken(token: string): void;

  /** The next call(s) to a method answer this instead (e.g. { status: 429, retryAfterSeconds: 1, body: {ok:false, error:'ratelimited'} }). */
  failNext(
    method: string,
    answer: { error?: string; status?: number; retryAfterSeconds?: number; body?: Record<string, unknown> },
    times?: number,
  ): void;

  readonly calls: readonly RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Messages in a channel (ephemeral ones included, marked ephemeralFor). */
  messages(channelId: string, teamId?: string): StoredMessage[];
  view(viewId: string): StoredView;
  views(filter?: { teamId?: string; userId?: string; type?: 'modal' | 'home' }): StoredView[];
  readonly responseUrls: ResponseUrlRecord[];
  readonly violations: readonly Violation[];
  readonly errors: readonly string[];
  takeViolations(kind?: Violation['kind']): Violation[];
  takeErrors(): string[];

  waitFor<T>(probe: () => T | undefined, description: string, timeoutMs?: number): Promise<T>;
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean): Promise<RecordedCall>;
  waitForMessage(channelId: string, predicate?: (m: StoredMessage) => boolean, teamId?: string): Promise<StoredMessage>;

  close(): Promise<void>;
}

/**
 * A workspace with the people and places Pulje's tests need: two young people, a staff member in the
 * "paedagoger" user group, an admin, #general (the bot is a member), #random (it is not), a private #ungeraad
 * (bot member) and a deactivated user. IDs are derived from the team ID so several workspaces never share one.
 */
export function standardWorkspace(teamId: string, name: string, over: Partial<WorkspaceInit> = {}): WorkspaceInit {
  const s = teamId.replace(/^T/, '');
  const ids = {
    ida: `U${s}IDA`,
    noah: `U${s}NOAH`,
    kari: `U${s}KARI`,
    admin: `U${s}ADM`,
    gone: `U${s}GONE`,
  };
  return {
    teamId,
    name,
    users: [
      { id: ids.ida, name: 'ida', displayName: 'Ida' },
      { id: ids.noah, name: 'noah', displayName: 'Noah' },
      { id: ids.kari, name: 'kari', displayName: 'Kari (pædagog)' },
      { id: ids.admin, name: 'admin', displayName: 'Admin', isAdmin: true },
      { id: ids.gone, name: 'gone', displayName: 'Tidligere', deleted: true },
    ],
    channels: [
      { id: `C${s}GEN`, name: 'general', members: [ids.ida, ids.noah, ids.kari, ids.admin] },
      { id: `C${s}RND`, name: 'random', members: [ids.ida, ids.noah], botIsMember: false },
      { id: `G${s}RAAD`, name: 'ungeraad', isPrivate: true, members: [ids.ida, ids.noah, ids.kari] },
    ],
    usergroups: [{ id: `S${s}PAED`, handle: 'paedagoger', name: 'Pædagoger', users: [ids.kari] }],
    ...over,
  };
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const core = new Core({
    clock: options.clock ?? systemClock,
    workspaces: options.workspaces ?? [standardWorkspace('T0PULJE01', 'Pulje Test')],
    rateLimits: options.rateLimits,
    signingSecret: options.signingSecret,
    waitTimeoutMs: options.waitTimeoutMs ?? 10_000,
    triggerLifetimeMs: options.triggerLifetimeMs ?? 3000,
    responseUrlLifetimeMs: options.responseUrlLifetimeMs ?? 30 * 60_000,
    responseUrlMaxUses: options.responseUrlMaxUses ?? 5,
    oauthCodeLifetimeMs: options.oauthCodeLifetimeMs ?? 10 * 60_000,
    maxTextLength: options.maxTextLength ?? 4000,
    ackDeadlineMs: options.ackDeadlineMs ?? 3000,
    eventRetryDelaysMs: options.eventRetryDelaysMs ?? [0, 60_000, 300_000],
  });
  if (core.workspaces.size === 0) throw new Error('Slack stand-in: at least one workspace is needed');
  let requestUrl = options.requestUrl;
  const defaultTransport: Transport = options.transport ?? 'http';
  const socket = new SocketModeServer(core, options.socketPingIntervalMs ?? 10_000);
  const server: Server = createServer((req, res) => {
    route(core, req, res).catch((err: unknown) => {
      core.errors.push(`stand-in crashed on ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'fatal_error' }));
    });
  });
  server.on('upgrade', (req, sock, head) => {
    if ((req.url ?? '').startsWith('/link/')) socket.handleUpgrade(req, sock, head);
    else sock.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  core.baseUrl = `http://127.0.0.1:${port}`;
  const firstTeam = [...core.workspaces.keys()][0] as string;

  const ws = (teamId?: string): Workspace => core.workspace(teamId ?? firstTeam);
  const person = (w: Workspace, userId?: string): User => {
    const id = userId ?? [...w.users.values()].find((u) => !u.isBot && !u.deleted)?.id;
    const u = id ? w.users.get(id) : undefined;
    if (!u) throw new Error(`Slack stand-in: no user ${userId} in ${w.teamId}`);
    return u;
  };
  const defaultChannel = (w: Workspace): Channel => {
    const c = [...w.channels.values()].find((ch) => ch.kind === 'public' && ch.members.has(w.botUserId));
    if (!c) throw new Error(`Slack stand-in: ${w.teamId} has no public channel with the bot in it`);
    return c;
  };

  /** Sends one delivery over the chosen transport. */
  const deliver = (
    kind: DeliveryKind,
    payload: object,
    o: { transport?: Transport; signature?: SignatureMode; retryNum?: number; retryReason?: string; acceptsResponsePayload?: boolean },
  ): Promise<AckResult> => {
    const transport = o.transport ?? defaultTransport;
    if (transport === 'socket') {
      const extra = kind === 'events_api' ? { retry_attempt: o.retryNum ?? 0, retry_reason: o.retryReason ?? '' } : {};
      return socket.deliver(kind, payload, o.acceptsResponsePayload ?? false, extra);
    }
    if (!requestUrl) throw new Error('Slack stand-in: no Request URL for HTTP mode (pass requestUrl or call setRequestUrl)');
    return deliverHttp(core, requestUrl, kind, payload, o);
  };

  const acked = (r: AckResult): boolean => !r.missing && !r.late && r.status !== undefined && r.status >= 200 && r.status < 300;

  const sendEvent: SlackStandIn['sendEvent'] = async ({ teamId, event, transport, signature }) => {
    const w = ws(teamId);
    const envelope = eventEnvelope(core, w, event);
    const attempts: AckResult[] = [];
    let delivered = false;
    let reason = '';
    for (let attempt = 0; attempt <= core.options.eventRetryDelaysMs.length; attempt++) {
      if (attempt > 0) await delay(core.options.eventRetryDelaysMs[attempt - 1] ?? 0);
      const r = await deliver('events_api', envelope, {
        transport,
        signature,
        retryNum: attempt,
        retryReason: reason,
        acceptsResponsePayload: false,
      });
      attempts.push(r);
      if (acked(r) || r.headers['x-slack-no-retry'] === '1') {
        delivered = true;
        break;
      }
      reason = r.missing || r.late ? (r.transport === 'socket' ? 'timeout' : 'http_timeout') : 'http_error';
    }
    core.waiters.notify();
    return { eventId: envelope.event_id, envelope: envelope as unknown as Record<string, unknown>, attempts, delivered };
  };

  const interaction = async (
    payload: Record<string, unknown>,
    o: DeliveryCommon,
    acceptsResponsePayload: boolean,
    after: (body: unknown, r: AckResult) => AckOutcome,
    extra: { triggerId?: string; responseUrl?: ResponseUrlRecord },
  ): Promise<InteractionDelivery> => {
    const r = await deliver('interactive', payload, { transport: o.transport, signature: o.signature, acceptsResponsePayload });
    const ack = decodeAckBody(r.rawBody, r.contentType);
    const outcome: AckOutcome = acked(r) ? after(ack, r) : { kind: 'refused', error: r.late || r.missing ? 'timeout' : `http_${r.status}` };
    core.waiters.notify();
    return { ...r, ack, outcome, payload, triggerId: extra.triggerId, responseUrl: extra.responseUrl };
  };

  const findElement = (blocks: unknown, actionId: string, blockId?: string) => {
    for (const b of (Array.isArray(blocks) ? blocks : []) as Array<Record<string, unknown>>) {
      if (blockId !== undefined && b.block_id !== blockId) continue;
      const candidates = [b.accessory, b.element, ...(Array.isArray(b.elements) ? b.elements : [])] as Array<
        Record<string, unknown> | undefined
      >;
      for (const e of candidates) if (e && e.action_id === actionId) return { block: b, element: e };
    }
    return undefined;
  };

  const optionsOf = (element: Record<string, unknown>): Array<Record<string, unknown>> => {
    const direct = Array.isArray(element.options) ? element.options : [];
    const grouped = Array.isArray(element.option_groups)
      ? (element.option_groups as Array<Record<string, unknown>>).flatMap((g) => (Array.isArray(g.options) ? g.options : []))
      : [];
    return [...direct, ...grouped] as Array<Record<string, unknown>>;
  };

  /** The state value Slack reports for an element, refusing what a person could not have entered. */
  const stateValue = (element: Record<string, unknown>, sel: SelectedValue | undefined, where: string): Record<string, unknown> => {
    const type = element.type as string;
    const pick = (value: string) => {
      const o = optionsOf(element).find((x) => x.value === value);
      if (!o) throw new Error(`Slack stand-in: ${where} has no option with value ${value}`);
      return o;
    };
    switch (type) {
      case 'plain_text_input':
      case 'email_text_input':
      case 'url_text_input':
      case 'number_input': {
        const value = sel?.value ?? null;
        if (value !== null) {
          const len = [...value].length;
          if (typeof element.max_length === 'number' && len > element.max_length) {
            throw new Error(`Slack stand-in: ${where} allows ${element.max_length} characters; Slack's client would not submit ${len}`);
          }
          if (typeof element.min_length === 'number' && len < element.min_length) {
            throw new Error(`Slack stand-in: ${where} needs ${element.min_length} characters; Slack's client would not submit ${len}`);
          }
          core.userTyped.push(value);
        }
        return { type, value };
      }
      case 'static_select':
      case 'radio_buttons':
        return { type, selected_option: sel?.option !== undefined ? pick(sel.option) : null };
      case 'multi_static_select':
      case 'checkboxes':
        return { type, selected_options: (sel?.options ?? []).map(pick) };
      case 'datepicker':
        return { type, selected_date: sel?.date ?? null };
      case 'users_select':
        return { type, selected_user: sel?.user ?? null };
      case 'conversations_select':
        return { type, selected_conversation: sel?.conversation ?? null };
      case 'channels_select':
        return { type, selected_channel: sel?.conversation ?? null };
      default:
        return { type };
    }
  };

  const actionObject = (
    block: Record<string, unknown>,
    element: Record<string, unknown>,
    sel: SelectedValue | undefined,
    where: string,
  ) => {
    const base: Record<string, unknown> = {
      type: element.type,
      action_id: element.action_id,
      block_id: block.block_id,
      action_ts: core.ts.next(core.clock.now()),
    };
    if (element.type === 'button') return { ...base, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
    if (element.type === 'overflow') {
      const o = optionsOf(element).find((x) => x.value === sel?.option);
      if (!o) throw new Error(`Slack stand-in: ${where} has no overflow option ${sel?.option}`);
      return { ...base, selected_option: o };
    }
    const state = stateValue(element, sel, where);
    return { ...base, ...state };
  };

  const api: SlackStandIn = {
    apiUrl: `${core.baseUrl}/api/`,
    baseUrl: core.baseUrl,
    signingSecret: core.signingSecret,
    appToken: core.appToken,
    appId: core.appId,
    clientId: core.clientId,
    clientSecret: core.clientSecret,
    teamId: firstTeam,
    get botToken() {
      return api.botTokenFor(firstTeam);
    },
    get workspaces() {
      return [...core.workspaces.values()];
    },
    workspace: ws,
    botTokenFor(teamId) {
      const token = core.workspace(teamId).botToken;
      if (!token) throw new Error(`Slack stand-in: the app is not installed in ${teamId} (use the OAuth flow)`);
      return token;
    },
    setRequestUrl(url) {
      requestUrl = url;
    },

    async sendSlashCommand(o) {
      const w = ws(o.teamId);
      const user = person(w, o.userId);
      const channel = o.channelId ? core.channel(w.teamId, o.channelId) : defaultChannel(w);
      if (!channel.members.has(user.id) && channel.kind !== 'public') throw new Error(`Slack stand-in: ${user.id} is not in ${channel.id}`);
      core.userTyped.push(o.text);
      const { payload, trigger, responseUrl } = slashCommandPayload(core, w, channel, user, o.command ?? '/pulje', o.text);
      const r = await deliver('slash_commands', payload, { transport: o.transport, signature: o.signature, acceptsResponsePayload: true });
      const ack = decodeAckBody(r.rawBody, r.contentType);
      let outcome: AckOutcome = { kind: 'empty' };
      if (!acked(r)) outcome = { kind: 'refused', error: r.late || r.missing ? 'timeout' : `http_${r.status}` };
      else if (ack !== undefined && ack !== '') {
        // The acknowledgement body is the command's response (ephemeral unless response_type in_channel).
        const posted = postResponse(core, responseUrl, ack, 'ack');
        outcome = posted.ok ? { kind: 'message', ts: posted.ts } : { kind: 'refused', error: posted.error, messages: posted.messages };
      }
      core.waiters.notify();
      return { ...r, ack, outcome, triggerId: trigger.id, responseUrl, payload: payload as unknown as Record<string, string> };
    },

    async sendBlockAction(o) {
      const w = ws(o.teamId);
      const user = person(w, o.userId);
      if ('viewId' in o) {
        const v = api.view(o.viewId);
        if (!v.open && v.type === 'modal') throw new Error(`Slack stand-in: view ${o.viewId} is closed`);
        const found = findElement(v.view.blocks, o.actionId, o.blockId);
        if (!found) throw new Error(`Slack stand-in: no element ${o.actionId} in view ${o.viewId}`);
        const trigger = core.issueTrigger(w.teamId, user.id, v.type === 'modal' ? v.id : undefined);
        const payload: Record<string, unknown> = {
          type: 'block_actions',
          user: userObject(w, user),
          api_app_id: core.appId,
          token: VERIFICATION_TOKEN,
          container: { type: 'view', view_id: v.id },
          trigger_id: trigger.id,
          team: { id: w.teamId, domain: w.domain },
          enterprise: null,
          is_enterprise_install: false,
          view: viewPayloadObject(core, v),
          actions: [actionObject(found.block, found.element, o.selected, `${o.actionId} in view ${v.id}`)],
        };
        return interaction(payload, o, false, () => ({ kind: 'empty' }), { triggerId: trigger.id });
      }
      const channel = core.channel(w.teamId, o.channelId);
      const message = channel.messages.find((m) => m.ts === o.messageTs && !m.deleted);
      if (!message) throw new Error(`Slack stand-in: no message ${o.messageTs} in ${o.channelId}`);
      if (message.ephemeralFor && message.ephemeralFor !== user.id)
        throw new Error(`Slack stand-in: ${user.id} cannot see that ephemeral message`);
      const found = findElement(message.blocks, o.actionId, o.blockId);
      if (!found) throw new Error(`Slack stand-in: no element ${o.actionId} in message ${o.messageTs}`);
      const trigger = core.issueTrigger(w.teamId, user.id);
      const responseUrl = core.issueResponseUrl(w.teamId, channel.id, user.id, {
        ts: message.ts,
        ephemeral: Boolean(message.ephemeralFor),
      });
      const payload: Record<string, unknown> = {
        type: 'block_actions',
        user: userObject(w, user),
        api_app_id: core.appId,
        token: VERIFICATION_TOKEN,
        container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: Boolean(message.ephemeralFor) },
        trigger_id: trigger.id,
        team: { id: w.teamId, domain: w.domain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel.id, name: channel.name },
        message: messagePayloadObject(message),
        state: { values: {} },
        response_url: responseUrl.url,
        actions: [actionObject(found.block, found.element, o.selected, `${o.actionId} in message ${message.ts}`)],
      };
      return interaction(payload, o, false, () => ({ kind: 'empty' }), { triggerId: trigger.id, responseUrl });
    },

    async sendViewSubmission(o) {
      const v = api.view(o.viewId);
      if (v.type !== 'modal' || !v.open) throw new Error(`Slack stand-in: view ${o.viewId} is not an open modal`);
      const w = ws(v.teamId);
      const user = person(w, o.userId ?? v.userId);
      if (user.id !== v.userId) throw new Error(`Slack stand-in: ${user.id} cannot submit ${v.userId}'s modal`);
      const inputs = inputElements(v.view.blocks);
      for (const [blockId, actions] of Object.entries(o.values)) {
        for (const actionId of Object.keys(actions)) {
          if (!inputs.get(blockId)?.has(actionId)) throw new Error(`Slack stand-in: view ${v.id} has no input ${blockId}/${actionId}`);
        }
      }
      const values: Record<string, Record<string, unknown>> = {};
      for (const b of v.view.blocks as Array<Record<string, unknown>>) {
        if (b.type !== 'input') continue;
        const element = b.element as Record<string, unknown>;
        const blockId = b.block_id as string;
        const actionId = element.action_id as string;
        const sel = o.values[blockId]?.[actionId];
        const state = stateValue(element, sel, `${blockId}/${actionId}`);
        const empty = Object.entries(state).every(([k, x]) => k === 'type' || x === null || (Array.isArray(x) && x.length === 0));
        if (empty && b.optional !== true)
          throw new Error(`Slack stand-in: ${blockId} is required; Slack's client would not submit the modal without it`);
        values[blockId] = { [actionId]: state };
      }
      const payload: Record<string, unknown> = {
        type: 'view_submission',
        team: { id: w.teamId, domain: w.domain },
        user: userObject(w, user),
        api_app_id: core.appId,
        token: VERIFICATION_TOKEN,
        trigger_id: core.issueTrigger(w.teamId, user.id, v.id).id,
        view: viewPayloadObject(core, v, values),
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      return interaction(payload, o, true, (body) => applyViewSubmissionAck(core, v, body), { triggerId: payload.trigger_id as string });
    },

    async sendViewClosed(o) {
      const v = api.view(o.viewId);
      const w = ws(v.teamId);
      const user = person(w, o.userId ?? v.userId);
      const notify = v.view.notify_on_close === true;
      for (const x of core.views.values()) if (x.rootViewId === v.rootViewId) x.open = false;
      core.waiters.notify();
      // Slack sends view_closed only when the view asked for it (notify_on_close: true).
      if (!notify) return undefined;
      const payload: Record<string, unknown> = {
        type: 'view_closed',
        team: { id: w.teamId, domain: w.domain },
        user: userObject(w, user),
        api_app_id: core.appId,
        token: VERIFICATION_TOKEN,
        view: viewPayloadObject(core, v),
        is_cleared: false,
        is_enterprise_install: false,
        enterprise: null,
      };
      return interaction(payload, o, false, () => ({ kind: 'empty' }), {});
    },

    async sendShortcut(o) {
      const w = ws(o.teamId);
      const user = person(w, o.userId);
      const trigger = core.issueTrigger(w.teamId, user.id);
      const payload: Record<string, unknown> = {
        type: 'shortcut',
        token: VERIFICATION_TOKEN,
        action_ts: core.ts.next(core.clock.now()),
        team: { id: w.teamId, domain: w.domain },
        user: userObject(w, user),
        is_enterprise_install: false,
        enterprise: null,
        callback_id: o.callbackId,
        trigger_id: trigger.id,
      };
      return interaction(payload, o, false, () => ({ kind: 'empty' }), { triggerId: trigger.id });
    },

    async sendMessageShortcut(o) {
      const w = ws(o.teamId);
      const user = person(w, o.userId);
      const channel = core.channel(w.teamId, o.channelId);
      const message = channel.messages.find((m) => m.ts === o.messageTs && !m.deleted && !m.ephemeralFor);
      if (!message) throw new Error(`Slack stand-in: no message ${o.messageTs} in ${o.channelId}`);
      const trigger = core.issueTrigger(w.teamId, user.id);
      const responseUrl = core.issueResponseUrl(w.teamId, channel.id, user.id);
      const payload: Record<string, unknown> = {
        type: 'message_action',
        token: VERIFICATION_TOKEN,
        action_ts: core.ts.next(core.clock.now()),
        team: { id: w.teamId, domain: w.domain },
        user: userObject(w, user),
        channel: { id: channel.id, name: channel.name },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: o.callbackId,
        trigger_id: trigger.id,
        response_url: responseUrl.url,
        message_ts: message.ts,
        message: messagePayloadObject(message),
      };
      return interaction(payload, o, false, () => ({ kind: 'empty' }), { triggerId: trigger.id, responseUrl });
    },

    sendEvent,

    async userPosts(o) {
      const w = ws(o.teamId);
      const user = person(w, o.userId);
      const channel = core.channel(w.teamId, o.channelId);
      if (!channel.members.has(user.id)) throw new Error(`Slack stand-in: ${user.id} is not in ${channel.id}`);
      core.userTyped.push(o.text);
      const ts = core.ts.next(core.clock.now());
      core.addMessage({ channel: channel.id, ts, user: user.id, text: o.text, threadTs: o.threadTs, via: 'user', options: {} }, channel);
      if (o.deliver === false) return undefined;
      const channelType = { public: 'channel', private: 'group', im: 'im', mpim: 'mpim' }[channel.kind];
      return sendEvent({
        teamId: w.teamId,
        transport: o.transport,
        event: {
          type: 'message',
          channel: channel.id,
          user: user.id,
          text: o.text,
          ts,
          team: w.teamId,
          channel_type: channelType,
          ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
        },
      });
    },

    async sendUrlVerification(o = {}) {
      const challenge = core.ids.secret(16);
      const result = await deliver(
        'url_verification',
        { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' },
        { transport: 'http', signature: o.signature },
      );
      const body = decodeAckBody(result.rawBody, result.contentType);
      const echoed =
        result.rawBody === challenge ||
        (typeof body === 'object' && body !== null && (body as { challenge?: unknown }).challenge === challenge);
      return { result, challenge, echoed };
    },

    socketMode: {
      get openConnections() {
        return socket.openConnections;
      },
      waitForConnections(n = 1) {
        return core.waiters
          .until(() => (socket.openConnections >= n ? true : undefined), `${n} Socket Mode connection(s)`)
          .then(() => undefined);
      },
      requestReconnect(reason = 'refresh_requested') {
        socket.disconnectAll(reason);
      },
      get envelopes() {
        return socket.envelopes;
      },
      get history() {
        return socket.history;
      },
    },

    oauthAuthorize(o) {
      const w = core.workspace(o.teamId);
      const userId = o.userId ?? [...w.users.values()].find((u) => u.isAdmin)?.id ?? person(w).id;
      const code = `${Math.floor(Math.random() * 1e12)}.${Math.floor(Math.random() * 1e12)}.${core.ids.secret(24)}`;
      core.oauthCodes.set(code, { code, teamId: w.teamId, userId, redirectUri: o.redirectUri, issuedAt: core.clock.now(), used: false });
      const back = o.redirectUri ?? o.callbackUrl;
      const redirect = back
        ? `${back}${back.includes('?') ? '&' : '?'}${new URLSearchParams({ code, ...(o.state ? { state: o.state } : {}) })}`
        : undefined;
      return { code, redirect };
    },

    async uninstall(teamId) {
      const w = core.workspace(teamId);
      const token = w.botToken;
      if (token) api.revokeToken(token);
      w.installed = false;
      // Slack sends both: https://docs.slack.dev/reference/events/app_uninstalled, .../tokens_revoked
      const a = await sendEvent({ teamId, event: { type: 'app_uninstalled' } });
      const b = await sendEvent({ teamId, event: { type: 'tokens_revoked', tokens: { oauth: [], bot: [w.botUserId] } } });
      return [a, b];
    },

    revokeToken(token) {
      const t = core.tokens.get(token);
      if (!t) throw new Error('Slack stand-in: unknown token');
      t.revoked = true;
    },

    failNext(method, answer, times = 1) {
      const list = core.scripted.get(method) ?? [];
      for (let i = 0; i < times; i++) {
        list.push({
          status: answer.status ?? (answer.retryAfterSeconds !== undefined ? 429 : 200),
          retryAfterSeconds: answer.retryAfterSeconds,
          body: answer.body ?? {
            ok: false,
            error: answer.error ?? (answer.retryAfterSeconds !== undefined ? 'ratelimited' : 'fatal_error'),
          },
        });
      }
      core.scripted.set(method, list);
    },

    get calls() {
      return core.calls;
    },
    callsTo(method) {
      return core.calls.filter((c) => c.method === method);
    },
    messages(channelId, teamId) {
      return core.channel(teamId ?? firstTeam, channelId).messages;
    },
    view(viewId) {
      const v = core.views.get(viewId);
      if (!v) throw new Error(`Slack stand-in: no view ${viewId}`);
      return v;
    },
    views(filter = {}) {
      return [...core.views.values()].filter(
        (v) =>
          (filter.teamId === undefined || v.teamId === filter.teamId) &&
          (filter.userId === undefined || v.userId === filter.userId) &&
          (filter.type === undefined || v.type === filter.type),
      );
    },
    get responseUrls() {
      return [...core.responseUrls.values()];
    },
    get violations() {
      return core.violations;
    },
    get errors() {
      return core.errors;
    },
    takeViolations(kind) {
      const taken = core.violations.filter((v) => kind === undefined || v.kind === kind);
      const kept = core.violations.filter((v) => !(kind === undefined || v.kind === kind));
      core.violations.splice(0, core.violations.length, ...kept);
      return taken;
    },
    takeErrors() {
      return core.errors.splice(0, core.errors.length);
    },

    waitFor(probe, description, timeoutMs) {
      return core.waiters.until(probe, description, timeoutMs);
    },
    waitForCall(method, predicate = () => true) {
      return core.waiters.until(() => core.calls.find((c) => c.method === method && predicate(c)), `a ${method} call`);
    },
    waitForMessage(channelId, predicate = () => true, teamId) {
      return core.waiters.until(() => api.messages(channelId, teamId).find((m) => !m.deleted && predicate(m)), `a message in ${channelId}`);
    },

    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Web API at /api/<method>; response_urls at /hooks/…; everything else 404. */
async function route(core: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', core.baseUrl);
  const raw = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  if (url.pathname.startsWith('/hooks/')) {
    if (req.method !== 'POST') return send(405, { ok: false, error: 'invalid_method' });
    const out = handleResponseUrl(core, `${core.baseUrl}${url.pathname}`, raw, contentType);
    return send(out.status, out.body);
  }
  const m = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
  if (!m) {
    core.errors.push(`request to ${req.method} ${url.pathname}: not a Slack endpoint`);
    return send(404, { ok: false, error: 'unknown_method' });
  }
  const method = m[1] as string;
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams.entries());
  let kind: RecordedCall['contentType'] = 'none';
  const record = (status: number, response: Record<string, unknown>, teamId?: string) => {
    const { token: _token, ...rest } = args;
    core.calls.push({ at: core.clock.now(), method, teamId, args: rest, contentType: kind, status, response });
    core.waiters.notify();
  };
  // https://docs.slack.dev/apis/web-api ("POST bodies"): form-encoded or JSON; JSON needs the token in the Authorization header.
  if (raw.length > 0) {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      kind = 'form';
      for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
    } else if (contentType.startsWith('application/json')) {
      kind = 'json';
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        record(200, { ok: false, error: 'invalid_json' });
        return send(200, { ok: false, error: 'invalid_json' });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        record(200, { ok: false, error: 'json_not_object' });
        return send(200, { ok: false, error: 'json_not_object' });
      }
      Object.assign(args, parsed);
    } else {
      core.errors.push(`${method}: body with content-type ${contentType || '(none)'} is not modelled`);
      record(200, { ok: false, error: 'invalid_form_data' });
      return send(200, { ok: false, error: 'invalid_form_data' });
    }
  }
  const authorization = req.headers.authorization ?? '';
  let token: string | undefined;
  let basic: { user: string; password: string } | undefined;
  if (authorization.startsWith('Bearer ')) token = authorization.slice(7).trim() || undefined;
  else if (authorization.startsWith('Basic ')) {
    const [user, password] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    basic = { user: user ?? '', password: password ?? '' };
  }
  if (!token && kind !== 'json' && typeof args.token === 'string') token = args.token;
  const out = handleCall(core, { method, args, contentType: kind, token, basic });
  const teamId = token ? core.tokens.get(token)?.teamId : undefined;
  record(out.status, out.body, teamId);
  return send(out.status, out.body, out.headers);
}
