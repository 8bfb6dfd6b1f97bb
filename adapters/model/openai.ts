import OpenAI, { APIConnectionTimeoutError, APIUserAbortError, RateLimitError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Config } from '../../src/config/env.ts';
import { type Logger, silentLogger } from '../../src/conversation/index.ts';
import type { ModelAnswer, ModelClient, ModelFailure, ModelRequest } from '../../src/staff/model.ts';

export interface OpenAIModelOptions {
  /** Any OpenAI-compatible endpoint (OpenAI, Azure's /openai/v1, Ollama's /v1, vLLM); OpenAI's own when unset. */
  baseURL?: string | undefined;
  /** Local servers (Ollama, vLLM) take any key; the SDK insists on one, so a placeholder is sent then. */
  apiKey?: string | undefined;
  model: string;
  /** One attempt's limit; the SDK retries (429, 408, 409, 5xx, connection errors) up to `maxRetries` times. */
  timeoutMs: number;
  maxRetries: number;
  log?: Logger;
}

/**
 * The model port on the openai SDK (6.x): chat completions with a JSON schema response format from the request's
 * zod schema (structured outputs, which OpenAI, Azure, Ollama and vLLM all accept), the answer parsed and
 * validated with zod here, since not every host enforces the schema. Every failure becomes a reason; nothing of
 * the request's text is logged.
 */
export function openAIModel(opts: OpenAIModelOptions): ModelClient {
  const log = opts.log ?? silentLogger;
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'not-needed',
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    timeout: opts.timeoutMs,
    maxRetries: opts.maxRetries,
  });
  return {
    model: opts.model,
    async ask<T>(req: ModelRequest<T>): Promise<ModelAnswer<T>> {
      const started = performance.now();
      const fail = (reason: ModelFailure, detail?: Record<string, unknown>): ModelAnswer<T> => {
        const ms = performance.now() - started;
        log.warn({ task: req.task, model: opts.model, reason, ms: Math.round(ms), ...detail }, 'model: no usable answer');
        return { ok: false, reason, ms };
      };
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: opts.model,
          messages: [
            { role: 'system', content: req.system },
            { role: 'user', content: req.user },
          ],
          response_format: zodResponseFormat(req.schema, req.task),
        });
      } catch (error) {
        if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return fail('timeout');
        if (error instanceof RateLimitError) return fail('rate_limited');
        const status = (error as { status?: unknown }).status;
        return fail('unavailable', { status: typeof status === 'number' ? status : undefined, error: (error as Error).name });
      }
      const choice = completion.choices[0];
      if (!choice) return fail('unavailable');
      if (choice.message.refusal) return fail('refused');
      if (choice.finish_reason === 'content_filter') return fail('filtered');
      if (choice.finish_reason === 'length') return fail('truncated');
      const content = choice.message.content;
      if (!content) return fail('invalid');
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        return fail('malformed');
      }
      const parsed = req.schema.safeParse(json);
      if (!parsed.success) return fail('invalid', { issues: parsed.error.issues.length });
      return { ok: true, value: parsed.data, model: completion.model || opts.model, ms: performance.now() - started };
    },
  };
}

/** The model Pulje's settings describe, or none: OPENAI_MODEL with OPENAI_BASE_URL and/or OPENAI_API_KEY. */
export function modelFromConfig(
  config: Pick<Config, 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'OPENAI_MODEL' | 'OPENAI_TIMEOUT_MS' | 'OPENAI_MAX_RETRIES'>,
  log?: Logger,
): ModelClient | undefined {
  if (!config.OPENAI_MODEL || (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY)) return undefined;
  return openAIModel({
    baseURL: config.OPENAI_BASE_URL,
    apiKey: config.OPENAI_API_KEY,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
    ...(log ? { log } : {}),
  });
}
