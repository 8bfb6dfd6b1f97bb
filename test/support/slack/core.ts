import { mrkdwnTexts } from './block-kit.ts';
import type { Clock } from './clock.ts';
import { IdSource, TsSource, type Channel, type StoredMessage, type StoredView, Workspace, type WorkspaceInit } from './model.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limits.ts';
import { Waiters } from './waiters.ts';

/** One Web API call as the stand-in received and answered it. */
export interface RecordedCall {
  at: number;
  method: string;
  teamId: string | undefined;
  /** Arguments as decoded (form fields or JSON), token removed. */
  args: Record<string, unknown>;
  contentType: 'form' | 'json' | 'none';
  status: number;
  response: Record<string, unknown>;
}

/** Something the app did that Slack would not refuse but that breaks a rule Pulje keeps (or a deadline Slack enforces on the user's side). */
export interface Violation {
  at: number;
  kind: 'mention-injection' | 'link-names' | 'late-ack' | 'missing-ack' | 'socket-late-ack' | 'socket-missing-ack';
  detail: string;
}

export interface Trigger {
  id: string;
  teamId: string;
  userId: string;
  issuedAt: number;
  used: boolean;
  /** Set when the interaction came from inside a modal: views.push may then push onto that stack. */
  viewId: string | undefined;
}

export interface ResponseUrlRecord {
  id: string;
  url: string;
  teamId: string;
  channelId: string;
  userId: string;
  issuedAt: number;
  /** Accepted posts so far (Slack: up to 5 within 30 minutes). */
  uses: number;
  /** The message this URL may replace or delete (block_actions on a message; the URL's own last post otherwise). */
  original: { ts: string; ephemeral: boolean } | undefined;
  attempts: Array<{ at: number; body: unknown; status: number; error?: string }>;
}

export interface OAuthCode {
  code: string;
  teamId: string;
  userId: string;
  redirectUri: string | undefined;
  issuedAt: number;
  used: boolean;
}

export interface CoreOptions {
  clock: Clock;
  workspaces: WorkspaceInit[];
  rateLimits: RateLimitOptions | undefined;
  signingSecret: string | undefined;
  waitTimeoutMs: number;
  triggerLifetimeMs: number;
  responseUrlLifetimeMs: number;
  responseUrlMaxUses: number;
  oauthCodeLifetimeMs: number;
  maxTextLength: number;
  /** The app must acknowledge within this (Slack: 3 s), measured in real time. */
  ackDeadlineMs: number;
  /** Delays before the Events API retries 1–3 (Slack: immediately, 1 min, 5 min). */
  eventRetryDelaysMs: number[];
}

/** All state, shared by the Web API handlers, the response_url endpoint, the HTTP sender and Socket Mode. */
export class Core {
  readonly ids = new IdSource();
  readonly ts = new TsSource();
  readonly clock: Clock;
  readonly appId: string;
  readonly signingSecret: string;
  readonly appToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly workspaces = new Map<string, Workspace>();
  /** token → who it is. */
  readonly tokens = new Map<string, { teamId: string | undefined; kind: 'bot' | 'app'; revoked: boolean }>();
  readonly views = new Map<string, StoredView>();
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly oauthCodes = new Map<string, OAuthCode>();
  /** Single-use tickets in the Socket Mode URLs handed out by apps.connections.open. */
  readonly socketTickets = new Set<string>();
  readonly calls: RecordedCall[] = [];
  readonly violations: Violation[] = [];
  /** Problems in the stand-in's use (unknown method, unparsable request, a test helper misused). */
  readonly errors: string[] = [];
  /** Scripted Web API answers, consumed first-come per method. */
  readonly scripted = new Map<string, Array<{ status: number; retryAfterSeconds?: number; body: Record<string, unknown> }>>();
  /** Text that simulated users typed (slash command text, modal inputs, messages): checked for mention injection. */
  readonly userTyped: string[] = [];
  readonly limiter: RateLimiter;
  readonly waiters: Waiters;
  readonly options: CoreOptions;
  baseUrl = '';

  constructor(options: CoreOptions) {
    this.options = options;
    this.clock = options.clock;
    this.appId = this.ids.next('A');
    this.signingSecret = options.signingSecret ?? this.ids.secret(16);
    this.appToken = `xapp-1-${this.appId}-${Math.floor(Math.random() * 1e12)}-${this.ids.secret(32)}`;
    this.tokens.set(this.appToken, { teamId: undefined, kind: 'app', revoked: false });
    this.clientId = `${Math.floor(Math.random() * 1e10)}.${Math.floor(Math.random() * 1e12)}`;
    this.clientSecret = this.ids.secret(16);
    this.limiter = new RateLimiter(this.clock, options.rateLimits);
    this.waiters = new Waiters('Slack stand-in', options.waitTimeoutMs);
    for (const init of options.workspaces) {
      if (this.workspaces.has(init.teamId)) throw new Error(`Slack stand-in: workspace ${init.teamId} given twice`);
      const ws = new Workspace(init.teamId, init.name, init, this.ids);
      this.workspaces.set(ws.teamId, ws);
      if (ws.installed) this.issueBotToken(ws);
    }
  }

  issueBotToken(ws: Workspace): string {
    const token = `xoxb-${ws.teamId.slice(1)}-${ws.botUserId.slice(1)}-${this.ids.secret(12)}`;
    ws.botToken = token;
    ws.installed = true;
    this.tokens.set(token, { teamId: ws.teamId, kind: 'bot', revoked: false });
    return token;
  }

  workspace(teamId: string): Workspace {
    const ws = this.workspaces.get(teamId);
    if (!ws) throw new Error(`Slack stand-in: no workspace ${teamId} (have ${[...this.workspaces.keys()].join(', ')})`);
    return ws;
  }

  channel(teamId: string, channelId: string): Channel {
    const c = this.workspace(teamId).channels.get(channelId);
    if (!c) throw new Error(`Slack stand-in: no channel ${channelId} in ${teamId}`);
    return c;
  }

  findMessage(teamId: string, channelId: string, ts: string): StoredMessage | undefined {
    return this.workspace(teamId)
      .channels.get(channelId)
      ?.messages.find((m) => m.ts === ts);
  }

  /** Stores a message and checks it against the mention rule: user-typed mention syntax must not reach Slack unescaped. */
  addMessage(message: Omit<StoredMessage, 'deleted' | 'edits'>, channel: Channel): StoredMessage {
    const stored: StoredMessage = { ...message, deleted: false, edits: [] };
    channel.messages.push(stored);
    if (message.via !== 'user') this.checkMentions(stored.text, stored.blocks, stored.options, `${message.via} in ${channel.id}`);
    this.waiters.notify();
    return stored;
  }

  /**
   * Slack turns `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and `<@U…>` in mrkdwn into live mentions
   * (https://docs.slack.dev/messaging/formatting-message-text, "Mentioning users / groups", "Special mentions");
   * user text must have `&`, `<`, `>` escaped ("Escaping text"). A posted text that contains such a token that a
   * simulated user typed is recorded as a violation. `link_names` turns plain `@name` into mentions: recorded too.
   */
  checkMentions(text: string, blocks: unknown, options: Record<string, unknown>, where: string): void {
    const live = [text, ...mrkdwnTexts(blocks ?? [])];
    const tokens = new Set<string>();
    for (const typed of this.userTyped)
      for (const m of typed.matchAll(/<(?:!(?:channel|here|everyone)|!subteam\^[A-Z0-9]+|@[UW][A-Z0-9]+)[^>]*>/g)) tokens.add(m[0]);
    for (const token of tokens) {
      if (live.some((t) => t.includes(token))) {
        this.violations.push({ at: this.clock.now(), kind: 'mention-injection', detail: `${where}: user-typed ${token} posted unescaped` });
      }
    }
    if (options.link_names === true || options.link_names === 'true' || options.link_names === '1' || options.link_names === 1) {
      this.violations.push({
        at: this.clock.now(),
        kind: 'link-names',
        detail: `${where}: link_names turns @names in user text into mentions`,
      });
    }
  }

  issueTrigger(teamId: string, userId: string, viewId?: string): Trigger {
    const id = `${Math.floor(Math.random() * 1e13)}.${Math.floor(Math.random() * 1e12)}.${this.ids.secret(16)}`;
    const trigger: Trigger = { id, teamId, userId, issuedAt: this.clock.now(), used: false, viewId };
    this.triggers.set(id, trigger);
    return trigger;
  }

  issueResponseUrl(teamId: string, channelId: string, userId: string, original?: { ts: string; ephemeral: boolean }): ResponseUrlRecord {
    const id = this.ids.next('R');
    // Shaped like https://hooks.slack.com/commands/T…/…/… but on the stand-in's loopback address.
    const url = `${this.baseUrl}/hooks/commands/${teamId}/${id}/${this.ids.secret(12)}`;
    const rec: ResponseUrlRecord = { id, url, teamId, channelId, userId, issuedAt: this.clock.now(), uses: 0, original, attempts: [] };
    this.responseUrls.set(url, rec);
    return rec;
  }

  storeView(view: StoredView): StoredView {
    this.views.set(view.id, view);
    this.waiters.notify();
    return view;
  }

  /** The view as Slack returns it: the given fields plus id, team_id, state, hash, stack ids, app and bot ids. */
  viewObject(v: StoredView): Record<string, unknown> {
    const ws = this.workspace(v.teamId);
    return {
      id: v.id,
      team_id: v.teamId,
      type: v.type,
      private_metadata: '',
      callback_id: '',
      external_id: v.externalId,
      ...v.view,
      state: { values: {} },
      hash: v.hash,
      clear_on_close: false,
      notify_on_close: false,
      ...(v.type === 'modal' ? { root_view_id: v.rootViewId, previous_view_id: v.previousViewId } : {}),
      app_id: this.appId,
      bot_id: ws.botId,
    };
  }

  newHash(): string {
    return `${Math.floor(this.clock.now() / 1000)}.${this.ids.secret(4)}`;
  }
}
