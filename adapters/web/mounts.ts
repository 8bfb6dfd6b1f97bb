import type { MiddlewareHandler } from 'hono';
import type { WebEnv } from './context.ts';

/** A fetch-style handler another adapter serves on the web server's port (Slack's request URL, the dashboard). */
export type MountedHandler = (request: Request) => Promise<Response>;

/** First path segments the web chat itself answers; a mount may not hide them. */
const OWN = ['api', 'signin', 'invite', 'mydata', 'healthz', 'metrics', 'app.js', 'render.js', 'style.css'];

/**
 * Other adapters' handlers by path prefix, added at any time (also after the server started listening). A
 * request for the prefix or below it goes to the handler unchanged (full URL, headers, body); its answer goes
 * out with the same security headers, 64 KiB body limit and error handling as the web chat's own.
 */
export class Mounts {
  private readonly handlers = new Map<string, MountedHandler>();

  add(prefix: string, handler: MountedHandler): void {
    if (!/^(\/[A-Za-z0-9][A-Za-z0-9._-]*)+$/.test(prefix))
      throw new Error(`mount: "${prefix}" is not a path prefix like /slack or /dashboard`);
    const first = prefix.split('/')[1]!;
    if (OWN.includes(first)) throw new Error(`mount: ${prefix} would hide the web chat's own /${first}`);
    for (const other of this.handlers.keys()) {
      if (covers(other, prefix) || covers(prefix, other)) throw new Error(`mount: ${prefix} overlaps ${other}`);
    }
    this.handlers.set(prefix, handler);
  }

  readonly middleware: MiddlewareHandler<WebEnv> = async (c, next) => {
    for (const [prefix, handler] of this.handlers) {
      if (!covers(prefix, c.req.path)) continue;
      const answer = await handler(c.req.raw);
      // A copy, so the headers can be added to whatever kind of Response the handler made.
      return new Response(answer.body, answer);
    }
    await next();
  };
}

const covers = (prefix: string, path: string) => path === prefix || path.startsWith(`${prefix}/`);
