import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import AjvModule, { type ErrorObject } from 'ajv';
import { loadSpec } from './spec.ts';
import { checkJsonSchemaName, checkStrictSchema } from './strict-schema.ts';

/**
 * An OpenAI-compatible server on 127.0.0.1 for the real `openai` SDK (`new OpenAI({ baseURL: standIn.baseURL })`):
 * `POST /v1/chat/completions`, `GET /v1/models`, `GET /v1/models/{model}`.
 *
 * Requests are checked as the API documents them (API reference "Create chat completion",
 * https://platform.openai.com/docs/api-reference/chat/create, and the OpenAPI spec subset in spec/): bearer
 * API key (401 invalid_api_key), body against CreateChatCompletionRequest (400 invalid_request_error with
 * `param`), unknown top-level arguments (400 "Unrecognized request argument supplied"), known models
 * (404 model_not_found), `response_format` json_object needing the word "json" in the messages, and
 * json_schema with strict: true under the Structured Outputs rules (strict-schema.ts). Errors have the
 * documented shape `{error: {message, type, param, code}}` (https://platform.openai.com/docs/guides/error-codes).
 *
 * What the "model" answers is scripted per request (see Step), so tests can provoke each failure an app must
 * handle: malformed JSON, schema violations, refusals, finish_reason length / content_filter, 429 with
 * retry-after, 5xx, no answer at all, a slow answer, an echo of the input.
 */

export interface ChatRequest {
  /** The parsed JSON body as sent. */
  body: Record<string, unknown>;
  /** All text of all messages, in order (what left the process). */
  text: string;
  /** The json_schema the request asked for, if any. */
  schema: Record<string, unknown> | undefined;
  index: number;
}

type Build<T> = T | ((req: ChatRequest) => T);

export type Step =
  /** A JSON answer. With a json_schema request it must conform unless `conforms: false` (then it must not): a wrong script fails the test. */
  | { reply: 'json'; value: Build<unknown>; conforms?: boolean }
  | { reply: 'text'; content: Build<string> }
  /** Content that is not JSON (default: a truncated object). */
  | { reply: 'malformed-json'; content?: string }
  /** message.refusal set, content null, finish_reason stop (Structured Outputs "Refusals"). */
  | { reply: 'refusal'; refusal?: string }
  /** finish_reason content_filter, content null. */
  | { reply: 'content-filter' }
  /** finish_reason length with partial content (max tokens reached). */
  | { reply: 'length'; content?: string }
  /** The model repeats the request's text back (a model that echoes its input). */
  | { reply: 'echo' }
  | { reply: 'rate-limit'; retryAfterSeconds?: number; retryAfterMs?: number; message?: string }
  | { reply: 'error'; status: number; type?: string; code?: string | null; message?: string; headers?: Record<string, string> }
  /** Never answers; the connection stays open until the client gives up (timeout) or the stand-in closes. */
  | { reply: 'hang' }
  /** Answers `then` after `ms` real milliseconds (a slow model). */
  | { reply: 'delay'; ms: number; then: Step }
  /** Closes the connection without an HTTP answer. */
  | { reply: 'drop' };

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: unknown;
  status: number | undefined;
  response: unknown;
  /** The scripted step that answered (undefined for refused or unscripted requests). */
  step: Step | undefined;
  /** The client closed the connection before an answer (timeout, abort). */
  aborted: boolean;
}

export interface OpenAIStandInOptions {
  /** Steps answered in order, or a function choosing one per request. */
  script?: Step[] | ((req: ChatRequest) => Step);
  /** The API key clients must send as a bearer token. */
  apiKey?: string;
  /** Models /v1/models lists and chat completions accept. */
  models?: string[];
}

export interface OpenAIStandIn {
  /** For `new OpenAI({ baseURL })`: ends with /v1. */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  /** Chat completion requests only. */
  readonly chatRequests: RecordedRequest[];
  /** All message text of all chat requests, joined: assert that no personal data left the process. */
  sentText(): string;
  /** Appends steps to the script. */
  enqueue(...steps: Step[]): void;
  /** Unscripted requests, stand-in crashes and script mistakes; a test should end with none. */
  readonly errors: readonly string[];
  takeErrors(): string[];
  close(): Promise<void>;
}

const COMPLETION_ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'];

function apiError(status: number, message: string, type: string, param: string | null, code: string | null) {
  return { status, body: { error: { message, type, param, code } } };
}

/** Ajv's first error in the API's words: missing required parameter, invalid type, invalid value. */
function describeAjv(errors: ErrorObject[]) {
  const e = errors[0] as ErrorObject;
  const base = e.instancePath
    .split('/')
    .filter(Boolean)
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    const param = base ? `${base}.${missing}` : missing;
    return apiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
  }
  if (e.keyword === 'type') {
    return apiError(
      400,
      `Invalid type for '${base}': expected ${String((e.params as { type: unknown }).type)}.`,
      'invalid_request_error',
      base,
      'invalid_type',
    );
  }
  if (e.keyword === 'enum' || e.keyword === 'const') {
    return apiError(400, `Invalid value for '${base}': ${e.message ?? ''}.`, 'invalid_request_error', base, 'invalid_value');
  }
  return apiError(400, `Invalid '${base || 'body'}': ${e.message ?? 'invalid'}.`, 'invalid_request_error', base || null, null);
}

function messageText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const m of (body.messages as Array<Record<string, unknown>> | undefined) ?? []) {
    const c = m.content;
    if (typeof c === 'string') parts.push(c);
    else if (Array.isArray(c)) for (const p of c as Array<Record<string, unknown>>) if (typeof p.text === 'string') parts.push(p.text);
  }
  return parts.join('\n');
}

export async function startOpenAIStandIn(options: OpenAIStandInOptions = {}): Promise<OpenAIStandIn> {
  const spec = loadSpec();
  const apiKey = options.apiKey ?? 'sk-standin-test';
  const models = options.models ?? ['gpt-4o-mini', 'pulje-test-model'];
  const queue: Step[] = Array.isArray(options.script) ? [...options.script] : [];
  const chooser = typeof options.script === 'function' ? options.script : undefined;
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const sockets = new Set<Socket>();
  /** Settles when each request's response has closed (answered or aborted), so close() can report aborts. */
  const closed: Array<Promise<void>> = [];
  const created = Math.floor(Date.now() / 1000);
  let chatIndex = 0;

  const validateSchemaAnswer = (req: ChatRequest, value: unknown, conforms: boolean | undefined): void => {
    if (!req.schema) return;
    const ajvLike = compileAnswerSchema(req.schema);
    const ok = ajvLike(value);
    const want = conforms ?? true;
    if (ok !== want) {
      errors.push(
        `script: a json step ${want ? 'does not conform to' : 'conforms to'} the request's json_schema (set conforms to say which you mean)`,
      );
    }
  };

  const completion = (req: ChatRequest, message: Record<string, unknown>, finishReason: string) => {
    const model = String(req.body.model);
    const promptTokens = Math.ceil(req.text.length / 4);
    const content = typeof message.content === 'string' ? message.content : '';
    const completionTokens = Math.ceil(content.length / 4);
    return {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, annotations: [], ...message },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_standin',
    };
  };

  /** Turns a step into an answer; undefined means: do not answer (hang / drop handled by the caller). */
  const answer = (req: ChatRequest, step: Step): { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'drop' => {
    const build = <T>(b: Build<T>): T => (typeof b === 'function' ? (b as (r: ChatRequest) => T)(req) : b);
    switch (step.reply) {
      case 'json': {
        const value = build(step.value);
        validateSchemaAnswer(req, value, step.conforms);
        return { status: 200, body: completion(req, { content: JSON.stringify(value) }, 'stop') };
      }
      case 'text':
        return { status: 200, body: completion(req, { content: build(step.content) }, 'stop') };
      case 'malformed-json':
        return { status: 200, body: completion(req, { content: step.content ?? '{"themes": [{"title": "Bænke", "cites": ["m1"' }, 'stop') };
      case 'refusal':
        return {
          status: 200,
          body: completion(req, { content: null, refusal: step.refusal ?? "I'm sorry, I can't help with that request." }, 'stop'),
        };
      case 'content-filter':
        return { status: 200, body: completion(req, { content: null }, 'content_filter') };
      case 'length':
        return { status: 200, body: completion(req, { content: step.content ?? '{"themes": [{"title": "Bæ' }, 'length') };
      case 'echo':
        return { status: 200, body: completion(req, { content: req.text }, 'stop') };
      case 'rate-limit': {
        const headers: Record<string, string> = {};
        if (step.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.retryAfterSeconds);
        if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
        const e = apiError(
          429,
          step.message ?? `Rate limit reached for ${String(req.body.model)} on requests per min (RPM): Limit 3, Used 3, Requested 1.`,
          'requests',
          null,
          'rate_limit_exceeded',
        );
        return { ...e, headers: { ...headers, 'x-ratelimit-remaining-requests': '0' } };
      }
      case 'error': {
        const type = step.type ?? (step.status >= 500 ? 'server_error' : 'invalid_request_error');
        const message =
          step.message ?? (step.status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : 'Bad request');
        return { ...apiError(step.status, message, type, null, step.code ?? null), headers: step.headers };
      }
      case 'hang':
        return 'hang';
      case 'drop':
        return 'drop';
      case 'delay':
        throw new Error('delay is resolved by the caller');
    }
  };

  /** Checks a chat completions request; returns the API's error or the parsed request. */
  const check = (raw: string, headers: IncomingMessage['headers']): { error: { status: number; body: unknown } } | { req: ChatRequest } => {
    const auth = headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) {
      return {
        error: apiError(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          null,
          null,
        ),
      };
    }
    const key = auth.slice(7);
    if (key !== apiKey) {
      return {
        error: apiError(
          401,
          `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}.`,
          'invalid_request_error',
          null,
          'invalid_api_key',
        ),
      };
    }
    if (!(headers['content-type'] ?? '').includes('application/json')) {
      return { error: apiError(400, 'Unsupported content type; send application/json.', 'invalid_request_error', null, null) };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { error: apiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null, null) };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { error: apiError(400, 'The body of your request must be a JSON object.', 'invalid_request_error', null, null) };
    }
    const b = body as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      if (!spec.requestParameters.has(key))
        return { error: apiError(400, `Unrecognized request argument supplied: ${key}`, 'invalid_request_error', null, null) };
    }
    // Roles first: the spec's oneOf would only say "must match exactly one schema".
    const msgs = Array.isArray(b.messages) ? (b.messages as unknown[]) : undefined;
    for (const [i, m] of (msgs ?? []).entries()) {
      const role = (m as { role?: unknown } | null)?.role;
      if (typeof role !== 'string' || !COMPLETION_ROLES.includes(role)) {
        return {
          error: apiError(
            400,
            `Invalid value: '${String(role)}'. Supported values are: ${COMPLETION_ROLES.map((r) => `'${r}'`).join(', ')}.`,
            'invalid_request_error',
            `messages[${i}].role`,
            'invalid_value',
          ),
        };
      }
    }
    const issues = spec.validate('CreateChatCompletionRequest', b);
    if (issues.length) return { error: describeAjv(issues) };
    if (msgs && msgs.length === 0) {
      return {
        error: apiError(
          400,
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
          'invalid_request_error',
          'messages',
          'empty_array',
        ),
      };
    }
    if (b.stream === true) {
      errors.push('stream: true is not modelled by the stand-in');
      return { error: apiError(400, 'The stand-in does not model streaming.', 'invalid_request_error', 'stream', null) };
    }
    if (!models.includes(String(b.model))) {
      return {
        error: {
          status: 404,
          body: {
            error: {
              message: `The model \`${String(b.model)}\` does not exist or you do not have access to it.`,
              type: 'invalid_request_error',
              param: null,
              code: 'model_not_found',
            },
          },
        },
      };
    }
    const text = messageText(b);
    const rf = b.response_format as Record<string, unknown> | undefined;
    let schema: Record<string, unknown> | undefined;
    if (rf?.type === 'json_object' && !/json/i.test(text)) {
      return {
        error: apiError(
          400,
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          'invalid_request_error',
          'messages',
          null,
        ),
      };
    }
    if (rf?.type === 'json_schema') {
      const js = rf.json_schema as Record<string, unknown>;
      const nameProblem = checkJsonSchemaName(js.name);
      if (nameProblem)
        return { error: apiError(400, nameProblem, 'invalid_request_error', 'response_format.json_schema.name', 'invalid_value') };
      if (js.strict === true) {
        const problem = checkStrictSchema(String(js.name), js.schema);
        if (problem) return { error: apiError(400, problem, 'invalid_request_error', 'response_format', 'invalid_json_schema') };
      }
      schema = js.schema as Record<string, unknown> | undefined;
    }
    return { req: { body: b, text, schema, index: chatIndex++ } };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      errors.push(`stand-in crashed on ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'stand-in crashed', type: 'server_error', param: null, code: null } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const send = (res: ServerResponse, rec: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    rec.status = status;
    rec.response = body;
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req_${randomBytes(12).toString('hex')}`,
      'openai-processing-ms': '12',
      'openai-version': '2020-10-01',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const rec: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? '',
      path: url.pathname,
      headers: req.headers,
      raw,
      body,
      status: undefined,
      response: undefined,
      step: undefined,
      aborted: false,
    };
    requests.push(rec);
    closed.push(
      new Promise<void>((resolve) =>
        res.on('close', () => {
          if (!res.writableEnded) rec.aborted = true;
          resolve();
        }),
      ),
    );

    if (req.method === 'GET' && (url.pathname === '/v1/models' || url.pathname.startsWith('/v1/models/'))) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${apiKey}`)
        return send(res, rec, 401, apiError(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key').body);
      const list = models.map((id) => ({ id, object: 'model', created, owned_by: 'pulje-standin' }));
      if (url.pathname === '/v1/models') return send(res, rec, 200, { object: 'list', data: list });
      const id = decodeURIComponent(url.pathname.slice('/v1/models/'.length));
      const found = list.find((m) => m.id === id);
      if (!found)
        return send(res, rec, 404, {
          error: { message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
        });
      return send(res, rec, 200, found);
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      errors.push(`request to ${req.method} ${url.pathname}: not modelled`);
      return send(res, rec, 404, apiError(404, `Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error', null, null).body);
    }
    const checked = check(raw, req.headers);
    if ('error' in checked) return send(res, rec, checked.error.status, checked.error.body);
    const chat = checked.req;
    const first: Step | undefined = chooser ? chooser(chat) : queue.shift();
    if (!first) {
      errors.push(`unscripted chat completion request #${chat.index}`);
      return send(res, rec, 500, apiError(500, 'The stand-in has no scripted answer for this request.', 'server_error', null, null).body, {
        'x-should-retry': 'false',
      });
    }
    rec.step = first;
    let step: Step = first;
    while (step.reply === 'delay') {
      const ms: number = step.ms;
      const next: Step = step.then;
      await new Promise((resolve) => setTimeout(resolve, ms).unref());
      step = next;
    }
    const out = answer(chat, step);
    if (out === 'hang') return;
    if (out === 'drop') {
      req.socket.destroy();
      return;
    }
    const conforming = out.status === 200 ? spec.validate('CreateChatCompletionResponse', out.body) : [];
    if (conforming.length) errors.push(`stand-in answer does not match CreateChatCompletionResponse: ${JSON.stringify(conforming[0])}`);
    send(res, rec, out.status, out.body, out.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    get requests() {
      return requests;
    },
    get chatRequests() {
      return requests.filter((r) => r.path === '/v1/chat/completions');
    },
    sentText() {
      return requests
        .filter((r) => r.path === '/v1/chat/completions' && r.body && typeof r.body === 'object')
        .map((r) => messageText(r.body as Record<string, unknown>))
        .join('\n');
    },
    enqueue(...steps) {
      if (chooser) throw new Error('OpenAI stand-in: the script is a function; enqueue does not apply');
      queue.push(...steps);
    },
    get errors() {
      return errors;
    },
    takeErrors() {
      return errors.splice(0, errors.length);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(closed);
    },
  };
}

/** A validator for the app's own json_schema (as sent), to check scripted answers against it. */
function compileAnswerSchema(schema: Record<string, unknown>): (v: unknown) => boolean {
  const key = JSON.stringify(schema);
  let v = answerValidators.get(key);
  if (!v) {
    v = compileWithAjv(schema);
    answerValidators.set(key, v);
  }
  return v;
}

const answerValidators = new Map<string, (v: unknown) => boolean>();

function compileWithAjv(schema: Record<string, unknown>): (v: unknown) => boolean {
  const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (
    o: object,
  ) => { compile(s: object): (v: unknown) => boolean };
  const { $schema: _ignored, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: false });
  return ajv.compile(rest);
}
