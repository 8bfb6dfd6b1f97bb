import type { z } from 'zod';

/**
 * The model port: what the summary and sparring features need from a language model. The adapter
 * (adapters/model/openai.ts, on the openai SDK) talks to any OpenAI-compatible endpoint; src/ never does. Callers
 * hand it text that is already redacted and fenced; it asks for JSON in the shape of `schema`, validates the answer
 * with zod, and reports every way it can fail as a reason instead of throwing.
 */
export interface ModelRequest<T> {
  /** What the request is for ('summary', 'sparring'): the JSON schema's name and the log's. */
  task: 'summary' | 'sparring' | 'crisis';
  /** Instructions (the prompt template, with the fence instructions). */
  system: string;
  /** The fenced, redacted user text. */
  user: string;
  /** The answer's shape. Strict-mode friendly: every field required (nullable for optional), no string lengths. */
  schema: z.ZodType<T>;
}

export type ModelFailure =
  /** No answer in time (after the retries). */
  | 'timeout'
  /** The model declined (`message.refusal`). */
  | 'refused'
  /** The host's content filter stopped the answer. */
  | 'filtered'
  /** The answer was cut off (max tokens). */
  | 'truncated'
  /** Not JSON. */
  | 'malformed'
  /** JSON, but not in the asked shape. */
  | 'invalid'
  /** Too many requests, after the retries. */
  | 'rate_limited'
  /** Anything else: unreachable, 5xx, wrong key or model. */
  | 'unavailable';

export type ModelAnswer<T> = { ok: true; value: T; model: string; ms: number } | { ok: false; reason: ModelFailure; ms: number };

export interface ModelClient {
  /** The model's name, for notes ("answered by llama3.1"). */
  readonly model: string;
  ask<T>(request: ModelRequest<T>): Promise<ModelAnswer<T>>;
}
