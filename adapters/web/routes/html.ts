import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A server-rendered page (already escaped by pages.ts). */
export function htmlPage(c: Context, status: ContentfulStatusCode, html: string, headers: Record<string, string> = {}): Response {
  return c.body(html, status, { 'content-type': 'text/html; charset=utf-8', ...headers });
}
