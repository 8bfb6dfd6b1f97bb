import { isValidSlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/conversation/index.ts';

/** Slack gives an app 3 s to answer; an event no listener acknowledged by then gets this, so Slack retries it. */
const UNACKED_MS = 3100;

export interface FetchReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Other routes under /slack (the OAuth install pages). */
  routes?: Record<string, (request: Request) => Promise<Response>>;
}

/**
 * Bolt's HTTP mode as a fetch handler, so Slack's Request URL (`POST /slack/events`) is served by the web chat's
 * server on its port, with its security headers and body limit. Bolt checks the signature
 * (`isValidSlackRequest`: HMAC-SHA256 with the signing secret, at most 5 minutes old); the request is answered
 * when a listener acknowledges it, and an acknowledgement body becomes the response.
 */
export class FetchReceiver implements Receiver {
  #app: App | undefined;

  constructor(private readonly opts: FetchReceiverOptions) {}

  init(app: App): void {
    this.#app = app;
  }

  // The web server is started and stopped by Pulje; nothing listens here.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  readonly handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const route = this.opts.routes?.[path];
    if (route) return route(request);
    if (path !== '/slack/events') return new Response('not found', { status: 404 });
    if (request.method !== 'POST') return new Response('method not allowed', { status: 405, headers: { allow: 'POST' } });
    const raw = await request.text();
    const valid = isValidSlackRequest({
      signingSecret: this.opts.signingSecret,
      body: raw,
      headers: {
        'x-slack-signature': request.headers.get('x-slack-signature') ?? '',
        'x-slack-request-timestamp': Number(request.headers.get('x-slack-request-timestamp')),
      },
    });
    if (!valid) return new Response('invalid signature', { status: 401 });
    const body = parseBody(raw, request.headers.get('content-type') ?? '');
    if (!body) return new Response('bad request', { status: 400 });
    // https://docs.slack.dev/reference/events/url_verification and the SSL check Slack runs on a new URL.
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge });
    if (body.ssl_check) return new Response('', { status: 200 });
    return this.dispatch(body, request.headers);
  };

  private dispatch(body: Record<string, unknown>, headers: Headers): Promise<Response> {
    const app = this.#app;
    if (!app) return Promise.resolve(new Response('not ready', { status: 503 }));
    return new Promise<Response>((resolve) => {
      let answered = false;
      const answer = (response: Response) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(response);
      };
      const timer = setTimeout(() => answer(new Response('', { status: 500 })), UNACKED_MS);
      const retryNum = Number(headers.get('x-slack-retry-num'));
      const event: ReceiverEvent = {
        body,
        ...(Number.isInteger(retryNum) && headers.has('x-slack-retry-num') ? { retryNum } : {}),
        ...(headers.get('x-slack-retry-reason') ? { retryReason: headers.get('x-slack-retry-reason')! } : {}),
        ack: async (response?: unknown) => {
          if (answered) throw new Error('slack: acknowledged after the request was answered');
          if (response === undefined || response === '') answer(new Response('', { status: 200 }));
          else if (typeof response === 'string') answer(new Response(response, { status: 200, headers: { 'content-type': 'text/plain' } }));
          else answer(Response.json(response));
        },
      };
      app.processEvent(event).catch((error: unknown) => {
        this.opts.log.error({ err: error }, 'slack: handling a request failed');
        answer(new Response('', { status: 500 }));
      });
    });
  }
}

/** Slash commands come as form fields, interactions as a `payload` form field, events as JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType.includes('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    }
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload) return JSON.parse(payload) as Record<string, unknown>;
    return Object.fromEntries(form);
  } catch {
    return undefined;
  }
}
